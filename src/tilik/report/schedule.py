"""The flexible schedule in reports: its comparison chart, the report section, and the HTML
page that ``tilik schedule`` writes beside the CSV, XLSX and .ics files.

The section is included by :func:`tilik.report.narrative.build_report` when ``hasil`` holds a
``jadwal`` section (the summary of :func:`tilik.core.schedule.summary`); every number printed
in its sentences carries its ``hasil`` path, like the rest of the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tilik.core.findings import format_value
from tilik.core.schedule.calendars import unit_calendar
from tilik.core.schedule.model import Plan, Schedule
from tilik.report.charts import BAR, BAR_LIGHT, Chart, Rect, _hbars, to_svg

__all__ = ["schedule_chart", "schedule_html", "schedule_section", "write_schedule_report"]

_MAX_UNITS_IN_CHART = 12


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def schedule_chart(jadwal: Mapping[str, Any], lang: str = "id") -> Chart | None:
    """Staff-hours below the minimum per unit, the rigid plan (hatched, light) above the
    flexible one (dark). None when neither plan leaves any unit short."""
    units = jadwal.get("by_unit") or {}
    rows_data = [
        (u.get("name", code), u["rigid"]["shortfall_hours"], u["flexible"]["shortfall_hours"])
        for code, u in units.items()
        if u["rigid"]["shortfall_hours"] or u["flexible"]["shortfall_hours"]
    ]
    if not rows_data:
        return None
    rows_data.sort(key=lambda r: (-r[1], r[0]))
    rows_data = rows_data[:_MAX_UNITS_IN_CHART]
    rigid_word = _t(lang, "satu blok", "one block")
    flexible_word = _t(lang, "fleksibel", "flexible")
    rows = []
    for name, rigid, flexible in rows_data:
        for word, value in ((rigid_word, rigid), (flexible_word, flexible)):
            shown = format_value(value, "num1" if value % 1 else "int", lang) + _t(
                lang, " jam", " h"
            )
            rows.append((f"{name} — {word}", float(value), shown, None))
    top = max(r[1] for r in rows) or 1.0
    chart = _hbars(
        "jadwal",
        _t(
            lang,
            "Kekurangan petugas di bawah minimum per unit (jam-orang)",
            "Staff-hours below the minimum, per unit",
        ),
        rows,
        top,
        lang,
        note=_t(
            lang,
            "Batang berarsir: pola satu blok; batang gelap: rencana fleksibel.",
            "Hatched bars: one block; dark bars: flexible plan.",
        ),
    )
    bars = [s for s in chart.shapes if isinstance(s, Rect)]
    for index, shape in enumerate(bars):
        if index % 2 == 0:
            shape.fill, shape.hatch = BAR_LIGHT, True
        else:
            shape.fill = BAR
    return chart


def _p(hasil: Mapping[str, Any], path: str, fmt: str) -> dict[str, Any]:
    from tilik.core.findings import resolve_path

    return {"value": resolve_path(hasil, path), "path": path, "fmt": fmt}


def schedule_section(hasil: Mapping[str, Any], charts: dict[str, Chart], lang: str = "id") -> list:
    """The report section on the flexible schedule (empty when ``hasil`` has no ``jadwal``).
    Adds its chart to ``charts`` so the report writes it with the others."""
    from tilik.report.narrative import Figure, Paragraph, Section, Table, say

    jadwal = hasil.get("jadwal")
    if not isinstance(jadwal, Mapping) or "flexible" not in jadwal:
        return []

    def p(path: str, fmt: str) -> dict[str, Any]:
        return _p(hasil, "jadwal/" + path, fmt)

    intro = say(
        _t(
            lang,
            "Rekomendasi penjadwalan yang fleksibel diwujudkan dalam rencana untuk "
            "{participants} peserta dari {units} unit: {modules} modul dijadwalkan per setengah "
            "hari selama {weeks} minggu mulai {start}, di kelas tatap muka, daring langsung, "
            "atau e-learning mandiri, tanpa ada unit yang kekurangan petugas di bawah "
            "minimumnya.",
            "The recommendation of flexible scheduling is turned into a plan for "
            "{participants} participants from {units} units: {modules} modules are scheduled "
            "by half-day over {weeks} weeks from {start}, in the classroom, live online or as "
            "self-paced e-learning, without any unit falling below its minimum staffing.",
        ),
        {
            "participants": p("participants", "int"),
            "units": p("units", "int"),
            "modules": p("modules", "int"),
            "weeks": p("calendar/weeks", "int"),
            "start": p("calendar/start", "text"),
        },
        lang,
    )
    compare = say(
        _t(
            lang,
            "Dibandingkan pola saat ini (semua peserta dalam satu blok kelas), kekurangan "
            "petugas turun dari {rigid_short} menjadi {flex_short} jam-orang; "
            "{flex_done} peserta menyelesaikan semua modul wajib (satu blok: {rigid_done}) dan "
            "{flex_target} mencapai target JP tahunan (satu blok: {rigid_target}).",
            "Compared with the current pattern (everyone in one classroom block), staff-hours "
            "below the minimum fall from {rigid_short} to {flex_short}; {flex_done} of "
            "participants complete every required module (one block: {rigid_done}) and "
            "{flex_target} reach the yearly JP target (one block: {rigid_target}).",
        ),
        {
            "rigid_short": p("rigid/shortfall_hours", "num1"),
            "flex_short": p("flexible/shortfall_hours", "num1"),
            "flex_done": p("flexible/completion", "pct"),
            "rigid_done": p("rigid/completion", "pct"),
            "flex_target": p("flexible/share_target", "pct"),
            "rigid_target": p("rigid/share_target", "pct"),
        },
        lang,
    )
    cost = say(
        _t(
            lang,
            "Biaya perjalanan {flex_travel} (satu blok: {rigid_travel}); program selesai dalam "
            "{flex_days} hari kalender (satu blok: {rigid_days} hari).",
            "Travel costs {flex_travel} (one block: {rigid_travel}); the program runs over "
            "{flex_days} calendar days (one block: {rigid_days} days).",
        ),
        {
            "flex_travel": p("flexible/travel_cost", "idr"),
            "rigid_travel": p("rigid/travel_cost", "idr"),
            "flex_days": p("flexible/calendar_days", "int"),
            "rigid_days": p("rigid/calendar_days", "int"),
        },
        lang,
    )
    solver = jadwal.get("solver") or {}
    sentences = [intro, compare, cost]
    if solver.get("gap") is not None:
        sentences.append(
            say(
                _t(
                    lang,
                    "Rencana dihitung dengan pemrograman kendala (OR-Tools CP-SAT) dalam "
                    "{seconds} detik; jadwal terbaik yang mungkin paling banyak {gap} lebih "
                    "murah daripada jadwal ini (celah optimalitas; nol berarti terbukti terbaik).",
                    "The plan was computed by constraint programming (OR-Tools CP-SAT) in "
                    "{seconds} seconds; the best schedule possible costs at most {gap} less "
                    "than this one (optimality gap; zero means proven the best).",
                ),
                {"seconds": p("solver/seconds", "num1"), "gap": p("solver/gap", "pct")},
                lang,
            )
        )
    flex, rigid = jadwal["flexible"], jadwal["rigid"]

    def pair(key: str, fmt: str) -> list[str]:
        return [format_value(rigid[key], fmt, lang), format_value(flex[key], fmt, lang)]

    table = Table(
        _t(lang, "Pola satu blok dan rencana fleksibel", "One block and the flexible plan"),
        [
            _t(lang, "Ukuran", "Measure"),
            _t(lang, "Satu blok", "One block"),
            _t(lang, "Fleksibel", "Flexible"),
        ],
        [
            [_t(lang, "Menyelesaikan semua modul wajib", "Complete every required module")]
            + pair("completion", "pct"),
            [_t(lang, "Mencapai target JP tahunan", "Reach the yearly JP target")]
            + pair("share_target", "pct"),
            [_t(lang, "Kekurangan petugas (jam-orang)", "Staff-hours below minimum")]
            + pair("shortfall_hours", "num1"),
            [_t(lang, "Unit yang pernah di bawah minimum", "Units ever below minimum")]
            + pair("units_below", "int"),
            [_t(lang, "Biaya perjalanan", "Travel cost")] + pair("travel_cost", "idr"),
            [_t(lang, "Hari kalender", "Calendar days")] + pair("calendar_days", "int"),
            [_t(lang, "Sesi", "Sessions")] + pair("sessions", "int"),
        ],
        [False, True, True],
    )
    section = Section(
        "jadwal",
        _t(lang, "Usulan Jadwal Pelatihan Fleksibel", "Proposed Flexible Training Schedule"),
        [Paragraph(sentences), table],
    )
    chart = schedule_chart(jadwal, lang)
    if chart is not None:
        charts[chart.id] = chart
        section.blocks.append(Figure(chart, chart.title))
    return [section]


# --------------------------------------------------------------------------- HTML page


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tilik.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def schedule_html(
    plan: Plan, schedule: Schedule, jadwal: Mapping[str, Any], lang: str = "id"
) -> str:
    """A self-contained page: the comparison, its chart, each unit's calendar, the sessions and
    links to every participant's and trainer's .ics file (by code)."""
    from tilik.report.narrative import Paragraph, Table

    charts: dict[str, Chart] = {}
    section = schedule_section({"jadwal": jadwal}, charts, lang)[0]
    paragraph = next(b for b in section.blocks if isinstance(b, Paragraph))
    table = next(b for b in section.blocks if isinstance(b, Table))
    counts: dict[str, int] = {}
    for a in schedule.attendance:
        counts[a.session] = counts.get(a.session, 0) + 1
    sessions = []
    for s in sorted(schedule.sessions, key=lambda s: (s.start, s.id)):
        begin, _ = plan.calendar.slot_bounds(s.start)
        _, end = plan.calendar.slot_bounds(s.start + s.length - 1)
        sessions.append(
            {
                "id": s.id,
                "module": plan.modules[s.module].name,
                "mode": plan.modes[s.mode].name,
                "begin": begin,
                "end": end,
                "trainer": s.trainer,
                "venue": next((v.name for v in plan.venues if v.code == s.venue), ""),
                "count": counts.get(s.id, 0),
            }
        )
    units = [
        {"code": code, "unit": unit, "weeks": unit_calendar(plan, schedule, code)}
        for code, unit in plan.units.items()
    ]
    return (
        _environment()
        .get_template("jadwal.html")
        .render(
            lang=lang,
            plan=plan,
            intro=paragraph.text,
            table=table,
            svg=to_svg(charts["jadwal"]) if "jadwal" in charts else "",
            units=units,
            sessions=sessions,
            participants=sorted(p.code for p in plan.participants),
            trainers=sorted(t.code for t in plan.trainers),
            t=lambda id_text, en_text: _t(lang, id_text, en_text),
        )
    )


def write_schedule_report(
    plan: Plan, schedule: Schedule, jadwal: Mapping[str, Any], out: Path, lang: str = "id"
) -> dict[str, Path]:
    """Write ``jadwal.html`` and ``grafik/jadwal.svg`` (when there is a chart) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = {"jadwal.html": out / "jadwal.html"}
    written["jadwal.html"].write_text(schedule_html(plan, schedule, jadwal, lang), encoding="utf-8")
    chart = schedule_chart(jadwal, lang)
    if chart is not None:
        (out / "grafik").mkdir(exist_ok=True)
        written["grafik/jadwal.svg"] = out / "grafik" / "jadwal.svg"
        written["grafik/jadwal.svg"].write_text(to_svg(chart), encoding="utf-8")
    return written
