"""The public summary: a short article an office posts on its website.

Built from the same report model as the full report, so its numbers are the report's
numbers: aggregated shares and means only, quotes masked again, no tables of individuals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tilik.report.charts import challenges_chart, to_svg
from tilik.report.html import environment
from tilik.report.method import summary_sentence
from tilik.report.narrative import (
    Bullets,
    Figure,
    Paragraph,
    Quote,
    RecommendationItem,
    Report,
    Section,
    build_report,
)

__all__ = ["public_summary"]

TEXT = {
    "id": {
        "heading": "Evaluasi Program Pembinaan ASN di {org}",
        "heading_plain": "Evaluasi Program Pembinaan ASN",
        "intro": "Pendahuluan",
        "goals": "Tujuan",
        "method": "Metode",
        "results": "Hasil",
        "challenges": "Tantangan",
        "recommendations": "Rekomendasi",
        "conclusion": "Kesimpulan",
        "period": "Periode",
        "privacy": "Ringkasan ini hanya memuat angka agregat; kutipan ditampilkan tanpa nama, "
        "NIP, atau nomor telepon.",
    },
    "en": {
        "heading": "Evaluation of Civil-Servant Development Programs at {org}",
        "heading_plain": "Evaluation of Civil-Servant Development Programs",
        "intro": "Introduction",
        "goals": "Objectives",
        "method": "Method",
        "results": "Results",
        "challenges": "Challenges",
        "recommendations": "Recommendations",
        "conclusion": "Conclusion",
        "period": "Period",
        "privacy": "This summary shows aggregated figures only; quotes are shown without names, "
        "NIPs or phone numbers.",
    },
}


def _section(report: Report, section_id: str) -> Section | None:
    for section in report.sections:
        if section.id == section_id:
            return section
    return None


def _findings(section: Section | None) -> list[Paragraph]:
    if section is None:
        return []
    out: list[Paragraph] = []
    for child in section.children:
        out += [b for b in child.blocks if isinstance(b, Paragraph) and b.style == "finding"]
    out += [b for b in section.blocks if isinstance(b, Paragraph) and b.style == "finding"]
    return out


_AGENCY = re.compile(r"^(BKPSDM|BKPSDMD|BKD|BPSDM|BPSDMD|Kantor Regional [IVX]+ BKN|BKN)\s+", re.I)


def _place(organisation: str) -> str:
    """ "BKPSDM Kota Kupang" -> "Kota Kupang": the title names the region, not the office."""
    return _AGENCY.sub("", organisation.strip()) if organisation else ""


def public_summary(hasil: Mapping[str, Any], lang: str = "id", standalone: bool = True) -> str:
    """Render the public article (see ``tilik.report.render_public_summary``)."""
    report = build_report(hasil, lang)
    text = TEXT[report.lang]
    place = _place(report.organisation)
    heading = text["heading"].format(org=place) if place else text["heading_plain"]
    intro = _section(report, "pendahuluan")
    intro_paragraphs = [
        b
        for child in (intro.children if intro else [])
        for b in child.blocks
        if isinstance(b, Paragraph)
    ][:1]
    goals = _section(report, "tujuan")
    goal_list = next((b for b in goals.blocks if isinstance(b, Bullets)), None) if goals else None
    conclusion = _section(report, "kesimpulan")
    # One finding per level (the strongest), as in the conclusion: a public reader wants
    # the gist; the full list stays in the report.
    summary = next(
        (b for b in (conclusion.blocks if conclusion else []) if isinstance(b, Bullets)), None
    )
    results = summary.items if summary else _findings(_section(report, "hasil"))
    challenges_section = _section(report, "tantangan")
    challenges = (
        next((b for b in challenges_section.blocks if isinstance(b, Bullets)), None)
        if challenges_section
        else None
    )
    # The article is read on phones: the chart laid out for a narrow screen (it scales up).
    chart = challenges_chart(hasil, report.lang, narrow=True)
    quotes = [
        b
        for child in (_section(report, "hasil") or Section("", "")).children
        for b in child.blocks
        if isinstance(b, Quote)
    ][:2]
    recs_section = _section(report, "rekomendasi")
    recs = [
        b
        for b in (recs_section.blocks if recs_section else [])
        if isinstance(b, RecommendationItem)
    ]
    conclusion_text = [
        b for b in (conclusion.blocks if conclusion else []) if isinstance(b, Paragraph)
    ]
    template = environment().get_template("ringkasan.html")
    return template.render(
        lang=report.lang,
        heading=heading,
        report=report,
        t=text,
        intro=intro_paragraphs,
        goals=goal_list,
        results=results,
        quotes=quotes,
        challenges=challenges,
        chart=Figure(chart, chart.title) if chart else None,
        chart_svg=to_svg(chart) if chart else "",
        recs=recs,
        conclusion=conclusion_text,
        method_text=summary_sentence(hasil, report.lang),
        standalone=standalone,
    )
