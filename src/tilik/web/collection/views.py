from __future__ import annotations

import io
import json
import tempfile
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tilik.core import labels, repeats
from tilik.core.exports import table_csv
from tilik.core.ingest import decode_text, is_personal_field
from tilik.core.repeats import flatten, parse_key
from tilik.core.xlsform import write_xlsform
from tilik.web.audit.models import Action
from tilik.web.audit.services import record
from tilik.web.collection import fixing, services, standard, webform
from tilik.web.collection.forms import (
    DataUploadForm,
    InterviewForm,
    LinkForm,
    NewEvaluationForm,
    PrivacyNoticeForm,
    SettingsForm,
    StandardInstrumentsForm,
    XLSFormUploadForm,
)
from tilik.web.collection.models import (
    FormUpload,
    ImportBatch,
    Instrument,
    Interview,
    PrivacyNotice,
    QuarantinedRow,
    RespondentLink,
    Submission,
)
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.forms import RetentionForm
from tilik.web.evaluations.models import Evaluation, Member, Program
from tilik.web.evaluations.privacy import Shown
from tilik.web.network import client_ip


def _lang() -> str:
    return (get_language() or "id")[:2]


def _instrument(evaluation: Evaluation, form_id: str):
    return get_object_or_404(evaluation.instruments.select_related("current"), form_id=form_id)


def _problem_lines(problems, lang: str) -> list[str]:
    return [p.render(lang) for p in problems]


# Evaluations and instruments ------------------------------------------------------------


@login_required
def new_evaluation(request):
    form = NewEvaluationForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        messages.error(
            request,
            _(
                "Anda belum terdaftar sebagai evaluator di instansi mana pun. Minta admin "
                "instansi menambahkan Anda sebelum membuat evaluasi."
            ),
        )
        return redirect("evaluations:list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            evaluation, created = Evaluation.objects.get_or_create(
                organisation=data["organisation"],
                title=data["title"].strip(),
                period=data["period"].strip(),
            )
            if not created:
                form.add_error("title", _("Evaluasi dengan judul dan periode ini sudah ada."))
                transaction.set_rollback(True)
                return render(request, "collection/new_evaluation.html", {"form": form})
            Member.objects.create(
                evaluation=evaluation, user=request.user, role=Member.Role.EVALUATOR
            )
            for name in form.program_names():
                Program.objects.get_or_create(evaluation=evaluation, name=name)
            services.add_standard_instruments(evaluation, data["instruments"])
        record(request, Action.EVALUATION_CREATED, evaluation=evaluation)
        messages.success(request, _("Evaluasi dibuat."))
        return redirect("evaluations:detail", evaluation.pk)
    return render(request, "collection/new_evaluation.html", {"form": form})


@login_required
def instrument_detail(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk)
    instrument = _instrument(evaluation, form_id)
    form = instrument.form() if instrument.current else None
    lang = _lang()
    questions = []
    if form is not None:
        names = {q.name: q.labels.get(lang) or q.label or q.name for q in form.questions}
        for q in form.questions:
            questions.append(
                {
                    "q": q,
                    "label": q.labels.get(lang) or q.label,
                    "type_name": labels.question_type_name(q.type, lang),
                    "relevant": labels.expression_words(q.relevant, names, lang),
                    "constraint": labels.expression_words(q.constraint, names, lang),
                }
            )
    quarantine = instrument.quarantine.filter(status="open").order_by("file_name", "row")
    shown = list(quarantine[:200])
    view = Shown(evaluation, request.user)
    for row in shown:
        row.messages = view.texts(p.get(lang) or p.get("id") for p in row.problems)
    context = {
        "evaluation": evaluation,
        "instrument": instrument,
        "can_edit": evaluation.can_edit(request.user),
        "questions": questions,
        "n_submissions": instrument.submissions.count(),
        "n_quarantine": quarantine.count(),
        "quarantine": shown,
        "imports": _checked(instrument.imports.all()[:20]),
        "versions": instrument.versions.all()[:10],
        "upload_form": XLSFormUploadForm(),
        "settings_form": SettingsForm(initial={"anonymous": instrument.anonymous}),
    }
    return render(request, "collection/instrument.html", context)


def _standard_present(evaluation: Evaluation) -> set[str]:
    """The standard instruments the evaluation has already (each of its copies)."""
    form_ids = set(evaluation.instruments.values_list("form_id", flat=True))
    return {
        standard_id
        for standard_id, copies in standard.COPIES.items()
        if all(form_id in form_ids for form_id, _kind in copies)
    }


@login_required
def instrument_add(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    standard_form = StandardInstrumentsForm(present=_standard_present(evaluation))
    status = 200
    if request.method == "POST" and "instruments" in request.POST:
        standard_form = StandardInstrumentsForm(request.POST, present=_standard_present(evaluation))
        form = XLSFormUploadForm()
        if standard_form.is_valid():
            added = services.add_standard_instruments(
                evaluation, standard_form.cleaned_data["instruments"]
            )
            messages.success(
                request,
                _("Ditambahkan: %(names)s.") % {"names": ", ".join(str(i) for i in added)},
            )
            return redirect("evaluations:detail", evaluation.pk)
        status = 400
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.start_form_upload(
            evaluation,
            upload.read(),
            Path(upload.name).name,
            kind=form.cleaned_data["kind"] or "lainnya",
            user=request.user,
        )
        return redirect("collection:form_upload", evaluation.pk, job.pk)
    elif request.method == "POST":
        status = 400
    context = {"evaluation": evaluation, "form": form, "standard_form": standard_form}
    return render(request, "collection/instrument_add.html", context, status=status)


def _form_upload(request, pk: int, upload_id: int, *, edit: bool = False) -> FormUpload:
    evaluation = evaluation_for(request, pk, edit=edit)
    job = get_object_or_404(
        FormUpload.objects.select_related("instrument", "result"),
        pk=upload_id,
        evaluation=evaluation,
    )
    job.check_interrupted()
    return job


@login_required
def form_upload_detail(request, pk: int, upload_id: int):
    """Where an uploaded XLSForm stands: being checked, accepted (with warnings) or refused."""
    job = _form_upload(request, pk, upload_id)
    lang = _lang()
    if job.accepted and job.result is not None and not job.problems:
        messages.success(request, _("Formulir diterima."))
        return redirect("collection:instrument", pk, job.result.form_id)
    records = [p for p in job.problems if isinstance(p, dict)]
    return render(
        request,
        "collection/form_upload.html",
        {
            "evaluation": job.evaluation,
            "job": job,
            "errors": [p.get(lang) or p.get("id") for p in records if p.get("severity") == "error"],
            "notes": [p.get(lang) or p.get("id") for p in records if p.get("severity") != "error"],
            "can_edit": job.evaluation.can_edit(request.user),
        },
    )


@login_required
@never_cache
def form_upload_status(request, pk: int, upload_id: int):
    job = _form_upload(request, pk, upload_id)
    return JsonResponse({"status": job.status})


@login_required
@require_POST
def form_upload_cancel(request, pk: int, upload_id: int):
    job = _form_upload(request, pk, upload_id, edit=True)
    if job.request_cancel() and not job.active:
        messages.info(request, _("Pemeriksaan formulir dibatalkan."))
    return redirect("collection:form_upload", pk, upload_id)


@login_required
def xlsform_download(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk)
    instrument = _instrument(evaluation, form_id)
    if instrument.current is None:
        raise Http404
    data = bytes(instrument.current.xlsform) or write_xlsform(instrument.form())
    record(request, Action.XLSFORM_DOWNLOADED, evaluation=evaluation, target=instrument.form_id)
    return _attachment(
        data,
        f"{instrument.form_id}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def xlsform_upload(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk, edit=True)
    instrument = _instrument(evaluation, form_id)
    form = XLSFormUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("collection:instrument", pk, form_id)
    upload = form.cleaned_data["file"]
    job = services.start_form_upload(
        evaluation,
        upload.read(),
        Path(upload.name).name,
        instrument=instrument,
        user=request.user,
    )
    return redirect("collection:form_upload", pk, job.pk)


@login_required
@require_POST
def instrument_settings(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk, edit=True)
    instrument = _instrument(evaluation, form_id)
    form = SettingsForm(request.POST)
    if form.is_valid():
        if instrument.anonymous != form.cleaned_data["anonymous"]:
            record(
                request,
                Action.ANONYMITY_CHANGED,
                evaluation=evaluation,
                target=instrument.form_id,
                anonymous=form.cleaned_data["anonymous"],
            )
        instrument.anonymous = form.cleaned_data["anonymous"]
        instrument.save(update_fields=["anonymous"])
        messages.success(request, _("Pengaturan disimpan."))
    return redirect("collection:instrument", pk, form_id)


# Imports and quarantine -----------------------------------------------------------------


@login_required
def import_upload(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk, edit=True)
    instrument = _instrument(evaluation, form_id)
    if instrument.current is None:
        raise Http404
    form = DataUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.start_import(
            instrument, upload.read(), Path(upload.name).name, request.user
        )
        record(
            request,
            Action.IMPORT,
            evaluation=evaluation,
            target=f"import:{batch.pk}",
            form=instrument.form_id,
            file=batch.file_name,
        )
        return redirect("collection:batch", pk, batch.pk)
    return render(
        request,
        "collection/import.html",
        {"evaluation": evaluation, "instrument": instrument, "form": form},
    )


def _checked(batches) -> list[ImportBatch]:
    """Import batches, those whose worker died marked as interrupted."""
    listed = list(batches)
    for batch in listed:
        batch.check_interrupted()
    return listed


@login_required
def batch_detail(request, pk: int, batch_id: int):
    evaluation = evaluation_for(request, pk)
    batch = get_object_or_404(
        ImportBatch.objects.select_related("instrument"),
        pk=batch_id,
        instrument__evaluation=evaluation,
    )
    batch.check_interrupted()
    lang = _lang()
    rows = list(batch.quarantined_rows.filter(status="open").order_by("row")[:500])
    view = Shown(evaluation, request.user)
    for row in rows:
        row.messages = view.texts(p.get(lang) or p.get("id") for p in row.problems)
    return render(
        request,
        "collection/batch.html",
        {
            "evaluation": evaluation,
            "batch": batch,
            "rows": rows,
            "file_problems": view.texts(p.get(lang) or p.get("id") for p in batch.problems),
            "running": batch.running,
            "can_edit": evaluation.can_edit(request.user),
        },
    )


@login_required
@never_cache
def batch_progress(request, pk: int, batch_id: int):
    evaluation = evaluation_for(request, pk)
    batch = get_object_or_404(ImportBatch, pk=batch_id, instrument__evaluation=evaluation)
    batch.check_interrupted()
    return JsonResponse(
        {
            "status": batch.status,
            "progress": batch.progress,
            "total": batch.total,
            "stored": batch.stored,
            "already_stored": batch.already_stored,
            "quarantined": batch.quarantined,
        }
    )


@login_required
@require_POST
def batch_cancel(request, pk: int, batch_id: int):
    evaluation = evaluation_for(request, pk, edit=True)
    batch = get_object_or_404(ImportBatch, pk=batch_id, instrument__evaluation=evaluation)
    if batch.request_cancel():
        if batch.active:
            messages.info(request, _("Pembatalan diminta; impor berhenti dalam beberapa detik."))
        else:
            messages.info(request, _("Impor dibatalkan; baris yang sudah tersimpan tetap ada."))
    return redirect("collection:batch", pk, batch_id)


@login_required
def quarantine_edit(request, pk: int, row_id: int):
    evaluation = evaluation_for(request, pk, edit=request.method == "POST")
    row = get_object_or_404(
        QuarantinedRow.objects.select_related("instrument__current"),
        pk=row_id,
        instrument__evaluation=evaluation,
    )
    lang = _lang()
    status = 200
    if request.method == "POST" and row.status == QuarantinedRow.Status.OPEN:
        if "discard" in request.POST:
            row.status = QuarantinedRow.Status.DISCARDED
            row.save(update_fields=["status"])
            record(
                request, Action.QUARANTINE_DISCARDED, evaluation=evaluation, target=f"row:{row.pk}"
            )
            messages.info(request, _("Baris dibuang."))
            return redirect("collection:instrument", pk, row.instrument.form_id)
        row_before = dict(row.raw)
        raw = fixing.corrected(row.raw, request.POST)
        stored, _problems = services.recheck(row, raw)
        changed = sorted(c for c in raw if raw[c] != row_before.get(c))
        record(
            request,
            Action.QUARANTINE_FIXED,
            evaluation=evaluation,
            target=f"row:{row.pk}",
            stored=stored,
            columns=changed,
        )
        if stored:
            messages.success(request, _("Baris sudah benar dan kini tersimpan."))
            return redirect("collection:instrument", pk, row.instrument.form_id)
        messages.error(request, _("Baris masih bermasalah."))
        status = 400
    view = Shown(evaluation, request.user)
    shown = fixing.cells(row.raw, row.problems, row.instrument.form(), lang)
    for cell in shown:  # personal data masked for those who may not see it
        cell.value = view.field(cell.column, cell.value)
        cell.unknown_value = view.field(cell.column, cell.unknown_value)
        cell.rules = view.texts(cell.rules)
    return render(
        request,
        "collection/quarantine_edit.html",
        {
            "evaluation": evaluation,
            "row": row,
            "bad_cells": [c for c in shown if c.bad],
            "other_cells": [c for c in shown if not c.bad],
            "messages_list": view.texts(p.get(lang) or p.get("id") for p in row.problems),
            "can_edit": evaluation.can_edit(request.user) and row.status == "open",
        },
        status=status,
    )


# Links ----------------------------------------------------------------------------------


@login_required
def links(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk, edit=request.method == "POST")
    instrument = _instrument(evaluation, form_id)
    form = LinkForm(request.POST or None)
    created: list[dict] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        single = data["kind"] == RespondentLink.Kind.SINGLE
        codes = data["codes"] if single else []
        labels = codes or [data["label"]] * (data["count"] if single else 1)
        with transaction.atomic():
            for label in labels:
                link, token = RespondentLink.make(
                    instrument,
                    data["kind"],
                    label=label,
                    expires_at=data["expires_at"],
                    created_by=request.user,
                )
                created.append(
                    {
                        "link": link,
                        "url": request.build_absolute_uri(reverse("respond:form", args=[token])),
                        "token": token,
                    }
                )
        record(
            request,
            Action.LINKS_CREATED,
            evaluation=evaluation,
            target=instrument.form_id,
            kind=data["kind"],
            count=len(created),
            csv=data.get("deliver") == "csv",
        )
        if data.get("deliver") == "csv":
            return _links_csv(instrument, created)
        form = LinkForm()
    all_links = instrument.links.all()
    for link in all_links:
        if link.public_token:
            link.url = request.build_absolute_uri(reverse("respond:form", args=[link.public_token]))
    return render(
        request,
        "collection/links.html",
        {
            "evaluation": evaluation,
            "instrument": instrument,
            "form": form,
            "created": created,
            "links": all_links,
            "can_edit": evaluation.can_edit(request.user),
        },
    )


def _links_csv(instrument: Instrument, created: list[dict]) -> HttpResponse:
    """The links just made, as a CSV to merge into letters or messages: the only copy of a
    one-time link's token (the server keeps only its hash)."""
    header = [_("no"), _("keterangan"), _("tautan"), _("berlaku sampai")]
    rows = [
        [
            number,
            c["link"].label,
            c["url"],
            timezone.localtime(c["link"].expires_at).strftime("%Y-%m-%d %H:%M")
            if c["link"].expires_at
            else "",
        ]
        for number, c in enumerate(created, start=1)
    ]
    response = HttpResponse(table_csv(header, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="tautan-{instrument.form_id}-{stamp}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def link_revoke(request, pk: int, link_id: int):
    evaluation = evaluation_for(request, pk, edit=True)
    link = get_object_or_404(
        RespondentLink.objects.select_related("instrument"),
        pk=link_id,
        instrument__evaluation=evaluation,
    )
    if link.revoked_at is None:
        record(request, Action.LINK_REVOKED, evaluation=evaluation, target=f"link:{link.pk}")
    link.revoked_at = link.revoked_at or timezone.now()
    link.save(update_fields=["revoked_at"])
    messages.success(request, _("Tautan dicabut."))
    return redirect("collection:links", pk, link.instrument.form_id)


@login_required
def privacy_edit(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=request.method == "POST")
    notice = PrivacyNotice.objects.filter(
        evaluation=evaluation
    ).first() or PrivacyNotice.default_for(evaluation)
    form = PrivacyNoticeForm(request.POST or None, instance=notice)
    retention = RetentionForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid() and retention.is_valid():
        if form.has_changed() or notice.pk is None:
            form.save()
            record(request, Action.PRIVACY_CHANGED, evaluation=evaluation)
        if retention.has_changed():
            retention.save()
            record(
                request,
                Action.RETENTION_CHANGED,
                evaluation=evaluation,
                months=evaluation.retention_months,
            )
        messages.success(request, _("Pemberitahuan privasi disimpan."))
        return redirect("evaluations:detail", pk)
    return render(
        request,
        "collection/privacy.html",
        {"evaluation": evaluation, "form": form, "retention": retention},
    )


# Exports --------------------------------------------------------------------------------


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_responses(request, pk: int, form_id: str, fmt: str):
    evaluation = evaluation_for(request, pk)
    instrument = _instrument(evaluation, form_id)
    if instrument.current is None or fmt not in ("csv", "xlsx"):
        raise Http404
    personal = evaluation.can_edit(request.user)
    data = services.export_bytes(instrument, fmt, personal=personal)
    suffix = "" if personal else "-pseudonim"
    record(
        request,
        Action.EXPORT,
        evaluation=evaluation,
        target=instrument.form_id,
        format=fmt,
        pseudonymised=not personal,
    )
    types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    return _attachment(data, f"{instrument.form_id}{suffix}.{fmt}", types[fmt])


@login_required
def export_bundle_zip(request, pk: int):
    # The bundle holds the participant roster (names and NIPs): evaluators only.
    evaluation = evaluation_for(request, pk, edit=True)
    from tilik.web.evaluations.bundles import export_bundle

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="tilik-bundle-") as folder:
        root = export_bundle(evaluation, Path(folder) / "bundle")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())
    name = slugify(f"{evaluation.title}-{evaluation.period}") or f"evaluasi-{evaluation.pk}"
    record(request, Action.BUNDLE_DOWNLOADED, evaluation=evaluation)
    return _attachment(buffer.getvalue(), f"{name}.zip", "application/zip")


# Interviews and observations ------------------------------------------------------------


def _transcript_text(data: bytes, name: str) -> str:
    if name.lower().endswith(".docx"):
        import docx

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > 100 * 1024 * 1024:
                raise ValueError("docx too large")
        document = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    return decode_text(data)[0].replace("\r\n", "\n")


@login_required
def interview_list(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=request.method == "POST")
    form = InterviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        try:
            text = _transcript_text(upload.read(), name)
        except Exception:  # a broken DOCX: tell the user, not the log
            form.add_error("file", _("Berkas tidak dapat dibaca sebagai transkrip."))
        else:
            if not text.strip():
                form.add_error("file", _("Transkrip kosong."))
            else:
                data = form.cleaned_data
                Interview.objects.update_or_create(
                    evaluation=evaluation,
                    file_name=name,
                    defaults={
                        "role": data["role"],
                        "instansi": data["instansi"],
                        "sector": data["sector"],
                        "date": data["date"],
                        "transcript": text,
                    },
                )
                messages.success(request, _("Transkrip disimpan."))
                return redirect("collection:interviews", pk)
    interviews = evaluation.interviews.all()
    return render(
        request,
        "collection/interviews.html",
        {
            "evaluation": evaluation,
            "form": form,
            "interviews": interviews,
            "can_edit": evaluation.can_edit(request.user),
        },
    )


@login_required
def interview_detail(request, pk: int, interview_id: int):
    evaluation = evaluation_for(request, pk)
    interview = get_object_or_404(evaluation.interviews, pk=interview_id)
    transcript = Shown(evaluation, request.user).text(interview.transcript)
    return render(
        request,
        "collection/interview.html",
        {"evaluation": evaluation, "interview": interview, "transcript": transcript},
    )


@login_required
def observation_list(request, pk: int):
    evaluation = evaluation_for(request, pk)
    observations = (
        Submission.objects.filter(instrument__evaluation=evaluation, instrument__kind="observasi")
        .select_related("instrument")
        .order_by("submitted_at", "id")
    )
    page = Paginator(observations, 25).get_page(request.GET.get("halaman"))
    rows, forms = [], {}
    view = Shown(evaluation, request.user)
    for obs in page:
        form = forms.get(obs.instrument_id) or forms.setdefault(
            obs.instrument_id, obs.instrument.form()
        )
        shown = []
        for q in form.data_questions():
            if is_personal_field(q.name) or q.name not in obs.answers:
                continue
            value = obs.answers[q.name]
            if isinstance(value, list):
                value = ", ".join(value)
            shown.append((q.label, view.text(value)))
        if form.repeats:  # answers inside repeats: "Layanan 2 › Waktu tunggu"
            questions = {q.name: q for q in form.all_data_questions() if q.repeat}
            for key, value in flatten(form, obs.answers).items():
                parsed = parse_key(key)
                if parsed is None or parsed[1] not in questions or value in (None, "", []):
                    continue
                steps, name = parsed
                if is_personal_field(name):
                    continue
                where = [f"{form.repeat(step).label} {position}" for step, position in steps]  # type: ignore[union-attr]
                text = ", ".join(value) if isinstance(value, list) else value
                shown.append((" › ".join([*where, questions[name].label]), view.text(text)))
        rows.append({"obs": obs, "answers": shown})
    instruments = evaluation.instruments.filter(kind="observasi", current__isnull=False)
    return render(
        request,
        "collection/observations.html",
        {
            "evaluation": evaluation,
            "page": page,
            "rows": rows,
            "instruments": instruments,
            "can_edit": evaluation.can_edit(request.user),
        },
    )


@login_required
def observation_new(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk, edit=True)
    instrument = _instrument(evaluation, form_id)
    if instrument.current is None:
        raise Http404
    return _respond(request, instrument, None, evaluator=True)


# Respondents (no account; the token is the only key) ------------------------------------


def _respond_lang(request, languages: list[str]) -> str:
    """The respondent's language: asked for in the address, else the browser's, else id."""
    wanted = (request.GET.get("lang") or request.POST.get("_lang") or "")[:5]
    if wanted in ("id", "en"):
        return wanted
    return _lang() if _lang() in ("id", "en") else "id"


def _link_or_404(token: str) -> RespondentLink:
    link = RespondentLink.by_token(token)
    if link is None or link.instrument.current is None:
        raise Http404
    return link


def _closed(request, link: RespondentLink, status: int = 410):
    return render(
        request, "respond/closed.html", {"link": link, "instrument": link.instrument}, status=status
    )


@never_cache
def respond_form(request, token: str):
    link = _link_or_404(token)
    return _respond(request, link.instrument, link, token=token)


def _respond(request, instrument, link, *, token: str = "", evaluator: bool = False):
    form = instrument.form()
    lang = _respond_lang(request, form.languages)
    with translation.override(lang):
        if link is not None and not link.active:
            return _closed(request, link)
        if (
            request.method == "GET"
            and link is not None
            and link.kind == RespondentLink.Kind.SINGLE
            and link.used
        ):
            # A phone whose answer was stored but never acknowledged still gets it confirmed:
            # the page resends what the phone kept, and the server answers "already received".
            return render(
                request,
                "respond/closed.html",
                {
                    "link": link,
                    "instrument": instrument,
                    "lang": lang,
                    "storage_key": f"tilik:{token[:12]}",
                    "submit_url": reverse("respond:submit", args=[token]),
                },
                status=410,
            )
        errors: dict[str, str] = {}
        shown: dict = {}  # the nested answers the page shows again
        focus = ""
        typed: dict | None = None  # the answers as checked, once something was sent
        current = _page_number(request.POST.get("_page"))
        instance_id = services.clean_instance_id(request.POST.get("_instance_id"))
        if request.method == "POST":
            data = _posted_answers(request.POST)
            add, remove = request.POST.get("_add", ""), request.POST.get("_remove", "")
            shown, focus = webform.page_answers(form, data, add=add, remove=remove)
            if not (add or remove):  # adding or removing an instance stores nothing
                started = _started(request.POST.get("_started"))
                typed, errors = webform.validate_answers(form, data, lang, started=started)
                moved = _move(form, request.POST, current, typed, errors, lang)
                if moved is not None:  # a page of a long form: nothing stored yet
                    current, errors, focus = moved
                elif not errors and instance_id:
                    result = _store(request, instrument, link, instance_id, typed, evaluator)
                    if result is not None:
                        return result
                elif errors:  # show the first page with an error
                    pages = webform.key_pages(form)
                    current = min(webform.page_of_key(pages, key) for key in errors)
        notice = PrivacyNotice.objects.filter(
            evaluation=instrument.evaluation
        ).first() or PrivacyNotice.default_for(instrument.evaluation)
        items = webform.form_items(form, lang, shown, focus=focus)
        _give_values(items, repeats.flatten(form, shown), errors)
        submit_url = (
            reverse("respond:submit", args=[token])
            if link is not None
            else reverse(
                "collection:observation_submit", args=[instrument.evaluation_id, instrument.form_id]
            )
        )
        context = {
            "instrument": instrument,
            "form": form,
            "items": items,
            "scope_json": webform.scope_json(form),
            "errors": errors,
            "lang": lang,
            "languages": [code for code in ("id", "en") if code in form.languages],
            "notice": notice,
            "instance_id": instance_id or str(uuid.uuid4()),
            "submit_url": submit_url,
            "evaluator": evaluator,
            "storage_key": f"tilik:{token[:12] if token else 'obs-' + instrument.form_id}",
            "title": form.title or instrument.title,
            "paging": (paged := webform.paging(form, current, typed, lang)),
            "page_title": next(
                (i.label for i in items if i.kind == "page" and i.position == paged.current), ""
            ),
        }
        return render(request, "respond/form.html", context, status=400 if errors else 200)


def _page_number(value) -> int:
    try:
        return max(0, int(str(value or "0")))
    except ValueError:
        return 0


def _move(form, post, current: int, typed: dict, errors: dict[str, str], lang: str):
    """A move between the pages of a long form without JavaScript: (page, errors, focus), or
    None when the page was sent to be stored.

    "Berikutnya" checks the page one leaves (its errors keep one there); "Sebelumnya" checks
    nothing; a link of the error summary goes to the page of the question it names, errors
    still shown. Answers of every page travel with each request (the other pages are in the
    page, hidden), so nothing is lost between pages.
    """
    nav, goto = post.get("_nav", ""), post.get("_goto", "")
    if not (nav or goto):
        return None
    paged = webform.paging(form, current, typed, lang)
    if goto:
        page, _, key = goto.partition(":")
        return min(_page_number(page), paged.count - 1), errors, key[:300]
    if nav == "prev":
        preceding = paged.preceding()
        return (current if preceding is None else preceding), {}, ""
    pages = webform.key_pages(form)
    here = {key: text for key, text in errors.items() if webform.page_of_key(pages, key) == current}
    if here:
        return current, here, ""
    following = paged.following()
    return (current if following is None else following), {}, ""


def _posted_answers(post) -> dict[str, list[str]]:
    """The answers of a posted page: every field but the page's own (``_…``), plus the
    ``_count:`` fields that say how many instances each repeat showed."""
    return {k: post.getlist(k) for k in post if not k.startswith("_") or k.startswith("_count:")}


def _give_values(items, values: dict, errors: dict[str, str]) -> None:
    """Each question on the page gets what was sent for it and its error, by flat key."""
    for item in items:
        if item.kind != "question" or item.pristine:
            continue
        item.values = _as_list(values.get(item.key))
        item.error = errors.get(item.key, "")
        item.other_value = (_as_list(values.get(f"{item.key}_other")) or [""])[0]


def _as_list(raw) -> list[str]:
    if raw is None or raw == "":
        return []
    return [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]


def _rate_limited(request, link, instrument, instance_id: str) -> bool:
    """An open link takes a limited number of new submissions per client address and hour,
    on the JSON path and the plain form alike. A resend of an instance already stored is
    not a new submission: it is always answered "already received"."""
    if link is None or link.kind != RespondentLink.Kind.OPEN:
        return False
    if instrument.submissions.filter(instance_id=instance_id).exists():
        return False
    return services.rate_limited(link, client_ip(request))


def _store(request, instrument, link, instance_id, answers, evaluator):
    if _rate_limited(request, link, instrument, instance_id):
        return render(
            request,
            "respond/closed.html",
            {"link": link, "instrument": instrument, "rate_limited": True},
            status=429,
        )
    outcome = services.submit(instrument, instance_id, answers, link=link)
    if outcome.status in ("stored", "already"):
        return render(
            request,
            "respond/done.html",
            {
                "instrument": instrument,
                "already": outcome.status == "already",
                "evaluator": evaluator,
            },
        )
    if outcome.status == "used":
        return _closed(request, link)
    if outcome.status == "failed":
        return None  # the page comes back with the answers; sending again stores them
    return render(request, "respond/conflict.html", {"instrument": instrument}, status=409)


def _started(value) -> datetime | None:
    """When the page was opened, as the phone says (``start`` metadata); None if unreadable."""
    try:
        moment = datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _json(status: str, message: str, code: int, **extra) -> JsonResponse:
    return JsonResponse({"status": status, "message": message, **extra}, status=code)


def _submit_json(request, instrument, link):
    try:
        payload = json.loads(request.body.decode("utf-8"))
        answers_in = payload["answers"]
        if not isinstance(answers_in, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _json("invalid", _("Kiriman tidak dapat dibaca."), 400)
    form = instrument.form()
    lang = payload.get("lang") if payload.get("lang") in ("id", "en") else "id"
    with translation.override(lang):
        instance_id = services.clean_instance_id(payload.get("instance_id"))
        if not instance_id:
            return _json("invalid", _("ID kiriman tidak sah."), 400)
        if link is not None and not link.active:
            return _json("closed", _("Tautan ini sudah tidak berlaku."), 410)
        started = _started(payload.get("started"))
        answers, errors = webform.validate_answers(form, answers_in, lang, started=started)
        if errors:
            return _json("invalid", _("Periksa kembali jawaban yang ditandai."), 400, errors=errors)
        if _rate_limited(request, link, instrument, instance_id):
            return _json(
                "rate_limited", _("Terlalu banyak kiriman dari jaringan ini. Coba lagi nanti."), 429
            )
        outcome = services.submit(instrument, instance_id, answers, link=link)
        if outcome.status == "failed":
            return _json(
                "failed",
                _(
                    "Server sedang bermasalah. Jawaban Anda tetap tersimpan di perangkat ini; "
                    "coba kirim lagi sebentar lagi."
                ),
                503,
            )
        if outcome.status == "stored":
            return _json("stored", _("Terima kasih, jawaban Anda sudah kami terima."), 201)
        if outcome.status == "already":
            return _json(
                "already", _("Jawaban ini sudah kami terima sebelumnya. Terima kasih."), 200
            )
        if outcome.status == "used":
            return _json("used", _("Tautan sekali pakai ini sudah digunakan."), 410)
        return _json(
            "conflict",
            _(
                "Jawaban dengan ID ini sudah diterima dengan isi yang "
                "berbeda. Muat ulang halaman untuk mengisi lagi."
            ),
            409,
        )


@csrf_exempt  # the token in the URL is the credential; no cookie is involved
@require_POST
def respond_submit(request, token: str):
    link = RespondentLink.by_token(token)
    if link is None or link.instrument.current is None:
        return _json("not_found", _("Tautan tidak ditemukan."), 404)
    return _submit_json(request, link.instrument, link)


@login_required
@require_POST
def observation_submit(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk, edit=True)
    instrument = _instrument(evaluation, form_id)
    if instrument.current is None:
        raise Http404
    return _submit_json(request, instrument, None)


@never_cache
def respond_service_worker(request):
    """The service worker that keeps opened forms usable offline (scope ``/f/``)."""
    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "static" / "tilik" / "sw.js").read_bytes()
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


def respond_qr(request, token: str):
    link = _link_or_404(token)
    url = request.build_absolute_uri(reverse("respond:form", args=[token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=6, border=2, title=str(link.instrument)
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response
