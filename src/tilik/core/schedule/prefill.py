"""A first draft of a plan from what an evaluation already knows.

From the participant list: each participant's organisation (one unit per organisation), whether
their position (jabatan) serves the public at a counter, bedside or in the field (front-line),
and the JP they earned this year. From the survey's open answers about obstacles and
suggestions: the busy periods respondents name for their organisation ("laporan akhir bulan",
"akhir tahun", "PPDB", "musim tanam"…), by the keyword table ``data/masa_sibuk.yaml``.

What the data cannot tell — staff counts and minimums, modules, trainers, rooms, districts —
gets a stated default that the evaluator reviews (staff estimated at 1.5 times the unit's
front-line participants, a minimum of half of them on duty). Participants are written by
code only: never a name or a NIP.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "DraftPerson",
    "busy_periods",
    "draft_plan",
    "is_front_line",
    "next_monday",
    "slug",
    "texts_from_bundle",
]

_MIN_MENTIONS = 2


@dataclass(frozen=True)
class DraftPerson:
    code: str
    organisation: str
    position: str = ""
    sector: str = ""
    jp_year: float | None = None
    programs: tuple[str, ...] = ()  # the programs (of ``draft_plan``'s) this person takes


@cache
def _rules() -> dict[str, Any]:
    text = (
        resources.files("tilik.core.schedule").joinpath("data/masa_sibuk.yaml").read_text("utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def slug(text: str) -> str:
    """A code from a name: lower case ASCII letters, digits and ``_``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    code = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    return code[:60] or "unit"


def is_front_line(position: str, sector: str = "") -> bool:
    """Whether a position serves the public directly (by the keywords of ``masa_sibuk.yaml``)."""
    words = position.lower()
    rules = _rules()["front_line"]
    if any(k in words for k in rules["not"]):
        return False
    return any(k in words for k in rules["positions"]) or sector in rules["sectors_all"]


def texts_from_bundle(bundle: Any) -> list[tuple[str, str]]:
    """(organisation, open answer) pairs from a bundle's participant and supervisor surveys;
    the organisation is the label of the answer's ``instansi`` choice (as the roster names it)."""
    out = []
    for form_id, dataset in bundle.data.items():
        if bundle.spec(form_id).kind not in ("survei_peserta", "survei_atasan"):
            continue
        form = dataset.form
        names = [q.name for q in form.questions if q.type == "text"]
        question = form.question("instansi")
        labels = {
            c.name: c.label or c.name
            for c in (form.choices.get(question.list_name, []) if question else [])
        }
        for response in dataset.responses:
            code = str(response.answers.get("instansi") or "")
            organisation = labels.get(code, code)
            for name in names:
                value = response.answers.get(name)
                if organisation and isinstance(value, str) and value.strip():
                    out.append((organisation, value))
    return out


def busy_periods(
    texts: Iterable[tuple[str, str]], start: date, weeks: int
) -> dict[str, list[dict[str, Any]]]:
    """Busy periods per organisation named in at least two answers, as plan ``busy`` items
    (without ``minimum``: the caller sets it from the unit's staff)."""
    mentions: dict[str, Counter[str]] = defaultdict(Counter)
    rules = _rules()["periods"]
    for organisation, text in texts:
        lowered = text.lower()
        for code, rule in rules.items():
            if any(re.search(pattern, lowered) for pattern in rule["patterns"]):
                mentions[organisation][code] += 1
    end = start + timedelta(weeks=weeks)
    out: dict[str, list[dict[str, Any]]] = {}
    for organisation, counts in mentions.items():
        items = []
        for code, count in sorted(counts.items()):
            if count < _MIN_MENTIONS:
                continue
            rule = rules[code]
            reason = f"{rule['reason']} ({count} jawaban survei)"
            if "month_end" in rule:
                items.append({"reason": reason, "month_end": rule["month_end"]})
                continue
            for year in range(start.year, end.year + 1):
                first = date(year, *rule["from"])
                last = date(
                    year + (1 if tuple(rule["to"]) < tuple(rule["from"]) else 0), *rule["to"]
                )
                if first <= end and last >= start:
                    items.append(
                        {"reason": reason, "from": first.isoformat(), "to": last.isoformat()}
                    )
        if items:
            out[organisation] = items
    return out


def draft_plan(
    people: Sequence[DraftPerson],
    *,
    program: str = "",
    jp: int = 16,
    programs: Mapping[str, int] | None = None,
    start: date,
    weeks: int = 8,
    texts: Iterable[tuple[str, str]] = (),
    organisation_names: Mapping[str, str] | None = None,
    title: str = "",
    evaluation: str = "",
) -> dict[str, Any]:
    """A plan dictionary (``jadwal.yaml``) for ``people`` taking a ``jp``-JP ``program``, or
    several programs at once (``programs``: name → JP).

    With several programs each gets its own modules (``P1-M1``, ``P2-M1``…) and each participant
    takes only the modules of the programs they are enrolled in (``DraftPerson.programs``; all
    of them when empty), so one plan schedules them together against the same units' staffing.
    """
    names = dict(organisation_names or {})
    busy = busy_periods(texts, start, weeks)
    by_org: dict[str, list[DraftPerson]] = defaultdict(list)
    for person in people:
        by_org[person.organisation].append(person)
    sectors_morning = set(_rules()["service_mornings"])
    units = []
    for organisation, members in sorted(by_org.items()):
        front = sum(is_front_line(p.position, p.sector) for p in members)
        staff = math.ceil(front * 1.5)
        sector = Counter(p.sector for p in members).most_common(1)[0][0]
        unit: dict[str, Any] = {
            "code": slug(organisation),
            "name": names.get(organisation, organisation),
            "organisation": names.get(organisation, organisation),
            "front_line_staff": staff,
            "minimum": math.ceil(staff / 2),
            "service": ["pagi"] if sector in sectors_morning else ["pagi", "siang"],
        }
        periods = busy.get(organisation, [])
        if periods:
            unit["busy"] = [dict(p, minimum=math.ceil(staff * 0.75)) for p in periods]
        units.append(unit)
    catalogue = dict(programs) if programs else {program: jp}
    several = len(catalogue) > 1
    modules = []
    codes_of: dict[str, list[str]] = {}
    for number, (name, size) in enumerate(catalogue.items(), start=1):
        prefix = f"P{number}-" if several else ""
        codes_of[name] = []
        remaining, index = size, 1
        while remaining > 0:
            part = min(8, remaining)
            code = f"{prefix}M{index}"
            modules.append(
                {
                    "code": code,
                    "name": f"{name} — bagian {index}",
                    "jp": part,
                    "modes": ["kelas", "daring", "mandiri"] if part <= 4 else ["kelas", "daring"],
                }
            )
            codes_of[name].append(code)
            remaining -= part
            index += 1
    participants = []
    for person in sorted(people, key=lambda p: (slug(p.organisation), p.code)):
        item: dict[str, Any] = {
            "code": person.code,
            "unit": slug(person.organisation),
            "front_line": is_front_line(person.position, person.sector),
        }
        if several:
            taken = [name for name in catalogue if not person.programs or name in person.programs]
            item["modules"] = [code for name in taken for code in codes_of[name]]
        if person.jp_year:
            item["jp_year"] = int(person.jp_year)
        participants.append(item)
    codes = [m["code"] for m in modules]
    return {
        "title": title or f"Jadwal fleksibel {', '.join(catalogue)}",
        "evaluation": evaluation,
        "program": ", ".join(catalogue),
        "calendar": {"start": start.isoformat(), "weeks": weeks},
        "modes": {
            "kelas": {"capacity": 30, "session_cost": 1500000},
            "daring": {"capacity": 40, "session_cost": 750000},
            "mandiri": {"capacity": 200},
        },
        "modules": modules,
        "districts": [{"code": "kota", "name": "Kota", "travel_cost": 0}],
        "units": units,
        "trainers": [
            {"code": "W01", "name": "Widyaiswara 1", "modules": codes},
            {"code": "W02", "name": "Widyaiswara 2", "modules": codes},
        ],
        "venues": [{"code": "aula", "name": "Aula", "capacity": 30}],
        "participants": participants,
        "options": {"time_limit": 60, "names_in_calendar": False},
    }


def next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)
