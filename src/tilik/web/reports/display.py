"""What the results and recommendations pages show of an analysis, in words.

Names come from ``tilik.core.labels`` and evidence sentences from ``tilik.report.evidence``,
the same as in the report, so a screen and the report never name a thing differently and no
page prints a code, a statistic key or a hasil path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tilik.core import labels
from tilik.report.challenges import ChallengeTable, challenge_table
from tilik.report.charts import report_charts
from tilik.report.cycles import cycles_chart, headline_changes
from tilik.report.evidence import evidence_lines
from tilik.report.narrative import response_rate_warnings

__all__ = ["ChartView", "EvidenceView", "evidence_views", "results_display"]


@dataclass
class ChartView:
    file: str  # grafik/<file>
    anchor: str
    title: str
    alt: str


@dataclass
class EvidenceView:
    text: str
    anchor: str
    link_text: str


def _link_text(anchor: str, lang: str) -> str:
    if anchor.startswith("tabel-"):
        return "lihat tabel" if lang == "id" else "see table"
    if anchor.startswith("gambar-"):
        return "lihat grafik" if lang == "id" else "see chart"
    return "lihat bagian laporan" if lang == "id" else "see the report"


def evidence_views(hasil: Mapping[str, Any], paths: Iterable[str], lang: str) -> list[EvidenceView]:
    """A recommendation's evidence as sentences, each with the report anchor that shows it."""
    return [
        EvidenceView(line.text, line.anchor, _link_text(line.anchor, lang) if line.anchor else "")
        for line in evidence_lines(hasil, list(paths), lang)
    ]


def results_display(
    hasil: Mapping[str, Any], lang: str, chart_files: Sequence[str]
) -> dict[str, Any]:
    """Rows of the results page: instruments, findings, challenges and charts, in words."""
    instruments = [
        {
            "title": str(info.get("title") or labels.instrument_name(hasil, form_id, lang)),
            "kind": labels.kind_name(str(info.get("kind") or "lainnya"), lang),
            "n_responses": info.get("n_responses"),
            "n_quarantined": info.get("n_quarantined"),
            "response_rate": info.get("response_rate"),
        }
        for form_id, info in (hasil.get("instruments") or {}).items()
        if isinstance(info, Mapping)
    ]
    findings = []
    for finding in hasil.get("findings") or []:
        statement = finding.get("statement")
        text = (
            str(statement.get(lang) or statement.get("id") or "")
            if isinstance(statement, Mapping)
            else str(statement or "")
        )
        findings.append(
            {
                "level": labels.level_name(str(finding.get("level", "")), lang),
                "text": text,
                "strength": labels.strength_name(str(finding.get("strength", "")), lang),
            }
        )
    charts = report_charts(hasil, lang)
    history = cycles_chart(hasil, lang)
    if history is not None:
        charts[history.id] = history
    files = set(chart_files)  # in the report's order, not the files' names
    views = [
        ChartView(f"{chart.id}.svg", f"gambar-{chart.id}", chart.title, chart.alt)
        for chart in charts.values()
        if f"{chart.id}.svg" in files
    ]
    table: ChallengeTable = challenge_table(hasil, lang)
    return {
        "instrument_rows": instruments,
        "rate_warnings": [warning.text for warning in response_rate_warnings(hasil, lang)],
        "finding_rows": findings,
        "challenge_table": table,
        "chart_views": views,
        "comparison_previous": (hasil.get("comparison") or {}).get("previous"),
        "comparison_lines": headline_changes(hasil, lang),
    }
