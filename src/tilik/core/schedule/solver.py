"""The flexible plan: OR-Tools CP-SAT assigns module sessions to half-day slots and participants
to sessions.

Model
-----
Participants who are interchangeable for the plan (same unit, front-line or not, district,
stated unavailability, modules and JP still needed) form a *group*; the model decides for each
group ``g`` how many of its members take module ``m`` in mode ``d`` starting at slot ``t``
(``n[g,m,d,t]``), which trainer gives each session (``w``), in which room (``v``), and which
optional modules the group takes to reach the yearly JP target. Constraints:

- every member completes every required module once (``Σ n = |g|``), and the optional modules
  chosen bring ``jp_year + JP`` to the target (20 JP, PP 17/2020);
- a member is in at most one session at a time and never when they said they are unavailable;
- in every half-day of service, a unit's front-line staff away (travel included) leave at least
  its minimum on duty — higher in its busy periods;
- a trainer and a room hold at most one session at a time, only when available; a session holds
  at most its mode's (and room's) capacity; self-paced e-learning has a limit of learners at once.

The objective is the money spent (travel and daily allowances for classroom sessions, session
costs) plus the calendar length priced at ``options.cost_per_day``. A greedy construction gives
CP-SAT a complete starting plan (its hint), so a feasible plan exists from the first second; the
search stops at the time limit with the best plan found and reports the gap to the lower bound.
Group counts are then split into people by a small exact model per group; a group whose counts
cannot be split is solved again as individuals.

When the model is infeasible although :func:`~tilik.core.schedule.explain.precheck` found
nothing, it is solved again with an assumption literal per unit's staffing, per group's
completion, per trainer and per room; CP-SAT's sufficient assumptions name what cannot hold
together.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from tilik.core.i18n import gettext_noop
from tilik.core.schedule.explain import Reason, group_words, options_for, precheck, session_starts
from tilik.core.schedule.model import (
    HALVES,
    Attendance,
    District,
    Module,
    Participant,
    Plan,
    Schedule,
    Session,
    Unit,
)

__all__ = ["SolveResult", "solve"]

log = logging.getLogger(__name__)

Key = tuple[str, str, int]  # module, mode, start


@dataclass
class _Group:
    index: int
    members: list[Participant]
    unit: Unit
    district: District
    front_line: bool
    required: list[Module]
    optional: list[Module]
    need: int
    options: dict[str, list[tuple[str, int]]]
    # Members who said they are unavailable, per slot; and how many members can take an option.
    away_count: list[int] = field(default_factory=list)
    room: dict[tuple[str, str, int], int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class _Fixed:
    """What a first solve already holds, when some groups are planned again as individuals."""

    unit_away: dict[str, list[int]]
    trainer_busy: dict[str, set[int]]
    venue_busy: dict[str, set[int]]
    seats: dict[Key, int]  # free seats in the sessions already held
    concurrent: dict[str, list[int]]
    makespan: int


@dataclass
class SolveResult:
    """The plan (``schedule``) or why there is none (``reasons``), and solver figures."""

    status: str  # optimal | feasible | infeasible | unknown
    schedule: Schedule | None = None
    reasons: list[Reason] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.schedule is not None


def _groups(
    plan: Plan,
    valid: Mapping[tuple[str, str], list[int]],
    split: set[str],
    only: set[str] | None = None,
) -> list[_Group]:
    """Participants who are interchangeable for the model, grouped; those in ``split`` each on
    their own, and only those in ``only`` when it is given.

    Stated unavailability does not split a group: an option is open to as many members as are
    free for all of it, and in each slot no more members are away than are free then. Splitting
    the counts into people checks each member exactly; a group that cannot be split is planned
    again member by member.
    """
    by_key: dict[tuple[Any, ...], list[Participant]] = defaultdict(list)
    for person in plan.participants:
        if only is not None and person.code not in only:
            continue
        taken = tuple(m.code for m in plan.modules_of(person))
        need = plan.extra_jp_needed(person)
        own = person.code if person.code in split else ""
        key = (person.unit, person.front_line, person.district, taken, need, own)
        by_key[key].append(person)
    groups = []
    n_slots = plan.calendar.n_slots
    for index, members in enumerate(by_key.values()):
        first = members[0]
        modules = plan.modules_of(first)
        optional = [m for m in modules if not m.required]
        need = min(plan.extra_jp_needed(first), sum(m.jp for m in optional))
        free = replace(first, unavailable=frozenset())
        away_count = [0] * n_slots
        for person in members:
            for slot in person.unavailable:
                away_count[slot] += 1
        group = _Group(
            index=index,
            members=members,
            unit=plan.units[first.unit],
            district=plan.districts[first.district],
            front_line=first.front_line,
            required=[m for m in modules if m.required],
            optional=optional if need else [],
            need=need,
            options={},
            away_count=away_count,
        )
        district = group.district
        for module in modules:
            kept = []
            for mode, start in options_for(plan, free, module, valid):
                away = plan.away_slots(module, plan.modes[mode], district, start)
                room = sum(1 for p in members if p.unavailable.isdisjoint(away))
                if room:
                    kept.append((mode, start))
                    group.room[(module.code, mode, start)] = room
            group.options[module.code] = kept
        groups.append(group)
    return groups


class _Model:
    """The CP-SAT model of a plan over groups, and the indexes the greedy start shares."""

    def __init__(
        self,
        plan: Plan,
        groups: list[_Group],
        assumptions: bool = False,
        fixed: _Fixed | None = None,
    ) -> None:
        self.plan = plan
        self.fixed = fixed
        self.groups = groups
        self.model = cp_model.CpModel()
        self.n_slots = plan.calendar.n_slots
        self.jp_per_slot = plan.calendar.jp_per_slot
        self.n: dict[tuple[int, str, str, int], cp_model.IntVar] = {}
        self.take: dict[tuple[int, str], cp_model.IntVar] = {}
        self.w: dict[tuple[str, str, str, int], cp_model.IntVar] = {}
        self.v: dict[tuple[str, str, int], cp_model.IntVar] = {}
        self.y: dict[Key, cp_model.IntVar] = {}
        self.literals: dict[cp_model.IntVar, tuple[str, str]] = {}
        self.assumptions = assumptions
        self._build()

    # -- helpers shared with the greedy start

    def length(self, module: str) -> int:
        return self.plan.modules[module].slots(self.jp_per_slot)

    def away(self, group: _Group, module: str, mode: str, start: int) -> range:
        return self.plan.away_slots(
            self.plan.modules[module], self.plan.modes[mode], group.district, start
        )

    def travel_cost(self, group: _Group, module: str, mode: str) -> int:
        """Rupiah for one member's classroom session: a round trip and each day away."""
        if not self.plan.modes[mode].travel:
            return 0
        days = math.ceil((self.length(module) + 2 * group.district.travel_slots) / 2)
        return group.district.travel_cost + group.district.daily_cost * days

    def room_cap(self, mode: str, venue: str) -> int:
        capacity = next(v.capacity for v in self.plan.venues if v.code == venue)
        return min(self.plan.modes[mode].capacity, capacity)

    def _literal(self, kind: str, code: str) -> cp_model.IntVar | None:
        if not self.assumptions:
            return None
        for literal, named in self.literals.items():
            if named == (kind, code):
                return literal
        literal = self.model.new_bool_var(f"a_{kind}_{code}")
        self.literals[literal] = (kind, code)
        return literal

    def _add(self, constraint: cp_model.Constraint, literal: cp_model.IntVar | None) -> None:
        if literal is not None:
            constraint.only_enforce_if(literal)

    # -- the model

    def _build(self) -> None:
        plan, model = self.plan, self.model
        slots = range(self.n_slots)
        unit_terms: dict[str, list[list[cp_model.IntVar]]] = {
            u: [[] for _ in slots] for u in plan.units
        }
        by_key: dict[Key, list[cp_model.IntVar]] = defaultdict(list)
        concurrent: dict[str, list[list[cp_model.IntVar]]] = {
            code: [[] for _ in slots] for code, mode in plan.modes.items() if not mode.trainer
        }
        travel: list[tuple[int, cp_model.IntVar]] = []
        for group in self.groups:
            load: list[list[cp_model.IntVar]] = [[] for _ in slots]
            done = self._literal("group", str(group.index))
            for module in group.required + group.optional:
                chosen = []
                for mode, start in group.options[module.code]:
                    name = f"n_{group.index}_{module.code}_{mode}_{start}"
                    room = group.room[(module.code, mode, start)]
                    var = (
                        model.new_bool_var(name) if room == 1 else model.new_int_var(0, room, name)
                    )
                    self.n[(group.index, module.code, mode, start)] = var
                    chosen.append(var)
                    by_key[(module.code, mode, start)].append(var)
                    for s in self.away(group, module.code, mode, start):
                        load[s].append(var)
                        if group.front_line:
                            unit_terms[group.unit.code][s].append(var)
                    if not plan.modes[mode].trainer:
                        for s in range(start, start + self.length(module.code)):
                            concurrent[mode][s].append(var)
                    cost = self.travel_cost(group, module.code, mode)
                    cost += 0 if plan.modes[mode].trainer else plan.modes[mode].session_cost
                    if cost:
                        travel.append((cost, var))
                if module.required:
                    self._add(model.add(sum(chosen) == group.size), done)
                else:
                    take = model.new_bool_var(f"take_{group.index}_{module.code}")
                    self.take[(group.index, module.code)] = take
                    model.add(sum(chosen) == group.size * take)
            if group.optional:
                self._add(
                    model.add(
                        sum(m.jp * self.take[(group.index, m.code)] for m in group.optional)
                        >= group.need
                    ),
                    done,
                )
            for s, terms in enumerate(load):
                if len(terms) > 1 or (terms and group.away_count[s]):
                    model.add(sum(terms) <= group.size - group.away_count[s])
        for code, unit in plan.units.items():
            literal = self._literal("unit", code)
            held = self.fixed.unit_away[code] if self.fixed else [0] * self.n_slots
            for s in slots:
                minimum = unit.minimum_at(s)
                terms = unit_terms[code][s]
                if minimum and terms:
                    room = max(0, unit.front_line_staff - minimum - held[s])
                    self._add(model.add(sum(terms) <= room), literal)
        self._sessions(by_key, concurrent, travel)

    def _sessions(
        self,
        by_key: Mapping[Key, list[cp_model.IntVar]],
        concurrent: Mapping[str, list[list[cp_model.IntVar]]],
        travel: list[tuple[int, cp_model.IntVar]],
    ) -> None:
        plan, model = self.plan, self.model
        slots = range(self.n_slots)
        trainer_terms: dict[str, list[list[cp_model.IntVar]]] = {
            t.code: [[] for _ in slots] for t in plan.trainers
        }
        venue_terms: dict[str, list[list[cp_model.IntVar]]] = {
            v.code: [[] for _ in slots] for v in plan.venues
        }
        ends: list[tuple[int, cp_model.IntVar]] = []
        session_costs: list[tuple[int, cp_model.IntVar]] = []
        fixed = self.fixed
        for (module, mode_code, start), attendees in sorted(by_key.items()):
            mode = plan.modes[mode_code]
            length = self.length(module)
            session = range(start, start + length)
            end = start + length
            total = sum(attendees)
            if not mode.trainer:
                used = model.new_bool_var(f"y_{module}_{mode_code}_{start}")
                self.y[(module, mode_code, start)] = used
                model.add(total <= mode.capacity * used)
                ends.append((end, used))
                continue
            seats = fixed.seats.get((module, mode_code, start), 0) if fixed else 0
            teachers = []
            for trainer in plan.trainers:
                busy = fixed.trainer_busy.get(trainer.code, set()) if fixed else set()
                if (
                    module in trainer.modules
                    and mode_code in trainer.modes
                    and trainer.unavailable.isdisjoint(session)
                    and busy.isdisjoint(session)
                ):
                    var = model.new_bool_var(f"w_{trainer.code}_{module}_{mode_code}_{start}")
                    self.w[(trainer.code, module, mode_code, start)] = var
                    teachers.append(var)
                    ends.append((end, var))
                    session_costs.append((mode.session_cost * length, var))
                    for s in session:
                        trainer_terms[trainer.code][s].append(var)
            capacity: list[Any] = []
            if mode.venue:
                rooms = []
                for venue in plan.venues:
                    busy = fixed.venue_busy.get(venue.code, set()) if fixed else set()
                    if venue.unavailable.isdisjoint(session) and busy.isdisjoint(session):
                        var = model.new_bool_var(f"v_{venue.code}_{module}_{start}")
                        self.v[(venue.code, module, start)] = var
                        rooms.append(var)
                        capacity.append(self.room_cap(mode_code, venue.code) * var)
                        for s in session:
                            venue_terms[venue.code][s].append(var)
                if rooms or teachers:
                    model.add(sum(rooms) == sum(teachers))
            else:
                capacity = [mode.capacity * var for var in teachers]
            model.add(total <= seats + sum(capacity))
        for code, terms_by_slot in trainer_terms.items():
            literal = self._literal("trainer", code)
            for terms in terms_by_slot:
                if len(terms) > 1:
                    self._add(model.add(sum(terms) <= 1), literal)
        for code, terms_by_slot in venue_terms.items():
            literal = self._literal("venue", code)
            for terms in terms_by_slot:
                if len(terms) > 1:
                    self._add(model.add(sum(terms) <= 1), literal)
        for code, terms_by_slot in concurrent.items():
            capacity_now = plan.modes[code].capacity
            held = fixed.concurrent[code] if fixed else [0] * self.n_slots
            for s, terms in enumerate(terms_by_slot):
                if len(terms) > 1 or (terms and held[s]):
                    model.add(sum(terms) <= max(0, capacity_now - held[s]))
        self.makespan = model.new_int_var(fixed.makespan if fixed else 0, self.n_slots, "makespan")
        for end, var in ends:
            model.add(self.makespan >= end * var)
        # Thousands of rupiah, doubled so that a half-day of calendar is a whole number.
        per_half_day = max(0, plan.options.cost_per_day // 1000)
        model.minimize(
            sum(2 * (cost // 1000) * var for cost, var in travel if cost >= 1000)
            + sum(2 * (cost // 1000) * var for cost, var in session_costs if cost >= 1000)
            + per_half_day * self.makespan
        )

    def objective_rupiah(self, value: float) -> float:
        return value * 500.0


# --------------------------------------------------------------------------- greedy start


class _Greedy:
    """A complete plan built one member and one module at a time, cheapest option first.

    It gives CP-SAT a feasible starting point (a hint), so that a plan exists from the start
    even on large inputs; CP-SAT then improves it. ``values`` maps model variables to values.
    """

    def __init__(self, m: _Model) -> None:
        self.m = m
        plan = m.plan
        self.values: dict[cp_model.IntVar, int] = {}
        self.unplaced: list[tuple[str, str]] = []
        slots = range(m.n_slots)
        self.room = {
            code: [
                unit.front_line_staff - unit.minimum_at(s) if unit.minimum_at(s) else 10**9
                for s in slots
            ]
            for code, unit in plan.units.items()
        }
        self.trainer_busy: dict[str, set[int]] = {t.code: set(t.unavailable) for t in plan.trainers}
        self.venue_busy: dict[str, set[int]] = {v.code: set(v.unavailable) for v in plan.venues}
        self.sessions: dict[Key, list[list[Any]]] = defaultdict(list)  # [trainer, venue, cap, used]
        self.concurrent: dict[str, list[int]] = {
            code: [0] * m.n_slots for code, mode in plan.modes.items() if not mode.trainer
        }
        self.makespan = 0
        self.counts: dict[tuple[int, str, str, int], int] = defaultdict(int)
        self.people: dict[Key, list[str]] = defaultdict(list)  # who takes what, person by person
        self.per_half_day = plan.options.cost_per_day // 1000
        fixed = m.fixed
        if fixed is not None:
            for code, away in fixed.unit_away.items():
                self.room[code] = [r - a for r, a in zip(self.room[code], away)]
            for code, busy in fixed.trainer_busy.items():
                self.trainer_busy[code] |= busy
            for code, busy in fixed.venue_busy.items():
                self.venue_busy[code] |= busy
            for key, seats in fixed.seats.items():
                if seats > 0:
                    self.sessions[key].append(["", "", seats, 0])  # held already: no new trainer
            for code, used in fixed.concurrent.items():
                self.concurrent[code] = list(used)
            self.makespan = fixed.makespan

    def run(self) -> _Greedy:
        groups = sorted(
            self.m.groups, key=lambda g: (min(map(len, g.options.values()), default=0), -g.size)
        )
        for group in groups:
            optional = self._optional(group)
            for module in optional:
                self.values[self.m.take[(group.index, module.code)]] = 1
            for module in group.optional:
                self.values.setdefault(self.m.take[(group.index, module.code)], 0)
            modules = sorted(
                group.required + optional,
                key=lambda mod: (len(group.options[mod.code]), -mod.jp),
            )
            for person in group.members:
                busy: set[int] = set(person.unavailable)
                for module in modules:
                    if not self._place(group, person, module, busy):
                        self.unplaced.append((person.code, module.code))
        self._finish()
        return self

    def _optional(self, group: _Group) -> list[Module]:
        chosen, total = [], 0
        for module in sorted(
            group.optional, key=lambda m: (-m.jp, len(group.options[m.code]) == 0)
        ):
            if total >= group.need:
                break
            chosen.append(module)
            total += module.jp
        return chosen

    def _place(self, group: _Group, person: Participant, module: Module, busy: set[int]) -> bool:
        m, plan = self.m, self.m.plan
        best: tuple[float, ...] | None = None
        choice = None
        length = m.length(module.code)
        room = self.room[group.unit.code]
        for mode_code, start in group.options[module.code]:
            away = m.away(group, module.code, mode_code, start)
            if not busy.isdisjoint(away):
                continue
            if group.front_line and any(room[s] <= 0 for s in away):
                continue
            mode = plan.modes[mode_code]
            session = range(start, start + length)
            key = (module.code, mode_code, start)
            extra = 0
            opening = None
            if mode.trainer:
                seat = next((i for i, s in enumerate(self.sessions[key]) if s[3] < s[2]), None)
                if seat is None:
                    opening = self._free_session(key, session)
                    if opening is None:
                        continue
                    extra = mode.session_cost * length
            else:
                load = self.concurrent[mode_code]
                if any(load[s] >= mode.capacity for s in session):
                    continue
                extra = mode.session_cost
            cost = 2 * ((m.travel_cost(group, module.code, mode_code) + extra) // 1000)
            cost += self.per_half_day * max(0, start + length - self.makespan)
            score = (cost, start + length, start)
            if best is None or score < best:
                best, choice = score, (mode_code, start, away, opening)
        if choice is None:
            return False
        mode_code, start, away, opening = choice
        key = (module.code, mode_code, start)
        session = range(start, start + length)
        if plan.modes[mode_code].trainer:
            if opening is not None:
                trainer, venue, capacity = opening
                self.trainer_busy[trainer].update(session)
                if venue:
                    self.venue_busy[venue].update(session)
                self.sessions[key].append([trainer, venue, capacity, 0])
            place = next(s for s in self.sessions[key] if s[3] < s[2])
            place[3] += 1
        else:
            for s in session:
                self.concurrent[mode_code][s] += 1
        busy.update(away)
        if group.front_line:
            for s in away:
                self.room[group.unit.code][s] -= 1
        self.counts[(group.index, module.code, mode_code, start)] += 1
        self.people[key].append(person.code)
        self.makespan = max(self.makespan, start + length)
        return True

    def _free_session(self, key: Key, session: range) -> tuple[str, str, int] | None:
        module, mode_code, _start = key
        plan = self.m.plan
        mode = plan.modes[mode_code]
        trainers = [
            t.code
            for t in plan.trainers
            if module in t.modules
            and mode_code in t.modes
            and self.trainer_busy[t.code].isdisjoint(session)
        ]
        if not trainers:
            return None
        load = {code: len(busy) for code, busy in self.trainer_busy.items()}
        trainer = min(trainers, key=lambda code: (load[code], code))
        if not mode.venue:
            return trainer, "", mode.capacity
        rooms = [v for v in plan.venues if self.venue_busy[v.code].isdisjoint(session)]
        if not rooms:
            return None
        venue = max(rooms, key=lambda v: (min(v.capacity, mode.capacity), v.code))
        return trainer, venue.code, self.m.room_cap(mode_code, venue.code)

    def _finish(self) -> None:
        m = self.m
        for key, var in m.n.items():
            self.values[var] = self.counts.get(key, 0)
        for var in m.w.values():
            self.values[var] = 0
        for var in m.v.values():
            self.values[var] = 0
        for (module, mode, start), sessions in self.sessions.items():
            for trainer, venue, _cap, _used in sessions:
                if not trainer:
                    continue
                self.values[m.w[(trainer, module, mode, start)]] = 1
                if venue:
                    self.values[m.v[(venue, module, start)]] = 1
        used = {k[1:] for k, count in self.counts.items() if count}
        for held, var in m.y.items():
            self.values[var] = int(held in used)
        self.values[m.makespan] = self.makespan

    @property
    def complete(self) -> bool:
        return not self.unplaced

    def seeds(self) -> dict[Key, list[Seed]]:
        """The sessions the greedy plan opened, as :func:`_seeds` gives them for a solution."""
        out: dict[Key, list[Seed]] = defaultdict(list)
        for key, sessions in self.sessions.items():
            out[key] = [(t, v, cap) for t, v, cap, _used in sessions if t]
        for key in self.m.y:
            if self.people.get(key):
                out[key].append(("", "", self.m.plan.modes[key[1]].capacity))
        return out


# --------------------------------------------------------------------------- solving


def _status_name(code: Any) -> str:
    return {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.MODEL_INVALID: "invalid",
    }.get(code, "unknown")


def solve(
    plan: Plan,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SolveResult:
    """The flexible plan for ``plan``, or the reasons it cannot be made.

    ``time_limit`` (seconds) and ``workers`` override ``plan.options``; the search stops at the
    time limit with the best plan found (``status`` ``feasible``, with its gap) or proves it
    optimal (``optimal``). ``infeasible`` comes with ``reasons``; ``unknown`` means no plan was
    found in time.
    """
    began = time.perf_counter()
    note = progress or (lambda stage: None)
    limit = float(time_limit if time_limit is not None else plan.options.time_limit)
    threads = max(1, int(workers if workers is not None else plan.options.workers))
    note("precheck")
    reasons = precheck(plan)
    if any(r.severity == "error" for r in reasons):
        return SolveResult(
            "infeasible", reasons=reasons, stats={"seconds": time.perf_counter() - began}
        )
    valid = session_starts(plan)
    note("model")
    groups = _groups(plan, valid, set())
    model = _Model(plan, groups)
    greedy = _Greedy(model).run()
    for var, hinted in greedy.values.items():
        model.model.add_hint(var, hinted)
    # Time kept back for splitting groups into people (and re-planning a few individually).
    reserve = min(10.0, 0.15 * limit)
    note("solve")
    solver = _solver(max(1.0, limit - reserve - (time.perf_counter() - began)), threads, plan)
    code = solver.solve(model.model)
    status = _status_name(code)
    stats: dict[str, Any] = {
        "participants": len(plan.participants),
        "groups": len(groups),
        "variables": len(model.model.proto.variables),
        "constraints": len(model.model.proto.constraints),
        "greedy_complete": greedy.complete,
        "greedy_objective": model.objective_rupiah(_objective_of(model, greedy.values))
        if greedy.complete
        else None,
        "workers": threads,
        "time_limit": limit,
    }
    if status == "infeasible":
        reasons += _explain(plan, groups, limit)
        stats["seconds"] = time.perf_counter() - began
        return SolveResult("infeasible", reasons=reasons, stats=stats)
    value: Callable[[Any], int]
    greedy_cost = float(_objective_of(model, greedy.values)) if greedy.complete else math.inf
    if status in ("optimal", "feasible"):
        value = solver.value
        objective, bound = solver.objective_value, solver.best_objective_bound
    elif greedy.complete:  # nothing better in time: the greedy plan is itself a valid plan
        status, objective, bound = "feasible", greedy_cost, solver.best_objective_bound
        if code == cp_model.UNKNOWN:
            bound = 0.0
    else:
        stats["seconds"] = time.perf_counter() - began
        return SolveResult("unknown", reasons=reasons + [_no_plan(limit)], stats=stats)
    note("assign")
    failed: list[_Group] = []
    if objective >= greedy_cost:  # CP-SAT found nothing better: the greedy plan, person by person
        seeds, people = greedy.seeds(), greedy.people
        stats["from_greedy"] = True
    else:
        seeds = _seeds(model, value)
        people, failed = _assign_people(model, value, deadline=began + limit - 2.0)
    stats["replanned"] = sum(g.size for g in failed)
    if failed:
        left = max(1.0, limit - (time.perf_counter() - began) - 1.0)
        extra = _replan(plan, valid, model, value, failed, threads, left)
        if extra is not None and objective + extra[2] < greedy_cost:
            more_seeds, more_people, extra_cost = extra
            for key, items in more_seeds.items():
                seeds[key].extend(items)
            for key, codes in more_people.items():
                people[key].extend(codes)
            objective += extra_cost
        elif greedy.complete:  # re-planning cost more than the greedy plan saved
            seeds, people, objective = greedy.seeds(), greedy.people, greedy_cost
            stats["from_greedy"] = True
        else:
            stats["seconds"] = time.perf_counter() - began
            return SolveResult("unknown", reasons=reasons + [_no_plan(limit)], stats=stats)
    schedule = _schedule(model, seeds, people)
    schedule.status = status if not failed else "feasible"
    schedule.objective = model.objective_rupiah(objective)
    schedule.bound = model.objective_rupiah(min(bound, objective))
    schedule.seconds = time.perf_counter() - began
    stats["seconds"] = schedule.seconds
    return SolveResult(schedule.status, schedule=schedule, reasons=reasons, stats=stats)


def _solver(seconds: float, threads: int, plan: Plan) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = threads
    solver.parameters.random_seed = plan.options.seed
    # Probing and symmetry detection cost seconds of presolve on models of this size and find
    # little here; the search itself (hint, LNS, LP bound) gains more from that time.
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    return solver


def _no_plan(limit: float) -> Reason:
    return Reason(
        gettext_noop(
            "Tidak ada rencana yang ditemukan dalam {seconds} detik; beri waktu lebih lama "
            "(options.time_limit) atau longgarkan batasannya"
        ),
        {"seconds": f"{limit:g}"},
        subject="solver",
    )


def _objective_of(model: _Model, values: Mapping[Any, int]) -> int:
    proto = model.model.proto.objective
    by_index = {var.index: hinted for var, hinted in values.items()}
    total = sum(coeff * by_index.get(index, 0) for index, coeff in zip(proto.vars, proto.coeffs))
    return int(total + proto.offset)


Seed = tuple[str, str, int]  # trainer, venue, capacity of one session


def _seeds(model: _Model, value: Callable[[Any], int]) -> dict[Key, list[Seed]]:
    """The sessions a solution holds at each (module, mode, start): trainer, room, capacity."""
    plan = model.plan
    out: dict[Key, list[Seed]] = defaultdict(list)
    rooms: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for (venue, module, start), var in model.v.items():
        if value(var):
            rooms[(module, start)].append((venue, model.room_cap("kelas", venue)))
    for (trainer, module, mode_code, start), var in sorted(model.w.items()):
        if value(var):
            out[(module, mode_code, start)].append((trainer, "", plan.modes[mode_code].capacity))
    for key, seeds in out.items():
        module, mode_code, start = key
        if plan.modes[mode_code].venue:
            held = sorted(rooms[(module, start)], key=lambda r: (-r[1], r[0]))
            out[key] = [
                (trainer, venue, min(plan.modes[mode_code].capacity, cap))
                for (trainer, _v, _c), (venue, cap) in zip(seeds, held, strict=True)
            ]
    for key, var in model.y.items():
        if value(var):
            out[key].append(("", "", plan.modes[key[1]].capacity))
    return out


def _assign_people(
    model: _Model, value: Callable[[Any], int], deadline: float | None = None
) -> tuple[dict[Key, list[str]], list[_Group]]:
    """Who of each group takes which (module, mode, start): exact, one small model per group.
    Groups whose counts cannot be split into people are returned to be planned again."""
    out: dict[Key, list[str]] = defaultdict(list)
    failed = []
    by_group: dict[int, dict[Key, int]] = defaultdict(dict)
    for (g, module, mode, start), var in model.n.items():
        count = value(var)
        if count:
            by_group[g][(module, mode, start)] = count
    for group in model.groups:
        counts = by_group.get(group.index, {})
        if group.size == 1:
            for key in counts:
                out[key].append(group.members[0].code)
            continue
        left = 10.0 if deadline is None else deadline - time.perf_counter()
        split = _split_group(model, group, counts, max(0.5, min(10.0, left)))
        if split is None:
            failed.append(group)
            continue
        for key, codes in split.items():
            out[key].extend(codes)
    return out, failed


def _replan(
    plan: Plan,
    valid: Mapping[tuple[str, str], list[int]],
    model: _Model,
    value: Callable[[Any], int],
    failed: list[_Group],
    threads: int,
    seconds: float,
) -> tuple[dict[Key, list[Seed]], dict[Key, list[str]], float] | None:
    """Plan the members of ``failed`` groups one by one, around everything else already held:
    seats left in held sessions, rooms, trainers and staffing that remain."""
    gone = {g.index for g in failed}
    unit_away = {code: [0] * model.n_slots for code in plan.units}
    seats: dict[Key, int] = defaultdict(int)
    concurrent = {code: [0] * model.n_slots for code, m in plan.modes.items() if not m.trainer}
    for key, seeds in _seeds(model, value).items():
        if plan.modes[key[1]].trainer:
            seats[key] += sum(cap for _t, _v, cap in seeds)
    makespan = 0
    for (g, module, mode, start), var in model.n.items():
        count = value(var)
        if not count or g in gone:
            continue
        group = model.groups[g]
        key = (module, mode, start)
        makespan = max(makespan, start + model.length(module))
        if plan.modes[mode].trainer:
            seats[key] -= count
        else:
            for s in range(start, start + model.length(module)):
                concurrent[mode][s] += count
        if group.front_line:
            for s in model.away(group, module, mode, start):
                unit_away[group.unit.code][s] += count
    trainer_busy: dict[str, set[int]] = defaultdict(set)
    venue_busy: dict[str, set[int]] = defaultdict(set)
    for (trainer, module, _mode, start), var in model.w.items():
        if value(var):
            trainer_busy[trainer].update(range(start, start + model.length(module)))
    for (venue, module, start), var in model.v.items():
        if value(var):
            venue_busy[venue].update(range(start, start + model.length(module)))
    fixed = _Fixed(unit_away, trainer_busy, venue_busy, dict(seats), concurrent, makespan)
    codes = {p.code for g in failed for p in g.members}
    singles = _groups(plan, valid, codes, only=codes)
    sub = _Model(plan, singles, fixed=fixed)
    greedy = _Greedy(sub).run()
    for var, hinted in greedy.values.items():
        sub.model.add_hint(var, hinted)
    solver = _solver(min(10.0, seconds), threads, plan)
    code = solver.solve(sub.model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sub_value: Callable[[Any], int] = solver.value
        cost = solver.objective_value
    elif greedy.complete:
        sub_value = greedy.values.__getitem__
        cost = float(_objective_of(sub, greedy.values))
    else:
        return None
    people, still = _assign_people(sub, sub_value)
    if still:  # pragma: no cover - groups of one always split
        return None
    base = fixed.makespan * max(0, plan.options.cost_per_day // 1000)
    return _seeds(sub, sub_value), people, max(0.0, cost - base)


def _split_group(
    model: _Model, group: _Group, counts: Mapping[Key, int], seconds: float = 10.0
) -> dict[Key, list[str]] | None:
    sub = cp_model.CpModel()
    people = range(group.size)
    a = {(p, key): sub.new_bool_var(f"a{p}_{key}") for p in people for key in counts}
    for (p, key), var in a.items():
        if not group.members[p].unavailable.isdisjoint(model.away(group, *key)):
            sub.add(var == 0)
    for key, count in counts.items():
        sub.add(sum(a[(p, key)] for p in people) == count)
    modules = {key[0] for key in counts}
    for p in people:
        for module in modules:
            sub.add(sum(a[(p, key)] for key in counts if key[0] == module) == 1)
        by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for key in counts:
            for s in model.away(group, *key):
                by_slot[s].append(a[(p, key)])
        for terms in by_slot.values():
            if len(terms) > 1:
                sub.add(sum(terms) <= 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    if solver.solve(sub) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out: dict[Key, list[str]] = defaultdict(list)
    for (p, key), var in a.items():
        if solver.value(var):
            out[key].append(group.members[p].code)
    return out


def _slot_label(plan: Plan, slot: int) -> str:
    day = plan.calendar.slot_date(slot)
    return f"{day:%m%d}{HALVES[slot % 2][0]}"


def _schedule(
    model: _Model, seeds: Mapping[Key, list[Seed]], people: Mapping[Key, list[str]]
) -> Schedule:
    """Sessions with ids, and each participant seated in one, filling the biggest room first."""
    plan = model.plan
    sessions: list[Session] = []
    attendance: list[Attendance] = []
    unit_of = {p.code: p.unit for p in plan.participants}
    for key in sorted(people, key=lambda k: (k[2], k[0], k[1])):
        module, mode_code, start = key
        codes = sorted(people[key], key=lambda c: (unit_of[c], c))
        if not codes:
            continue
        mode = plan.modes[mode_code]
        length = model.length(module)
        base = f"{module}-{mode_code}-{_slot_label(plan, start)}"
        if not mode.trainer:
            session = Session(base, module, mode_code, start, length)
            sessions.append(session)
            attendance.extend(Attendance(code, session.id) for code in codes)
            continue
        held = sorted(seeds.get(key, []), key=lambda seed: (-seed[2], seed[0]))
        position = 0
        for index, (trainer, venue, capacity) in enumerate(held, start=1):
            chunk = codes[position : position + capacity]
            position += len(chunk)
            if not chunk:
                continue
            session = Session(f"{base}-{index}", module, mode_code, start, length, trainer, venue)
            sessions.append(session)
            attendance.extend(Attendance(code, session.id) for code in chunk)
        if position < len(codes):  # pragma: no cover - capacity constraints prevent it
            raise RuntimeError(f"session {base} over capacity")
    return Schedule(sessions=sessions, attendance=attendance)


def _explain(plan: Plan, groups: list[_Group], limit: float) -> list[Reason]:
    """Name the constraints that cannot hold together, from CP-SAT's sufficient assumptions."""
    model = _Model(plan, groups, assumptions=True)
    literals = list(model.literals)
    model.model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(5.0, limit / 2)
    solver.parameters.num_workers = 1
    code = solver.solve(model.model)
    if code != cp_model.INFEASIBLE:
        return [_generic_reason()]
    core = []
    index_to_literal = {lit.index: lit for lit in literals}
    for index in solver.sufficient_assumptions_for_infeasibility():
        literal = index_to_literal.get(index)
        if literal is not None:
            core.append(model.literals[literal])
    return _core_reasons(plan, groups, core) or [_generic_reason()]


def _generic_reason() -> Reason:
    return Reason(
        gettext_noop(
            "Batasan rencana ini tidak dapat dipenuhi bersama-sama (staf minimum, penyelesaian "
            "modul, pelatih, dan ruang); longgarkan salah satunya"
        ),
        subject="solver",
    )


def _core_reasons(
    plan: Plan, groups: list[_Group], core: Iterable[tuple[str, str]]
) -> list[Reason]:
    """One sentence per kind of constraint in the infeasible core, naming who it binds."""
    units: list[str] = []
    people: list[str] = []
    trainers: list[str] = []
    venues: list[str] = []
    for kind, code in core:
        if kind == "unit":
            units.append(plan.units[code].name)
        elif kind == "group":
            people.extend(p.code for p in groups[int(code)].members)
        elif kind == "trainer":
            trainers.append(code)
        else:
            venues.append(code)
    if not people:
        return []
    reasons = [
        Reason(
            gettext_noop(
                "{people} tidak dapat menyelesaikan semua modulnya dalam kalender ini tanpa "
                "melanggar batasan berikut"
            ),
            {"people": group_words(people)},
            subject="solver",
        )
    ]
    if units:
        reasons.append(
            Reason(
                gettext_noop("Staf minimum selama jam layanan di {units}"),
                {"units": ", ".join(sorted(units))},
                subject="solver",
            )
        )
    if trainers:
        reasons.append(
            Reason(
                gettext_noop("Pelatih {trainers} hanya dapat memegang satu sesi pada satu waktu"),
                {"trainers": group_words(trainers)},
                subject="solver",
            )
        )
    if venues:
        reasons.append(
            Reason(
                gettext_noop("Ruang {venues} hanya dapat dipakai satu sesi pada satu waktu"),
                {"venues": group_words(venues)},
                subject="solver",
            )
        )
    return reasons
