from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tilik.core.themes.quotes import attribution, mask_personal
from tilik.web.coding import services
from tilik.web.coding.forms import (
    AddCodeForm,
    CodeForm,
    FilterForm,
    MergeCodesForm,
    RenameCodeForm,
)
from tilik.web.coding.models import SENTIMENT_LABELS, ManualCode, codebook_for
from tilik.web.evaluations.access import evaluation_for

CHANGE_FORMS = {"add": AddCodeForm, "rename": RenameCodeForm, "merge": MergeCodesForm}


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def review(request, pk: int):
    evaluation = evaluation_for(request, pk)
    state = services.review_for(evaluation, _lang())
    filters = FilterForm(request.GET or None, codebook=state.codebook, lang=_lang())
    filters.is_valid()  # an unknown value drops that filter only
    f = getattr(filters, "cleaned_data", {})
    rows = state.filtered(
        source=f.get("sumber") or "",
        theme=f.get("tema") or "",
        status=f.get("status") or "",
        query=(f.get("q") or "").strip(),
        order=f.get("urut") or "",
    )
    needle = (f.get("q") or "").strip().casefold()
    if needle and not evaluation.can_edit(request.user):
        # Leaders and viewers search what they see: a name they cannot read finds nothing.
        rows = [
            r for r in rows if needle in mask_personal(r.text.item.text, state.names).casefold()
        ]
    page = Paginator(rows, f.get("per") or 25).get_page(request.GET.get("halaman"))
    by_code = {t.code: t for t in state.themes}
    lang = _lang()
    items = [
        {
            "row": row,
            "segments": segments,
            "who": attribution(row.text.item.role, row.text.item.sector, lang),
            "auto": [(by_code.get(t.code), t) for t in row.auto.themes],
            "chosen": [by_code[c] for c in row.themes if c in by_code],
            "sentiment": SENTIMENT_LABELS.get(row.sentiment, row.sentiment),
        }
        for row, segments in zip(page.object_list, services.spans_for(state, page.object_list))
    ]
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "coding/review.html",
        {
            "evaluation": evaluation,
            "state": state,
            "filters": filters,
            "page": page,
            "items": items,
            "query": query.urlencode(),
            "theme_counts": [(t, state.theme_counts.get(t.code, 0)) for t in state.themes],
            "sentiments": list(SENTIMENT_LABELS.items()),
            "can_edit": evaluation.can_edit(request.user),
            "next": request.get_full_path(),
        },
    )


def _recoded_message(n: int) -> str:
    if n == 0:
        return _("Tidak ada teks lain yang berubah kodenya.")
    return ngettext("%(n)d teks serupa dikode ulang.", "%(n)d teks serupa dikode ulang.", n) % {
        "n": n
    }


def _back(request, pk: int, key: str = ""):
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("coding:review", args=[pk])
    return redirect(f"{target}#t-{key[:12]}" if key else target)


@login_required
@require_POST
def save(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    form = CodeForm(request.POST, codebook=codebook_for(evaluation))
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": form.errors}, status=400)
        messages.error(request, _("Kode tidak dapat disimpan: periksa pilihan tema."))
        return _back(request, pk)
    data = form.cleaned_data
    text = services.texts_for(evaluation).find(data["key"])
    if text is None:
        raise Http404
    before = services.review_for(evaluation, _lang())
    themes, sentiment = data["suggested"], data["suggested_sentiment"]
    if data["action"] == "reset":
        ManualCode.objects.filter(evaluation=evaluation, key=text.key).delete()
    else:
        if data["action"] == "save":
            themes, sentiment = data["themes"], data["sentiment"] or sentiment
        services.save_code(evaluation, text, themes, sentiment, request.user)
    # The coder retrains with the evaluator's codes: similar texts may change too.
    recoded = services.recoded(before, services.review_for(evaluation, _lang()), text.key)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "key": text.key,
                "themes": themes,
                "sentiment": sentiment,
                "reviewed": data["action"] != "reset",
                "n_reviewed": evaluation.manual_codes.count(),
                "n_recoded": len(recoded),
                "recoded": recoded,
                "message": _recoded_message(len(recoded)),
            }
        )
    messages.success(request, _("Kode tersimpan.") + " " + _recoded_message(len(recoded)))
    return _back(request, pk, text.key)


@login_required
def codebook(request, pk: int):
    editing = request.method == "POST"
    evaluation = evaluation_for(request, pk, edit=editing)
    current = services.coder_for(evaluation).codebook
    lang = _lang()
    action = request.POST.get("action", "")
    forms = {
        name: cls(request.POST if editing and action == name else None, codebook=current, lang=lang)
        for name, cls in CHANGE_FORMS.items()
    }
    if editing:
        form = forms.get(action)
        if form is None:
            raise Http404
        if form.is_valid():
            change = form.change()
            change.created_by = request.user
            services.change_codebook(evaluation, change)
            messages.success(request, _("Buku kode diperbarui."))
            return redirect("coding:codebook", pk=evaluation.pk)
    themes = services.themes_of(current, lang)
    return render(
        request,
        "coding/codebook.html",
        {
            "evaluation": evaluation,
            "themes": themes,
            "changes": evaluation.code_changes.select_related("created_by").order_by("id"),
            "forms": forms,
            "can_edit": evaluation.can_edit(request.user),
        },
        status=400 if editing else 200,
    )
