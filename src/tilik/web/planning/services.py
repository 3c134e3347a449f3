"""Plans and schedules of an evaluation held in the database.

:func:`start_run` records a solve and queues it; a worker runs :func:`solve_run` (a
:class:`~tilik.web.jobs.models.Job`, cancellable, with the solver's own time limit
``TILIK_SCHEDULE_TIME_LIMIT``), and the run's page shows its stage until it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tilik.core.i18n import gettext_noop, translate
from tilik.core.problems import render_all
from tilik.core.schedule import rigid_plan, solve, summary
from tilik.core.schedule.model import Plan
from tilik.core.schedule.plan import dump_plan
from tilik.core.schedule.prefill import DraftPerson, draft_plan, next_monday
from tilik.web.evaluations.models import Employee, Enrolment, Evaluation, Program
from tilik.web.evaluations.privacy import HIDDEN
from tilik.web.jobs.models import ACTIVE
from tilik.web.jobs.tasks import enqueue
from tilik.web.planning.models import (
    SchedulePlan,
    ScheduleRun,
    parse_plan_text,
    schedule_json,
)

log = logging.getLogger(__name__)

_PERSONAL = ("nip", "nama", "name", "telepon", "hp", "email")


def _texts(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(organisation, open answer) from the evaluation's participant and supervisor surveys."""
    out = []
    for instrument in evaluation.instruments.filter(kind__in=["survei_peserta", "survei_atasan"]):
        if instrument.current is None:
            continue
        form = instrument.form()
        question = form.question("instansi")
        labels = {
            c.name: c.label or c.name
            for c in (form.choices.get(question.list_name, []) if question else [])
        }
        names = [
            q.name
            for q in form.questions
            if q.type == "text" and not q.name.lower().startswith(_PERSONAL)
        ]
        for answers in instrument.submissions.values_list("answers", flat=True):
            code = str(answers.get("instansi") or "")
            for name in names:
                value = answers.get(name)
                if code and isinstance(value, str) and value.strip():
                    out.append((labels.get(code, code), value))
    return out


def participant_code(employee: Employee) -> str:
    """The code a drafted plan gives an ASN: a keyed pseudonym of the NIP, never the NIP."""
    return "P" + employee.pseudonym()[:8]


def draft_programs(evaluation: Evaluation):
    """The evaluation's programs that have participants, the ones a draft can cover."""
    return (
        Program.objects.filter(evaluation=evaluation, cohorts__enrolments__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )


def draft_for(
    evaluation: Evaluation,
    programs: Iterable[Program] | None = None,
    *,
    start: date | None = None,
    weeks: int = 8,
    today: date | None = None,
) -> str:
    """A plan (YAML) drafted from the evaluation for ``programs`` (all that have participants
    when None): their participants by code, organisations and positions, and busy periods from
    the surveys. Several programs share one plan: each keeps its own modules and its
    participants take only theirs, against the same units' staffing."""
    chosen = list(draft_programs(evaluation) if programs is None else programs)
    enrolments = (
        Enrolment.objects.filter(cohort__program__in=chosen)
        .select_related("employee__organisation", "cohort__program")
        .order_by("employee__organisation__name", "employee__pk")
    )
    taken: dict[int, list[str]] = {}
    employees: dict[int, Employee] = {}
    for enrolment in enrolments:
        employees[enrolment.employee.pk] = enrolment.employee
        names = taken.setdefault(enrolment.employee.pk, [])
        if enrolment.cohort.program.name not in names:
            names.append(enrolment.cohort.program.name)
    people = [
        DraftPerson(
            code=participant_code(employee),
            organisation=employee.organisation.name,
            position=employee.position,
            sector=employee.sector,
            programs=tuple(taken[pk]),
        )
        for pk, employee in employees.items()
    ]
    catalogue = {p.name: int(p.jp) if p.jp else 16 for p in chosen}
    plan = draft_plan(
        people,
        programs=catalogue or {"Program": 16},
        start=start or next_monday(today or timezone.localdate()),
        weeks=weeks,
        texts=_texts(evaluation),
        evaluation=evaluation.title,
    )
    plan["options"]["time_limit"] = settings.TILIK_SCHEDULE_TIME_LIMIT
    return dump_plan(plan)


@dataclass(frozen=True)
class Person:
    """A participant as one member may see them: the name only for those who see personal
    data (else a mask), the NIP always masked, and the plan's code."""

    code: str
    unit: str
    name: str
    nip: str


def people_of(evaluation: Evaluation, plan: Plan, personal: bool) -> list[Person]:
    """The participants of ``plan``, matched to the evaluation's roster by the code a draft
    gives them; otherwise named by the plan's own ``name``. (A plan never has a NIP for a code:
    :func:`~tilik.core.schedule.plan.read_plan` refuses one.)"""
    roster = {}
    for employee in Employee.objects.filter(
        enrolments__cohort__program__evaluation=evaluation
    ).distinct():
        roster[participant_code(employee)] = employee
    out = []
    for participant in plan.participants:
        employee = roster.get(participant.code)
        name = employee.name if employee is not None else participant.name
        out.append(
            Person(
                code=participant.code,
                unit=participant.unit,
                name=(name or "–") if personal else (HIDDEN if name else "–"),
                nip=employee.masked_nip if employee is not None else "–",
            )
        )
    return out


def active_run(plan: SchedulePlan) -> ScheduleRun | None:
    """The plan's pending or running solve, if its worker is still alive."""
    run = plan.runs.filter(status__in=ACTIVE).first()
    if run is not None and run.check_interrupted():
        return None
    return run


def start_run(plan: SchedulePlan, user=None) -> tuple[ScheduleRun, bool]:
    """Record a solve of ``plan`` and queue it for a worker (in the tests, it runs at once).

    Returns the run and whether it is new: while the plan is being solved, that run is
    returned and nothing new starts.
    """
    running = active_run(plan)
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.create(
                plan=plan,
                source=plan.source,
                time_limit=settings.TILIK_SCHEDULE_TIME_LIMIT,
                created_by=user if user is not None and user.is_authenticated else None,
                status=ScheduleRun.Status.PENDING,
            )
            enqueue(run)
    except IntegrityError:  # another request started one a moment ago
        running = active_run(plan)
        if running is None:
            raise
        return running, False
    run.refresh_from_db()
    return run, True


def solve_run(run_id: int) -> ScheduleRun:
    """A worker's job: solve one run and store its schedule, comparison and reasons.

    The solver's stages are noted on the run for its page. The outcome (a schedule, none
    possible, none in time, a plan to correct) is kept apart from the job's status, which
    says only that the work ended.
    """
    run = ScheduleRun.objects.select_related("plan").get(pk=run_id)

    def note(stage: str) -> None:
        if stage in ScheduleRun.STAGES:
            ScheduleRun.objects.filter(pk=run.pk).update(stage=stage)

    try:
        note("read")
        plan, problems = parse_plan_text(run.source)
        run.problems = [p.to_dict("id") | {"en": p.render("en")} for p in problems]
        if plan is None:
            run.outcome = ScheduleRun.Outcome.INVALID
        else:
            result = solve(plan, time_limit=run.time_limit, workers=1, progress=note)
            run.reasons = [r.to_dict("id") for r in result.reasons]
            if result.schedule is None:
                run.outcome = (
                    ScheduleRun.Outcome.INFEASIBLE
                    if result.status == "infeasible"
                    else ScheduleRun.Outcome.NO_PLAN
                )
            else:
                note("compare")
                run.schedule = schedule_json(result.schedule)
                run.summary = summary(plan, result.schedule, rigid_plan(plan), result.stats)
                run.outcome = ScheduleRun.Outcome.SOLVED
        run.status = ScheduleRun.Status.DONE
    except Exception:
        # Logged by id only: a plan holds participant codes, never shown in a log line.
        log.exception("schedule run %s failed", run_id)
        run.status = ScheduleRun.Status.FAILED
        run.error = {
            lang: translate(
                gettext_noop(
                    "Penyusunan jadwal gagal karena kesalahan internal; rinciannya ada di log "
                    "server."
                ),
                lang,
            )
            for lang in ("id", "en")
        }
    run.finished_at = timezone.now()
    fields = ("problems", "reasons", "outcome", "schedule", "summary", "status", "error")
    ended = ScheduleRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
        finished_at=run.finished_at, **{name: getattr(run, name) for name in fields}
    )
    if not ended:  # cancelled or stopped meanwhile: that outcome stands
        run.refresh_from_db()
    return run


def problem_lines(text: str, lang: str) -> list[str]:
    """The problems of a plan's YAML, rendered in ``lang`` (empty when it reads cleanly)."""
    _plan, problems = parse_plan_text(text)
    return render_all(problems, lang)


def latest_summary(evaluation: Evaluation) -> dict | None:
    """The comparison of the evaluation's latest finished schedule, for its report."""
    run = (
        ScheduleRun.objects.filter(
            plan__evaluation=evaluation,
            status=ScheduleRun.Status.DONE,
            outcome=ScheduleRun.Outcome.SOLVED,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    return run.summary if run else None
