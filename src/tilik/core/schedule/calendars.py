"""A schedule seen as calendars: a unit's weeks (staff away and present in every half-day
against its minimum) and a person's sessions. Plain data, drawn by the HTML page of the CLI and
by the web app's templates alike."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from tilik.core.schedule.metrics import away_slots
from tilik.core.schedule.model import HALVES, Plan, Schedule

__all__ = ["person_calendar", "unit_calendar"]


def unit_calendar(plan: Plan, schedule: Schedule, unit_code: str) -> list[dict[str, Any]]:
    """The unit's calendar week by week (Monday to Friday; ``None`` where a day is not a working
    day of the plan): for each half-day, its front-line staff away for training (travel
    included), present, the minimum, and the modules its staff take."""
    unit = plan.units[unit_code]
    calendar = plan.calendar
    n_slots = calendar.n_slots
    away = [0] * n_slots
    modules: dict[int, set[str]] = defaultdict(set)
    by_person = schedule.by_participant()
    for person in plan.participants:
        if person.unit != unit_code:
            continue
        sessions = by_person.get(person.code, [])
        if person.front_line:
            for slot in away_slots(plan, person, sessions):
                if 0 <= slot < n_slots:
                    away[slot] += 1
        for session in sessions:
            for slot in session.slots:
                if slot < n_slots:
                    modules[slot].add(session.module)
    weeks: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for index, day in enumerate(calendar.days):
        halves = []
        for half in (0, 1):
            slot = 2 * index + half
            minimum = unit.minimum_at(slot)
            present = unit.front_line_staff - away[slot]
            halves.append(
                {
                    "slot": slot,
                    "half": HALVES[half],
                    "service": half in unit.service_halves,
                    "minimum": minimum,
                    "away": away[slot],
                    "present": present,
                    "short": max(0, minimum - present),
                    "busy": unit.busy_reason(slot),
                    "modules": sorted(modules.get(slot, ())),
                }
            )
        monday = date.fromordinal(day.toordinal() - day.weekday())
        weeks[monday].append({"date": day, "halves": halves})
    out = []
    for monday, days in sorted(weeks.items()):
        by_weekday: list[dict[str, Any] | None] = [None] * 5
        for entry in days:
            by_weekday[entry["date"].weekday()] = entry
        out.append({"monday": monday, "days": by_weekday})
    return out


def person_calendar(plan: Plan, schedule: Schedule, code: str) -> list[dict[str, Any]]:
    """A participant's (or a trainer's) sessions in time order, with dates and times."""
    sessions = schedule.by_participant().get(code)
    if sessions is None:
        sessions = sorted(
            (s for s in schedule.sessions if s.trainer == code), key=lambda s: s.start
        )
    venues = {v.code: v.name for v in plan.venues}
    out = []
    for session in sessions:
        begin, _ = plan.calendar.slot_bounds(session.start)
        _, end = plan.calendar.slot_bounds(session.start + session.length - 1)
        module = plan.modules[session.module]
        out.append(
            {
                "session": session.id,
                "module": module.code,
                "module_name": module.name,
                "jp": module.jp,
                "mode": session.mode,
                "mode_name": plan.modes[session.mode].name,
                "begin": begin,
                "end": end,
                "half": HALVES[session.start % 2],
                "trainer": session.trainer,
                "venue": venues.get(session.venue, ""),
            }
        )
    return out
