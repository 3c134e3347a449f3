"""The portfolio of an organisation: aggregates of its evaluations' latest analyses.

Everything here is an aggregate that the evaluations' reports already publish: headline
figures, IKM per service unit (withheld below five respondents), the follow-up status of
recommendations with their owner (a role, never the person assigned), and JP per OPD
(withheld below five ASN). No name or NIP is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery

from tilik.core import labels
from tilik.core.cycles import HEADLINES, headline_figures
from tilik.core.findings import format_value
from tilik.report.cycles import recommendation_title
from tilik.web.accounts.models import Organisation
from tilik.web.evaluations.models import Evaluation, Program
from tilik.web.reports.models import AnalysisRun, FollowUp

__all__ = ["Portfolio", "build_portfolio", "xlsx_sheets"]

_CLOSED = ("selesai", "tidak")


@dataclass
class EvaluationRow:
    evaluation: Evaluation
    organisation: str
    programs: list[str]
    analysed: bool
    values: dict[str, float | None]
    shown: list[str]
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (headline name, value shown)


@dataclass
class FollowUpRow:
    owner: str
    recommendation: str
    priority: str
    evaluation: str
    organisation: str
    period: str
    status: str
    status_label: str
    due: date | None
    overdue: bool


@dataclass
class JpRow:
    organisation: str
    opd: str
    year: str
    evaluation: str
    n_asn: int
    withheld: bool
    mean_jp: float | None
    share: float | None

    @property
    def share_pct(self) -> float | None:
        return None if self.share is None else self.share * 100


@dataclass
class Portfolio:
    organisation: Organisation
    evaluations: list[EvaluationRow]
    by_organisation: list[tuple[str, list[EvaluationRow]]]
    headline_names: list[str]
    periods: list[str]
    ikm: list[dict[str, Any]]
    follow_ups: list[FollowUpRow]
    jp: list[JpRow]
    choices: dict[str, list[str]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    n_overdue: int = 0


def _latest_runs(evaluations: Sequence[Evaluation]) -> dict[int, AnalysisRun]:
    latest = (
        AnalysisRun.objects.done()
        .filter(evaluation=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    ids = (
        Evaluation.objects.filter(pk__in=[e.pk for e in evaluations])
        .annotate(run=Subquery(latest))
        .values_list("pk", "run")
    )
    runs = AnalysisRun.objects.only("pk", "evaluation_id", "hasil").in_bulk(
        [run for _, run in ids if run is not None]
    )
    return {pk: runs[run] for pk, run in ids if run is not None}


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or "")
    return str(value or "")


def _unit_name(hasil: dict[str, Any], code: str, lang: str) -> str:
    if code == "_all":
        return "Semua unit layanan" if lang == "id" else "All service units"
    return labels.group_name(hasil, "unit", code.split(":", 1)[-1], lang)


def build_portfolio(
    organisation: Organisation,
    organisations: Sequence[Organisation],
    *,
    year: str = "",
    program: str = "",
    unit: str = "",
    lang: str = "id",
    today: date | None = None,
) -> Portfolio:
    """The portfolio of ``organisation`` over ``organisations`` (it and those under it),
    filtered by period, program name and unit (an SKM service unit or an OPD)."""
    today = today or date.today()
    every = list(
        Evaluation.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "-period", "title")
    )
    programs: dict[int, list[str]] = {}
    for evaluation_id, name in Program.objects.filter(evaluation__in=every).values_list(
        "evaluation_id", "name"
    ):
        programs.setdefault(evaluation_id, []).append(name)
    runs = _latest_runs(every)
    choices = {
        "year": sorted({e.period for e in every if e.period}, reverse=True),
        "program": sorted({name for names in programs.values() for name in names}),
        "unit": sorted(_units(runs.values(), lang)),
    }
    chosen = [
        e
        for e in every
        if (not year or e.period == year) and (not program or program in programs.get(e.pk, []))
    ]
    headlines = list(HEADLINES)
    rows = []
    for evaluation in chosen:
        run = runs.get(evaluation.pk)
        values = headline_figures(run.hasil, headlines) if run else {}
        rows.append(
            EvaluationRow(
                evaluation=evaluation,
                organisation=evaluation.organisation.name,
                programs=programs.get(evaluation.pk, []),
                analysed=run is not None,
                values=values,
                shown=[format_value(values.get(h[0]), h[3], lang) for h in headlines],
                pairs=[
                    (labels.headline_name(h[0], lang), format_value(values.get(h[0]), h[3], lang))
                    for h in headlines
                    if values.get(h[0]) is not None
                ],
            )
        )
    by_org: dict[str, list[EvaluationRow]] = {}
    for row in rows:
        by_org.setdefault(row.organisation, []).append(row)
    analysed = [(e, runs[e.pk]) for e in chosen if e.pk in runs]
    ikm, periods = _ikm(analysed, unit, lang)
    follow_ups = _follow_ups(analysed, lang, today)
    return Portfolio(
        organisation=organisation,
        evaluations=rows,
        by_organisation=sorted(by_org.items()),
        headline_names=[labels.headline_name(h[0], lang) for h in headlines],
        periods=periods,
        ikm=ikm,
        follow_ups=follow_ups,
        jp=_jp(analysed, unit),
        choices=choices,
        filters={"year": year, "program": program, "unit": unit},
        n_overdue=sum(f.overdue for f in follow_ups),
    )


def _units(runs: Any, lang: str) -> set[str]:
    names: set[str] = set()
    for run in runs:
        hasil = run.hasil or {}
        names.update(
            _unit_name(hasil, code, lang)
            for code, entry in (hasil.get("ikm") or {}).items()
            if code != "_all" and isinstance(entry, dict)
        )
        for entry in (hasil.get("jp") or {}).values():
            names.update((entry.get("by_organisation") or {}).keys())
    return names


def _ikm(
    analysed: Sequence[tuple[Evaluation, AnalysisRun]], unit: str, lang: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """IKM per (organisation, service unit) over the periods: published values and n."""
    table: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    periods: set[str] = set()
    for evaluation, run in analysed:
        for code, entry in (run.hasil.get("ikm") or {}).items():
            if not isinstance(entry, dict):
                continue
            name = _unit_name(run.hasil, code, lang)
            if unit and name != unit:
                continue
            periods.add(evaluation.period)
            cell = {
                "n": entry.get("n"),
                "withheld": bool(entry.get("withheld")),
                "ikm": entry.get("ikm_rounded", entry.get("ikm")),
                "mutu": entry.get("mutu") or "",
            }
            table.setdefault((evaluation.organisation.name, name), {})[evaluation.period] = cell
    ordered = sorted(periods)
    overall = _unit_name({}, "_all", lang)
    rows = [
        {
            "organisation": org,
            "unit": name,
            "cells": [cells.get(period) for period in ordered],
        }
        for (org, name), cells in sorted(
            table.items(), key=lambda kv: (kv[0][0], kv[0][1] != overall, kv[0][1])
        )
    ]
    return rows, ordered


def _follow_ups(
    analysed: Sequence[tuple[Evaluation, AnalysisRun]], lang: str, today: date
) -> list[FollowUpRow]:
    """Every recommendation of the latest analyses with its follow-up: overdue first, then
    by owner."""
    states = {
        (f.evaluation_id, f.key): f
        for f in FollowUp.objects.filter(evaluation__in=[e for e, _ in analysed])
    }
    rows = []
    for evaluation, run in analysed:
        for rec in run.hasil.get("recommendations") or []:
            if not isinstance(rec, dict) or rec.get("stale"):
                continue
            key = str(rec.get("key") or rec.get("rule") or "")
            state = states.get((evaluation.pk, key))
            status = state.status if state else ""
            due = state.due if state else None
            rows.append(
                FollowUpRow(
                    owner=_text(rec.get("owner"), lang) or "–",
                    recommendation=recommendation_title(rec, run.hasil, lang),
                    priority=labels.priority_name(str(rec.get("priority") or ""), lang),
                    evaluation=evaluation.title,
                    organisation=evaluation.organisation.name,
                    period=evaluation.period,
                    status=status,
                    status_label=labels.follow_up_name(status, lang),
                    due=due,
                    overdue=bool(due and due < today and status not in _CLOSED),
                )
            )
    rows.sort(key=lambda r: (not r.overdue, r.owner, r.due or date.max, r.organisation))
    return rows


def _jp(analysed: Sequence[tuple[Evaluation, AnalysisRun]], unit: str) -> list[JpRow]:
    rows = []
    for evaluation, run in analysed:
        for year, entry in (run.hasil.get("jp") or {}).items():
            for opd, cell in (entry.get("by_organisation") or {}).items():
                if unit and opd != unit:
                    continue
                rows.append(
                    JpRow(
                        organisation=evaluation.organisation.name,
                        opd=opd,
                        year=str(year),
                        evaluation=evaluation.title,
                        n_asn=int(cell.get("n_asn") or 0),
                        withheld=bool(cell.get("withheld")),
                        mean_jp=None if cell.get("withheld") else cell.get("mean_jp"),
                        share=None if cell.get("withheld") else cell.get("share_meeting_20"),
                    )
                )
    rows.sort(key=lambda r: (r.organisation, r.opd, r.year))
    return rows


def _number(value: Any, scale: float = 1.0, digits: int = 2) -> float | None:
    return None if value is None else round(float(value) * scale, digits)


def xlsx_sheets(portfolio: Portfolio, lang: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The portfolio as spreadsheet tables (numbers as numbers, percentages 0–100)."""

    def t(id_text: str, en_text: str) -> str:
        return id_text if lang == "id" else en_text

    headlines = list(HEADLINES)
    evaluation_rows = [
        [
            row.organisation,
            row.evaluation.title,
            row.evaluation.period,
            "; ".join(row.programs),
            t("ya", "yes") if row.analysed else t("tidak", "no"),
            *[_number(row.values.get(h[0]), 100.0 if h[3] == "pct" else 1.0) for h in headlines],
        ]
        for row in portfolio.evaluations
    ]
    names = [
        labels.headline_name(h[0], lang) + (" (%)" if h[3] == "pct" else "") for h in headlines
    ]
    ikm_rows = [
        [
            row["organisation"],
            row["unit"],
            *[
                value
                for cell in row["cells"]
                for value in (
                    (None if not cell or cell["withheld"] else cell["ikm"]),
                    (cell["n"] if cell else None),
                )
            ],
        ]
        for row in portfolio.ikm
    ]
    follow_rows = [
        [
            f.owner,
            f.recommendation,
            f.priority,
            f.organisation,
            f.evaluation,
            f.period,
            f.status_label,
            f.due,
            t("ya", "yes") if f.overdue else "",
        ]
        for f in portfolio.follow_ups
    ]
    jp_rows = [
        [
            r.organisation,
            r.opd,
            r.year,
            r.evaluation,
            r.n_asn,
            _number(r.mean_jp, 1.0, 1),
            _number(r.share, 100.0, 1),
        ]
        for r in portfolio.jp
    ]
    return [
        (
            t("Evaluasi", "Evaluations"),
            [
                t("Instansi", "Organisation"),
                t("Evaluasi", "Evaluation"),
                t("Periode", "Period"),
                t("Program", "Programs"),
                t("Sudah dianalisis", "Analysed"),
                *names,
            ],
            evaluation_rows,
        ),
        (
            t("IKM per unit", "IKM per unit"),
            [
                t("Instansi", "Organisation"),
                t("Unit layanan", "Service unit"),
                *[
                    header
                    for period in portfolio.periods
                    for header in (f"IKM {period}", f"n {period}")
                ],
            ],
            ikm_rows,
        ),
        (
            t("Tindak lanjut", "Follow-up"),
            [
                t("Penanggung jawab", "Owner"),
                t("Rekomendasi", "Recommendation"),
                t("Prioritas", "Priority"),
                t("Instansi", "Organisation"),
                t("Evaluasi", "Evaluation"),
                t("Periode", "Period"),
                t("Status", "Status"),
                t("Tenggat", "Due"),
                t("Lewat tenggat", "Overdue"),
            ],
            follow_rows,
        ),
        (
            t("JP per OPD", "JP per OPD"),
            [
                t("Instansi", "Organisation"),
                "OPD",
                t("Tahun", "Year"),
                t("Evaluasi", "Evaluation"),
                t("ASN", "ASN"),
                t("Rata-rata JP", "Mean JP"),
                t("ASN memenuhi 20 JP (%)", "ASN meeting 20 JP (%)"),
            ],
            jp_rows,
        ),
    ]
