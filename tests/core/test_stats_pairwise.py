"""Pairwise Mann–Whitney tests in one pass (tilik.core.stats) against one SciPy call per pair.

The values are ranked once per outcome (as counts per group and distinct value); U, the
tie correction and the p-value must be SciPy's (``scipy.stats.mannwhitneyu``, two-sided,
``method="auto"``) for every pair: small groups (the exact distribution), ties, no ties,
continuous scores, and both ways of counting (one count matrix; merging sorted pairs).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from tilik.core import stats

REL = 1e-12


def close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-300)


@st.composite
def groups(draw):
    """Up to six groups of 5–40 values: Likert-like, construct means or continuous."""
    kind = draw(st.sampled_from(["likert", "means", "continuous"]))
    pools = {
        "likert": st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]),
        "means": st.sampled_from([1.0, 1.5, 2.0, 7 / 3, 2.5, 3.0, 10 / 3, 3.5, 4.0, 5.0]),
        "continuous": st.floats(-50, 50, allow_nan=False, allow_infinity=False),
    }
    sizes = draw(st.lists(st.integers(5, 40), min_size=2, max_size=6))
    rows = [(f"g{i}", draw(pools[kind])) for i, size in enumerate(sizes) for _ in range(size)]
    return pl.DataFrame({"g": [g for g, _ in rows], "y": [y for _, y in rows]})


def _reference(data: pl.DataFrame) -> list[tuple[str, str, object]]:
    # values within REL_TOL of each other are one value (ties made exact), as the module does
    data = data.with_columns(pl.Series("y", stats._snap_ties(data["y"].to_numpy())))
    kept = {g: part["y"].to_numpy() for (g,), part in data.group_by("g")}
    labels = sorted(kept)
    return [
        (a, b, sps.mannwhitneyu(kept[a], kept[b], alternative="two-sided"))
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
    ]


def _check(data: pl.DataFrame) -> None:
    got = stats.pairwise_mannwhitney(data, "y", "g").to_dicts()
    ref = _reference(data)
    assert [(r["A"], r["B"]) for r in got] == [(a, b) for a, b, _ in ref]
    for row, (_a, _b, res) in zip(got, ref, strict=True):
        assert row["U"] == float(res.statistic)
        assert close(row["p_unc"], float(res.pvalue))


@settings(max_examples=120, deadline=None)
@given(groups())
def test_it_gives_scipys_u_and_p_for_every_pair(data):
    _check(data)


@settings(max_examples=60, deadline=None)
@given(groups())
def test_it_gives_the_same_when_counting_pairs_by_merging(data):
    original, stats._DENSE_CELLS = stats._DENSE_CELLS, 0  # too many values for one matrix
    try:
        _check(data)
    finally:
        stats._DENSE_CELLS = original


def test_it_matches_scipy_on_large_groups_with_ties():
    rng = np.random.default_rng(3)
    labels = np.array([f"opd_{i:02d}" for i in range(12)])
    g = labels[rng.integers(0, 12, 60_000)]
    y = np.round(rng.normal(3 + (np.char.str_len(g) % 3) * 0.05, 0.8, g.size) * 10) / 10
    _check(pl.DataFrame({"g": g, "y": y}))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=40))
def test_it_adjusts_p_values_as_statsmodels_holm_bit_for_bit(pvals):
    from statsmodels.stats.multitest import multipletests

    got = stats._adjust_p(np.array(pvals), "holm")
    assert got.tolist() == multipletests(pvals, method="holm")[1].tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 10**6)), min_size=1, max_size=30))
def test_it_gives_statsmodels_wilson_interval_bit_for_bit(pairs):
    from statsmodels.stats.proportion import proportion_confint

    count = np.array([min(c, n) for c, n in pairs], dtype=float)
    nobs = np.array([n for _, n in pairs], dtype=float)
    lo, hi = stats._wilson(count, nobs, 0.05)
    ref_lo, ref_hi = proportion_confint(count, nobs, alpha=0.05, method="wilson")
    assert lo.tolist() == list(ref_lo) and hi.tolist() == list(ref_hi)
