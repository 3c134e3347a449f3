"""What a training plan is made of: the calendar of half-day slots, units, participants,
modules, delivery modes, trainers, venues and districts.

A plan is read from YAML (:mod:`tilik.core.schedule.plan`) or built by the web app; the solver
(:mod:`tilik.core.schedule.solver`) and the rigid baseline (:mod:`tilik.core.schedule.rigid`)
both produce a :class:`Schedule` of the same shape, so they are measured the same way
(:mod:`tilik.core.schedule.metrics`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

__all__ = [
    "HALVES",
    "Attendance",
    "BusyPeriod",
    "Calendar",
    "District",
    "Mode",
    "Module",
    "Options",
    "Participant",
    "Plan",
    "Schedule",
    "Session",
    "Trainer",
    "Unit",
    "Venue",
]

HALVES = ("pagi", "siang")
"""The two half-day slots of a working day: morning and afternoon."""


@dataclass(frozen=True)
class Calendar:
    """Working days (Monday–Friday, less holidays) from ``start`` for ``weeks`` weeks.

    Slot ``t`` is half ``t % 2`` (0 = pagi, 1 = siang) of working day ``t // 2``.
    """

    start: date
    weeks: int
    holidays: frozenset[date] = frozenset()
    jp_per_slot: int = 4
    slot_hours: float = 4.0
    times: tuple[tuple[time, time], tuple[time, time]] = (
        (time(8, 0), time(12, 0)),
        (time(13, 0), time(16, 30)),
    )
    timezone: str = "Asia/Makassar"

    @cached_property
    def days(self) -> list[date]:
        out = []
        for offset in range(self.weeks * 7):
            day = self.start + timedelta(days=offset)
            if day.weekday() < 5 and day not in self.holidays:
                out.append(day)
        return out

    @property
    def n_slots(self) -> int:
        return 2 * len(self.days)

    def slot_date(self, slot: int) -> date:
        return self.days[slot // 2]

    def slot_bounds(self, slot: int) -> tuple[datetime, datetime]:
        """Start and end of a slot as naive local times (the plan's time zone)."""
        day = self.slot_date(slot)
        begin, end = self.times[slot % 2]
        return datetime.combine(day, begin), datetime.combine(day, end)

    @cached_property
    def _day_index(self) -> dict[date, int]:
        return {day: index for index, day in enumerate(self.days)}

    def slots_of(self, day: date, half: int | None = None) -> list[int]:
        """The slots of ``day`` (both halves, or one); none when it is not a working day."""
        index = self._day_index.get(day)
        if index is None:
            return []
        return [2 * index + h for h in ((0, 1) if half is None else (half,))]

    def slots_between(self, first: date, last: date) -> list[int]:
        return [t for t in range(self.n_slots) if first <= self.slot_date(t) <= last]


@dataclass(frozen=True)
class Mode:
    """A delivery mode: classroom (``kelas``), live online (``daring``), self-paced
    e-learning (``mandiri``). ``capacity`` is per session; for a mode without a trainer it is
    the number of learners at one time."""

    code: str
    name: str
    capacity: int
    trainer: bool
    venue: bool
    travel: bool
    online: bool
    session_cost: int = 0  # rupiah per half-day of one session (trainer fee, room, platform)


@dataclass(frozen=True)
class Module:
    code: str
    name: str
    jp: int
    modes: tuple[str, ...]
    required: bool = True

    def slots(self, jp_per_slot: int) -> int:
        """Half-day slots one session of this module takes."""
        return max(1, math.ceil(self.jp / jp_per_slot))


@dataclass(frozen=True)
class District:
    code: str
    name: str
    travel_cost: int = 0  # rupiah, one round trip to the training venue
    daily_cost: int = 0  # rupiah per day away (allowance, lodging) for a classroom session
    travel_slots: int = 0  # half-days of travel each way
    live_online: bool = True  # a connection good enough for live online classes


@dataclass(frozen=True)
class BusyPeriod:
    """A period in which a unit needs more staff on duty (``minimum``) or, with ``minimum``
    equal to its front-line staff, releases nobody. ``slots`` are resolved on the calendar."""

    reason: str
    minimum: int
    slots: frozenset[int]


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    front_line_staff: int
    minimum: int
    organisation: str = ""
    district: str = ""
    service_halves: tuple[int, ...] = (0, 1)  # the halves of the day the unit serves the public
    busy: tuple[BusyPeriod, ...] = ()

    def minimum_at(self, slot: int) -> int:
        """Front-line staff that must be on duty in ``slot`` (0 outside service hours)."""
        if slot % 2 not in self.service_halves:
            return 0
        need = self.minimum
        for period in self.busy:
            if slot in period.slots:
                need = max(need, period.minimum)
        return need

    def busy_reason(self, slot: int) -> str:
        for period in self.busy:
            if slot in period.slots and period.minimum > self.minimum:
                return period.reason
        return ""


@dataclass(frozen=True)
class Participant:
    """A participant, known by ``code`` (a pseudonym). ``name`` is only ever written into the
    participant's own calendar, and only when the plan opts in."""

    code: str
    unit: str
    front_line: bool
    district: str
    jp_year: int = 0  # JP already earned (or planned elsewhere) this year
    unavailable: frozenset[int] = frozenset()
    modules: tuple[str, ...] | None = None  # None: every module of the program
    name: str = field(default="", repr=False)


@dataclass(frozen=True)
class Trainer:
    code: str
    name: str
    modules: tuple[str, ...]
    modes: tuple[str, ...]
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Venue:
    code: str
    name: str
    capacity: int
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Options:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    names_in_calendar: bool = False
    cost_per_day: int = 500_000  # rupiah a calendar day of the program is worth shortening
    jp_target: int = 20  # JP per ASN per year (PP 17/2020)


@dataclass
class Plan:
    title: str
    calendar: Calendar
    modes: dict[str, Mode]
    modules: dict[str, Module]
    districts: dict[str, District]
    units: dict[str, Unit]
    participants: list[Participant]
    trainers: list[Trainer]
    venues: list[Venue]
    options: Options = field(default_factory=Options)
    evaluation: str = ""
    program: str = ""

    def modules_of(self, person: Participant) -> list[Module]:
        codes = person.modules if person.modules is not None else tuple(self.modules)
        return [self.modules[c] for c in codes if c in self.modules]

    def required_jp(self, person: Participant) -> int:
        return sum(m.jp for m in self.modules_of(person) if m.required)

    def extra_jp_needed(self, person: Participant) -> int:
        """JP of optional modules still needed to reach the yearly target."""
        return max(0, self.options.jp_target - person.jp_year - self.required_jp(person))

    def away_slots(self, module: Module, mode: Mode, district: District, start: int) -> range:
        """Slots a participant is away from the unit for one session (travel included)."""
        length = module.slots(self.calendar.jp_per_slot)
        travel = district.travel_slots if mode.travel else 0
        return range(start - travel, start + length + travel)


@dataclass(frozen=True)
class Session:
    """One delivery of a module: its slots, mode, trainer and venue (when the mode has them)."""

    id: str
    module: str
    mode: str
    start: int
    length: int
    trainer: str = ""
    venue: str = ""

    @property
    def slots(self) -> range:
        return range(self.start, self.start + self.length)


@dataclass(frozen=True)
class Attendance:
    participant: str
    session: str


@dataclass
class Schedule:
    """Sessions and who attends which; ``status`` and solver figures when it was solved."""

    sessions: list[Session]
    attendance: list[Attendance]
    status: str = "rigid"  # optimal | feasible | rigid
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    calendar: Calendar | None = None  # when it runs longer than the plan's calendar (rigid)

    @property
    def gap(self) -> float | None:
        """Relative optimality gap (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    def by_participant(self) -> dict[str, list[Session]]:
        index = {s.id: s for s in self.sessions}
        out: dict[str, list[Session]] = {}
        for a in self.attendance:
            out.setdefault(a.participant, []).append(index[a.session])
        for sessions in out.values():
            sessions.sort(key=lambda s: s.start)
        return out
