"""Every statistic of tilik.core.stats and tilik.core.ikm against an independent tool, on
generated data that includes the edges: n = 1–3, constant items, ties everywhere, missing
values, groups of one (hypothesis; derandomized in CI, see conftest.py).

Where Tilik gives a number it equals SciPy / statsmodels / pingouin (or exact fractions);
where it gives none, the reason is the right one and the other tool's value is one the
data cannot carry (NaN, ±inf, a zero-width interval, or n below the documented minimum).
"""

from __future__ import annotations

import gc
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pingouin as pg
import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from tilik.core import stats
from tilik.core.ikm import compute_ikm

REL = 1e-9


def close(a, b, rel=REL):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


# ------------------------------------------------------------------ strategies

likert = st.integers(1, 5)


@st.composite
def answers(draw, min_size=1, max_size=40, missing=True):
    """Likert answers of one item: sometimes all equal, sometimes with gaps."""
    n = draw(st.integers(min_size, max_size))
    kind = draw(st.sampled_from(["any", "constant", "two"]))
    if kind == "constant":
        values = [draw(likert)] * n
    elif kind == "two":
        pair = draw(st.lists(likert, min_size=2, max_size=2))
        values = [draw(st.sampled_from(pair)) for _ in range(n)]
    else:
        values = draw(st.lists(likert, min_size=n, max_size=n))
    if missing:
        values = [None if draw(st.integers(0, 9)) == 0 else v for v in values]
    return values


@st.composite
def item_matrix(draw, k_min=2, k_max=5, n_max=30):
    """A respondents × items frame with missing answers, constant items, straight-liners."""
    k = draw(st.integers(k_min, k_max))
    n = draw(st.integers(1, n_max))
    style = draw(st.sampled_from(["random", "correlated", "straight", "constant_item"]))
    base = draw(st.lists(likert, min_size=n, max_size=n))
    cols = {}
    for j in range(k):
        if style == "straight":
            col = list(base)
        elif style == "correlated":
            col = [min(5, max(1, b + draw(st.integers(-1, 1)))) for b in base]
        else:
            col = draw(st.lists(likert, min_size=n, max_size=n))
        if style == "constant_item" and j == 0:
            col = [base[0]] * n
        cols[f"q{j}"] = [None if draw(st.integers(0, 14)) == 0 else v for v in col]
    reverse = [f"q{k - 1}"] if draw(st.booleans()) else []
    return pl.DataFrame(cols, schema={c: pl.Int64 for c in cols}), reverse


@st.composite
def pre_post_tests(draw, n_min=1, n_max=60):
    """A realistic pre/post test: 5–30 items, gains of a few items, many ties."""
    k = draw(st.integers(5, 30))
    n = draw(st.integers(n_min, n_max))
    style = draw(st.sampled_from(["random", "equal_gain", "no_change", "one_changes"]))
    pre = draw(st.lists(st.integers(0, k), min_size=n, max_size=n))
    if style == "equal_gain":
        step = draw(st.integers(1, 3))
        pre = [min(p, k - step) for p in pre]
        post = [p + step for p in pre]
    elif style == "no_change":
        post = list(pre)
    elif style == "one_changes":
        post = list(pre)
        post[0] = k - pre[0] if pre[0] != k - pre[0] else (pre[0] + 1) % (k + 1)
    else:
        post = [min(k, max(0, p + draw(st.integers(-2, 5)))) for p in pre]
    return k, pre, post


# ------------------------------------------------------------------ descriptives


@settings(max_examples=60, deadline=None)
@given(answers(max_size=30))
def test_it_describes_an_item_like_scipy_and_statsmodels(values):
    row = stats.describe_items(pl.DataFrame({"q": values}, schema={"q": pl.Int64}), ["q"]).row(
        0, named=True
    )
    x = np.array([v for v in values if v is not None], dtype=float)
    n = x.size
    assert row["n"] == n and row["n_missing"] == len(values) - n
    if n == 0:
        assert row["mean"] is None and row["not_computable"]["mean_ci"] == "too_few"
        return
    assert close(row["mean"], x.mean()) and row["median"] == np.median(x)
    top = int((x >= 4).sum())
    lo, hi = proportion_confint(top, n, method="wilson")
    assert close(row["top2box_ci_low"], max(0.0, lo)) and close(row["top2box_ci_high"], min(1, hi))
    ci = quiet(sps.t.interval, 0.95, n - 1, loc=x.mean(), scale=sps.sem(x)) if n > 1 else None
    if n < stats.MIN_N:
        assert row["mean_ci_low"] is None and row["not_computable"]["mean_ci"] == "too_few"
    elif np.ptp(x) == 0:
        assert ci[0] == ci[1] or np.isnan(ci[0])  # SciPy: a zero-width (or NaN) interval
        assert row["mean_ci_low"] is None and row["not_computable"]["mean_ci"] == "no_spread"
    else:
        assert close(row["sd"], x.std(ddof=1))
        assert close(row["mean_ci_low"], ci[0]) and close(row["mean_ci_high"], ci[1])
        assert row["not_computable"]["mean_ci"] is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(1, 5, allow_nan=False)), max_size=30))
def test_it_describes_scores_like_numpy_and_scipy(values):
    res = stats.describe_values(values, scale=(1, 5))
    x = np.array([v for v in values if v is not None], dtype=float)
    assert res["n"] == x.size
    if x.size >= stats.MIN_N and np.ptp(x) > stats.REL_TOL * np.abs(x).max():
        ci = sps.t.interval(0.95, x.size - 1, loc=x.mean(), scale=sps.sem(x))
        assert close(res["mean_ci_low"], ci[0]) and close(res["mean_ci_high"], ci[1])
    else:
        assert math.isnan(res["mean_ci_low"]) and res["not_computable"]["mean_ci"]


# ------------------------------------------------------------------ reliability


def _pingouin_reliability(complete: pd.DataFrame) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alpha, _ = pg.cronbach_alpha(complete)
        rest = {c: complete[c].corr(complete.drop(columns=c).sum(axis=1)) for c in complete.columns}
        deleted = {
            c: pg.cronbach_alpha(complete.drop(columns=c))[0] if complete.shape[1] > 2 else np.nan
            for c in complete.columns
        }
    return {"alpha": alpha, "rest": rest, "deleted": deleted}


@settings(max_examples=60, deadline=None)
@given(item_matrix())
def test_it_matches_pingouin_alpha_and_item_analysis_or_says_why_not(matrix):
    data, reverse = matrix
    items = data.columns
    summary = stats.summarize_likert(data, {"c": items}, reverse=reverse)
    row = summary.constructs.row(0, named=True)
    recoded = stats.recode_reverse(data, reverse).to_pandas()
    complete = recoded.dropna().astype(float)
    n, k = complete.shape
    assert row["n_alpha"] == n
    ref = _pingouin_reliability(complete) if n >= 2 else None
    total_var = complete.sum(axis=1).var(ddof=1) if n >= 2 else 0.0
    if n < stats.MIN_N_ALPHA:
        assert row["alpha"] is None and row["not_computable"]["alpha"] == "too_few"
    elif total_var == 0:
        assert row["alpha"] is None and row["not_computable"]["alpha"] == "no_spread"
        assert not np.isfinite(ref["alpha"]) or abs(ref["alpha"]) > 1e6 or ref["alpha"] == 1
    else:
        assert close(row["alpha"], ref["alpha"])
        if row["alpha"] < 1:
            f = sps.f
            lo = 1 - (1 - ref["alpha"]) * f.isf(0.025, n - 1, (n - 1) * (k - 1))
            assert close(row["alpha_ci_low"], lo)
    for item in summary.items.iter_rows(named=True):
        name = item["item"]
        why = item["not_computable"]
        if n < stats.MIN_N_ALPHA:
            assert item["item_rest_r"] is None and why["item_rest_r"] == "too_few"
            continue
        rest_var = complete.drop(columns=name).sum(axis=1).var(ddof=1)
        if complete[name].var(ddof=1) == 0 or rest_var == 0:
            assert item["item_rest_r"] is None and why["item_rest_r"] == "no_spread"
        else:
            assert close(item["item_rest_r"], ref["rest"][name])
        if k > 2 and rest_var > 0:
            assert close(item["alpha_if_deleted"], ref["deleted"][name])


@settings(max_examples=40, deadline=None)
@given(item_matrix(n_max=25))
def test_it_runs_one_reliability_code_and_one_missing_policy(matrix):
    data, reverse = matrix
    items = data.columns
    summary = stats.summarize_likert(data, {"c": items}, reverse=reverse)
    recoded = stats.recode_reverse(data, reverse)
    # NaN, null and out-of-scale answers are missing alike in the public functions
    odd = recoded.with_columns(pl.col(items[0]).cast(pl.Float64).fill_null(float("nan")))
    direct = stats.cronbach_alpha(odd, items, scale=(1, 5))
    row = summary.constructs.row(0, named=True)
    assert direct["n"] == row["n_alpha"] and direct["n_incomplete"] == row["n_incomplete"]
    assert (row["alpha"] is None and math.isnan(direct["alpha"])) or row["alpha"] == direct["alpha"]
    assert stats.reasons_dict(row["not_computable"]).get("alpha") == direct["not_computable"].get(
        "alpha"
    )
    analysis = stats.item_analysis(odd, items)
    assert (
        analysis.get_column("item_rest_r").to_list()
        == summary.items.get_column("item_rest_r").to_list()
    )


# ------------------------------------------------------------------ pre/post


def _wilcoxon_reference(d: np.ndarray) -> tuple[float, float]:
    """SciPy's Wilcoxon on non-zero differences. Where SciPy would enumerate the 2**n sign
    patterns (ties, n <= 13; a second per call at n = 13), the same enumeration is done
    here in numpy — the definition, independent of Tilik's convolution;
    test_stats_edges.py checks both against SciPy on committed datasets."""
    n = d.size
    if np.unique(np.abs(d)).size == n or n > 13:
        res = quiet(sps.wilcoxon, d)
        return float(res.statistic), float(res.pvalue)
    ranks = sps.rankdata(np.abs(d))
    signs = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
    null = signs @ ranks
    observed = ranks[d > 0].sum()
    p = 2 * min((null <= observed).mean(), (null >= observed).mean())
    return min(observed, ranks[d < 0].sum()), min(1.0, p)


@settings(max_examples=80, deadline=None)
@given(pre_post_tests(n_min=1))
def test_it_matches_scipy_and_pingouin_on_pre_post_tests(case):
    k, pre, post = case
    a, b = np.array(pre), np.array(post)
    pct = stats.prepost(a * 100.0 / k, b * 100.0 / k, n_items=k)
    loose = stats.prepost(a * 100.0 / k, b * 100.0 / k)
    counts = stats.prepost(a, b, max_score=k)
    n = a.size
    d = b - a
    nonzero = d[d != 0]
    for res in (pct, loose, counts):  # every rank-based test: one answer
        assert res["wilcoxon_n"] == (nonzero.size if n >= stats.MIN_N else 0)
        if n >= stats.MIN_N and nonzero.size:
            w, p = _wilcoxon_reference(nonzero)
            assert close(res["wilcoxon_p"], p) and res["wilcoxon_w"] == w
    assert pct["not_computable"] == loose["not_computable"] == counts["not_computable"]
    assert close(pct["mean_diff"], d.mean() * 100 / k)
    if n < stats.MIN_N:
        assert pct["not_computable"]["t"] == "too_few" and math.isnan(pct["t"])
        return
    if np.ptp(d) == 0:
        assert pct["not_computable"]["t"] == "no_spread" and math.isnan(pct["d_z"])
    else:
        ref_t = sps.ttest_rel(b * 100.0 / k, a * 100.0 / k)
        assert close(pct["t"], ref_t.statistic) and close(pct["p"], ref_t.pvalue)
        assert close(pct["d_z"], d.mean() / d.std(ddof=1))
        lo, hi = sps.t.interval(0.95, n - 1, loc=d.mean(), scale=sps.sem(d))
        assert close(pct["diff_ci"][0] * k / 100, lo) and close(pct["diff_ci"][1] * k / 100, hi)
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        assert pct["not_computable"]["g_av"] == "no_spread"
    else:
        g = quiet(pg.compute_effsize, b * 100.0 / k, a * 100.0 / k, paired=True, eftype="hedges")
        assert close(pct["g_av"], g)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False)),
        min_size=stats.MIN_N,
        max_size=40,
    )
)
def test_it_matches_scipy_on_continuous_scores(pairs):
    x = np.array([p for p, _ in pairs])
    y = np.array([q for _, q in pairs])
    d = y - x
    scale = max(np.abs(x).max(), np.abs(y).max())
    assume(np.ptp(d) > 1e-6 * max(scale, 1))
    # no two |d| nearly equal but unequal: then ties are the same for SciPy
    gaps = np.diff(np.sort(np.abs(d)))
    assume(not np.any((gaps > 0) & (gaps <= 1e-6 * max(scale, 1))))
    res = stats.prepost(x, y)
    ref = sps.ttest_rel(y, x)
    assert close(res["t"], ref.statistic) and close(res["p"], ref.pvalue)
    nonzero = d[np.abs(d) > stats.REL_TOL * scale]
    if nonzero.size:
        assert close(res["wilcoxon_p"], _wilcoxon_reference(nonzero)[1])


# ------------------------------------------------------------------ groups


@st.composite
def grouped(draw):
    """Scores in groups, some of one or two members, ties everywhere."""
    sizes = draw(st.lists(st.integers(1, 12), min_size=1, max_size=5))
    values = st.sampled_from([1.0, 2.0, 2.5, 3.0, 10 / 3, 4.0, 13 / 3, 5.0])
    rows = [(f"g{i}", draw(values)) for i, size in enumerate(sizes) for _ in range(size)]
    return pl.DataFrame({"g": [g for g, _ in rows], "y": [y for _, y in rows]})


@settings(max_examples=50, deadline=None)
@given(grouped())
def test_it_matches_scipy_kruskal_and_holm_pairwise_tests(data):
    res = stats.kruskal(data, "y", "g")
    kept = {g: part["y"].to_numpy() for (g,), part in data.group_by("g") if part.height >= 5}
    small = sorted(g for (g,), part in data.group_by("g") if part.height < 5)
    assert sorted(res["excluded"]) == small and res["n_groups"] == len(kept)
    if len(kept) < 2:
        assert res["not_computable"]["p"] == "too_few"
        return
    pooled = np.concatenate(list(kept.values()))
    if np.ptp(pooled) == 0:
        assert res["not_computable"]["H"] == "no_spread"
        return
    h, p = sps.kruskal(*kept.values())
    assert close(res["H"], h) and close(res["p"], p)
    assert close(res["epsilon2"], h / (pooled.size - 1))
    pairs = stats.pairwise_mannwhitney(data, "y", "g").to_dicts()
    labels = sorted(kept)
    ref = [
        (a, b, sps.mannwhitneyu(kept[a], kept[b], alternative="two-sided"))
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
    ]
    gc.freeze()  # statsmodels' Holm runs gc.collect(): scan only what is new (same result)
    try:
        adjusted = multipletests([r.pvalue for _, _, r in ref], method="holm")[1]
    finally:
        gc.unfreeze()
    for got, (a, b, r), p_adj in zip(pairs, ref, adjusted):
        assert (got["A"], got["B"]) == (a, b)
        assert got["U"] == r.statistic and close(got["p_unc"], r.pvalue)
        assert close(got["p_adj"], p_adj)
        # the sign: the share of (A, B) pairs where A is higher minus where B is higher
        diff = kept[a][:, None] - kept[b][None, :]
        assert close(got["rbc"], float((diff > 0).mean() - (diff < 0).mean()))


# ------------------------------------------------------------------ IKM


@st.composite
def skm(draw):
    n = draw(st.integers(1, 30))
    pool = st.sampled_from([1, 2, 3, 4, 4, 3, None, 2.5, 7])
    cols = {f"u{i}": [draw(pool) for _ in range(n)] for i in range(1, 10)}
    return pl.DataFrame(cols, schema={c: pl.Float64 for c in cols})


def _exact_ikm(frame: pl.DataFrame) -> Fraction | None:
    nrr = []
    for col in frame.columns:
        vals = [int(v) for v in frame[col].to_list() if v is not None and v in (1, 2, 3, 4)]
        if not vals:
            return None
        nrr.append(Fraction(sum(vals), len(vals)))
    return sum(nrr, Fraction(0)) / 9 * 25


@settings(max_examples=60, deadline=None)
@given(skm())
def test_it_computes_ikm_exactly_and_bands_it_half_up(frame):
    kept = frame.filter(
        pl.any_horizontal(pl.col(frame.columns).is_in([1.0, 2.0, 3.0, 4.0]).fill_null(False))
    )
    row = compute_ikm(frame, frame.columns).row(0, named=True)
    assert row["n"] == kept.height
    exact = _exact_ikm(frame)
    if exact is None:
        assert row["ikm"] is None and row["mutu"] is None
        return
    assert row["ikm"] == float(exact)
    rounded = Fraction(math.floor(exact * 100 + Fraction(1, 2)), 100)
    assert row["ikm_rounded"] == float(rounded)
    bands = [(Fraction("88.31"), "A"), (Fraction("76.61"), "B"), (Fraction("65"), "C")]
    assert row["mutu"] == next((g for lower, g in bands if rounded >= lower), "D")


@pytest.mark.parametrize("n", [1, 7, 499])
def test_it_matches_statsmodels_wilson_interval(n):
    for k in range(0, n + 1, max(1, n // 7)):
        lo, hi = stats.wilson_ci(k, n)
        ref = proportion_confint(k, n, method="wilson")
        assert close(lo[0], max(0.0, ref[0])) and close(hi[0], min(1.0, ref[1]))
