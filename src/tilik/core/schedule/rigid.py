"""The rigid plan, as most programs run today: everyone in one block.

Participants are put into angkatan (cohorts) of one classroom's size, unit by unit (offices
nominate their staff together), and each cohort attends every required module in the classroom
on consecutive half-days, starting on a morning. Cohorts follow one another in each room as
soon as it is free. Busy periods, minimum staffing and stated unavailability are not looked
at — that is what the comparison shows. A cohort's block may run past the plan's calendar: the
rigid plan then simply takes longer.
"""

from __future__ import annotations

from dataclasses import replace

from tilik.core.schedule.model import Attendance, Calendar, Plan, Schedule, Session

__all__ = ["rigid_plan"]


def rigid_plan(plan: Plan) -> Schedule:
    """Everyone's required modules in one classroom block per cohort (see the module doc)."""
    jp_per_slot = plan.calendar.jp_per_slot
    kelas = plan.modes.get("kelas")
    rooms = [(v.code, v.capacity) for v in plan.venues] or [("", kelas.capacity if kelas else 30)]
    capacity = min(kelas.capacity if kelas else 30, max(c for _, c in rooms))
    people = sorted(plan.participants, key=lambda p: (p.unit, p.code))
    cohorts = [people[i : i + capacity] for i in range(0, len(people), capacity)]
    next_free = dict.fromkeys((code for code, _ in rooms), 0)
    trainer_busy: dict[str, set[int]] = {t.code: set() for t in plan.trainers}
    sessions: list[Session] = []
    attendance: list[Attendance] = []
    last = 0
    for number, cohort in enumerate(cohorts, start=1):
        modules = [m for m in plan.modules_of(cohort[0]) if m.required]
        room = min(next_free, key=lambda code: (next_free[code], code))
        start = next_free[room]
        start += start % 2  # blocks start in the morning
        slot = start
        for module in modules:
            length = module.slots(jp_per_slot)
            span = set(range(slot, slot + length))
            teachers = [t for t in plan.trainers if module.code in t.modules]
            free = [t.code for t in teachers if trainer_busy[t.code].isdisjoint(span)]
            trainer = free[0] if free else (teachers[0].code if teachers else "")
            if trainer:
                trainer_busy[trainer] |= span
            session = Session(
                f"A{number:02d}-{module.code}", module.code, "kelas", slot, length, trainer, room
            )
            sessions.append(session)
            for person in cohort:
                if module.code in {m.code for m in plan.modules_of(person)}:
                    attendance.append(Attendance(person.code, session.id))
            slot += length
        next_free[room] = slot + slot % 2
        last = max(last, slot)
    calendar = _long_enough(plan.calendar, last)
    return Schedule(sessions=sessions, attendance=attendance, status="rigid", calendar=calendar)


def _long_enough(calendar: Calendar, slots: int) -> Calendar:
    weeks = calendar.weeks
    while replace(calendar, weeks=weeks).n_slots < slots:
        weeks += 1
    return calendar if weeks == calendar.weeks else replace(calendar, weeks=weeks)
