from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tilik.core import labels
from tilik.core.cycles import headline_figures
from tilik.core.findings import format_value
from tilik.core.ingest import is_personal_field
from tilik.web.audit.models import Action
from tilik.web.audit.services import record
from tilik.web.collection.models import Submission
from tilik.web.collection.services import refresh_choice_lists
from tilik.web.collection.standard import sector_label
from tilik.web.evaluations import participants, personal
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.forms import (
    CohortFormSet,
    ParticipantUploadForm,
    PreviousCycleForm,
    ProgramForm,
    TeamMemberForm,
)
from tilik.web.evaluations.models import (
    Enrolment,
    Evaluation,
    HeldParticipant,
    Member,
    ParticipantImport,
    Program,
)
from tilik.web.evaluations.privacy import sees_personal


@login_required
def evaluation_list(request):
    evaluations = (
        Evaluation.objects.for_user(request.user)
        .select_related("organisation")
        .annotate(n_programs=Count("programs", distinct=True))
    )
    return render(request, "evaluations/list.html", {"evaluations": evaluations})


@login_required
def evaluation_detail(request, pk: int):
    evaluation = evaluation_for(request, pk)
    programs = evaluation.programs.annotate(
        n_enrolled=Count("cohorts__enrolments", distinct=True),
        n_cohorts=Count("cohorts", distinct=True),
    )
    instruments = evaluation.instruments.annotate(
        n_submissions=Count("submissions", distinct=True),
    ).order_by("form_id")
    open_quarantine = dict(
        evaluation.instruments.filter(quarantine__status="open")
        .annotate(n=Count("quarantine"))
        .values_list("id", "n")
    )
    for instrument in instruments:
        instrument.n_quarantined = open_quarantine.get(instrument.id, 0)
    context = {
        "evaluation": evaluation,
        "role": evaluation.role_of(request.user),
        "can_edit": evaluation.can_edit(request.user),
        "role_label": dict(Member.Role.choices).get(evaluation.role_of(request.user), ""),
        "programs": programs,
        "instruments": instruments,
        "n_participants": Enrolment.objects.filter(cohort__program__evaluation=evaluation)
        .values("employee")
        .distinct()
        .count(),
        "n_interviews": evaluation.interviews.count(),
        "n_observations": Submission.objects.filter(
            instrument__evaluation=evaluation, instrument__kind="observasi"
        ).count(),
        "interviews": evaluation.interviews.all()[:50],
    }
    return render(request, "evaluations/detail.html", context)


@login_required
def participant_list(request, pk: int):
    evaluation = evaluation_for(request, pk)
    enrolments = (
        Enrolment.objects.filter(cohort__program__evaluation=evaluation)
        .select_related("employee__organisation", "cohort__program")
        .order_by("cohort__program__name", "cohort__name", "employee__name")
    )
    page = Paginator(enrolments, 50).get_page(request.GET.get("halaman"))
    lang = get_language() or "id"
    for enrolment in page:
        enrolment.sector_name = sector_label(enrolment.employee.sector, lang[:2])
    return render(
        request,
        "evaluations/participants.html",
        {
            "evaluation": evaluation,
            "page": page,
            "personal": sees_personal(evaluation, request.user),
        },
    )


def _candidates(evaluation):
    """Active users of the evaluation's agency (any of its units) who are not members yet."""
    from django.contrib.auth import get_user_model

    from tilik.web.accounts.models import OrganisationMember

    root = evaluation.organisation
    chain = root.ancestors()
    if chain:
        root = chain[-1]
    users = OrganisationMember.objects.filter(organisation__in=root.tree()).values("user")
    return (
        get_user_model()
        .objects.filter(pk__in=users, is_active=True)
        .exclude(evaluation_memberships__evaluation=evaluation)
        .order_by("username")
    )


@login_required
def team(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=request.method == "POST")
    members = evaluation.members.select_related("user").order_by("role", "user__username")
    form = TeamMemberForm(request.POST or None, candidates=_candidates(evaluation))
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add" and form.is_valid():
            user, role = form.cleaned_data["user"], form.cleaned_data["role"]
            Member.objects.get_or_create(evaluation=evaluation, user=user, defaults={"role": role})
            record(
                request,
                Action.MEMBER_ADDED,
                evaluation=evaluation,
                target=f"user:{user.pk}",
                role=role,
            )
            messages.success(request, _("Anggota tim ditambahkan."))
            return redirect("evaluations:team", pk)
        if action in ("role", "remove"):
            member = get_object_or_404(Member, evaluation=evaluation, pk=request.POST.get("member"))
            evaluators = evaluation.members.filter(role=Member.Role.EVALUATOR)
            last = member.role == Member.Role.EVALUATOR and evaluators.count() == 1
            role = request.POST.get("role", "")
            if last and (action == "remove" or role != Member.Role.EVALUATOR):
                messages.error(request, _("Evaluasi harus punya setidaknya satu evaluator."))
            elif action == "remove":
                member.delete()
                record(
                    request,
                    Action.MEMBER_REMOVED,
                    evaluation=evaluation,
                    target=f"user:{member.user_id}",
                )
                messages.success(request, _("Anggota dikeluarkan dari tim."))
            elif role in Member.Role.values and role != member.role:
                member.role = role
                member.save(update_fields=["role"])
                record(
                    request,
                    Action.MEMBER_ROLE_CHANGED,
                    evaluation=evaluation,
                    target=f"user:{member.user_id}",
                    role=role,
                )
                messages.success(request, _("Peran anggota diubah."))
            return redirect("evaluations:team", pk)
    return render(
        request,
        "evaluations/team.html",
        {
            "evaluation": evaluation,
            "members": members,
            "form": form,
            "roles": Member.Role.choices,
            "can_edit": evaluation.can_edit(request.user),
        },
    )


@login_required
def person_data(request, pk: int):
    """Find, export, correct or delete one person's data (a request under UU 27/2022)."""
    evaluation = evaluation_for(request, pk, edit=True)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    found = personal.find_person(evaluation, query) if query else None
    if found is not None and request.method == "GET":
        record(request, Action.PERSON_SEARCHED, evaluation=evaluation, found=not found.empty)
    if request.method == "POST" and found is not None and not found.empty:
        action = request.POST.get("action")
        if action == "export":
            record(
                request,
                Action.PERSON_EXPORTED,
                evaluation=evaluation,
                responses=len(found.submissions),
            )
            response = HttpResponse(
                personal.person_json(evaluation, found), content_type="application/json"
            )
            response["Content-Disposition"] = 'attachment; filename="data-pribadi.json"'
            response["Cache-Control"] = "private, no-store"
            return response
        if action == "correct":
            values = {
                k: v for k, v in request.POST.items() if k.startswith(("employee:", "answer:"))
            }
            changed = personal.correct_person(found, values)
            record(request, Action.PERSON_CORRECTED, evaluation=evaluation, values=changed)
            messages.success(request, _("Koreksi disimpan (%(n)s nilai).") % {"n": changed})
            return redirect(f"{request.path}?{urlencode({'q': query})}")
        if action == "delete" and request.POST.get("confirm") == "1":
            counts = personal.delete_person(found)
            record(request, Action.PERSON_DELETED, evaluation=evaluation, **counts)
            messages.success(request, _("Data orang ini dihapus dari evaluasi."))
            return redirect("evaluations:person_data", pk)
        messages.error(request, _("Centang konfirmasi untuk menghapus."))
    for submission in found.submissions if found else []:
        submission.rows = [
            (name, value, is_personal_field(name) and not isinstance(value, list | dict))
            for name, value in submission.answers.items()
        ]
    return render(
        request,
        "evaluations/person_data.html",
        {"evaluation": evaluation, "query": query, "found": found},
    )


@login_required
def cycles(request, pk: int):
    """The evaluation's cycles: which evaluation came before it, and the headline figures of
    each cycle's latest analysis."""
    from tilik.web.reports.services import latest_run

    evaluation = evaluation_for(request, pk)
    can_edit = evaluation.can_edit(request.user)
    form = PreviousCycleForm(
        request.POST if request.method == "POST" else None,
        evaluation=evaluation,
        user=request.user,
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(
                request,
                _("Siklus sebelumnya disimpan. Jalankan analisis lagi untuk perbandingannya."),
            )
            return redirect("evaluations:cycles", pk=evaluation.pk)
    lang = (get_language() or "id")[:2]
    chain = [evaluation, *evaluation.earlier_cycles()]
    reachable = set(Evaluation.objects.for_user(request.user).values_list("pk", flat=True))
    runs = {e.pk: latest_run(e) for e in chain}
    current = runs[evaluation.pk].hasil if runs[evaluation.pk] else {}
    headlines = _headlines(current) if current else []
    rows = []
    for cycle in reversed(chain):
        run = runs[cycle.pk]
        figures = headline_figures(run.hasil, headlines) if run else {}
        rows.append(
            {
                "evaluation": cycle,
                "reachable": cycle.pk in reachable,
                "analysed": run is not None,
                "figures": [format_value(figures.get(h[0]), h[3], lang) for h in headlines],
            }
        )
    context = {
        "evaluation": evaluation,
        "form": form,
        "can_edit": can_edit,
        "rows": rows,
        "headline_names": [labels.headline_name(h[0], lang) for h in headlines],
        "waiting": [e for e in chain[1:] if runs[e.pk] is None],
    }
    return render(request, "evaluations/cycles.html", context)


def _headlines(hasil):
    from tilik.core.cycles import HEADLINES

    wanted = {hid for hid, value in headline_figures(hasil, HEADLINES).items() if value is not None}
    return [h for h in HEADLINES if h[0] in wanted]


# Programs -------------------------------------------------------------------------------


def _lists_refreshed(request, evaluation: Evaluation) -> None:
    """Bring the standard instruments' program and organisation lists up to date, and say so."""
    changed = refresh_choice_lists(evaluation)
    if changed:
        messages.info(
            request,
            ngettext(
                "%(n)d instrumen standar mendapat versi formulir baru dengan daftar program "
                "dan instansi terbaru.",
                "%(n)d instrumen standar mendapat versi formulir baru dengan daftar program "
                "dan instansi terbaru.",
                len(changed),
            )
            % {"n": len(changed)},
        )


def _program_page(request, evaluation: Evaluation, program: Program | None):
    form = ProgramForm(request.POST or None, instance=program, evaluation=evaluation)
    cohorts = CohortFormSet(request.POST or None, instance=program or Program(), prefix="angkatan")
    if request.method == "POST" and form.is_valid() and cohorts.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.evaluation = evaluation
            saved.save()
            cohorts.instance = saved
            cohorts.save()
        record(
            request,
            Action.PROGRAM_CHANGED if program is not None else Action.PROGRAM_ADDED,
            evaluation=evaluation,
            target=f"program:{saved.pk}",
            program=saved.name,
            fields=sorted(form.changed_data),
            angkatan=saved.cohorts.count(),
        )
        messages.success(request, _("Program disimpan."))
        _lists_refreshed(request, evaluation)
        return redirect("evaluations:detail", evaluation.pk)
    status = 400 if request.method == "POST" else 200
    context = {"evaluation": evaluation, "program": program, "form": form, "cohorts": cohorts}
    return render(request, "evaluations/program.html", context, status=status)


@login_required
def program_add(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    return _program_page(request, evaluation, None)


@login_required
def program_edit(request, pk: int, program_id: int):
    evaluation = evaluation_for(request, pk, edit=True)
    program = get_object_or_404(evaluation.programs, pk=program_id)
    return _program_page(request, evaluation, program)


@login_required
def program_delete(request, pk: int, program_id: int):
    """Remove a program after saying what goes with it; refused while responses name it."""
    evaluation = evaluation_for(request, pk, edit=True)
    program = get_object_or_404(evaluation.programs, pk=program_id)
    answers = program.answers_naming()
    n_enrolled = Enrolment.objects.filter(cohort__program=program).count()
    if request.method == "POST" and not answers:
        n_cohorts = program.cohorts.count()
        program.delete()
        record(
            request,
            Action.PROGRAM_REMOVED,
            evaluation=evaluation,
            target=f"program:{program_id}",
            program=program.name,
            angkatan=n_cohorts,
            enrolments=n_enrolled,
        )
        messages.success(request, _("Program «%(name)s» dihapus.") % {"name": program.name})
        _lists_refreshed(request, evaluation)
        return redirect("evaluations:detail", evaluation.pk)
    context = {
        "evaluation": evaluation,
        "program": program,
        "answers": sorted(answers.items()),
        "n_answers": sum(answers.values()),
        "n_cohorts": program.cohorts.count(),
        "n_enrolled": n_enrolled,
    }
    return render(
        request,
        "evaluations/program_delete.html",
        context,
        # the page explains the refusal; only an attempt to remove is a conflict
        status=409 if answers and request.method == "POST" else 200,
    )


# Participant lists ------------------------------------------------------------------------


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _texts(records: list[dict], lang: str) -> list[str]:
    return [r.get(lang) or r.get("id", "") for r in records]


@login_required
def participant_import(request, pk: int):
    """Upload a participant list; a worker reads it (the evaluators' page, NIPs in full)."""
    evaluation = evaluation_for(request, pk, edit=True)
    form = ParticipantUploadForm(request.POST or None, request.FILES or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = participants.start_import(
            evaluation,
            upload.read(),
            upload.name.rsplit("/", 1)[-1],
            program=form.cleaned_data["program"],
            angkatan=form.cleaned_data["angkatan"].strip(),
            user=request.user,
        )
        record(
            request,
            Action.IMPORT,
            evaluation=evaluation,
            target=f"participants:{batch.pk}",
            form="peserta",
            file=batch.file_name,
        )
        return redirect("evaluations:participant_batch", evaluation.pk, batch.pk)
    imports = list(evaluation.participant_imports.all()[:20])
    for batch in imports:
        batch.check_interrupted()
    context = {
        "evaluation": evaluation,
        "form": form,
        "imports": imports,
        "n_held": evaluation.held_participants.filter(status="open").count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluations/participant_import.html", context, status=status)


def _participant_batch(request, pk: int, batch_id: int) -> ParticipantImport:
    evaluation = evaluation_for(request, pk, edit=True)
    batch = get_object_or_404(evaluation.participant_imports, pk=batch_id)
    batch.check_interrupted()
    return batch


@login_required
def participant_batch(request, pk: int, batch_id: int):
    batch = _participant_batch(request, pk, batch_id)
    lang = _lang()
    held = list(batch.held_rows.filter(status="open").order_by("row")[:500])
    for row in held:
        row.messages = _texts(row.problems, lang)
    context = {
        "evaluation": batch.evaluation,
        "batch": batch,
        "held": held,
        "file_problems": _texts(batch.problems, lang),
        "running": batch.active,
    }
    return render(request, "evaluations/participant_batch.html", context)


@login_required
@never_cache
def participant_batch_status(request, pk: int, batch_id: int):
    batch = _participant_batch(request, pk, batch_id)
    return JsonResponse({"status": batch.status, "progress": batch.progress, "total": 0})


@login_required
@require_POST
def participant_batch_cancel(request, pk: int, batch_id: int):
    batch = _participant_batch(request, pk, batch_id)
    if batch.request_cancel():
        messages.info(request, _("Impor peserta dibatalkan; baris yang sudah tersimpan tetap ada."))
    return redirect("evaluations:participant_batch", pk, batch_id)


@login_required
def held_participant(request, pk: int, row_id: int):
    """Correct a held participant row (or discard it); stored once it passes every check."""
    evaluation = evaluation_for(request, pk, edit=True)
    held = get_object_or_404(evaluation.held_participants, pk=row_id)
    lang = _lang()
    if request.method == "POST" and held.status == HeldParticipant.Status.OPEN:
        if "discard" in request.POST:
            held.status = HeldParticipant.Status.DISCARDED
            held.save(update_fields=["status"])
            record(
                request,
                Action.QUARANTINE_DISCARDED,
                evaluation=evaluation,
                target=f"held:{held.pk}",
            )
            messages.info(request, _("Baris dibuang."))
            return redirect(_back(held))
        cells = {name: request.POST.get(f"v:{name}", "")[:300] for name in participants.FIELDS}
        changed = sorted(name for name in cells if cells[name] != held.raw.get(name, ""))
        stored = participants.recheck(held, cells)
        record(
            request,
            Action.QUARANTINE_FIXED,
            evaluation=evaluation,
            target=f"held:{held.pk}",
            stored=stored,
            columns=changed,
        )
        if stored:
            messages.success(request, _("Baris sudah benar dan kini tersimpan."))
            return redirect(_back(held))
        messages.error(request, _("Baris masih bermasalah."))
    rules: dict[str, list[str]] = {}
    for problem in held.problems:
        key = problem.get("key") or problem.get("column") or ""
        rule = problem.get("rule") or {}
        rules.setdefault(key, []).append(rule.get(lang) or rule.get("id") or problem.get(lang, ""))
    labels = dict(_FIELD_LABELS)
    cells = [
        {
            "name": name,
            "label": labels[name],
            "value": held.raw.get(name, ""),
            "rules": rules.get(name, []),
        }
        for name in participants.FIELDS
    ]
    context = {
        "evaluation": evaluation,
        "held": held,
        "cells": cells,
        "messages_list": _texts(held.problems, lang),
        "programs": evaluation.programs.order_by("name"),
    }
    status = 400 if request.method == "POST" and held.status == "open" else 200
    return render(request, "evaluations/held_participant.html", context, status=status)


def _back(held: HeldParticipant) -> str:
    from django.urls import reverse

    if held.batch_id:
        return reverse("evaluations:participant_batch", args=[held.evaluation_id, held.batch_id])
    return reverse("evaluations:participant_import", args=[held.evaluation_id])


_FIELD_LABELS = (
    ("nip", gettext_lazy("NIP")),
    ("nama", gettext_lazy("Nama")),
    ("instansi", gettext_lazy("Instansi / OPD")),
    ("unit", gettext_lazy("Unit kerja")),
    ("jabatan", gettext_lazy("Jabatan")),
    ("golongan", gettext_lazy("Golongan")),
    ("program", gettext_lazy("Program")),
    ("angkatan", gettext_lazy("Angkatan")),
)


@login_required
def participant_template(request, pk: int):
    """An empty participant list with the columns Tilik reads, to fill in Excel."""
    evaluation_for(request, pk, edit=True)
    from tilik.core.exports import table_csv

    header = ["NIP", "Nama", "Instansi", "Unit Kerja", "Jabatan", "Golongan", "Program", "Angkatan"]
    response = HttpResponse(table_csv(header, []), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="daftar-peserta.csv"'
    return response
