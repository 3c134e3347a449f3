from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tilik.core.exports import table_csv
from tilik.core.schedule import calendar_ics, quality_words, rigid_plan, schedule_rows
from tilik.core.schedule.calendars import person_calendar, unit_calendar
from tilik.core.schedule.outputs import SCHEDULE_COLUMNS, schedule_xlsx
from tilik.core.schedule.prefill import next_monday
from tilik.report.charts import to_svg
from tilik.report.schedule import schedule_chart, schedule_html
from tilik.web.audit.models import Action
from tilik.web.audit.services import record
from tilik.web.csp import sandbox
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.privacy import HIDDEN, sees_personal
from tilik.web.planning.forms import DraftForm, PlanForm, UploadForm
from tilik.web.planning.models import SchedulePlan, ScheduleRun
from tilik.web.planning.services import draft_for, draft_programs, people_of, start_run


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _plan_of(evaluation, plan_id: int) -> SchedulePlan:
    return get_object_or_404(SchedulePlan, pk=plan_id, evaluation=evaluation)


def _run_of(evaluation, run_id: int) -> ScheduleRun:
    return get_object_or_404(
        ScheduleRun.objects.select_related("plan"), pk=run_id, plan__evaluation=evaluation
    )


def _solved(evaluation, run_id: int):
    """The run, its plan and its schedule; 404 when the run has no schedule."""
    run = _run_of(evaluation, run_id)
    plan, schedule = run.plan_object(), run.schedule_object()
    if plan is None or schedule is None:
        raise Http404
    return run, plan, schedule


def _draft_form(evaluation, data=None) -> DraftForm:
    return DraftForm(
        data,
        programs=draft_programs(evaluation),
        initial={"start": next_monday(timezone.localdate()), "weeks": 8},
    )


def _plans_page(request, evaluation, *, draft=None, upload=None, status=200):
    context = {
        "evaluation": evaluation,
        "plans": [(p, p.latest_run()) for p in evaluation.schedule_plans.all()],
        "can_edit": evaluation.can_edit(request.user),
        "draft": draft or _draft_form(evaluation),
        "upload": upload or UploadForm(),
    }
    return render(request, "planning/plans.html", context, status=status)


@login_required
def plans(request, pk: int):
    return _plans_page(request, evaluation_for(request, pk))


@login_required
@require_POST
def draft(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    form = _draft_form(evaluation, request.POST)
    if not form.is_valid():
        return _plans_page(request, evaluation, draft=form, status=400)
    chosen = list(form.cleaned_data["programs"])
    plan = SchedulePlan.objects.create(
        evaluation=evaluation,
        title=_("Draf jadwal fleksibel: %(programs)s")
        % {"programs": ", ".join(p.name for p in chosen)},
        source=draft_for(
            evaluation, chosen, start=form.cleaned_data["start"], weeks=form.cleaned_data["weeks"]
        ),
        created_by=request.user,
    )
    messages.success(
        request,
        _(
            "Draf disusun dari data evaluasi. Periksa jumlah staf, minimum, modul, pelatih, "
            "dan ruang sebelum menyusun jadwal."
        ),
    )
    return redirect("planning:edit", pk=evaluation.pk, plan_id=plan.pk)


@login_required
@require_POST
def upload(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _plans_page(request, evaluation, upload=form, status=400)
    source = form.cleaned_data["file"]
    title = form.files["file"].name.rsplit(".", 1)[0][:250] or _("Rencana jadwal")
    plan = SchedulePlan.objects.create(
        evaluation=evaluation, title=title, source=source, created_by=request.user
    )
    messages.success(request, _("Rencana diunggah."))
    return redirect("planning:edit", pk=evaluation.pk, plan_id=plan.pk)


@login_required
def example(request, pk: int):
    """A jadwal.yaml drafted from the evaluation, to start from when writing one by hand."""
    evaluation = evaluation_for(request, pk)
    response = HttpResponse(draft_for(evaluation), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jadwal-{evaluation.pk}.yaml"'
    record(request, Action.EXPORT, evaluation=evaluation, target="schedule:example", file="yaml")
    return response


@login_required
def edit(request, pk: int, plan_id: int):
    evaluation = evaluation_for(request, pk, edit=request.method == "POST")
    plan = _plan_of(evaluation, plan_id)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Rencana disimpan."))
            return redirect("planning:edit", pk=evaluation.pk, plan_id=plan.pk)
        status = 400
    else:
        status = 200
    context = {
        "evaluation": evaluation,
        "plan": plan,
        "form": form,
        "run": plan.latest_run(),
        "can_edit": evaluation.can_edit(request.user),
        "time_limit": settings.TILIK_SCHEDULE_TIME_LIMIT,
    }
    return render(request, "planning/edit.html", context, status=status)


@login_required
@require_POST
def solve(request, pk: int, plan_id: int):
    evaluation = evaluation_for(request, pk, edit=True)
    plan = _plan_of(evaluation, plan_id)
    run, started = start_run(plan, request.user)
    if not started:
        messages.warning(request, _("Jadwal rencana ini sedang disusun; tidak ada yang dimulai."))
    elif run.solved:  # solved inline (tests)
        messages.success(request, _("Jadwal tersusun."))
    elif not run.active:
        messages.warning(request, run.state_label)
    return redirect("planning:run", pk=evaluation.pk, run_id=run.pk)


@login_required
@require_GET
@never_cache
def run_status(request, pk: int, run_id: int):
    """Where a solve stands, for its page to poll."""
    evaluation = evaluation_for(request, pk)
    current = _run_of(evaluation, run_id)
    current.check_interrupted()
    return JsonResponse(current.status_json(_lang()) | {"outcome": current.outcome})


@login_required
@require_POST
def run_cancel(request, pk: int, run_id: int):
    evaluation = evaluation_for(request, pk, edit=True)
    current = _run_of(evaluation, run_id)
    if current.request_cancel():
        if current.active:
            messages.info(
                request, _("Pembatalan diminta; penyusunan berhenti dalam beberapa detik.")
            )
        else:
            messages.info(request, _("Penyusunan jadwal dibatalkan."))
    return redirect("planning:run", pk=evaluation.pk, run_id=current.pk)


def _reason_text(item: dict, lang: str) -> str:
    return str(item.get(lang) or item.get("text") or item.get("id") or "")


@login_required
def run(request, pk: int, run_id: int):
    evaluation = evaluation_for(request, pk)
    current = _run_of(evaluation, run_id)
    current.check_interrupted()
    lang = _lang()
    context = {
        "evaluation": evaluation,
        "run": current,
        "status_line": current.status_line(lang),
        "reasons": [
            {"text": _reason_text(r, lang), "error": r.get("severity") == "error"}
            for r in current.reasons
        ],
        "problems": [_reason_text(p, lang) for p in current.problems],
        "can_edit": evaluation.can_edit(request.user),
    }
    plan, schedule = current.plan_object(), current.schedule_object()
    if plan is not None and schedule is not None:
        summary = current.summary
        chart = schedule_chart(summary, lang)
        counts: dict[str, int] = {}
        for a in schedule.attendance:
            counts[a.participant] = counts.get(a.participant, 0) + 1
        people = {person.code: person for person in _people(request, evaluation, plan)}
        context.update(
            summary=summary,
            flexible=summary["flexible"],
            rigid=summary["rigid"],
            solver=summary.get("solver", {}),
            quality=quality_words(summary.get("solver", {}), lang),
            svg=to_svg(chart) if chart else "",
            units=[{"code": code, **info} for code, info in summary.get("by_unit", {}).items()],
            participants=[
                {
                    "code": p.code,
                    "person": people[p.code],
                    "unit": plan.units[p.unit].name,
                    "front_line": p.front_line,
                    "sessions": counts.get(p.code, 0),
                }
                for p in sorted(plan.participants, key=lambda p: (p.unit, p.code))
            ],
            trainers=plan.trainers,
            personal=sees_personal(evaluation, request.user),
        )
    return render(request, "planning/run.html", context)


@login_required
def unit(request, pk: int, run_id: int, code: str):
    evaluation = evaluation_for(request, pk)
    current, plan, schedule = _solved(evaluation, run_id)
    if code not in plan.units:
        raise Http404
    context = {
        "evaluation": evaluation,
        "run": current,
        "unit": plan.units[code],
        "weeks": unit_calendar(plan, schedule, code),
        "members": sorted(
            (person for person in _people(request, evaluation, plan) if person.unit == code),
            key=lambda person: (person.name, person.code),
        ),
    }
    return render(request, "planning/unit.html", context)


def _people(request, evaluation, plan):
    return people_of(evaluation, plan, sees_personal(evaluation, request.user))


def _person(plan, code: str):
    person = next((p for p in plan.participants if p.code == code), None)
    trainer = next((t for t in plan.trainers if t.code == code), None)
    if person is None and trainer is None:
        raise Http404
    return person, trainer


@login_required
def person(request, pk: int, run_id: int, code: str):
    evaluation = evaluation_for(request, pk)
    current, plan, schedule = _solved(evaluation, run_id)
    participant, trainer = _person(plan, code)
    trainers = {t.code: t.name for t in plan.trainers}
    shown = next((p for p in _people(request, evaluation, plan) if p.code == code), None)
    if trainer is not None:
        heading = trainer.name
    elif shown is not None and shown.name not in (HIDDEN, "–"):
        heading = shown.name
    else:
        heading = _("Peserta %(code)s") % {"code": code}
    context = {
        "evaluation": evaluation,
        "run": current,
        "code": code,
        "heading": heading,
        "person": shown,
        "participant": participant,
        "unit": plan.units[participant.unit] if participant else None,
        "trainer": trainer,
        "entries": [
            entry | {"trainer": trainers.get(entry["trainer"], entry["trainer"])}
            for entry in person_calendar(plan, schedule, code)
        ],
    }
    return render(request, "planning/person.html", context)


@login_required
def ics(request, pk: int, run_id: int, code: str):
    evaluation = evaluation_for(request, pk)
    _current, plan, schedule = _solved(evaluation, run_id)
    participant, trainer = _person(plan, code)
    lang = _lang()
    if participant is not None:
        sessions = schedule.by_participant().get(code, [])
        who = participant.name if plan.options.names_in_calendar and participant.name else code
    else:
        sessions = [s for s in schedule.sessions if s.trainer == code]
        who = trainer.name if plan.options.names_in_calendar else code
    name = _("Jadwal pelatihan — %(who)s") % {"who": who}
    response = HttpResponse(
        calendar_ics(plan, sessions, name, code, lang), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}.ics"'
    record(request, Action.EXPORT, evaluation=evaluation, target=f"schedule:{run_id}", file="ics")
    return response


DOWNLOADS = {
    "jadwal.csv": "text/csv; charset=utf-8",
    "jadwal.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jadwal.html": "text/html; charset=utf-8",
}


@login_required
def download(request, pk: int, run_id: int, name: str):
    evaluation = evaluation_for(request, pk)
    current, plan, schedule = _solved(evaluation, run_id)
    if name not in DOWNLOADS:
        raise Http404
    lang = _lang()
    if name == "jadwal.csv":
        body = table_csv(SCHEDULE_COLUMNS, schedule_rows(plan, schedule))
    elif name == "jadwal.html":
        body = schedule_html(plan, schedule, current.summary, lang).encode("utf-8")
    else:
        body = schedule_xlsx(plan, schedule, rigid_plan(plan), current.summary, lang)
    response = HttpResponse(body, content_type=DOWNLOADS[name])
    response["Content-Disposition"] = f'attachment; filename="{evaluation.pk}-{current.pk}-{name}"'
    record(
        request, Action.EXPORT, evaluation=evaluation, target=f"schedule:{current.pk}", file=name
    )
    if name.endswith(".html"):
        sandbox(response, body)  # the page's own style block only, no scripts
    return response
