"""Why a plan cannot be made: checks before solving, in the users' words and with dates.

Each :class:`Reason` names the constraint that cannot be met and for whom ("Puskesmas Oesapa:
3 dari 4 petugas garis depannya akan pergi pada Selasa, 12 Mei 2026 (pagi); minimumnya 2").
Messages are Indonesian msgids translated through the gettext catalog; dates and half-days
are formatted for the language they are shown in.

:func:`precheck` finds what can be told for sure from the input alone (a minimum higher than
the staff, a module a participant has no time or no mode for, absences forced on a unit on one
half-day, more time away than a unit can spare, not enough trainers or rooms). What only the
solver can find is explained from its assumption literals
(:func:`tilik.core.schedule.solver.solve`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date

from tilik.core.i18n import DEFAULT_LANGUAGE, gettext_noop, translate
from tilik.core.schedule.model import Module, Participant, Plan

__all__ = ["Msg", "Reason", "options_for", "precheck", "session_starts", "starts"]


class Msg(str):
    """A parameter that is itself an Indonesian msgid, translated when shown."""


_HALF_MSG = (Msg(gettext_noop("pagi")), Msg(gettext_noop("siang")))
_MAX_NAMED = 6


@dataclass(frozen=True)
class Reason:
    """One constraint that cannot be met, and for whom."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    subject: str = ""  # code of the unit, participant, module, trainer or venue
    severity: str = "error"

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.message, lang).format(
            **{k: _shown(v, lang) for k, v in self.params.items()}
        )

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "severity": self.severity,
            "id": self.render("id"),
            "en": self.render("en"),
            "text": self.render(lang),
        }


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, Msg):
        return translate(str(value), lang)
    if isinstance(value, date):
        return format_date(value, "EEEE, d MMMM yyyy", locale="id" if lang == "id" else "en")
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v, lang) for v in value)
    return str(value)


def _names(codes: list[str]) -> str:
    shown = ", ".join(codes[:_MAX_NAMED])
    return shown + (f" (+{len(codes) - _MAX_NAMED})" if len(codes) > _MAX_NAMED else "")


def session_starts(plan: Plan) -> dict[tuple[str, str], list[int]]:
    """For each (module, mode), the start slots at which a session can be held: a trainer who
    teaches it in that mode and a room (for classroom) are free for the whole session."""
    calendar = plan.calendar
    out: dict[tuple[str, str], list[int]] = {}
    for module in plan.modules.values():
        length = module.slots(calendar.jp_per_slot)
        for code in module.modes:
            mode = plan.modes.get(code)
            if mode is None:
                continue
            trainers = [t for t in plan.trainers if module.code in t.modules and code in t.modes]
            valid = []
            for start in starts(module, calendar.n_slots, calendar.jp_per_slot):
                session = range(start, start + length)
                if mode.trainer and not any(t.unavailable.isdisjoint(session) for t in trainers):
                    continue
                if mode.venue and not any(v.unavailable.isdisjoint(session) for v in plan.venues):
                    continue
                valid.append(start)
            out[(module.code, code)] = valid
    return out


def options_for(
    plan: Plan,
    person: Participant,
    module: Module,
    valid: Mapping[tuple[str, str], list[int]] | None = None,
) -> list[tuple[str, int]]:
    """Every (mode, start slot) in which ``person`` could take ``module`` on their own: the mode
    is allowed and reachable from their district, a trainer and a room are free for the session
    (``valid``, from :func:`session_starts`), and the participant is free for the whole time
    away (travel included) inside the calendar."""
    valid = valid if valid is not None else session_starts(plan)
    n_slots = plan.calendar.n_slots
    district = plan.districts[person.district]
    out = []
    for code in module.modes:
        mode = plan.modes.get(code)
        if mode is None or (mode.online and mode.trainer and not district.live_online):
            continue
        for start in valid.get((module.code, code), ()):
            away = plan.away_slots(module, mode, district, start)
            if away.start < 0 or away.stop > n_slots:
                continue
            if person.unavailable and not person.unavailable.isdisjoint(away):
                continue
            out.append((code, start))
    return out


def starts(module: Module, n_slots: int, jp_per_slot: int) -> range:
    """Start slots of a module's sessions: any half-day for a half-day module, otherwise the
    morning of a day (a session of several half-days runs on consecutive half-days)."""
    length = module.slots(jp_per_slot)
    if length == 1:
        return range(0, n_slots)
    return range(0, n_slots - length + 1, 2)


def _slot_words(plan: Plan, slot: int) -> tuple[date, Msg]:
    return plan.calendar.slot_date(slot), _HALF_MSG[slot % 2]


def _minimum_above_staff(plan: Plan) -> list[Reason]:
    reasons = []
    for unit in plan.units.values():
        bad = [
            t for t in range(plan.calendar.n_slots) if unit.minimum_at(t) > unit.front_line_staff
        ]
        if not bad:
            continue
        first, last = bad[0], bad[-1]
        reasons.append(
            Reason(
                gettext_noop(
                    "{unit}: minimum {minimum} petugas garis depan harus bertugas antara "
                    "{first} dan {last}{why}, padahal petugas garis depannya hanya {staff}"
                ),
                {
                    "unit": unit.name,
                    "minimum": max(unit.minimum_at(t) for t in bad),
                    "first": plan.calendar.slot_date(first),
                    "last": plan.calendar.slot_date(last),
                    "why": f" ({unit.busy_reason(first)})" if unit.busy_reason(first) else "",
                    "staff": unit.front_line_staff,
                },
                subject=unit.code,
            )
        )
    return reasons


def _no_option(plan: Plan, person: Participant, module: Module) -> Reason:
    """Why ``person`` has no way to take ``module``: the first cause that applies."""
    district = plan.districts[person.district]
    calendar = plan.calendar
    usable = [plan.modes[c] for c in module.modes if c in plan.modes]
    reachable = [m for m in usable if not (m.online and m.trainer and not district.live_online)]
    params: dict[str, Any] = {
        "person": person.code,
        "unit": plan.units[person.unit].name,
        "module": module.name,
        "jp": module.jp,
        "length": module.slots(calendar.jp_per_slot),
    }
    if usable and not reachable:
        return Reason(
            gettext_noop(
                "{person} ({unit}): modul «{module}» hanya dapat diikuti daring langsung, "
                "sedangkan kecamatan/pulau «{district}» tidak punya sambungan yang cukup"
            ),
            {**params, "district": district.name},
            subject=person.code,
        )
    led = [m for m in reachable if m.trainer]
    if (
        led
        and len(led) == len(reachable)
        and not any(
            module.code in t.modules and m.code in t.modes for t in plan.trainers for m in led
        )
    ):
        return Reason(
            gettext_noop(
                "Modul «{module}»: tidak ada pelatih yang mengajarkannya dengan moda {modes}"
            ),
            {**params, "modes": ", ".join(m.name for m in led)},
            subject=module.code,
        )
    if all(m.venue for m in reachable) and not plan.venues:
        return Reason(
            gettext_noop("Modul «{module}» hanya tatap muka, tetapi tidak ada tempat pelatihan"),
            params,
            subject=module.code,
        )
    free = [t for t in range(calendar.n_slots) if t not in person.unavailable]
    longest = current = 0
    previous = -2
    for t in free:
        current = current + 1 if t == previous + 1 else 1
        longest = max(longest, current)
        previous = t
    return Reason(
        gettext_noop(
            "{person} ({unit}): modul «{module}» ({jp} JP) butuh {length} setengah hari "
            "berturut-turut (ditambah perjalanan untuk kelas), tetapi dalam kalender ini "
            "{person} paling lama bebas {longest} setengah hari berturut-turut saat pelatih "
            "dan tempat tersedia"
        ),
        {**params, "longest": longest},
        subject=person.code,
    )


def precheck(plan: Plan) -> list[Reason]:
    """Constraints that certainly cannot all be met, found without solving (empty if none)."""
    reasons = _minimum_above_staff(plan)
    calendar = plan.calendar
    n_slots = calendar.n_slots
    # A unit's front-line participants that must be away in a given slot whatever the plan.
    forced: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    least_away: dict[str, int] = defaultdict(int)
    valid = session_starts(plan)
    only_led: dict[str, list[str]] = defaultdict(list)  # module -> people who need a trainer
    only_room: dict[str, list[str]] = defaultdict(list)
    for person in plan.participants:
        unit = plan.units[person.unit]
        district = plan.districts[person.district]
        for module in plan.modules_of(person):
            if not module.required:
                continue
            options = options_for(plan, person, module, valid)
            if not options:
                reasons.append(_no_option(plan, person, module))
                continue
            modes = {m for m, _ in options}
            if all(plan.modes[m].trainer for m in modes):
                only_led[module.code].append(person.code)
            if all(plan.modes[m].venue for m in modes):
                only_room[module.code].append(person.code)
            if not person.front_line:
                continue
            covered = None
            least = n_slots
            for code, start in options:
                away = set(plan.away_slots(module, plan.modes[code], district, start))
                covered = away if covered is None else covered & away
                least = min(least, sum(1 for s in away if unit.minimum_at(s) > 0))
            least_away[unit.code] += least
            for slot in covered or ():
                forced[unit.code][slot].append((person.code, module.name))
    for unit_code, by_slot in forced.items():
        unit = plan.units[unit_code]
        for slot in sorted(by_slot):
            people = by_slot[slot]
            minimum = unit.minimum_at(slot)
            if minimum and unit.front_line_staff - len({p for p, _ in people}) < minimum:
                day, half = _slot_words(plan, slot)
                who = sorted({p for p, _ in people})
                reasons.append(
                    Reason(
                        gettext_noop(
                            "{unit}: {away} dari {staff} petugas garis depannya akan pergi "
                            "pada {day} ({half}) — hanya saat itu {who} dapat mengikuti {modules}; "
                            "minimumnya {minimum}"
                        ),
                        {
                            "unit": unit.name,
                            "away": len(who),
                            "staff": unit.front_line_staff,
                            "day": day,
                            "half": half,
                            "who": _names(who),
                            "modules": ", ".join(sorted({f"«{m}»" for _, m in people})),
                            "minimum": minimum,
                        },
                        subject=unit.code,
                    )
                )
                break  # the first such half-day says enough for this unit
    for unit in plan.units.values():
        room = sum(
            max(0, unit.front_line_staff - unit.minimum_at(t))
            for t in range(n_slots)
            if unit.minimum_at(t) > 0
        )
        if least_away[unit.code] > room:
            reasons.append(
                Reason(
                    gettext_noop(
                        "{unit}: peserta garis depannya perlu paling sedikit {need} setengah hari "
                        "pergi selama jam layanan, tetapi dengan minimum {minimum} dari {staff} "
                        "petugas yang harus bertugas, hanya {room} setengah hari yang dapat "
                        "dilepas dalam {weeks} minggu"
                    ),
                    {
                        "unit": unit.name,
                        "need": least_away[unit.code],
                        "minimum": unit.minimum,
                        "staff": unit.front_line_staff,
                        "room": room,
                        "weeks": calendar.weeks,
                    },
                    subject=unit.code,
                )
            )
    reasons += _capacity(plan, only_led, only_room)
    reasons += _target_out_of_reach(plan)
    return reasons


def _capacity(
    plan: Plan, only_led: Mapping[str, list[str]], only_room: Mapping[str, list[str]]
) -> list[Reason]:
    reasons = []
    calendar = plan.calendar
    n_slots = calendar.n_slots
    led_modes = [m for m in plan.modes.values() if m.trainer]
    room_modes = [m for m in plan.modes.values() if m.venue]
    for code, people in only_led.items():
        module = plan.modules[code]
        capacity = max((m.capacity for m in led_modes if m.code in module.modes), default=1)
        sessions = math.ceil(len(people) / capacity)
        need = sessions * module.slots(calendar.jp_per_slot)
        teachers = [t for t in plan.trainers if code in t.modules]
        free = sum(n_slots - len(t.unavailable) for t in teachers)
        if need > free:
            reasons.append(
                Reason(
                    gettext_noop(
                        "Modul «{module}»: {people} peserta hanya dapat mengikutinya bersama "
                        "pelatih, jadi perlu paling sedikit {sessions} sesi ({need} setengah "
                        "hari pelatih), tetapi pelatihnya ({trainers}) hanya bebas {free} "
                        "setengah hari"
                    ),
                    {
                        "module": module.name,
                        "people": len(people),
                        "sessions": sessions,
                        "need": need,
                        "trainers": _names([t.code for t in teachers]) or "—",
                        "free": free,
                    },
                    subject=code,
                )
            )
    biggest = max((v.capacity for v in plan.venues), default=0)
    for code, people in only_room.items():
        module = plan.modules[code]
        capacity = min(max((m.capacity for m in room_modes), default=1), biggest or 1)
        sessions = math.ceil(len(people) / capacity)
        need = sessions * module.slots(calendar.jp_per_slot)
        free = sum(n_slots - len(v.unavailable) for v in plan.venues)
        if need > free:
            reasons.append(
                Reason(
                    gettext_noop(
                        "Modul «{module}»: {people} peserta hanya dapat mengikutinya di kelas, "
                        "jadi perlu paling sedikit {sessions} sesi ({need} setengah hari ruang), "
                        "tetapi ruang pelatihan hanya tersedia {free} setengah hari"
                    ),
                    {
                        "module": module.name,
                        "people": len(people),
                        "sessions": sessions,
                        "need": need,
                        "free": free,
                    },
                    subject=code,
                )
            )
    return reasons


def _target_out_of_reach(plan: Plan) -> list[Reason]:
    """Participants who cannot reach the yearly JP target even with every optional module:
    a warning (the plan still gives them everything it can)."""
    short: list[str] = []
    for person in plan.participants:
        optional = sum(m.jp for m in plan.modules_of(person) if not m.required)
        if plan.extra_jp_needed(person) > optional:
            short.append(person.code)
    if not short:
        return []
    return [
        Reason(
            gettext_noop(
                "{count} peserta ({who}) tidak dapat mencapai {target} JP tahun ini walaupun "
                "mengikuti semua modul pilihan"
            ),
            {"count": len(short), "who": _names(short), "target": plan.options.jp_target},
            subject="jp",
            severity="warning",
        )
    ]


def group_words(codes: Iterable[str]) -> str:
    """Codes joined for a sentence, the first few named and the rest counted."""
    return _names(sorted(codes))
