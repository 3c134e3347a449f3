"""Competence-development hours (*jam pelajaran*, JP) per ASN per year.

PP No. 17 Tahun 2020 (amending PP 11/2017, art. 203) gives every ASN the right to at least
**20 JP of competence development per year**; one JP is 45 minutes.

Rules used here (documented once):

* An enrolment's JP is the ``jp`` recorded in ``peserta.csv``; when that is empty, the
  program's JP from ``evaluasi.yaml`` times the attendance share ``kehadiran`` (or the
  full program JP when attendance is also empty). Enrolments with neither are counted in
  ``n_rows_no_jp`` and contribute 0.
* An ASN is one respondent key; rows without a key cannot be added up per person and are
  counted in ``n_rows_no_key``.
* An ASN's organisation for a year is the first non-empty ``instansi`` of their rows.
* The denominator is the ASN who appear in the roster for that year (those enrolled in
  at least one program): ASN with no training at all are not in the roster, so the share
  meeting 20 JP is an upper bound for the whole workforce unless the roster lists them
  (a row with ``jp = 0``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from tilik.core.stats import MIN_CELL, wilson_ci

__all__ = ["JP_MINUTES", "JP_TARGET", "jp_per_asn", "jp_summary", "minutes_to_jp", "roster_frame"]

#: One JP (jam pelajaran) in minutes.
JP_MINUTES = 45
#: Yearly target per ASN, PP 17/2020.
JP_TARGET = 20.0

_ROSTER_SCHEMA = {
    "key": pl.Utf8,
    "instansi": pl.Utf8,
    "sektor": pl.Utf8,
    "program": pl.Utf8,
    "angkatan": pl.Utf8,
    "kehadiran": pl.Float64,
    "jp": pl.Float64,
    "year": pl.Int64,
}


def minutes_to_jp(minutes: float) -> float:
    """Convert minutes of learning to JP (1 JP = 45 minutes)."""
    return minutes / JP_MINUTES


def roster_frame(participants: Iterable[Any]) -> pl.DataFrame:
    """Roster objects (``tilik.core.bundle.Participant``) as a frame with the columns
    ``key, instansi, sektor, program, angkatan, kehadiran, jp, year``."""
    rows = []
    for p in participants:
        row = {}
        for col, dtype in _ROSTER_SCHEMA.items():
            v = getattr(p, col, None)
            if v is not None and dtype == pl.Utf8:
                v = str(v)
            elif v is not None and dtype == pl.Float64:
                v = _to_float(v)
            elif v is not None and dtype == pl.Int64:
                v = _to_int(v)
            row[col] = v
        rows.append(row)
    return pl.DataFrame(rows, schema=_ROSTER_SCHEMA)


def _to_float(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _to_int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def jp_per_asn(
    roster: pl.DataFrame,
    *,
    program_jp: Mapping[str, float] | None = None,
    default_year: int | None = None,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """JP per ASN per year.

    Parameters
    ----------
    roster : polars.DataFrame
        As :func:`roster_frame` returns it.
    program_jp : mapping program name -> JP, optional
        Fallback JP per program (from ``evaluasi.yaml``).
    default_year : int, optional
        Year for rows without one (the evaluation period).

    Returns
    -------
    per_asn : polars.DataFrame
        ``year, key, instansi, jp`` (total JP of that ASN in that year).
    counts : dict
        ``n_rows, n_rows_no_key, n_rows_no_jp, n_rows_no_year``.
    """
    prog = pl.DataFrame(
        {
            "program": list((program_jp or {}).keys()),
            "_program_jp": [float(v) for v in (program_jp or {}).values()],
        },
        schema={"program": pl.Utf8, "_program_jp": pl.Float64},
    )
    frame = roster.join(prog, on="program", how="left").with_columns(
        pl.coalesce(
            pl.col("jp"),
            pl.col("_program_jp") * pl.col("kehadiran").fill_null(1.0),
        ).alias("_jp"),
        pl.col("year").fill_null(pl.lit(default_year, dtype=pl.Int64)).alias("year"),
    )
    counts = {
        "n_rows": roster.height,
        "n_rows_no_key": frame.filter(pl.col("key").is_null()).height,
        "n_rows_no_jp": frame.filter(pl.col("_jp").is_null()).height,
        "n_rows_no_year": frame.filter(pl.col("year").is_null()).height,
    }
    per_asn = (
        frame.filter(pl.col("key").is_not_null() & pl.col("year").is_not_null())
        .group_by("year", "key", maintain_order=True)
        .agg(
            pl.col("instansi").drop_nulls().first().alias("instansi"),
            pl.col("_jp").fill_null(0.0).sum().alias("jp"),
        )
        .sort("year", "key")
    )
    return per_asn, counts


def _share(frame: pl.DataFrame, target: float) -> dict[str, Any]:
    n = frame.height
    meeting = frame.filter(pl.col("jp") >= target).height
    lo, hi = wilson_ci(meeting, n)
    jp = frame.get_column("jp")
    return {
        "n_asn": n,
        "total_jp": float(jp.sum()) if n else 0.0,
        "mean_jp": float(jp.mean()) if n else None,  # type: ignore[arg-type]
        "sd_jp": float(jp.std(ddof=1)) if n >= 2 else None,  # type: ignore[arg-type]
        "median_jp": float(jp.median()) if n else None,  # type: ignore[arg-type]
        "n_meeting_20": meeting,
        "share_meeting_20": meeting / n if n else None,
        "share_meeting_20_ci": [float(lo[0]), float(hi[0])] if n else None,
    }


def jp_summary(
    roster: pl.DataFrame,
    *,
    program_jp: Mapping[str, float] | None = None,
    default_year: int | None = None,
    target: float = JP_TARGET,
    min_cell: int = MIN_CELL,
) -> dict[str, Any]:
    """Yearly JP summary, overall and by organisation (``instansi``).

    Returns ``{year: {n_asn, total_jp, mean_jp, sd_jp, median_jp, n_meeting_20,
    share_meeting_20, share_meeting_20_ci, by_organisation: {name: {...} or {n_asn, withheld}},
    counts: {...}}}`` with year keys as strings (JSON). Organisations with fewer than
    ``min_cell`` ASN are withheld.
    """
    per_asn, counts = jp_per_asn(roster, program_jp=program_jp, default_year=default_year)
    out: dict[str, Any] = {}
    for (year,), part in sorted(per_asn.group_by("year"), key=lambda kv: kv[0][0]):
        entry = _share(part, target)
        by: dict[str, Any] = {}
        for (inst,), sub in sorted(
            part.group_by("instansi"), key=lambda kv: (kv[0][0] is None, str(kv[0][0]))
        ):
            name = "(kosong)" if inst is None else str(inst)
            if sub.height < min_cell:
                by[name] = {"n_asn": sub.height, "withheld": True}
            else:
                by[name] = {**_share(sub, target), "withheld": False}
        entry["by_organisation"] = by
        entry["target_jp"] = target
        entry["counts"] = counts
        out[str(year)] = entry
    return out
