"""Reading a training plan from YAML (``jadwal.yaml``), with a clear message for every mistake.

Keys are English, values in the users' language, as in ``evaluasi.yaml``::

    title: "Jadwal fleksibel Pelatihan Pelayanan Prima 2026"
    calendar: {start: 2026-02-02, weeks: 8, holidays: [2026-02-17]}
    modes:
      kelas:   {capacity: 30, session_cost: 1500000}   # classroom: trainer, venue, travel
      daring:  {capacity: 40}                          # live online: trainer, a connection
      mandiri: {capacity: 200}                         # self-paced e-learning
    modules:
      - {code: M1, name: "Etika pelayanan", jp: 8, modes: [kelas, daring]}
      - {code: M6, name: "Literasi digital", jp: 4, modes: [mandiri], required: false}
    districts:
      - {code: alak, name: "Alak", travel_cost: 150000, travel_slots: 0, live_online: true}
    units:
      - code: puskesmas_oesapa
        name: "Puskesmas Oesapa"
        district: alak
        front_line_staff: 4
        minimum: 2
        service: [pagi]
        busy:
          - {reason: "akhir bulan", month_end: 3, minimum: 3}
          - {reason: "BIAS", from: 2026-03-02, to: 2026-03-06}   # no minimum: nobody leaves
    trainers:
      - {code: W01, modules: [M1, M2], modes: [kelas, daring], unavailable: [2026-02-10]}
    venues:
      - {code: aula, name: "Aula BKPSDM", capacity: 30}
    participants:
      - {code: P001, unit: puskesmas_oesapa, front_line: true, jp_year: 4,
         unavailable: ["2026-02-11 pagi", {from: 2026-03-09, to: 2026-03-13}]}
    options: {time_limit: 60, names_in_calendar: false, cost_per_day: 500000}

:func:`read_plan` returns the :class:`~tilik.core.schedule.model.Plan` and a list of
:class:`~tilik.core.problems.Problem` naming the file, line, field, value and what was expected;
the plan is ``None`` when any problem is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from tilik.core.i18n import gettext_noop
from tilik.core.nip import mask_nip, parse_nip
from tilik.core.problems import Problem
from tilik.core.schedule.model import (
    HALVES,
    BusyPeriod,
    Calendar,
    District,
    Mode,
    Module,
    Options,
    Participant,
    Plan,
    Trainer,
    Unit,
    Venue,
)

__all__ = ["MODE_KINDS", "WEEKDAYS", "dump_plan", "parse_plan", "read_plan"]

MODE_KINDS: dict[str, dict[str, Any]] = {
    "kelas": {
        "name": "Kelas tatap muka",
        "trainer": True,
        "venue": True,
        "travel": True,
        "online": False,
        "capacity": 30,
    },
    "daring": {
        "name": "Daring langsung",
        "trainer": True,
        "venue": False,
        "travel": False,
        "online": True,
        "capacity": 40,
    },
    "mandiri": {
        "name": "E-learning mandiri",
        "trainer": False,
        "venue": False,
        "travel": False,
        "online": True,
        "capacity": 500,
    },
}
"""The three delivery modes and what each needs."""

WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat")
_MAX_WEEKS = 53
_HALF_WORDS = {"pagi": 0, "siang": 1, "morning": 0, "afternoon": 1}


class _Reader:
    """Walks the parsed YAML, converting values and collecting problems with line numbers."""

    def __init__(self, file: str, lines: Mapping[tuple[Any, ...], int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(
        self,
        path: tuple[Any, ...],
        message: str,
        value: Any = None,
        expected: str = "",
        severity: str = "error",
        **params: Any,
    ) -> None:
        line = None
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                line = self.lines[path[:cut]]
                break
        self.problems.append(
            Problem(
                message,
                file=self.file,
                row=line,
                column=_dotted(path),
                value=None if value is None else str(value),
                expected=expected,
                severity=severity,
                params=params,
            )
        )

    # -- scalars

    def integer(
        self, data: Mapping[str, Any], key: str, path: tuple[Any, ...], default: int | None = None
    ) -> int | None:
        value = data.get(key, default)
        if value is None:
            if default is None:
                self.problem((*path, key), gettext_noop("wajib diisi"), expected=_INT)
            return default
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem((*path, key), gettext_noop("bukan bilangan bulat"), value, _INT)
            return default
        text = (
            str(value).strip().replace(".", "").replace("_", "") if isinstance(value, str) else ""
        )
        try:
            number = int(text) if isinstance(value, str) else value
        except ValueError:
            self.problem((*path, key), gettext_noop("bukan bilangan bulat"), value, _INT)
            return default
        if isinstance(number, float) and not number.is_integer():
            self.problem((*path, key), gettext_noop("bukan bilangan bulat"), value, _INT)
            return default
        if number < 0:
            self.problem((*path, key), gettext_noop("tidak boleh negatif"), value, _INT)
            return default
        return int(number)

    def text(
        self, data: Mapping[str, Any], key: str, path: tuple[Any, ...], default: str = ""
    ) -> str:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, Mapping | list):
            self.problem((*path, key), gettext_noop("bukan teks"), value, gettext_noop("teks"))
            return default
        return str(value).strip()

    def code(self, data: Mapping[str, Any], path: tuple[Any, ...]) -> str:
        value = self.text(data, "code", path)
        if not value:
            self.problem((*path, "code"), gettext_noop("wajib diisi"), expected=_CODE)
        elif not _CODE_RE.fullmatch(value):
            self.problem((*path, "code"), gettext_noop("kode tidak sah"), value, _CODE)
        return value

    def flag(self, data: Mapping[str, Any], key: str, path: tuple[Any, ...], default: bool) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        words = {"ya": True, "yes": True, "tidak": False, "no": False, 1: True, 0: False}
        if isinstance(value, str | int) and str(value).strip().lower() in map(str, words):
            return {str(k): v for k, v in words.items()}[str(value).strip().lower()]
        self.problem(
            (*path, key), gettext_noop("bukan ya/tidak"), value, gettext_noop("true atau false")
        )
        return default

    def day(self, value: Any, path: tuple[Any, ...]) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(path, gettext_noop("bukan tanggal"), value, _DATE)
            return None

    def codes(
        self,
        data: Mapping[str, Any],
        key: str,
        path: tuple[Any, ...],
        known: Iterable[str],
        expected: str,
    ) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [v for v in re.split(r"[\s,]+", value) if v]
        if not isinstance(value, list):
            self.problem((*path, key), gettext_noop("bukan daftar"), value, expected)
            return None
        allowed = set(known)
        out = []
        for index, item in enumerate(value):
            text = str(item).strip()
            if text not in allowed:
                self.problem(
                    (*path, key, index),
                    gettext_noop("kode tidak dikenal"),
                    text,
                    expected,
                    known=", ".join(sorted(allowed)),
                )
            elif text not in out:
                out.append(text)
        return tuple(out)

    def items(self, data: Mapping[str, Any], key: str, required: bool = True) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((key,), gettext_noop("bagian wajib tidak ada"), expected=_LIST)
            return []
        if not isinstance(value, list):
            self.problem((key,), gettext_noop("bukan daftar"), type(value).__name__, _LIST)
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                out.append(item)
            else:
                self.problem((key, index), gettext_noop("bukan pemetaan kunci: nilai"), item, _MAP)
        return out

    def unique(self, codes: list[tuple[str, tuple[Any, ...]]]) -> None:
        seen: set[str] = set()
        for code, path in codes:
            if code and code in seen:
                self.problem((*path, "code"), gettext_noop("kode ini sudah dipakai di atas"), code)
            seen.add(code)

    # -- slots

    def slots(self, value: Any, path: tuple[Any, ...], calendar: Calendar) -> frozenset[int]:
        """Slots named by a list of dates, "date pagi|siang", or {from, to} ranges."""
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            value = [value]
        out: set[int] = set()
        for index, item in enumerate(value):
            where = (*path, index)
            if isinstance(item, Mapping):
                first = self.day(item.get("from"), (*where, "from"))
                last = self.day(item.get("to", item.get("from")), (*where, "to"))
                if first and last:
                    if last < first:
                        self.problem(
                            where, gettext_noop("tanggal akhir sebelum tanggal awal"), last
                        )
                    out.update(calendar.slots_between(first, last))
                continue
            text = item.isoformat() if isinstance(item, date) else str(item).strip()
            parts = text.replace("/", " ").split()
            day = self.day(parts[0] if parts else "", where) if parts else None
            if day is None:
                if not parts:
                    self.problem(where, gettext_noop("bukan tanggal"), item, _DATE)
                continue
            half = None
            if len(parts) > 1:
                half = _HALF_WORDS.get(parts[1].lower())
                if half is None:
                    self.problem(where, gettext_noop("separuh hari tidak dikenal"), parts[1], _HALF)
                    continue
            out.update(calendar.slots_of(day, half))
        return frozenset(out)


_INT = gettext_noop("bilangan bulat 0 atau lebih")
_CODE = gettext_noop("huruf, angka, _ atau - (tanpa spasi)")
_DATE = gettext_noop("tanggal TTTT-BB-HH")
_HALF = gettext_noop("pagi atau siang")
_LIST = gettext_noop("daftar (- ...)")
_MAP = gettext_noop("kunci: nilai")
_CODE_RE = re.compile(r"\w[\w.-]{0,79}")


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else ("." if out else "") + str(step)
    return out


def _line_map(text: str) -> dict[tuple[Any, ...], int]:
    """Line (1-based) of every key and list item of a YAML document, by its path."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                step = key.value
                lines[(*path, step)] = key.start_mark.line + 1
                walk(value, (*path, step))
                lines[(*path, step)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    if root is not None:
        walk(root, ())
    return lines


def _time_range(text: str) -> tuple[time, time] | None:
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*", text)
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1):
        return None
    return time(h1, m1), time(h2, m2)


def _calendar(r: _Reader, data: Mapping[str, Any]) -> Calendar | None:
    raw = data.get("calendar")
    if not isinstance(raw, Mapping):
        r.problem(("calendar",), gettext_noop("bagian wajib tidak ada"), expected=_MAP)
        return None
    path = ("calendar",)
    start = r.day(raw.get("start"), (*path, "start")) if raw.get("start") else None
    if start is None and not raw.get("start"):
        r.problem((*path, "start"), gettext_noop("wajib diisi"), expected=_DATE)
    weeks = r.integer(raw, "weeks", path, 8)
    if weeks is not None and not 1 <= weeks <= _MAX_WEEKS:
        r.problem((*path, "weeks"), gettext_noop("di luar rentang"), weeks, "1–53")
        weeks = None
    holidays: set[date] = set()
    for index, item in enumerate(raw.get("holidays") or []):
        day = r.day(item, (*path, "holidays", index))
        if day:
            holidays.add(day)
    jp_per_slot = r.integer(raw, "jp_per_slot", path, 4)
    slot_hours = raw.get("slot_hours", 4)
    if not isinstance(slot_hours, int | float) or isinstance(slot_hours, bool) or slot_hours <= 0:
        r.problem((*path, "slot_hours"), gettext_noop("bukan bilangan positif"), slot_hours)
        slot_hours = 4
    times = list(Calendar.times)
    for half, word in enumerate(HALVES):
        text = (raw.get("times") or {}).get(word) if isinstance(raw.get("times"), Mapping) else None
        if text is not None:
            parsed = _time_range(str(text))
            if parsed is None:
                r.problem(
                    (*path, "times", word), gettext_noop("bukan rentang jam"), text, "08:00-12:00"
                )
            else:
                times[half] = parsed
    if start is None or weeks is None or not jp_per_slot:
        if jp_per_slot == 0:
            r.problem((*path, "jp_per_slot"), gettext_noop("harus lebih dari 0"), 0)
        return None
    calendar = Calendar(
        start=start,
        weeks=weeks,
        holidays=frozenset(holidays),
        jp_per_slot=jp_per_slot,
        slot_hours=float(slot_hours),
        times=(times[0], times[1]),
        timezone=r.text(raw, "timezone", path, "Asia/Makassar"),
    )
    if calendar.n_slots == 0:
        r.problem(path, gettext_noop("kalender tidak punya hari kerja"), f"{start} + {weeks}")
        return None
    return calendar


def _modes(r: _Reader, data: Mapping[str, Any]) -> dict[str, Mode]:
    raw = data.get("modes")
    if raw is None:
        raw = {code: {} for code in MODE_KINDS}
    if not isinstance(raw, Mapping):
        r.problem(("modes",), gettext_noop("bukan pemetaan kunci: nilai"), raw, _MAP)
        return {}
    out = {}
    for code, spec in raw.items():
        path = ("modes", str(code))
        kind = MODE_KINDS.get(str(code))
        if kind is None:
            r.problem(path, gettext_noop("moda tidak dikenal"), code, "kelas, daring, mandiri")
            continue
        spec = spec if isinstance(spec, Mapping) else {}
        capacity = r.integer(spec, "capacity", path, kind["capacity"])
        if capacity == 0:
            r.problem((*path, "capacity"), gettext_noop("harus lebih dari 0"), 0)
            continue
        out[str(code)] = Mode(
            code=str(code),
            name=r.text(spec, "name", path, kind["name"]),
            capacity=capacity or kind["capacity"],
            trainer=kind["trainer"],
            venue=kind["venue"],
            travel=kind["travel"],
            online=kind["online"],
            session_cost=r.integer(spec, "session_cost", path, 0) or 0,
        )
    return out


def _modules(r: _Reader, data: Mapping[str, Any], modes: Mapping[str, Mode]) -> dict[str, Module]:
    out: dict[str, Module] = {}
    codes = []
    for index, item in enumerate(r.items(data, "modules")):
        path = ("modules", index)
        code = r.code(item, path)
        codes.append((code, path))
        jp = r.integer(item, "jp", path)
        chosen = r.codes(item, "modes", path, modes, gettext_noop("kode moda di bagian modes"))
        if chosen is None and "modes" not in item:
            chosen = tuple(modes)
        if jp == 0:
            r.problem((*path, "jp"), gettext_noop("harus lebih dari 0"), 0)
        if not chosen:
            r.problem(
                (*path, "modes"),
                gettext_noop("modul tanpa moda"),
                expected="kelas, daring, mandiri",
            )
        if code and jp and chosen:
            out[code] = Module(
                code=code,
                name=r.text(item, "name", path, code),
                jp=jp,
                modes=chosen,
                required=r.flag(item, "required", path, True),
            )
    r.unique(codes)
    return out


def _districts(r: _Reader, data: Mapping[str, Any]) -> dict[str, District]:
    out: dict[str, District] = {}
    codes = []
    for index, item in enumerate(r.items(data, "districts", required=False)):
        path = ("districts", index)
        code = r.code(item, path)
        codes.append((code, path))
        if code:
            out[code] = District(
                code=code,
                name=r.text(item, "name", path, code),
                travel_cost=r.integer(item, "travel_cost", path, 0) or 0,
                daily_cost=r.integer(item, "daily_cost", path, 0) or 0,
                travel_slots=r.integer(item, "travel_slots", path, 0) or 0,
                live_online=r.flag(item, "live_online", path, True),
            )
    r.unique(codes)
    if not out:
        out["_"] = District(code="_", name="—")
    return out


def _busy(
    r: _Reader, item: Mapping[str, Any], path: tuple[Any, ...], calendar: Calendar, staff: int
) -> BusyPeriod | None:
    reason = r.text(item, "reason", path) or gettext_noop("masa sibuk")
    minimum = r.integer(item, "minimum", path, staff)
    slots: set[int] = set()
    if "month_end" in item:
        days = r.integer(item, "month_end", path, 3) or 0
        by_month: dict[tuple[int, int], list[date]] = {}
        for day in calendar.days:
            by_month.setdefault((day.year, day.month), []).append(day)
        for month_days in by_month.values():
            for day in month_days[-days:] if days else []:
                slots.update(calendar.slots_of(day))
    elif "weekdays" in item:
        chosen = r.codes(item, "weekdays", path, WEEKDAYS, gettext_noop("senin … jumat"))
        numbers = {WEEKDAYS.index(w) for w in chosen or ()}
        slots.update(
            t for t in range(calendar.n_slots) if calendar.slot_date(t).weekday() in numbers
        )
    elif "from" in item:
        first = r.day(item.get("from"), (*path, "from"))
        last = r.day(item.get("to", item.get("from")), (*path, "to"))
        if first and last:
            slots.update(calendar.slots_between(first, last))
    else:
        r.problem(
            path,
            gettext_noop("masa sibuk tanpa waktu"),
            expected=gettext_noop("from/to, month_end, atau weekdays"),
        )
        return None
    halves = r.codes(item, "halves", path, HALVES, _HALF)
    if halves:
        keep = {HALVES.index(h) for h in halves}
        slots = {t for t in slots if t % 2 in keep}
    return BusyPeriod(
        reason=reason, minimum=minimum if minimum is not None else staff, slots=frozenset(slots)
    )


def _units(
    r: _Reader, data: Mapping[str, Any], calendar: Calendar, districts: Mapping[str, District]
) -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    codes = []
    for index, item in enumerate(r.items(data, "units")):
        path = ("units", index)
        code = r.code(item, path)
        codes.append((code, path))
        staff = r.integer(item, "front_line_staff", path)
        minimum = r.integer(item, "minimum", path, 0)
        district = r.text(item, "district", path, next(iter(districts)))
        if district not in districts:
            r.problem(
                (*path, "district"),
                gettext_noop("kode tidak dikenal"),
                district,
                gettext_noop("kode di bagian districts"),
                known=", ".join(districts),
            )
        service = r.codes(item, "service", path, HALVES, _HALF)
        if service == ():
            service = None
        busy = []
        raw_busy = item.get("busy") or []
        if not isinstance(raw_busy, list):
            r.problem((*path, "busy"), gettext_noop("bukan daftar"), raw_busy, _LIST)
            raw_busy = []
        for b_index, b_item in enumerate(raw_busy):
            if not isinstance(b_item, Mapping):
                r.problem(
                    (*path, "busy", b_index),
                    gettext_noop("bukan pemetaan kunci: nilai"),
                    b_item,
                    _MAP,
                )
                continue
            period = _busy(r, b_item, (*path, "busy", b_index), calendar, staff or 0)
            if period:
                busy.append(period)
        if code and staff is not None:
            out[code] = Unit(
                code=code,
                name=r.text(item, "name", path, code),
                organisation=r.text(item, "organisation", path),
                district=district,
                front_line_staff=staff,
                minimum=minimum or 0,
                service_halves=tuple(HALVES.index(h) for h in service) if service else (0, 1),
                busy=tuple(busy),
            )
    r.unique(codes)
    return out


def _people(
    r: _Reader,
    data: Mapping[str, Any],
    calendar: Calendar,
    units: Mapping[str, Unit],
    districts: Mapping[str, District],
    modules: Mapping[str, Module],
) -> list[Participant]:
    out = []
    codes = []
    for index, item in enumerate(r.items(data, "participants")):
        path = ("participants", index)
        code = r.code(item, path)
        if code and parse_nip(code) is not None:
            # The code shows on every page, file name and link of the schedule.
            r.problem(
                (*path, "code"),
                gettext_noop("kode peserta berupa NIP"),
                mask_nip(code),
                gettext_noop("kode samaran, bukan NIP (NIP tidak boleh tampil di jadwal)"),
            )
            code = ""
        codes.append((code, path))
        unit = r.text(item, "unit", path)
        if unit not in units:
            if unit:
                r.problem(
                    (*path, "unit"),
                    gettext_noop("kode tidak dikenal"),
                    unit,
                    gettext_noop("kode di bagian units"),
                    known=", ".join(sorted(units)),
                )
            else:
                r.problem(
                    (*path, "unit"),
                    gettext_noop("wajib diisi"),
                    expected=gettext_noop("kode di bagian units"),
                )
            continue
        district = r.text(item, "district", path, units[unit].district)
        if district not in districts:
            r.problem(
                (*path, "district"),
                gettext_noop("kode tidak dikenal"),
                district,
                gettext_noop("kode di bagian districts"),
                known=", ".join(sorted(districts)),
            )
            continue
        chosen = r.codes(
            item, "modules", path, modules, gettext_noop("kode modul di bagian modules")
        )
        if code:
            out.append(
                Participant(
                    code=code,
                    unit=unit,
                    front_line=r.flag(item, "front_line", path, True),
                    district=district,
                    jp_year=r.integer(item, "jp_year", path, 0) or 0,
                    unavailable=r.slots(item.get("unavailable"), (*path, "unavailable"), calendar),
                    modules=chosen,
                    name=r.text(item, "name", path),
                )
            )
    r.unique(codes)
    for held in units.values():
        front = [p for p in out if p.unit == held.code and p.front_line]
        if len(front) > held.front_line_staff:
            r.problem(
                ("units", list(units).index(held.code), "front_line_staff"),
                gettext_noop(
                    "{unit}: {count} peserta garis depan, lebih banyak dari petugas garis depannya"
                ),
                held.front_line_staff,
                gettext_noop("paling sedikit sebanyak peserta garis depan unit ini"),
                unit=held.name,
                count=len(front),
            )
    return out


def _trainers(
    r: _Reader,
    data: Mapping[str, Any],
    calendar: Calendar,
    modules: Mapping[str, Module],
    modes: Mapping[str, Mode],
) -> list[Trainer]:
    out = []
    codes = []
    led = [code for code, mode in modes.items() if mode.trainer]
    for index, item in enumerate(r.items(data, "trainers", required=False)):
        path = ("trainers", index)
        code = r.code(item, path)
        codes.append((code, path))
        taught = r.codes(
            item, "modules", path, modules, gettext_noop("kode modul di bagian modules")
        )
        ways = r.codes(item, "modes", path, led, gettext_noop("kelas atau daring"))
        if code:
            out.append(
                Trainer(
                    code=code,
                    name=r.text(item, "name", path, code),
                    modules=taught if taught is not None else tuple(modules),
                    modes=ways if ways is not None else tuple(led),
                    unavailable=r.slots(item.get("unavailable"), (*path, "unavailable"), calendar),
                )
            )
    r.unique(codes)
    return out


def _venues(r: _Reader, data: Mapping[str, Any], calendar: Calendar) -> list[Venue]:
    out = []
    codes = []
    for index, item in enumerate(r.items(data, "venues", required=False)):
        path = ("venues", index)
        code = r.code(item, path)
        codes.append((code, path))
        capacity = r.integer(item, "capacity", path)
        if capacity == 0:
            r.problem((*path, "capacity"), gettext_noop("harus lebih dari 0"), 0)
        if code and capacity:
            out.append(
                Venue(
                    code=code,
                    name=r.text(item, "name", path, code),
                    capacity=capacity,
                    unavailable=r.slots(item.get("unavailable"), (*path, "unavailable"), calendar),
                )
            )
    r.unique(codes)
    return out


def _options(r: _Reader, data: Mapping[str, Any]) -> Options:
    raw = data.get("options") or {}
    if not isinstance(raw, Mapping):
        r.problem(("options",), gettext_noop("bukan pemetaan kunci: nilai"), raw, _MAP)
        raw = {}
    path = ("options",)
    defaults = Options()
    limit = raw.get("time_limit", defaults.time_limit)
    if not isinstance(limit, int | float) or isinstance(limit, bool) or limit <= 0:
        r.problem(
            (*path, "time_limit"),
            gettext_noop("bukan bilangan positif"),
            limit,
            gettext_noop("detik"),
        )
        limit = defaults.time_limit
    return Options(
        time_limit=float(limit),
        workers=max(1, r.integer(raw, "workers", path, defaults.workers) or 1),
        seed=r.integer(raw, "seed", path, 0) or 0,
        names_in_calendar=r.flag(raw, "names_in_calendar", path, False),
        cost_per_day=r.integer(raw, "cost_per_day", path, defaults.cost_per_day) or 0,
        jp_target=r.integer(raw, "jp_target", path, defaults.jp_target) or 0,
    )


def parse_plan(
    data: Any, file: str = "jadwal.yaml", text: str = ""
) -> tuple[Plan | None, list[Problem]]:
    """A plan from already-parsed YAML ``data``; ``text`` (the YAML source) gives line numbers."""
    r = _Reader(file, _line_map(text) if text else {})
    if not isinstance(data, Mapping):
        r.problem(
            (), gettext_noop("isi berkas bukan pemetaan kunci: nilai"), type(data).__name__, _MAP
        )
        return None, r.problems
    calendar = _calendar(r, data)
    modes = _modes(r, data)
    modules = _modules(r, data, modes)
    districts = _districts(r, data)
    if calendar is None:
        return None, r.problems
    units = _units(r, data, calendar, districts)
    participants = _people(r, data, calendar, units, districts, modules)
    trainers = _trainers(r, data, calendar, modules, modes)
    venues = _venues(r, data, calendar)
    options = _options(r, data)
    if not participants and not any(p.column.startswith("participants") for p in r.problems):
        r.problem(("participants",), gettext_noop("tidak ada peserta"), expected=_LIST)
    plan = Plan(
        title=r.text(data, "title", (), "") or gettext_noop("Jadwal pelatihan"),
        calendar=calendar,
        modes=modes,
        modules=modules,
        districts=districts,
        units=units,
        participants=participants,
        trainers=trainers,
        venues=venues,
        options=options,
        evaluation=r.text(data, "evaluation", ()),
        program=r.text(data, "program", ()),
    )
    if any(p.severity == "error" for p in r.problems):
        return None, r.problems
    return plan, r.problems


def read_plan(source: str | Path, *, text: str | None = None) -> tuple[Plan | None, list[Problem]]:
    """Read a plan file (or ``text`` with ``source`` as its name); never raises on bad content."""
    name = Path(source).name
    if text is None:
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            return None, [Problem(gettext_noop("berkas tidak ditemukan"), file=str(source))]
        except UnicodeDecodeError:
            return None, [Problem(gettext_noop("berkas bukan teks UTF-8"), file=name)]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [
            Problem(
                gettext_noop("YAML tidak dapat dibaca: {error}"),
                file=name,
                row=mark.line + 1 if mark else None,
                params={"error": getattr(exc, "problem", None) or str(exc)},
            )
        ]
    return parse_plan(data, name, text)


def dump_plan(data: Mapping[str, Any]) -> str:
    """A plan's dictionary as YAML in the canonical layout (keys in the order given)."""
    return yaml.safe_dump(
        dict(data), allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
