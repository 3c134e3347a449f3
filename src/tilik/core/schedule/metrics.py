"""What a schedule does to the program and to public services, measured the same way for the
flexible and the rigid plan.

- completion: share of participants who attend every required module (a session that falls on
  a participant's stated unavailability is not attended);
- share reaching the yearly JP target (JP already earned this year plus JP attended);
- staffing shortfall: for each unit and each half-day of service, front-line staff below its
  minimum (busy periods included), in staff-hours (``calendar.slot_hours`` per half-day);
- travel cost: a trip is a run of back-to-back classroom sessions (one journey, daily costs for
  each day away); classroom sessions only;
- calendar days: first to last day with a session, both included.

:func:`summary` puts both plans side by side as the ``jadwal`` section (``tilik.jadwal/1``)
that the CLI writes as ``ringkasan.json`` and the report can include.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from tilik.core.findings import format_value
from tilik.core.i18n import gettext_noop, translate
from tilik.core.schedule.model import Participant, Plan, Schedule, Session

__all__ = ["SCHEMA", "away_slots", "evaluate", "quality_words", "summary", "trips"]

SCHEMA = "tilik.jadwal/1"


def trips(plan: Plan, sessions: list[Session]) -> list[list[Session]]:
    """Classroom sessions of one participant grouped into journeys (back-to-back runs)."""
    trips: list[list[Session]] = []
    for session in sessions:
        if not plan.modes[session.mode].travel:
            continue
        if trips and trips[-1][-1].start + trips[-1][-1].length == session.start:
            trips[-1].append(session)
        else:
            trips.append([session])
    return trips


def away_slots(plan: Plan, person: Participant, sessions: list[Session]) -> set[int]:
    """Slots ``person`` is away from their unit for ``sessions``, journeys included."""
    travel = plan.districts[person.district].travel_slots
    away: set[int] = set()
    for session in sessions:
        if not plan.modes[session.mode].travel:
            away.update(session.slots)
    for trip in trips(plan, sessions):
        away.update(range(trip[0].start - travel, trip[-1].start + trip[-1].length + travel))
    return away


def evaluate(plan: Plan, schedule: Schedule) -> dict[str, Any]:
    """Figures of one schedule (see the module doc); ``units`` holds each unit's shortfall."""
    calendar = schedule.calendar or plan.calendar
    n_slots = max(calendar.n_slots, plan.calendar.n_slots)
    by_person = schedule.by_participant()
    people = {p.code: p for p in plan.participants}
    away_front: dict[str, list[int]] = {u: [0] * n_slots for u in plan.units}
    completed = reached = 0
    jp_total = 0
    travel = 0
    attended_by_mode: dict[str, int] = defaultdict(int)
    for code, person in people.items():
        sessions = by_person.get(code, [])
        district = plan.districts[person.district]
        attended = set()
        for session in sessions:
            span = set(session.slots)
            if plan.modes[session.mode].travel:
                span |= set(range(session.start - district.travel_slots, session.start))
                end = session.start + session.length
                span |= set(range(end, end + district.travel_slots))
            if person.unavailable.isdisjoint(span):
                attended.add(session.module)
                attended_by_mode[session.mode] += 1
        required = {m.code for m in plan.modules_of(person) if m.required}
        completed += required <= attended
        jp = sum(plan.modules[m].jp for m in attended)
        jp_total += jp
        reached += person.jp_year + jp >= plan.options.jp_target
        for trip in trips(plan, sessions):
            first = trip[0].start - district.travel_slots
            last = trip[-1].start + trip[-1].length + district.travel_slots
            travel += district.travel_cost + district.daily_cost * math.ceil((last - first) / 2)
        if person.front_line:
            for slot in away_slots(plan, person, sessions):
                if 0 <= slot < n_slots:
                    away_front[person.unit][slot] += 1
    units: dict[str, dict[str, Any]] = {}
    for code, unit in plan.units.items():
        hours = 0.0
        below = 0
        worst: dict[str, Any] | None = None
        for slot in range(n_slots):
            minimum = unit.minimum_at(slot)
            present = unit.front_line_staff - away_front[code][slot]
            short = max(0, minimum - present)
            if short:
                below += 1
                hours += short * calendar.slot_hours
                if worst is None or short > worst["short"]:
                    worst = {
                        "date": calendar.slot_date(slot).isoformat(),
                        "half": "pagi" if slot % 2 == 0 else "siang",
                        "present": present,
                        "minimum": minimum,
                        "short": short,
                    }
        units[code] = {"shortfall_hours": hours, "half_days_below": below, "worst": worst}
    dates = [calendar.slot_date(s.start + s.length - 1) for s in schedule.sessions]
    starts = [calendar.slot_date(s.start) for s in schedule.sessions]
    n = len(people) or 1
    return {
        "participants": len(people),
        "completed": completed,
        "completion": completed / n,
        "share_target": reached / n,
        "mean_jp": jp_total / n,
        "shortfall_hours": sum(u["shortfall_hours"] for u in units.values()),
        "half_days_below": sum(u["half_days_below"] for u in units.values()),
        "units_below": sum(1 for u in units.values() if u["half_days_below"]),
        "travel_cost": travel,
        "calendar_days": (max(dates) - min(starts)).days + 1 if dates else 0,
        "first_day": min(starts).isoformat() if starts else None,
        "last_day": max(dates).isoformat() if dates else None,
        "sessions": len(schedule.sessions),
        "sessions_by_mode": _count(s.mode for s in schedule.sessions),
        "attendance_by_mode": dict(sorted(attended_by_mode.items())),
        "units": units,
    }


def _count(values: Any) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for value in values:
        out[value] += 1
    return dict(sorted(out.items()))


def summary(
    plan: Plan,
    flexible: Schedule,
    rigid: Schedule,
    stats: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Both plans side by side: the ``jadwal`` section of ``hasil.json`` and ``ringkasan.json``."""
    flex = evaluate(plan, flexible)
    base = evaluate(plan, rigid)
    by_unit = {
        code: {
            "name": unit.name,
            "front_line_staff": unit.front_line_staff,
            "minimum": unit.minimum,
            "flexible": flex["units"][code],
            "rigid": base["units"][code],
        }
        for code, unit in plan.units.items()
    }
    solver = dict(stats or {})
    solver.update(
        status=flexible.status,
        seconds=round(flexible.seconds, 2),
        objective=flexible.objective,
        bound=flexible.bound,
        gap=flexible.gap,
    )
    return {
        "schema": SCHEMA,
        "title": plan.title,
        "program": plan.program,
        "evaluation": plan.evaluation,
        "calendar": {
            "start": plan.calendar.start.isoformat(),
            "weeks": plan.calendar.weeks,
            "half_days": plan.calendar.n_slots,
        },
        "participants": len(plan.participants),
        "units": len(plan.units),
        "modules": len(plan.modules),
        "solver": solver,
        "flexible": {k: v for k, v in flex.items() if k != "units"},
        "rigid": {k: v for k, v in base.items() if k != "units"},
        "by_unit": by_unit,
    }


def quality_words(solver: Mapping[str, Any], lang: str = "id") -> str:
    """How good the flexible plan is, in an evaluator's words (the ``solver`` part of
    :func:`summary`): proven the best, or at most how much more it costs than the best plan
    possible — in rupiah and, when the solver's lower bound is above zero, in percent.

    The cost is the solver's objective: travel, daily allowances and session costs plus the
    calendar length priced per day. The best plan possible costs at least the lower bound, so
    this plan costs at most ``objective − bound`` more. Empty when the solver gave no figures.
    """
    objective, bound = solver.get("objective"), solver.get("bound")
    if objective is None or bound is None:
        return ""
    excess = max(0.0, float(objective) - float(bound))
    if solver.get("status") == "optimal" or excess < 0.5:
        return translate(
            gettext_noop(
                "Terbukti jadwal terbaik: tidak ada jadwal lain yang memenuhi semua batasan "
                "dengan biaya lebih rendah (perjalanan, uang harian, biaya sesi, dan lama "
                "program)."
            ),
            lang,
        )
    values = {"excess": format_value(excess, "idr", lang)}
    if float(bound) > 0:
        values["share"] = format_value(excess / float(bound), "pct", lang)
        message = gettext_noop(
            "Pencarian berhenti pada batas waktu sebelum membuktikan jadwal terbaik. Biayanya "
            "(perjalanan, uang harian, biaya sesi, dan lama program) paling banyak {excess} "
            "({share}) lebih tinggi daripada jadwal terbaik yang mungkin."
        )
    else:
        message = gettext_noop(
            "Pencarian berhenti pada batas waktu sebelum membuktikan jadwal terbaik. Biayanya "
            "(perjalanan, uang harian, biaya sesi, dan lama program) paling banyak {excess} "
            "lebih tinggi daripada jadwal terbaik yang mungkin."
        )
    return translate(message, lang).format(**values)
