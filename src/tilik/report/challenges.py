"""The challenges table: one column per source, each with one denominator that it names.

A challenge's share in ``hasil["challenges"]`` comes from whichever source gave the larger
share: the surveys' obstacle items (over the respondents who answered the question) or coded
open answers and interviews (over the people who wrote or said anything). Shares over
different people must not sit in one column, so the table gives each source its own column
and says in the header whom that column counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tilik.core import labels
from tilik.core.findings import format_value

__all__ = ["ChallengeTable", "challenge_table", "survey_share"]

_ORDER = ("survei", "teks_survey", "teks_interview", "teks_observation")
# A column's short name and whom its denominator counts.
_COLUMNS = {
    "survei": (("Survei", "responden"), ("Survey", "respondents")),
    "teks_survey": (("Jawaban terbuka", "penulis"), ("Open answers", "writers")),
    "teks_interview": (("Wawancara", "narasumber"), ("Interviews", "interviewees")),
    "teks_observation": (("Catatan observasi", "lembar"), ("Observation notes", "sheets")),
}


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def survey_share(item: Mapping[str, Any]) -> float | None:
    """The share of survey respondents citing the challenge (None without survey items)."""
    survey = (item.get("sources") or {}).get("survei")
    share = survey.get("share") if isinstance(survey, Mapping) else None
    return float(share) if isinstance(share, int | float) else None


@dataclass
class ChallengeTable:
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str


def _n_of(challenges: Sequence[Mapping[str, Any]], source: str) -> set[int]:
    return {
        int(s["n"])
        for c in challenges
        if isinstance(s := (c.get("sources") or {}).get(source), Mapping)
        and isinstance(s.get("n"), int | float)
    }


def challenge_table(hasil: Mapping[str, Any], lang: str = "id") -> ChallengeTable:
    """Rows: challenges (survey shares first, largest first); columns: sources."""
    lang = "en" if lang == "en" else "id"
    challenges = [c for c in hasil.get("challenges") or [] if isinstance(c, Mapping)]
    sources = [
        s for s in _ORDER if any(s in (c.get("sources") or {}) for c in challenges)
    ] + sorted({s for c in challenges for s in (c.get("sources") or {}) if s not in _ORDER})
    header = [_t(lang, "Tantangan", "Challenge")]
    numeric = [False]
    single_n: dict[str, bool] = {}
    for source in sources:
        ns = _n_of(challenges, source)
        single_n[source] = len(ns) == 1
        default = ((labels.challenge_source_name(source, "id"), "responden"),) * 2
        name, counted = _COLUMNS.get(source, default)[0 if lang == "id" else 1]
        name = labels.capitalise(name)
        if len(ns) == 1:
            n = format_value(next(iter(ns)), "int", lang)
            header.append(
                _t(lang, f"{name} (% dari {n} {counted})", f"{name} (% of {n} {counted})")
            )
        else:
            header.append(_t(lang, f"{name} (% {counted})", f"{name} (% of {counted})"))
        numeric.append(True)
        if source == "survei":
            header.append(_t(lang, "IK 95%", "95% CI"))
            numeric.append(True)
    ordered = sorted(
        challenges,
        key=lambda c: (
            survey_share(c) is None,
            -(survey_share(c) or 0.0),
            -float(c.get("share") or 0.0),
        ),
    )
    rows = []
    for item in ordered:
        row = [labels.theme_name(str(item.get("code")), lang, capital=True, hasil=hasil)]
        for source in sources:
            stats = (item.get("sources") or {}).get(source)
            share = stats.get("share") if isinstance(stats, Mapping) else None
            cell = format_value(share, "pct", lang) if share is not None else "–"
            if share is not None and not single_n[source] and stats.get("n") is not None:
                cell += f" (n = {format_value(stats['n'], 'int', lang)})"
            row.append(cell)
            if source == "survei":
                ci = (
                    (stats.get("share_ci") or item.get("share_ci"))
                    if isinstance(stats, Mapping) and share == item.get("share")
                    else (stats or {}).get("share_ci")
                )
                row.append(
                    f"{format_value(ci[0], 'pct', lang)}–{format_value(ci[1], 'pct', lang)}"
                    if ci and share is not None
                    else "–"
                )
        rows.append(row)
    note = _t(
        lang,
        "Survei: responden yang memilih hambatan itu pada butir hambatan; jawaban terbuka, "
        "wawancara, dan catatan observasi: teks yang dikodekan ke tema itu. Setiap kolom "
        "dihitung atas kelompoknya sendiri, yang disebut pada judul kolom, sehingga persentase "
        "antarkolom tidak dapat dijumlahkan atau dibandingkan langsung. Tanda “–”: tantangan "
        "tidak muncul pada sumber tersebut.",
        "Survey: respondents choosing the obstacle in the obstacle items; open answers, "
        "interviews and observation notes: texts coded to the theme. Each column is a share of "
        "its own group, named in its header, so shares in different columns cannot be added or "
        "compared directly. “–”: the challenge did not come up in that source.",
    )
    return ChallengeTable(header, rows, numeric, note)
