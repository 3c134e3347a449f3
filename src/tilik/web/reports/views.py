from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tilik.core import labels
from tilik.core.recommend import apply_edits, build_recommendations
from tilik.report import render_public_summary
from tilik.web.audit.models import Action
from tilik.web.audit.services import record
from tilik.web.csp import sandbox, with_nonce
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.models import Member
from tilik.web.reports.display import evidence_views, results_display
from tilik.web.reports.forms import FollowUpForm, RecommendationForm, RunForm
from tilik.web.reports.models import AnalysisRun, FollowUp, Publication, RecommendationEdit
from tilik.web.reports.services import (
    latest_attempt,
    latest_run,
    recommendation_edits,
    start_analysis,
)

DOWNLOADS = {
    "laporan.pdf": "application/pdf",
    "laporan.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "laporan.html": "text/html; charset=utf-8",
    "hasil.json": "application/json",
}


def _lang() -> str:
    return (get_language() or "id")[:2]


@login_required
def results(request, pk: int):
    evaluation = evaluation_for(request, pk)
    run = latest_run(evaluation)
    attempt = latest_attempt(evaluation)
    if attempt is not None and attempt.status == AnalysisRun.Status.DONE:
        attempt = None  # nothing to tell beyond the results themselves
    context = {
        "evaluation": evaluation,
        "run": run,
        "attempt": attempt,
        "status_line": attempt.status_line(_lang()) if attempt else "",
        "can_edit": evaluation.can_edit(request.user),
        "form": RunForm(initial={"lang": _lang()}),
    }
    if run is not None:
        hasil = run.hasil
        charts = sorted(p.name for p in (run.path / "grafik").glob("*.svg"))
        context.update(
            hasil=hasil,
            charts=charts,
            files=[name for name in DOWNLOADS if run.file(name)],
            **results_display(hasil, _lang(), charts),
        )
    return render(request, "reports/results.html", context)


@login_required
@require_POST
def run(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    form = RunForm(request.POST)
    lang = form.cleaned_data["lang"] if form.is_valid() else _lang()
    analysis, started = start_analysis(evaluation, request.user, lang)
    if started:
        record(request, Action.ANALYSIS_STARTED, evaluation=evaluation, target=f"run:{analysis.pk}")
    if not started:
        messages.warning(
            request, _("Analisis sudah berjalan; tidak ada analisis baru yang dimulai.")
        )
    elif analysis.status == AnalysisRun.Status.DONE:  # analysed inline (tests)
        messages.success(request, _("Analisis selesai; laporan diperbarui."))
    elif analysis.active:
        messages.info(request, _("Analisis dimulai."))
    return redirect("reports:results", pk=evaluation.pk)


@login_required
@require_POST
def cancel_run(request, pk: int, run_id: int):
    evaluation = evaluation_for(request, pk, edit=True)
    attempt = get_object_or_404(evaluation.runs, pk=run_id)
    if attempt.request_cancel():
        if attempt.active:
            messages.info(request, _("Pembatalan diminta; analisis berhenti dalam beberapa detik."))
        else:
            messages.info(request, _("Analisis dibatalkan; hasil sebelumnya tidak berubah."))
    return redirect("reports:results", pk=evaluation.pk)


@login_required
@require_GET
@never_cache
def run_status(request, pk: int):
    """Where the evaluation's latest run stands, for the results page to poll."""
    evaluation = evaluation_for(request, pk)
    attempt = latest_attempt(evaluation)
    if attempt is None:
        return JsonResponse({"run": None, "status": None})
    return JsonResponse(attempt.status_json(_lang()))


@login_required
def download(request, pk: int, run_id: int, name: str):
    evaluation = evaluation_for(request, pk)
    run = get_object_or_404(evaluation.runs.done(), pk=run_id)
    allowed = name in DOWNLOADS or (name.startswith("grafik/") and name.endswith(".svg"))
    path = run.file(name) if allowed else None
    if path is None:
        raise Http404
    content_type = DOWNLOADS.get(name) or mimetypes.guess_type(name)[0] or "image/svg+xml"
    inline = name.endswith((".html", ".svg", ".json")) and "unduh" not in request.GET
    if not inline:  # a file taken away; charts and the report shown in the page are not
        record(
            request,
            Action.REPORT_DOWNLOADED,
            evaluation=evaluation,
            target=f"run:{run.pk}",
            file=name,
        )
    response = FileResponse(
        path.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=f"{evaluation.pk}-{path.name}",
    )
    if name.endswith((".html", ".svg")):
        # Report HTML is our own output, but shown sandboxed all the same.
        sandbox(response, path.read_bytes())
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _recommendation_rows(evaluation, run, lang: str) -> list[dict]:
    generated = build_recommendations(run.hasil) if run else []
    merged = apply_edits(generated, recommendation_edits(evaluation))
    follow_ups = {f.key: f for f in evaluation.follow_ups.all()}
    rows = []
    for rec in merged:
        text = rec.get("text") or {}
        owner, indicator = rec.get("owner") or {}, rec.get("indicator") or {}
        rows.append(
            {
                "rec": rec,
                "key": rec["key"],
                "title": labels.rule_title(str(rec.get("rule") or rec["key"]), lang),
                "priority": labels.priority_name(str(rec.get("priority", "")), lang),
                "evidence": evidence_views(run.hasil, rec.get("evidence") or [], lang)
                if run
                else [],
                "text": text.get(lang) or text.get("id", ""),
                "owner": owner.get(lang) or owner.get("id", "")
                if isinstance(owner, dict)
                else owner,
                "indicator": indicator.get(lang) or indicator.get("id", "")
                if isinstance(indicator, dict)
                else indicator,
                "follow_up": follow_ups.get(rec["key"]),
            }
        )
    return rows


@login_required
def recommendations(request, pk: int):
    evaluation = evaluation_for(request, pk)
    run = latest_run(evaluation)
    lang = _lang()
    stale = (
        run is not None
        and evaluation.recommendation_edits.filter(updated_at__gt=run.created_at).exists()
    )
    context = {
        "evaluation": evaluation,
        "run": run,
        "rows": _recommendation_rows(evaluation, run, lang),
        "can_edit": evaluation.can_edit(request.user),
        "can_follow_up": evaluation.role_of(request.user)
        in (Member.Role.EVALUATOR, Member.Role.LEADER),
        "new_form": RecommendationForm(prefix="baru"),
        "stale": stale,
        "statuses": FollowUp.Status.choices,
    }
    return render(request, "reports/recommendations.html", context)


@login_required
@require_POST
def edit_recommendation(request, pk: int, key: str):
    evaluation = evaluation_for(request, pk, edit=True)
    action = request.POST.get("action", "save")
    if key == "baru":
        form = RecommendationForm(request.POST, prefix="baru")
        if not form.is_valid() or not form.cleaned_data["text_id"]:
            messages.error(request, _("Tulis teks rekomendasi dalam bahasa Indonesia."))
            return redirect("reports:recommendations", pk=pk)
        count = evaluation.recommendation_edits.filter(added=True).count()
        edit = form.save(commit=False)
        edit.evaluation, edit.key, edit.added = evaluation, f"manual:{count + 1}", True
        edit.updated_by = request.user
        edit.save()
        record(
            request,
            Action.RECOMMENDATION_EDITED,
            evaluation=evaluation,
            target=edit.key,
            change="add",
        )
        messages.success(request, _("Rekomendasi ditambahkan."))
        return redirect("reports:recommendations", pk=pk)
    edit, _created = RecommendationEdit.objects.get_or_create(evaluation=evaluation, key=key)
    record(request, Action.RECOMMENDATION_EDITED, evaluation=evaluation, target=key, change=action)
    if action == "remove":
        if edit.added:
            edit.delete()
        else:
            edit.removed = True
            edit.updated_by = request.user
            edit.save()
        messages.success(request, _("Rekomendasi dihapus dari laporan."))
    elif action == "restore":
        edit.delete()
        messages.success(request, _("Rekomendasi dikembalikan seperti hasil aturan."))
    else:
        form = RecommendationForm(request.POST, instance=edit)
        if form.is_valid():
            edit = form.save(commit=False)
            edit.removed = False
            edit.updated_by = request.user
            edit.save()
            messages.success(
                request,
                _("Suntingan disimpan; suntingan tetap berlaku saat analisis dijalankan ulang."),
            )
    return redirect("reports:recommendations", pk=pk)


@login_required
@require_POST
def follow_up(request, pk: int, key: str):
    evaluation = evaluation_for(request, pk)
    if evaluation.role_of(request.user) not in (Member.Role.EVALUATOR, Member.Role.LEADER):
        raise PermissionDenied
    instance = FollowUp.objects.filter(evaluation=evaluation, key=key).first()
    form = FollowUpForm(request.POST, instance=instance)
    if form.is_valid():
        item = form.save(commit=False)
        item.evaluation, item.key, item.updated_by = evaluation, key, request.user
        item.save()
        record(
            request,
            Action.FOLLOW_UP_EDITED,
            evaluation=evaluation,
            target=key,
            status=item.status,
        )
        messages.success(request, _("Tindak lanjut diperbarui."))
    else:
        messages.error(request, _("Tindak lanjut tidak tersimpan: periksa isian."))
    return redirect("reports:recommendations", pk=pk)


@login_required
def publication(request, pk: int):
    evaluation = evaluation_for(request, pk)
    item = Publication.objects.filter(evaluation=evaluation).first()
    if request.method == "POST":
        if not evaluation.can_edit(request.user):
            raise PermissionDenied
        run = latest_run(evaluation)
        if request.POST.get("action") == "publish":
            if run is None:
                messages.error(request, _("Jalankan analisis dahulu."))
                return redirect("reports:publication", pk=pk)
            item = item or Publication(evaluation=evaluation)
            item.lang = (
                request.POST.get("lang", "id") if request.POST.get("lang") in ("id", "en") else "id"
            )
            item.html = render_public_summary(run.hasil, item.lang, standalone=True)
            item.published, item.published_at = True, timezone.now()
            item.published_by = request.user
            item.save()
            record(request, Action.PUBLISHED, evaluation=evaluation, lang=item.lang)
            messages.success(request, _("Ringkasan publik diterbitkan."))
        elif item is not None:
            item.published = False
            item.save(update_fields=["published"])
            record(request, Action.UNPUBLISHED, evaluation=evaluation)
            messages.success(
                request, _("Ringkasan publik ditarik; tautannya tidak lagi dapat dibuka.")
            )
        return redirect("reports:publication", pk=pk)
    run = latest_run(evaluation)
    preview = render_public_summary(run.hasil, _lang(), standalone=False) if run else ""
    preview = with_nonce(preview, str(request.csp_nonce)) if preview else ""
    return render(
        request,
        "reports/publication.html",
        {
            "evaluation": evaluation,
            "item": item,
            "run": run,
            "preview": preview,
            "can_edit": evaluation.can_edit(request.user),
        },
    )


def public_summary(request, slug: str):
    item = get_object_or_404(Publication, slug=slug, published=True)
    response = HttpResponse(item.html)
    return sandbox(response, item.html.encode("utf-8"), framed_by="'none'")
