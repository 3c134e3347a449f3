"""Indeks Kepuasan Masyarakat (IKM, community satisfaction index) from SKM data.

Two regimes are supported:

``"2017"`` (default) — PermenPANRB No. 14 Tahun 2017, 9 unsur (service elements), each
answered on 1–4. For each unsur the *nilai rata-rata* (NRR) is the mean of the answers;
each NRR is weighted ``1/9``; the index is ``sum(NRR × 1/9)`` (1–4) and
``IKM = index × 25`` (25–100). The regulation prints the weight rounded as 0.111; we use
the exact ``1/9`` (the published worked examples' totals agree with it).

==========  ===============  ====  ============
IKM         index            mutu  kinerja
==========  ===============  ====  ============
88.31–100   3.5324–4.00      A     Sangat Baik
76.61–88.30 3.0644–3.532     B     Baik
65.00–76.60 2.60–3.064       C     Kurang Baik
25.00–64.99 1.00–2.5996      D     Tidak Baik
==========  ===============  ====  ============

``"2004"`` — KepMenPAN No. KEP/25/M.PAN/2/2004, 14 unsur, weight ``1/14``, same
``× 25`` conversion, bands A 81.26–100 Sangat Baik, B 62.51–81.25 Baik,
C 43.76–62.50 Kurang Baik, D 25.00–43.75 Tidak Baik.

Boundary rule (one rule for both regimes): the IKM is rounded to 2 decimals, half up, as
the regulation publishes it (``ikm_rounded``), and the band is the one whose lower bound
that value reaches; e.g. 88.305 → 88.31 → A, 88.30 → B.

Exact arithmetic: answers are whole numbers, so each NRR is a fraction (sum of answers /
answers) and the IKM ``25 · Σ NRR / m`` is computed as an exact rational; it is rounded and
banded from that value. Floating point would turn an exact 88.305 into 88.30499999999999
and band it B. The float fields (``nrr``, ``index``, ``ikm``) are that exact value
converted once, for reading; ``ikm_rounded`` is the number to print and to band.

Missing answers: available case per unsur (an unsur's NRR is the mean of those who
answered it; ``n`` is the number of respondents with at least one answer). Answers outside
1–4 and answers that are not whole numbers (2.5) are missing — the one rule of
:func:`tilik.core.stats.likert_values`, shared with every Likert statistic — and so are
the don't-know codes a form declares.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from tilik.core.stats import likert_values

__all__ = ["ALL", "REGIMES", "compute_ikm", "ikm_from_nrr", "mutu", "round_half_up"]

#: Label of the overall row.
ALL = "_all"

#: unsur count and bands (lower bound of IKM, mutu, kinerja), highest first.
REGIMES: dict[str, dict[str, Any]] = {
    "2017": {
        "n_unsur": 9,
        "reference": "PermenPANRB No. 14 Tahun 2017",
        "bands": [
            (88.31, "A", "Sangat Baik"),
            (76.61, "B", "Baik"),
            (65.00, "C", "Kurang Baik"),
            (25.00, "D", "Tidak Baik"),
        ],
    },
    "2004": {
        "n_unsur": 14,
        "reference": "KepMenPAN No. KEP/25/M.PAN/2/2004",
        "bands": [
            (81.26, "A", "Sangat Baik"),
            (62.51, "B", "Baik"),
            (43.76, "C", "Kurang Baik"),
            (25.00, "D", "Tidak Baik"),
        ],
    },
}


Number = float | int | Fraction | Decimal


def _exact(value: Number) -> Fraction:
    """A number as an exact fraction; a float is read as the decimal it prints as."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, exactly."""
    exact = _exact(value)
    whole = math.floor(abs(exact) * 10**places + Fraction(1, 2))
    return Decimal(-whole if exact < 0 else whole).scaleb(-places)


def mutu(ikm: Number | None, regime: str = "2017") -> tuple[str | None, str | None]:
    """Mutu pelayanan (A–D) and kinerja label of an IKM value.

    The value is rounded to 2 decimals (half up) before it is compared with the bands;
    pass the exact value (a :class:`~fractions.Fraction`) when there is one — a float is
    taken as the decimal it prints as. Returns ``(None, None)`` for NaN or a value below 25.
    """
    if ikm is None or (isinstance(ikm, float) and not math.isfinite(ikm)):
        return None, None
    value = round_half_up(ikm)
    for lower, grade, label in REGIMES[regime]["bands"]:
        if value >= Decimal(str(lower)):
            return grade, label
    return None, None


def ikm_from_nrr(nrr: Sequence[Number | None], regime: str = "2017") -> dict[str, Any]:
    """Index, IKM, mutu and kinerja from the NRR of each unsur (in order).

    .. math:: \\text{index} = \\sum_i NRR_i / m, \\quad IKM = 25 \\cdot \\text{index}

    with ``m`` = 9 (2017) or 14 (2004), in exact arithmetic (give fractions for exact
    NRRs; floats are read as the decimals they print as). An unsur with no answers makes
    the result null. ``ikm_rounded`` is the IKM rounded half up to 2 decimals, the value
    the bands are read from.
    """
    m = REGIMES[regime]["n_unsur"]
    if len(nrr) != m:
        raise ValueError(f"regime {regime} needs {m} unsur, got {len(nrr)}")
    if any(v is None or (isinstance(v, float) and not math.isfinite(v)) for v in nrr):
        return {"index": None, "ikm": None, "ikm_rounded": None, "mutu": None, "kinerja": None}
    index = sum((_exact(v) for v in nrr if v is not None), Fraction(0)) / m
    ikm = index * 25
    grade, label = mutu(ikm, regime)
    return {
        "index": float(index),
        "ikm": float(ikm),
        "ikm_rounded": float(round_half_up(ikm)),
        "mutu": grade,
        "kinerja": label,
    }


def compute_ikm(
    data: pl.DataFrame,
    unsur: Sequence[str],
    *,
    unit: str | None = None,
    regime: str = "2017",
    min_cell: int = 5,
) -> pl.DataFrame:
    """IKM per service unit and overall.

    Parameters
    ----------
    data : polars.DataFrame
        One row per SKM respondent.
    unsur : sequence of str
        The unsur columns in the regulation's order (9 for 2017, 14 for 2004), values 1–4.
    unit : str, optional
        Column naming the service unit; without it only the overall row is returned.
    regime : {"2017", "2004"}
    min_cell : int
        Units with fewer respondents are marked ``withheld`` (the overall row never is).

    Returns
    -------
    polars.DataFrame
        ``unit`` (``"_all"`` for the overall row, first), ``n``, ``nrr`` (list, one per
        unsur), ``index``, ``ikm``, ``ikm_rounded`` (2 decimals, half up: the value to
        print and the one banded), ``mutu``, ``kinerja``, ``withheld``.

    References
    ----------
    Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei
    Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran.
    """
    if regime not in REGIMES:
        raise ValueError(f"unknown IKM regime {regime!r}; use one of {sorted(REGIMES)}")
    m = REGIMES[regime]["n_unsur"]
    if len(unsur) != m:
        raise ValueError(f"regime {regime} needs {m} unsur columns, got {len(unsur)}")
    vals = [
        likert_values(pl.col(u), (1, 4)).cast(pl.Int64).alias(f"_u{i}") for i, u in enumerate(unsur)
    ]
    unit_expr = pl.col(unit).cast(pl.Utf8).fill_null("(kosong)") if unit else pl.lit(ALL)
    frame = data.select(unit_expr.alias("_unit"), *vals)
    ucols = [f"_u{i}" for i in range(m)]
    frame = frame.filter(pl.any_horizontal(pl.col(ucols).is_not_null()))

    def summarise(part: pl.DataFrame, label: str) -> dict[str, Any]:
        sums = part.select(pl.col(ucols).sum()).row(0) if part.height else [0] * m
        counts = part.select(pl.col(ucols).count()).row(0) if part.height else [0] * m
        nrr = [Fraction(int(s), int(c)) if c else None for s, c in zip(sums, counts)]
        return {
            "unit": label,
            "n": part.height,
            "nrr": [None if v is None else float(v) for v in nrr],
            **ikm_from_nrr(nrr, regime),
            "withheld": label != ALL and part.height < min_cell,
        }

    rows = [summarise(frame, ALL)]
    if unit:
        for (label,), part in sorted(frame.group_by("_unit"), key=lambda kv: str(kv[0][0])):
            rows.append(summarise(part, str(label)))
    return pl.DataFrame(
        rows,
        schema={
            "unit": pl.Utf8,
            "n": pl.Int64,
            "nrr": pl.List(pl.Float64),
            "index": pl.Float64,
            "ikm": pl.Float64,
            "ikm_rounded": pl.Float64,
            "mutu": pl.Utf8,
            "kinerja": pl.Utf8,
            "withheld": pl.Boolean,
        },
    )
