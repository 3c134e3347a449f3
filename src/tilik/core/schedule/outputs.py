"""A schedule as files: CSV and XLSX tables (safe from formula injection), iCalendar (.ics) per
participant and per trainer, and ``ringkasan.json``.

Participants and trainers appear by their codes only. A participant's name is written in one
place — the calendar name of their own .ics — and only when the plan opts in
(``options.names_in_calendar``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar as ICalendar
from icalendar import Event, Timezone

from tilik.core.exports import table_csv, tables_xlsx
from tilik.core.i18n import DEFAULT_LANGUAGE, gettext_noop, translate
from tilik.core.schedule.metrics import away_slots
from tilik.core.schedule.model import HALVES, Plan, Schedule, Session

__all__ = [
    "SCHEDULE_COLUMNS",
    "calendar_ics",
    "schedule_rows",
    "schedule_xlsx",
    "write_files",
]

SCHEDULE_COLUMNS = (
    "kode_peserta",
    "unit",
    "garis_depan",
    "modul",
    "nama_modul",
    "jp",
    "moda",
    "tanggal",
    "separuh_hari",
    "mulai",
    "tanggal_selesai",
    "selesai",
    "pelatih",
    "tempat",
    "sesi",
)
SESSION_COLUMNS = (
    "sesi",
    "modul",
    "nama_modul",
    "jp",
    "moda",
    "tanggal",
    "separuh_hari",
    "mulai",
    "tanggal_selesai",
    "selesai",
    "pelatih",
    "tempat",
    "peserta",
)
UNIT_COLUMNS = (
    "unit",
    "nama_unit",
    "tanggal",
    "separuh_hari",
    "petugas_garis_depan",
    "minimum",
    "pergi_fleksibel",
    "hadir_fleksibel",
    "pergi_kaku",
    "hadir_kaku",
)
PRODID = "-//Tilik//Jadwal pelatihan ASN//ID"


def _times(plan: Plan, session: Session) -> tuple[datetime, datetime]:
    first, _ = plan.calendar.slot_bounds(session.start)
    _, last = plan.calendar.slot_bounds(session.start + session.length - 1)
    return first, last


def _session_cells(plan: Plan, session: Session) -> list[Any]:
    begin, end = _times(plan, session)
    module = plan.modules[session.module]
    venue = next((v.name for v in plan.venues if v.code == session.venue), "")
    return [
        module.code,
        module.name,
        module.jp,
        session.mode,
        begin.date(),
        HALVES[session.start % 2],
        begin.strftime("%H:%M"),
        end.date(),
        end.strftime("%H:%M"),
        session.trainer,
        venue,
    ]


def schedule_rows(plan: Plan, schedule: Schedule) -> list[list[Any]]:
    """One row per participant and session (:data:`SCHEDULE_COLUMNS`), by participant."""
    sessions = schedule.by_participant()
    rows = []
    for person in sorted(plan.participants, key=lambda p: (p.unit, p.code)):
        for session in sessions.get(person.code, []):
            rows.append(
                [person.code, person.unit, "ya" if person.front_line else "tidak"]
                + _session_cells(plan, session)
                + [session.id]
            )
    return rows


def _session_rows(plan: Plan, schedule: Schedule) -> list[list[Any]]:
    count: dict[str, int] = {}
    for a in schedule.attendance:
        count[a.session] = count.get(a.session, 0) + 1
    return [
        [s.id, *_session_cells(plan, s), count.get(s.id, 0)]
        for s in sorted(schedule.sessions, key=lambda s: (s.start, s.id))
    ]


def _away(plan: Plan, schedule: Schedule, n_slots: int) -> dict[str, list[int]]:
    """Front-line staff of each unit away per slot (travel included), as the metrics count."""
    people = {p.code: p for p in plan.participants}
    away = {code: [0] * n_slots for code in plan.units}
    for code, sessions in schedule.by_participant().items():
        person = people[code]
        if person.front_line:
            for slot in away_slots(plan, person, sessions):
                if 0 <= slot < n_slots:
                    away[person.unit][slot] += 1
    return away


def _unit_rows(plan: Plan, flexible: Schedule, rigid: Schedule | None) -> list[list[Any]]:
    n_slots = plan.calendar.n_slots
    flex = _away(plan, flexible, n_slots)
    base = _away(plan, rigid, n_slots) if rigid else None
    rows = []
    for code, unit in plan.units.items():
        for slot in range(n_slots):
            minimum = unit.minimum_at(slot)
            if not minimum:
                continue
            row = [
                code,
                unit.name,
                plan.calendar.slot_date(slot),
                HALVES[slot % 2],
                unit.front_line_staff,
                minimum,
                flex[code][slot],
                unit.front_line_staff - flex[code][slot],
            ]
            if base is not None:
                row += [base[code][slot], unit.front_line_staff - base[code][slot]]
            rows.append(row)
    return rows


def _comparison_rows(summary: Mapping[str, Any], lang: str) -> list[list[Any]]:
    flex, rigid = summary["flexible"], summary["rigid"]
    labels = [
        ("completion", gettext_noop("Peserta yang menyelesaikan semua modul wajib (proporsi)")),
        ("share_target", gettext_noop("Peserta yang mencapai target JP tahunan (proporsi)")),
        ("shortfall_hours", gettext_noop("Kekurangan petugas di bawah minimum (jam-orang)")),
        ("half_days_below", gettext_noop("Setengah hari unit di bawah minimum")),
        ("units_below", gettext_noop("Unit yang pernah di bawah minimum")),
        ("travel_cost", gettext_noop("Biaya perjalanan (Rp)")),
        ("calendar_days", gettext_noop("Hari kalender")),
        ("sessions", gettext_noop("Sesi")),
    ]
    return [[translate(label, lang), flex[key], rigid[key]] for key, label in labels]


def calendar_ics(
    plan: Plan,
    sessions: Sequence[Session],
    name: str,
    owner: str,
    lang: str = DEFAULT_LANGUAGE,
) -> bytes:
    """An iCalendar file of ``sessions`` for one person (``owner`` is their code, used in UIDs;
    ``name`` is the calendar's display name). One event per day of each session."""
    zone = ZoneInfo(plan.calendar.timezone)
    cal = ICalendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", plan.calendar.timezone)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for session in sorted(sessions, key=lambda s: s.start):
        module = plan.modules[session.module]
        mode = plan.modes[session.mode]
        venue = next((v.name for v in plan.venues if v.code == session.venue), "")
        where = venue or translate(
            gettext_noop("Daring") if mode.trainer else gettext_noop("E-learning mandiri"), lang
        )
        days: dict[Any, list[int]] = {}
        for slot in session.slots:
            days.setdefault(plan.calendar.slot_date(slot), []).append(slot)
        for index, (_day, slots) in enumerate(sorted(days.items()), start=1):
            begin, _ = plan.calendar.slot_bounds(slots[0])
            _, end = plan.calendar.slot_bounds(slots[-1])
            event = Event()
            event.add("uid", f"{session.id}.{index}.{owner}@tilik")
            event.add("dtstamp", stamp)
            event.add("dtstart", begin.replace(tzinfo=zone))
            event.add("dtend", end.replace(tzinfo=zone))
            event.add("summary", f"{module.name} ({mode.name})")
            event.add("location", where)
            details = [f"{module.code} · {module.jp} JP", session.id]
            if session.trainer:
                details.append(
                    translate(gettext_noop("Pelatih: {code}"), lang).format(code=session.trainer)
                )
            event.add("description", "\n".join(details))
            event.add("transp", "OPAQUE")
            cal.add_component(event)
    if sessions:
        cal.add_component(_vtimezone(plan.calendar.timezone))
    return bytes(cal.to_ical())


@cache
def _vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of ``tzid`` (built once: icalendar derives it from tzdata, slowly)."""
    return Timezone.from_tzid(tzid)


def _calendar_name(lang: str, who: str) -> str:
    return translate(gettext_noop("Jadwal pelatihan — {who}"), lang).format(who=who)


def schedule_xlsx(
    plan: Plan,
    schedule: Schedule,
    rigid: Schedule | None = None,
    summary: Mapping[str, Any] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> bytes:
    """The workbook: ``jadwal`` (participant × session), ``sesi``, ``unit`` (staff away and
    present in every half-day with a minimum, both plans) and ``perbandingan``."""
    rows = schedule_rows(plan, schedule)
    sheets: list[tuple[str, Sequence[str], Any]] = [
        ("jadwal", SCHEDULE_COLUMNS, rows),
        ("sesi", SESSION_COLUMNS, _session_rows(plan, schedule)),
        (
            "unit",
            UNIT_COLUMNS if rigid else UNIT_COLUMNS[:-2],
            _unit_rows(plan, schedule, rigid),
        ),
    ]
    if summary is not None:
        header = [
            "",
            translate(gettext_noop("fleksibel"), lang),
            translate(gettext_noop("kaku"), lang),
        ]
        sheets.append(("perbandingan", header, _comparison_rows(summary, lang)))
    return tables_xlsx(sheets)


def write_files(
    plan: Plan,
    schedule: Schedule,
    out: Path,
    *,
    rigid: Schedule | None = None,
    summary: Mapping[str, Any] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> dict[str, Path]:
    """Write ``jadwal.csv``, ``jadwal.xlsx``, ``ics/peserta/<code>.ics``,
    ``ics/pelatih/<code>.ics`` and ``ringkasan.json`` (when ``summary`` is given) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    rows = schedule_rows(plan, schedule)
    written["jadwal.csv"] = out / "jadwal.csv"
    written["jadwal.csv"].write_bytes(table_csv(SCHEDULE_COLUMNS, rows))
    written["jadwal.xlsx"] = out / "jadwal.xlsx"
    written["jadwal.xlsx"].write_bytes(schedule_xlsx(plan, schedule, rigid, summary, lang))
    by_person = schedule.by_participant()
    folder = out / "ics" / "peserta"
    folder.mkdir(parents=True, exist_ok=True)
    for person in plan.participants:
        who = person.name if plan.options.names_in_calendar and person.name else person.code
        path = folder / f"{person.code}.ics"
        path.write_bytes(
            calendar_ics(
                plan, by_person.get(person.code, []), _calendar_name(lang, who), person.code, lang
            )
        )
    written["ics/peserta/"] = folder
    folder = out / "ics" / "pelatih"
    folder.mkdir(parents=True, exist_ok=True)
    for trainer in plan.trainers:
        who = trainer.name if plan.options.names_in_calendar else trainer.code
        taught = [s for s in schedule.sessions if s.trainer == trainer.code]
        (folder / f"{trainer.code}.ics").write_bytes(
            calendar_ics(plan, taught, _calendar_name(lang, who), trainer.code, lang)
        )
    written["ics/pelatih/"] = folder
    if summary is not None:
        written["ringkasan.json"] = out / "ringkasan.json"
        written["ringkasan.json"].write_text(
            json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
    return written
