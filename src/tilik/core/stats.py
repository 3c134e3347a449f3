"""Statistics for evaluation data: Likert items, constructs, reliability, tests, groups.

Functions take a tidy :class:`polars.DataFrame` (one row per respondent, one column per
question, as :meth:`tilik.core.bundle.Dataset.frame` returns it) plus column names, and
return frames or plain dictionaries, in the style of pingouin.

Conventions used throughout
---------------------------
* **Missing values** (one policy for every function): an answer is missing when it is null,
  NaN or not a number, and — when the item's scale is known — when it lies outside the
  scale or is not a whole number (2.5 on a 1–5 item; :func:`likert_values`). Don't-know
  codes declared in the form ("999 = tidak tahu") are outside the scale, so missing too
  (:meth:`tilik.core.xlsform.Form.missing_choices`). Descriptives are *available case
  per item* (every respondent who answered the item); Cronbach's alpha and the item
  analysis are *listwise within a construct* (only respondents who answered every item of
  it). Both counts are reported (``n_missing`` per item, ``n_alpha`` / ``n_incomplete``
  per construct), so nothing is dropped silently.
* **Reverse-worded items** are recoded as ``min + max - x`` before anything else.
* **Construct score** of a respondent = mean of the construct items they answered, given
  they answered at least half of them (``ceil(k / 2)``); otherwise no score.
* **Small cells**: a group with fewer than ``min_cell`` (default 5) respondents keeps its
  ``n`` but every other statistic is withheld (``withheld = True``, values null) and the
  group is left out of the tests on that variable.
* **Minimum n**: a t-based confidence interval (of a mean or of a mean difference), a
  paired test and its effect sizes need at least :data:`MIN_N` (5) observations;
  Cronbach's alpha, its CI and the item analysis need :data:`MIN_N_ALPHA` (10) complete
  respondents. Below that the value is null, never a number the data cannot carry. The
  Wilson interval of a share is given from one answer: it keeps its coverage at small n
  and never has zero width (Brown, Cai & DasGupta 2001).
* **Not computable**: a null statistic comes with its reason in ``not_computable``
  (field → code, codes in :data:`REASONS`): too few observations, no spread (all answers
  equal, all gains equal — a t statistic, a d_z or a mean CI would divide by zero), no
  difference at all (nothing for the signed-rank test to rank), a one-item construct, a
  pre-test already at the maximum.
* **Exact arithmetic before floating point**: answers and test scores are whole numbers
  (codes, counts of correct items); variances, "no spread" and ties are decided on those
  integers exactly, so rounding can never make equal values unequal (a spread of 1e-15
  read as real, a tie broken in the last binary digit). Data that are not whole numbers
  are compared with a tolerance relative to their magnitude (:data:`REL_TOL`).
* Confidence intervals are 95 % two-sided: t-based for means, Wilson score for
  proportions, Feldt (F-based, as pingouin) for alpha.

The descriptive engine works on counts: each item's answers are coded ``1..L`` (0 =
missing) in a small-integer matrix and every per-item statistic (n, mean, sd, median,
distribution, top-2-box) is derived from value counts computed with :func:`numpy.bincount`,
overall and per group. Alpha and the item analysis come from one exact integer scatter
matrix per construct. This is the code path the product uses and the one the benchmark
measures.

References
----------
Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a binomial
proportion. *Statistical Science* 16(2), 101–133.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl
from scipy import stats as sps

__all__ = [
    "ALPHA_THRESHOLD",
    "MIN_CELL",
    "MIN_N",
    "MIN_N_ALPHA",
    "REASONS",
    "REL_TOL",
    "LikertSummary",
    "as_numbers",
    "construct_scores",
    "cronbach_alpha",
    "describe_items",
    "describe_values",
    "group_compare",
    "item_analysis",
    "kruskal",
    "likert_values",
    "mean_ci",
    "pair_scores",
    "pairwise_mannwhitney",
    "prepost",
    "reasons_dict",
    "recode_reverse",
    "score_test",
    "summarize_likert",
    "wilson_ci",
]

#: Cronbach's alpha below this value is flagged (Nunnally 1978).
ALPHA_THRESHOLD = 0.70
#: Cells with fewer respondents are withheld from anything meant for a report.
MIN_CELL = 5
#: Fewest observations for a t-based CI of a mean or mean difference, a paired test (t,
#: Wilcoxon) and its effect sizes (d_z, d_av, g_av): the project's small-cell rule.
MIN_N = 5
#: Fewest complete respondents for Cronbach's alpha, its Feldt CI and the item analysis.
#: With fewer, the Feldt interval spans most of the range (n = 5, k = 4, alpha = 0.8:
#: 0.18 to 0.98) and a coefficient printed alone would be over-read.
MIN_N_ALPHA = 10
#: In data that are not whole numbers, two values closer than ``REL_TOL`` times the data's
#: magnitude are equal: for ties in rank tests and for "no spread". Whole numbers and
#: counts are compared exactly.
REL_TOL = 1e-9

#: Why a statistic is null: the codes used in ``not_computable`` (field -> code).
REASONS = {
    "too_few": "fewer observations than the minimum (MIN_N; MIN_N_ALPHA for alpha)",
    "no_spread": "no variation where the statistic needs it: all answers equal, every "
    "gain equal, or items identical",
    "no_difference": "every pre/post difference is zero: nothing for the signed-rank test to rank",
    "one_item": "a construct of one item has no internal consistency",
    "ceiling": "the pre-test score is already the maximum: no room for a normalised gain",
}

Scale = tuple[int, int]

# Wilcoxon signed-rank p-values: exact null distribution up to this many non-zero
# differences without ties; with ties, an exhaustive permutation distribution up to
# _WILCOXON_PERMUTATION_MAX (2**13 sign patterns); beyond, the normal approximation with
# the tie correction. These are SciPy's own "auto" limits, made explicit.
_WILCOXON_EXACT_MAX = 50
_WILCOXON_PERMUTATION_MAX = 13


# --------------------------------------------------------------------------- helpers


def wilson_ci(count: Any, nobs: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (vectorised).

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    Computed as :func:`statsmodels.stats.proportion.proportion_confint` computes it with
    ``method="wilson"`` (the same operations in the same order: the same bits, tested;
    statsmodels itself, with pandas, would add a third of a second to every start).
    Where ``nobs`` is 0 both bounds are NaN.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209–212.
    """
    count_a = np.atleast_1d(np.asarray(count, dtype=float))
    nobs_a = np.atleast_1d(np.asarray(nobs, dtype=float))
    count_a, nobs_a = np.broadcast_arrays(count_a, nobs_a)
    lo = np.full(count_a.shape, np.nan)
    hi = np.full(count_a.shape, np.nan)
    ok = nobs_a > 0
    if ok.any():
        lo_ok, hi_ok = _wilson(count_a[ok], nobs_a[ok], 1 - confidence)
        # Exact bounds at the edges (statsmodels leaves ~1e-17 of rounding there).
        lo_ok = np.where(count_a[ok] == 0, 0.0, np.clip(lo_ok, 0.0, 1.0))
        hi_ok = np.where(count_a[ok] == nobs_a[ok], 1.0, np.clip(hi_ok, 0.0, 1.0))
        lo[ok], hi[ok] = lo_ok, hi_ok
    return lo, hi


def _wilson(count: np.ndarray, nobs: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels' ``proportion_confint(count, nobs, alpha, method="wilson")``, two-sided."""
    q_ = count / nobs
    crit = sps.norm.isf(alpha / 2.0)
    crit2 = crit**2
    denom = 1 + crit2 / nobs
    center = (q_ + crit2 / (2 * nobs)) / denom
    dist = crit * np.sqrt(q_ * (1.0 - q_) / nobs + crit2 / (4.0 * nobs**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def mean_ci(
    mean: Any, sd: Any, n: Any, confidence: float = 0.95, *, min_n: int = MIN_N
) -> tuple[np.ndarray, np.ndarray]:
    """t-based confidence interval of a mean: ``mean ± t(1-a/2, n-1) · sd / sqrt(n)``.

    NaN where ``n < min_n`` (:data:`MIN_N`) or where ``sd`` is 0 or missing: an interval
    of zero width (all answers equal) says nothing about the uncertainty, so none is
    given. Callers decide "sd is 0" exactly (counts) or with :data:`REL_TOL`.
    """
    mean_a = np.atleast_1d(np.asarray(mean, dtype=float))
    sd_a = np.atleast_1d(np.asarray(sd, dtype=float))
    n_a = np.atleast_1d(np.asarray(n, dtype=float))
    usable = (n_a >= max(min_n, 2)) & (sd_a > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = sps.t.ppf(0.5 + confidence / 2, np.where(usable, n_a - 1, np.nan))
        half = t * sd_a / np.sqrt(n_a)
    half = np.where(usable, half, np.nan)
    return mean_a - half, mean_a + half


def _ci_reason(n: Any, no_spread: Any, min_n: int = MIN_N) -> np.ndarray:
    """Reason code (or None) why a t CI is not given, elementwise."""
    n_a = np.atleast_1d(np.asarray(n))
    flat = np.broadcast_to(np.asarray(no_spread, dtype=bool), n_a.shape)
    out = np.full(n_a.shape, None, dtype=object)
    out[flat] = "no_spread"
    out[n_a < min_n] = "too_few"
    return out


def _is_whole(x: np.ndarray) -> bool:
    """True when every value is a whole number small enough to be exact in float64."""
    if x.dtype.kind in "iub":
        return True
    return bool(np.all(np.isfinite(x)) and np.all(x == np.rint(x)) and np.all(np.abs(x) < 2**52))


def _no_spread(x: np.ndarray) -> bool:
    """All values equal: exactly for whole numbers, within :data:`REL_TOL` of the values'
    magnitude otherwise. An empty vector has no spread."""
    if x.size == 0:
        return True
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        return True
    if _is_whole(x):
        return False
    return hi - lo <= REL_TOL * max(abs(lo), abs(hi))


def _snap_ties(values: np.ndarray, magnitude: float | None = None) -> np.ndarray:
    """Values with their ties made exact, for rank-based tests.

    Whole numbers are returned as they are. Otherwise, sorted values closer than
    :data:`REL_TOL` × ``magnitude`` (default: the largest absolute value) to their
    neighbour take the neighbour's value, and values that close to 0 become 0: 100·7/12
    and 100·(8-1)/12 are one score, not two. Ranks are unchanged except for those ties.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0 or _is_whole(x):
        return x
    scale = float(np.max(np.abs(x))) if magnitude is None else float(magnitude)
    tol = REL_TOL * scale
    # Construct scores take few distinct values, none within tol of another: then nothing
    # moves (a large sample is looked at through its distinct values, not sorted whole).
    distinct = np.sort(pl.Series(x).unique().to_numpy())
    if (
        distinct.size < x.size // 2
        and np.isfinite(distinct).all()
        and not np.any(np.diff(distinct) <= tol)
        and not np.any((np.abs(distinct) <= tol) & (distinct != 0))
        and not np.any(np.signbit(x[x == 0]))
    ):
        return x
    order = np.argsort(x, kind="stable")
    s = x[order]
    starts = np.empty(s.size, dtype=bool)
    starts[0] = True
    starts[1:] = np.diff(s) > tol
    group = np.cumsum(starts) - 1
    snapped = np.empty_like(x)
    snapped[order] = s[starts][group]
    snapped[np.abs(snapped) <= tol] = 0.0
    return snapped


def _scale_of(item: str, scale: Scale | Mapping[str, Scale]) -> Scale:
    if isinstance(scale, Mapping):
        if item not in scale:
            raise ValueError(f"no scale given for item {item!r}")
        return scale[item]
    return scale


def _numbers(series: pl.Series) -> pl.Series:
    if series.dtype == pl.Categorical or isinstance(series.dtype, pl.Enum):
        # each distinct text read once, by the same cast as a text column's
        distinct = series.drop_nulls().unique()
        codes = distinct.to_physical().cast(pl.Int64).to_numpy()
        parsed = distinct.cast(pl.Utf8).cast(pl.Float64, strict=False)
        table = np.full(int(codes.max(initial=0)) + 2, np.nan)
        valid = np.zeros(len(table), dtype=bool)
        table[codes] = parsed.fill_null(np.nan).to_numpy()
        valid[codes] = parsed.is_not_null().to_numpy()
        physical = series.to_physical().fill_null(len(table) - 1).to_numpy()  # null: invalid
        found = pl.Series(series.name, table[physical])
        return found.set(pl.Series(~valid[physical]), None)
    return series.cast(pl.Float64, strict=False)


def as_numbers(expr: pl.Expr) -> pl.Expr:
    """Answers as numbers (Float64), null where one is not a number: the cast of a text
    column (``strict=False``), applied to a categorical column's texts (select_one answers
    are categorical in the frame, :func:`tilik.core.columnar.frame_dtype`)."""
    return expr.map_batches(_numbers, return_dtype=pl.Float64)


def likert_values(expr: pl.Expr, scale: Scale) -> pl.Expr:
    """The answers of a Likert item as numbers, missing where the policy says so.

    Null where the answer is null, NaN, not a number, outside ``scale`` or not a whole
    number — the one rule for every statistic here and for the IKM
    (:func:`tilik.core.ikm.compute_ikm`).
    """
    lo, hi = scale
    value = as_numbers(expr)
    valid = (
        value.is_not_null()
        & value.is_finite()
        & (value >= lo)
        & (value <= hi)
        & (value == value.floor())
    )
    return pl.when(valid).then(value).otherwise(None)


def recode_reverse(
    data: pl.DataFrame,
    items: Sequence[str],
    *,
    scale: Scale | Mapping[str, Scale] = (1, 5),
) -> pl.DataFrame:
    """Recode reverse-worded Likert items: ``x' = min + max - x``.

    Parameters
    ----------
    data : polars.DataFrame
        Respondents in rows.
    items : sequence of str
        Columns to recode; other columns are returned unchanged.
    scale : (int, int) or mapping item -> (int, int)
        Minimum and maximum of each item's scale.
    """
    exprs = []
    for item in items:
        lo, hi = _scale_of(item, scale)
        exprs.append((pl.lit(lo + hi) - pl.col(item)).alias(item))
    return data.with_columns(exprs) if exprs else data


def _code_dtype(n_levels: int) -> tuple[Any, Any]:
    """The smallest signed integer type holding codes ``0..n_levels`` (polars, numpy)."""
    if n_levels <= np.iinfo(np.int8).max:
        return pl.Int8, np.int8
    if n_levels <= np.iinfo(np.int16).max:
        return pl.Int16, np.int16
    return pl.Int32, np.int32


def _to_codes(
    data: pl.DataFrame,
    items: Sequence[str],
    scales: Sequence[Scale],
    reverse: set[str],
) -> np.ndarray:
    """Items as a small-integer matrix of codes ``1..L`` (0 = missing, per
    :func:`likert_values`)."""
    width = max((hi - lo + 1 for lo, hi in scales), default=1)
    pl_type, np_type = _code_dtype(width)

    def code(column: pl.Expr, item: str, lo: int, hi: int) -> pl.Expr:
        value = likert_values(column, (lo, hi))
        found = (pl.lit(hi) - value + 1) if item in reverse else (value - lo + 1)
        return found.fill_null(0).cast(pl_type).alias(item)

    out = np.zeros((data.height, len(items)), dtype=np_type)
    schema = data.schema
    plain = [j for j, item in enumerate(items) if schema[item] != pl.Categorical]
    if plain:
        exprs = [code(pl.col(items[j]), items[j], *scales[j]) for j in plain]
        out[:, plain] = data.select(exprs).to_numpy()
    for j, item in enumerate(items):
        if schema[item] == pl.Categorical:
            # each distinct answer coded once (the same expression), spread by its code
            column = data.get_column(item)
            distinct = column.drop_nulls().unique()
            physical = distinct.to_physical().cast(pl.Int64).to_numpy()
            coded = pl.select(code(pl.lit(distinct.cast(pl.Utf8)), item, *scales[j])).to_series()
            lookup = np.zeros(int(physical.max(initial=0)) + 2, dtype=np_type)
            lookup[physical] = coded.to_numpy()
            out[:, j] = lookup[column.to_physical().fill_null(len(lookup) - 1).to_numpy()]
    return out


def _fast_codes(
    data: pl.DataFrame, items: Sequence[str], scales: Sequence[Scale], reverse: set[str]
) -> np.ndarray:
    """Like :func:`_to_codes` but skips per-value checks when the columns are already
    small integers within 1..L (the common case, e.g. a CSV read with Int8 dtypes)."""
    schema = data.schema
    if any(not schema[i].is_integer() for i in items) or reverse:
        return _to_codes(data, items, scales, reverse)
    lows = {lo for lo, _ in scales}
    if len(lows) != 1:
        return _to_codes(data, items, scales, reverse)
    lo = lows.pop()
    stats = data.select(
        pl.min_horizontal(pl.col(items).min()).alias("lo"),
        pl.max_horizontal(pl.col(items).max()).alias("hi"),
    ).row(0)
    if stats[0] is None or stats[0] < lo or stats[1] > min(hi for _, hi in scales):
        return _to_codes(data, items, scales, reverse)
    shift = 1 - lo
    pl_type, _ = _code_dtype(max(hi - lo + 1 for lo, hi in scales))
    frame = data.select(pl.col(items).fill_null(lo - 1).add(shift).cast(pl_type))
    return frame.to_numpy(order="fortran")


# --------------------------------------------------------------------- count engine


def _stats_from_counts(counts: np.ndarray, low: np.ndarray, top: np.ndarray) -> dict[str, Any]:
    """Per-row statistics from value counts.

    ``counts[..., v]`` is the number of answers with code ``v`` (``v = 1..L``; column 0,
    the missing answers, is ignored). ``low`` is the scale minimum (value = code + low - 1)
    and ``top`` the code from which an answer counts as top-2-box, broadcastable to
    ``counts.shape[:-1]``. "No spread" is exact: a single code was used.
    """
    c = counts[..., 1:].astype(np.float64)
    n_levels = c.shape[-1]
    codes = np.arange(1, n_levels + 1, dtype=np.float64)
    n = c.sum(axis=-1)
    one_value = (c > 0).sum(axis=-1) <= 1
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_code = (c * codes).sum(axis=-1) / n
        # Centred second moment avoids cancellation for large n.
        ss = (c * (codes - mean_code[..., None]) ** 2).sum(axis=-1)
        sd = np.sqrt(ss / (n - 1))
    sd = np.where(n >= 2, np.where(one_value, 0.0, sd), np.nan)
    cum = np.cumsum(c, axis=-1)
    # Median: the values at 1-based positions floor((n+1)/2) and ceil((n+1)/2).
    pos_lo = np.floor((n + 1) / 2)
    pos_hi = np.ceil((n + 1) / 2)
    med_lo = (cum < pos_lo[..., None]).sum(axis=-1) + 1
    med_hi = (cum < pos_hi[..., None]).sum(axis=-1) + 1
    median_code = np.where(n > 0, (med_lo + med_hi) / 2, np.nan)
    top_b = np.broadcast_to(top, n.shape)
    in_top = codes >= top_b[..., None]
    n_top = (c * in_top).sum(axis=-1)
    mean = mean_code + low - 1
    ci_lo, ci_hi = mean_ci(mean, sd, n)
    t_lo, t_hi = wilson_ci(n_top, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        top2 = np.where(n > 0, n_top / n, np.nan)
    return {
        "n": n.astype(np.int64),
        "mean": np.where(n > 0, mean, np.nan),
        "sd": sd,
        "mean_ci_low": ci_lo,
        "mean_ci_high": ci_hi,
        "median": median_code + low - 1,
        "top2box": top2,
        "top2box_ci_low": t_lo,
        "top2box_ci_high": t_hi,
        "_mean_ci_reason": _ci_reason(n, one_value),
        "_top2box_ci_reason": _ci_reason(n, False, min_n=1),
    }


def _not_computable(**reasons: Any) -> list[dict[str, str | None]]:
    """Rows of the ``not_computable`` struct column from per-field reason arrays."""
    names = list(reasons)
    columns = [np.atleast_1d(np.asarray(reasons[k], dtype=object)).reshape(-1) for k in names]
    return [dict(zip(names, row)) for row in zip(*columns)] if columns else []


def reasons_dict(value: Mapping[str, Any] | None) -> dict[str, str]:
    """A ``not_computable`` struct value as a plain dict without the computable fields."""
    return {k: str(v) for k, v in (value or {}).items() if v}


# --------------------------------------------------------------------- reliability


@dataclass
class _Reliability:
    """Cronbach's alpha and the item analysis of complete rows (one implementation)."""

    n: int
    k: int
    alpha: float = math.nan
    ci: tuple[float, float] = (math.nan, math.nan)
    item_rest_r: np.ndarray = field(default_factory=lambda: np.zeros(0))
    alpha_if_deleted: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reasons: dict[str, str] = field(default_factory=dict)  # alpha, alpha_ci
    item_reasons: list[dict[str, str | None]] = field(default_factory=list)


def _scatter_exact(x: np.ndarray) -> list[list[int]]:
    """``n · X'X − s s'`` (= n(n−1) × the sample covariance) of whole numbers, exactly.

    The cross-products are taken in float64 when every partial sum stays below 2**53
    (then BLAS is exact), else in Python integers; the centring is done in Python integers.
    """
    n, k = x.shape
    s = [int(v) for v in x.sum(axis=0, dtype=np.int64)]
    biggest = max(int(x.max()), -int(x.min())) if x.size else 0
    if n * biggest * biggest < 2**53:
        xf = x.astype(np.float64)
        cross = np.rint(xf.T @ xf).astype(np.int64).tolist()
    else:
        xo = x.astype(object)
        cross = (xo.T @ xo).tolist()
    return [[n * int(cross[i][j]) - s[i] * s[j] for j in range(k)] for i in range(k)]


def _feldt_ci(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    df1 = n - 1
    df2 = df1 * (k - 1)
    a = 1 - confidence
    lower = 1 - (1 - alpha) * sps.f.isf(a / 2, df1, df2)
    upper = 1 - (1 - alpha) * sps.f.isf(1 - a / 2, df1, df2)
    return float(lower), float(upper)


def _reliability(x: np.ndarray, confidence: float = 0.95) -> _Reliability:
    """Alpha, Feldt CI, item–rest r and alpha-if-deleted of the complete rows ``x``.

    Variances are decided exactly when the values are whole numbers (Likert codes): the
    n(n−1)-scaled covariance matrix is computed in integers, so a constant item, a
    constant total or a constant rest score is exactly zero, never ±1e-16 that would give
    r = ±inf or alpha = −6e15. Other data are centred in float64 and "constant" means a
    range within :data:`REL_TOL` of the values' magnitude.
    """
    n, k = x.shape
    rel = _Reliability(n=n, k=k, item_rest_r=np.full(k, np.nan))
    rel.alpha_if_deleted = np.full(k, np.nan)
    gate = "one_item" if k < 2 else "too_few" if n < MIN_N_ALPHA else None
    if gate:
        rel.reasons = {"alpha": gate, "alpha_ci": gate}
        rel.item_reasons = [{"item_rest_r": gate, "alpha_if_deleted": gate} for _ in range(k)]
        return rel
    # Python ints on the exact path, floats otherwise; the formulas below serve both.
    diag: Sequence[float]
    row: Sequence[float]
    rest: Sequence[float]
    total: float
    if _is_whole(x):
        # small codes (int8) go to float64 directly; other values through int64
        scatter = _scatter_exact(x if x.dtype.kind in "iu" else x.astype(np.int64))
        diag = [scatter[j][j] for j in range(k)]
        row = [sum(scatter[j]) for j in range(k)]
        total = sum(row)
        rest = [total - 2 * row[j] + diag[j] for j in range(k)]
        flat_item = [d == 0 for d in diag]
        flat_total = total == 0
        flat_rest = [v == 0 for v in rest]
    else:
        xc = x - x.mean(axis=0)
        cov = xc.T @ xc
        diag = [float(v) for v in np.diag(cov)]
        row = [float(v) for v in cov.sum(axis=1)]
        total = float(cov.sum())
        rest = [total - 2 * row[j] + diag[j] for j in range(k)]
        sums = x.sum(axis=1)
        magnitude = float(np.abs(x).sum(axis=1).max())
        flat_item = [_no_spread(x[:, j]) for j in range(k)]
        flat_total = _near_constant(sums, magnitude)
        flat_rest = [_near_constant(sums - x[:, j], magnitude) for j in range(k)]
    trace = sum(diag)
    if flat_total:
        rel.reasons = {"alpha": "no_spread", "alpha_ci": "no_spread"}
    else:
        rel.alpha = float(Fraction(k) / (k - 1) * (1 - Fraction(trace) / Fraction(total)))
        if rel.alpha == 1.0:  # identical items: a Feldt interval of zero width
            rel.reasons = {"alpha_ci": "no_spread"}
        else:
            rel.ci = _feldt_ci(rel.alpha, n, k, confidence)
    for j in range(k):
        why: dict[str, str | None] = {"item_rest_r": None, "alpha_if_deleted": None}
        if flat_item[j] or flat_rest[j]:
            why["item_rest_r"] = "no_spread"
        else:
            r = float(row[j] - diag[j]) / math.sqrt(float(diag[j]) * float(rest[j]))
            rel.item_rest_r[j] = min(1.0, max(-1.0, r))
        if k - 1 < 2:
            why["alpha_if_deleted"] = "one_item"
        elif flat_rest[j]:
            why["alpha_if_deleted"] = "no_spread"
        else:
            ratio = Fraction(trace - diag[j]) / Fraction(rest[j])
            rel.alpha_if_deleted[j] = float(Fraction(k - 1, k - 2) * (1 - ratio))
        rel.item_reasons.append(why)
    return rel


def _near_constant(values: np.ndarray, magnitude: float) -> bool:
    return bool(values.size == 0 or np.ptp(values) <= REL_TOL * magnitude)


# ------------------------------------------------------------------ public: summary


@dataclass
class LikertSummary:
    """Everything the report needs about the Likert items of one instrument.

    Attributes
    ----------
    items : polars.DataFrame
        One row per item: ``item, construct, reverse, n, n_missing, mean, sd,
        mean_ci_low, mean_ci_high, median, top2box, top2box_ci_low, top2box_ci_high,
        dist`` (counts of each scale value, low to high), ``item_rest_r,
        alpha_if_deleted, not_computable`` (a struct: the reason code, or null, for
        ``mean_ci``, ``top2box_ci``, ``item_rest_r`` and ``alpha_if_deleted``).
    constructs : polars.DataFrame
        One row per construct: descriptive statistics of the construct score (columns as
        for items; ``n_no_score`` respondents without a score) plus ``k, n_alpha,
        n_incomplete, alpha, alpha_ci_low, alpha_ci_high, alpha_flagged`` and
        ``not_computable`` (``mean_ci``, ``top2box_ci``, ``alpha``, ``alpha_ci``).
    by : dict
        For each grouping column, ``{"items": frame, "constructs": frame}`` with a leading
        ``group`` column and a ``withheld`` flag (cells with ``n < min_cell``).
    scores : polars.DataFrame
        Construct scores per respondent (one column per construct, plus the grouping
        columns), for tests and group comparisons.
    """

    items: pl.DataFrame
    constructs: pl.DataFrame
    by: dict[str, dict[str, pl.DataFrame]] = field(default_factory=dict)
    scores: pl.DataFrame = field(default_factory=pl.DataFrame)


_STAT_COLS = [
    "n",
    "mean",
    "sd",
    "mean_ci_low",
    "mean_ci_high",
    "median",
    "top2box",
    "top2box_ci_low",
    "top2box_ci_high",
]
_ITEM_REASONS = ("mean_ci", "top2box_ci", "item_rest_r", "alpha_if_deleted")
_CONSTRUCT_REASONS = ("mean_ci", "top2box_ci", "alpha", "alpha_ci")
_DESCRIBE_REASONS = ("mean_ci", "top2box_ci")


def _reason_series(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> pl.Series:
    dtype = pl.Struct({f: pl.Utf8 for f in fields})
    values = [{f: (row or {}).get(f) for f in fields} for row in rows]
    return pl.Series("not_computable", values, dtype=dtype)


def _withhold(frame: pl.DataFrame, min_cell: int) -> pl.DataFrame:
    hidden = [c for c in frame.columns if c in _STAT_COLS and c != "n"] + [
        c for c in ("dist", "not_computable") if c in frame.columns
    ]
    small = pl.col("n") < min_cell
    return frame.with_columns(
        [pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in hidden]
        + [small.alias("withheld")]
    )


def summarize_likert(
    data: pl.DataFrame,
    constructs: Mapping[str, Sequence[str]],
    *,
    scale: Scale | Mapping[str, Scale] = (1, 5),
    reverse: Sequence[str] = (),
    by: Sequence[str] = (),
    min_cell: int = MIN_CELL,
    confidence: float = 0.95,
    alpha_threshold: float = ALPHA_THRESHOLD,
) -> LikertSummary:
    """Describe Likert items and constructs, with reliability, overall and per group.

    Parameters
    ----------
    data : polars.DataFrame
        One row per respondent; item columns hold integers on the item's scale.
    constructs : mapping str -> sequence of str
        Construct name to its item columns. An item belongs to one construct; items may
        be listed under a construct of their own (a one-item construct has no alpha).
    scale : (int, int) or mapping item -> (int, int)
        Scale minimum and maximum. All items of a construct must share one scale.
    reverse : sequence of str
        Reverse-worded items, recoded ``min + max - x`` first.
    by : sequence of str
        Grouping columns (e.g. ``instansi``, ``sektor``) for per-group descriptives.
    min_cell : int
        Groups with fewer respondents are withheld (``n`` kept, statistics null).

    Returns
    -------
    LikertSummary

    Notes
    -----
    * Item mean ± t CI, median, distribution, top-2-box share (the two highest scale
      points) with Wilson CI; available case per item.
    * Construct score: mean of answered items (at least ``ceil(k/2)``); its top-2-box is
      the share of respondents whose score is ``>= max - 1``.
    * Cronbach's alpha (listwise within the construct)

      .. math:: \\alpha = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\sum_i s_i^2}{s_T^2}\\Bigr)

      with the Feldt (1965) F-based CI as in pingouin: ``1 - (1-alpha) F_{a/2}(n-1,
      (n-1)(k-1))`` to ``1 - (1-alpha) F_{1-a/2}(...)``, where ``n`` is ``n_alpha``, the
      respondents left after listwise deletion (pingouin's own CI takes ``n`` before the
      deletion). Item–rest correlation is the Pearson correlation of an item with the sum
      of the other items; alpha if deleted is alpha of the remaining ``k-1`` items. All
      three come from one exact integer covariance matrix (:func:`cronbach_alpha` and
      :func:`item_analysis` run the same code) and need :data:`MIN_N_ALPHA` complete
      respondents. A constant item has no item–rest r; a constant total (e.g. straight-
      lining respondents with one reverse-worded item) has no alpha — each with its
      reason in ``not_computable``.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297–334. Feldt, L. S. (1965). The approximate sampling
    distribution of Kuder-Richardson reliability coefficient twenty. *Psychometrika* 30,
    357–370.
    """
    item_construct: dict[str, str] = {}
    for cname, citems in constructs.items():
        for item in citems:
            if item in item_construct:
                raise ValueError(f"item {item!r} is in two constructs")
            item_construct[item] = cname
    items = list(item_construct)
    missing_cols = [i for i in items if i not in data.columns]
    if missing_cols:
        raise ValueError(f"columns not in data: {missing_cols}")
    scales = [_scale_of(i, scale) for i in items]
    for cname, citems in constructs.items():
        if len({_scale_of(i, scale) for i in citems}) > 1:
            raise ValueError(f"items of construct {cname!r} do not share one scale")
    rev = set(reverse) & set(items)
    lows = np.array([lo for lo, _ in scales], dtype=np.float64)
    levels = np.array([hi - lo + 1 for lo, hi in scales], dtype=np.int64)
    n_levels = int(levels.max()) if len(levels) else 1
    # Top-2-box = the two highest points; on a two-point (yes/no) item, the top one.
    top_code = np.where(levels > 2, levels - 1, levels)

    codes = _fast_codes(data, items, scales, rev)  # (n, k) small integers
    n_resp = codes.shape[0]

    # --- item counts overall: (k, L+1)
    counts = np.zeros((len(items), n_levels + 1), dtype=np.int64)
    for j in range(len(items)):
        counts[j] = np.bincount(codes[:, j], minlength=n_levels + 1)[: n_levels + 1]
    item_stats = _stats_from_counts(counts, lows, top_code)

    # --- constructs: scores, alpha and the item analysis (one implementation)
    cnames = list(constructs)
    col_index = {item: j for j, item in enumerate(items)}
    score_cols: dict[str, np.ndarray] = {}
    c_rows: list[dict[str, Any]] = []
    item_rest = np.full(len(items), np.nan)
    alpha_del = np.full(len(items), np.nan)
    item_why: list[dict[str, Any]] = [{} for _ in items]
    for cname in cnames:
        idx = [col_index[i] for i in constructs[cname]]
        block = codes[:, idx]
        answered = block > 0
        n_answered = answered.sum(axis=1, dtype=np.int32)
        total = block.sum(axis=1, dtype=np.int32)
        k = len(idx)
        need = math.ceil(k / 2)
        lo, hi = scales[idx[0]]
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(n_answered >= need, total / n_answered + lo - 1, np.nan)
        score_cols[cname] = score
        complete = n_answered == k
        n_alpha = int(complete.sum())
        rel = _reliability(block if n_alpha == n_resp else block[complete], confidence)
        item_rest[idx] = rel.item_rest_r
        alpha_del[idx] = rel.alpha_if_deleted
        for j, why in zip(idx, rel.item_reasons):
            item_why[j] = why
        c_rows.append(
            {
                "construct": cname,
                "k": k,
                "n_alpha": n_alpha,
                "n_incomplete": n_resp - n_alpha,
                "alpha": rel.alpha,
                "alpha_ci_low": rel.ci[0],
                "alpha_ci_high": rel.ci[1],
                "alpha_flagged": bool(np.isfinite(rel.alpha) and rel.alpha < alpha_threshold),
                "_why": rel.reasons,
            }
        )
    score_desc = [
        describe_values(score_cols[c], scale=scales[col_index[constructs[c][0]]]) for c in cnames
    ]
    construct_frame = (
        pl.DataFrame(
            [
                {
                    "construct": row["construct"],
                    **{k: v for k, v in sd.items() if k != "not_computable"},
                    "n_no_score": n_resp - sd["n"],
                    **{k: v for k, v in row.items() if k not in ("construct", "_why")},
                }
                for row, sd in zip(c_rows, score_desc)
            ],
            infer_schema_length=None,
        ).with_columns(
            _reason_series(
                [{**sd["not_computable"], **row["_why"]} for row, sd in zip(c_rows, score_desc)],
                _CONSTRUCT_REASONS,
            )
        )
        if cnames
        else pl.DataFrame()
    )

    item_reasons = _not_computable(
        mean_ci=item_stats["_mean_ci_reason"], top2box_ci=item_stats["_top2box_ci_reason"]
    )
    item_frame = pl.DataFrame(
        {
            "item": items,
            "construct": [item_construct[i] for i in items],
            "reverse": [i in rev for i in items],
            **{k: v for k, v in item_stats.items() if not k.startswith("_")},
            "n_missing": (n_resp - item_stats["n"]).astype(np.int64),
            "dist": [counts[j, 1 : levels[j] + 1].tolist() for j in range(len(items))],
            "item_rest_r": item_rest,
            "alpha_if_deleted": alpha_del,
        },
        schema_overrides={"dist": pl.List(pl.Int64)},
    ).fill_nan(None)
    item_frame = item_frame.with_columns(
        _reason_series(
            [{**why, **item_why[j]} for j, why in enumerate(item_reasons)], _ITEM_REASONS
        )
    )
    construct_frame = construct_frame.fill_nan(None) if cnames else construct_frame

    scores = pl.DataFrame({c: score_cols[c] for c in cnames}).fill_nan(None)
    if by:
        scores = data.select(list(by)).hstack(scores)

    by_frames: dict[str, dict[str, pl.DataFrame]] = {}
    for col in by:
        labels, inverse = _group_codes(data.get_column(col))
        g = len(labels)
        width = n_levels + 1
        gcounts = np.zeros((g, len(items), width), dtype=np.int64)
        for j in range(len(items)):
            flat = inverse * width + codes[:, j]
            gcounts[:, j, :] = np.bincount(flat, minlength=g * width).reshape(g, width)
        gstats = _stats_from_counts(gcounts, lows[None, :], top_code[None, :])
        gi = pl.DataFrame(
            {
                "group": np.repeat(np.array(labels, dtype=object), len(items)).tolist(),
                "item": items * g,
                **{k: v.reshape(-1) for k, v in gstats.items() if not k.startswith("_")},
                "dist": [
                    gcounts[a, j, 1 : levels[j] + 1].tolist()
                    for a in range(g)
                    for j in range(len(items))
                ],
            },
            schema_overrides={"group": pl.Utf8, "dist": pl.List(pl.Int64)},
        ).fill_nan(None)
        gi = gi.with_columns(
            _reason_series(
                _not_computable(
                    mean_ci=gstats["_mean_ci_reason"], top2box_ci=gstats["_top2box_ci_reason"]
                ),
                _DESCRIBE_REASONS,
            )
        )
        gc_rows = []
        for cname in cnames:
            sc = scales[col_index[constructs[cname][0]]]
            for a, stats_row in enumerate(_group_describe(score_cols[cname], inverse, g, sc)):
                gc_rows.append({"group": labels[a], "construct": cname, **stats_row})
        gc = pl.DataFrame(
            [{k: v for k, v in r.items() if k != "not_computable"} for r in gc_rows],
            infer_schema_length=None,
        )
        if gc_rows:
            gc = gc.fill_nan(None).with_columns(
                _reason_series([r["not_computable"] for r in gc_rows], _DESCRIBE_REASONS)
            )
        by_frames[col] = {
            "items": _withhold(gi, min_cell),
            "constructs": _withhold(gc, min_cell) if gc_rows else gc,
        }
    return LikertSummary(items=item_frame, constructs=construct_frame, by=by_frames, scores=scores)


def _group_codes(column: pl.Series) -> tuple[list[str | None], np.ndarray]:
    """Dense group codes in sorted label order; null is a group of its own (label None)."""
    s = column.cast(pl.Utf8).fill_null(_NULL_LABEL).alias("g")
    uniq = s.unique().sort()
    lookup = pl.DataFrame({"g": uniq, "i": np.arange(len(uniq), dtype=np.int64)})
    inverse = s.to_frame().join(lookup, on="g", how="left", maintain_order="left")["i"]
    labels: list[str | None] = [None if v == _NULL_LABEL else v for v in uniq.to_list()]
    return labels, inverse.to_numpy()


_NULL_LABEL = "\x00null"


def describe_values(
    values: Any, *, scale: Scale | None = None, confidence: float = 0.95
) -> dict[str, Any]:
    """n, mean, sd, t CI, median and (given a scale) top-2-box share of a numeric vector.

    NaN/None are missing. Top-2-box here is the share of values ``>= max - 1`` (``>= max``
    on a two-point scale), which for construct scores means "agrees on average". Returns
    plain floats (NaN where undefined) and ``not_computable`` (``mean_ci``,
    ``top2box_ci``: a reason code or None). Values equal within :data:`REL_TOL` have no
    spread: ``sd`` is 0 and the mean CI is not given.
    """
    x = np.asarray(values.to_numpy() if isinstance(values, pl.Series) else values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = int(x.size)
    flat = _no_spread(x)
    mean = float(x.mean()) if n else math.nan
    sd = (0.0 if flat else float(x.std(ddof=1))) if n >= 2 else math.nan
    lo, hi = mean_ci(mean, sd, n, confidence)
    out: dict[str, Any] = {
        "n": n,
        "mean": mean,
        "sd": sd,
        "mean_ci_low": float(lo[0]),
        "mean_ci_high": float(hi[0]),
        "median": float(np.median(x)) if n else math.nan,
        "top2box": math.nan,
        "top2box_ci_low": math.nan,
        "top2box_ci_high": math.nan,
        "not_computable": {
            "mean_ci": _ci_reason(n, flat)[0],
            "top2box_ci": "too_few" if scale is not None and not n else None,
        },
    }
    if scale is not None and n:
        n_top = int((x >= _top_threshold(scale)).sum())
        t_lo, t_hi = wilson_ci(n_top, n, confidence)
        out.update(top2box=n_top / n, top2box_ci_low=float(t_lo[0]), top2box_ci_high=float(t_hi[0]))
    return out


def _top_threshold(scale: Scale) -> float:
    """Lowest score in the top-2-box: ``max - 1``, or ``max`` on a two-point scale."""
    lo, hi = scale
    return (hi - 1 if hi - lo >= 2 else hi) - 1e-9


def _group_describe(
    score: np.ndarray, inverse: np.ndarray, g: int, scale: Scale
) -> list[dict[str, Any]]:
    ok = np.isfinite(score)
    gi = inverse[ok]
    x = score[ok]
    n = np.bincount(gi, minlength=g).astype(np.float64)
    s = np.bincount(gi, weights=x, minlength=g)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        ss = np.bincount(gi, weights=(x - mean[gi]) ** 2, minlength=g)
        sd = np.where(n >= 2, np.sqrt(ss / (n - 1)), np.nan)
    n_top = np.bincount(gi, weights=(x >= _top_threshold(scale)).astype(float), minlength=g)
    # Sort by (group, value) in one float sort: groups are spaced wider than any score.
    span = float(x.max() - x.min()) + 1.0 if x.size else 1.0
    xs = np.sort(gi * span + (x - (x.min() if x.size else 0.0)))
    xs = xs - np.repeat(np.arange(g) * span, n.astype(np.int64)) + (x.min() if x.size else 0.0)
    starts = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)
    ends = starts + n.astype(np.int64) - 1
    # No spread within a group: its range is within REL_TOL of the scores' magnitude (the
    # scores are means of whole numbers, so equal scores are equal floats anyway).
    magnitude = float(np.abs(x).max()) if x.size else 0.0
    has = n > 0
    spread = np.where(has, xs[np.where(has, ends, 0)] - xs[np.where(has, starts, 0)], 0.0)
    flat = spread <= REL_TOL * magnitude
    sd = np.where(flat & (n >= 2), 0.0, sd)
    lo, hi = mean_ci(mean, sd, n)
    t_lo, t_hi = wilson_ci(n_top, n)
    why = _ci_reason(n, flat)
    rows = []
    for a in range(g):
        na = int(n[a])
        if na:
            st = starts[a]
            med = 0.5 * (xs[st + (na - 1) // 2] + xs[st + na // 2])
        else:
            med = math.nan
        rows.append(
            {
                "n": na,
                "mean": float(mean[a]) if na else math.nan,
                "sd": float(sd[a]),
                "mean_ci_low": float(lo[a]),
                "mean_ci_high": float(hi[a]),
                "median": float(med),
                "top2box": float(n_top[a] / na) if na else math.nan,
                "top2box_ci_low": float(t_lo[a]),
                "top2box_ci_high": float(t_hi[a]),
                "not_computable": {"mean_ci": why[a], "top2box_ci": None if na else "too_few"},
            }
        )
    return rows


def describe_items(
    data: pl.DataFrame,
    items: Sequence[str],
    *,
    scale: Scale | Mapping[str, Scale] = (1, 5),
    reverse: Sequence[str] = (),
) -> pl.DataFrame:
    """Per-item Likert descriptives (see :func:`summarize_likert` for the columns).

    Each item is treated as its own one-item construct, so no alpha is computed.
    """
    frame = summarize_likert(data, {i: [i] for i in items}, scale=scale, reverse=reverse).items
    reasons = pl.struct([pl.col("not_computable").struct.field(f) for f in _DESCRIBE_REASONS])
    return frame.drop("construct", "item_rest_r", "alpha_if_deleted").with_columns(
        reasons.alias("not_computable")
    )


def construct_scores(
    data: pl.DataFrame,
    constructs: Mapping[str, Sequence[str]],
    *,
    scale: Scale | Mapping[str, Scale] = (1, 5),
    reverse: Sequence[str] = (),
) -> pl.DataFrame:
    """Construct score per respondent: the mean of the (reverse-recoded) items answered,
    given at least ``ceil(k/2)`` of the ``k`` items were answered; else null."""
    return summarize_likert(data, constructs, scale=scale, reverse=reverse).scores


def _complete_rows(
    data: pl.DataFrame, items: Sequence[str], scale: Scale | Mapping[str, Scale] | None
) -> tuple[np.ndarray, int]:
    """The listwise-complete rows of ``items`` (missing per :func:`likert_values` when a
    scale is given, else null, NaN and non-numbers) and how many rows were left out."""
    exprs = []
    for item in items:
        if scale is None:
            value = as_numbers(pl.col(item))
            exprs.append(pl.when(value.is_finite()).then(value).otherwise(None).alias(item))
        else:
            exprs.append(likert_values(pl.col(item), _scale_of(item, scale)).alias(item))
    frame = data.select(exprs) if exprs else pl.DataFrame()
    complete = frame.drop_nulls()
    return complete.to_numpy().reshape(complete.height, len(items)), frame.height - complete.height


def cronbach_alpha(
    data: pl.DataFrame,
    items: Sequence[str],
    *,
    scale: Scale | Mapping[str, Scale] | None = None,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Cronbach's alpha with Feldt CI, listwise over ``items``.

    Missing data (the module's one policy): null, NaN and non-numbers are missing, and
    with ``scale`` also answers outside it or not whole numbers; a respondent missing any
    of ``items`` is left out (listwise), and the Feldt CI uses the ``n`` that remains.
    The same code as :func:`summarize_likert` and :func:`item_analysis`.

    Returns ``{"alpha", "ci": (lo, hi), "n", "n_incomplete", "k", "not_computable"}``
    (``not_computable``: ``alpha`` / ``alpha_ci`` → reason code, only those not given).
    Matches ``pingouin.cronbach_alpha(nan_policy="listwise")`` (which rounds its CI to 3
    places and takes n before the deletion) from :data:`MIN_N_ALPHA` complete rows on.
    """
    x, n_incomplete = _complete_rows(data, items, scale)
    rel = _reliability(x, confidence)
    return {
        "alpha": rel.alpha,
        "ci": rel.ci,
        "n": rel.n,
        "n_incomplete": n_incomplete,
        "k": rel.k,
        "not_computable": dict(rel.reasons),
    }


def item_analysis(
    data: pl.DataFrame,
    items: Sequence[str],
    *,
    scale: Scale | Mapping[str, Scale] | None = None,
) -> pl.DataFrame:
    """Item–rest correlation and alpha if item deleted, listwise over ``items``.

    Same missing-data policy and code as :func:`cronbach_alpha`. Returns a frame ``item,
    item_rest_r, alpha_if_deleted, not_computable`` (a struct of reason codes).
    """
    x, _ = _complete_rows(data, items, scale)
    rel = _reliability(x)
    return (
        pl.DataFrame(
            {
                "item": list(items),
                "item_rest_r": rel.item_rest_r,
                "alpha_if_deleted": rel.alpha_if_deleted,
            },
            schema={"item": pl.Utf8, "item_rest_r": pl.Float64, "alpha_if_deleted": pl.Float64},
        )
        .fill_nan(None)
        .with_columns(_reason_series(rel.item_reasons, ("item_rest_r", "alpha_if_deleted")))
    )


# -------------------------------------------------------------------------- tests


def _choice_set(column: str, dtype: Any) -> pl.Expr:
    """An answer as its sorted, space-joined set of choice names ("" when none)."""
    if isinstance(dtype, pl.List):
        tokens = pl.col(column).cast(pl.List(pl.Utf8)).list.join(" ").str.extract_all(r"\S+")
    else:
        tokens = pl.col(column).cast(pl.Utf8).str.extract_all(r"\S+")
    return tokens.list.unique().list.sort().list.join(" ").fill_null("")


def score_test(
    data: pl.DataFrame,
    correct: Mapping[str, str],
    *,
    key: str = "_key",
    order: str | None = "_submitted_at",
) -> pl.DataFrame:
    """Score a knowledge test: how many items each respondent answered right.

    An item's key (``correct``) is one choice name or, for a ``select_multiple``, the
    names of all the right choices separated by spaces. An answer is right when the set
    of choices it names equals the key's set — all or nothing: a multiple-answer item
    earns its mark with every right choice and no wrong one (a select_one answer is one
    name, so this is plain equality). Answers are read as Kobo and ODK write them: a list
    of names or names separated by spaces. An unanswered item (nothing chosen) counts as
    wrong, since a blank on a test earns no mark; ``n_blank`` says how many were blank.

    Returns ``key`` (and ``order``, when present), ``n_correct``, ``n_blank`` and
    ``n_items`` — whole numbers, the exact score — and ``score`` = ``100 · n_correct /
    n_items`` for display. Statistics on scores are computed from the counts (see
    :func:`prepost`, ``n_items``), never from the rounded percentages.
    """
    items = [i for i in correct if i in data.columns]
    keep = [c for c in (key, order) if c and c in data.columns]
    if not items:
        return data.select(keep).with_columns(
            n_correct=pl.lit(0), n_blank=pl.lit(0), n_items=pl.lit(0), score=pl.lit(None)
        )
    schema = data.schema
    answers = {i: _choice_set(i, schema[i]) for i in items}
    keys = {i: " ".join(sorted(set(str(correct[i]).split()))) for i in items}
    hits = [(answers[i] == keys[i]).cast(pl.Int32) for i in items]
    blanks = [(answers[i] == "").cast(pl.Int32) for i in items]
    return data.select(
        *keep,
        pl.sum_horizontal(hits).alias("n_correct"),
        pl.sum_horizontal(blanks).alias("n_blank"),
        pl.lit(len(items)).alias("n_items"),
        (pl.sum_horizontal(hits) * 100.0 / len(items)).alias("score"),
    )


def _latest_by_key(frame: pl.DataFrame, key: str, order: str | None) -> tuple[pl.DataFrame, int]:
    keyed = frame.filter(pl.col(key).is_not_null())
    if order and order in keyed.columns:
        keyed = keyed.sort(order, nulls_last=False, maintain_order=True)
    dedup = keyed.unique(subset=[key], keep="last", maintain_order=True)
    return dedup, keyed.height - dedup.height


def pair_scores(
    pre: pl.DataFrame,
    post: pl.DataFrame,
    *,
    key: str = "_key",
    score: str = "score",
    order: str | None = "_submitted_at",
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Pair pre- and post-test scores by respondent key.

    A key seen more than once in one test keeps its last submission (by ``order``, else
    file order); the extra rows are counted as ``n_duplicate_pre`` / ``_post``. Rows
    without a key, or with a key seen on one side only, are counted, never silently
    dropped.

    Returns
    -------
    pairs : polars.DataFrame
        ``key, pre, post`` for complete pairs (both scores present).
    counts : dict
        ``n_pre, n_post, n_pairs, n_pre_only, n_post_only, n_pre_no_key,
        n_post_no_key, n_duplicate_pre, n_duplicate_post, n_missing_score``.
    """
    pre_k, dup_pre = _latest_by_key(pre, key, order)
    post_k, dup_post = _latest_by_key(post, key, order)
    joined = pre_k.select(key, pl.col(score).alias("pre")).join(
        post_k.select(key, pl.col(score).alias("post")), on=key, how="full", coalesce=True
    )
    both = joined.filter(pl.col("pre").is_not_null() & pl.col("post").is_not_null())
    pre_keys = set(pre_k.get_column(key).to_list())
    post_keys = set(post_k.get_column(key).to_list())
    counts = {
        "n_pre": pre.height,
        "n_post": post.height,
        "n_pairs": both.height,
        "n_pre_only": len(pre_keys - post_keys),
        "n_post_only": len(post_keys - pre_keys),
        "n_pre_no_key": pre.height - pre.filter(pl.col(key).is_not_null()).height,
        "n_post_no_key": post.height - post.filter(pl.col(key).is_not_null()).height,
        "n_duplicate_pre": dup_pre,
        "n_duplicate_post": dup_post,
        "n_missing_score": len(pre_keys & post_keys) - both.height,
    }
    return both.sort(key), counts


def _score_counts(
    x: np.ndarray, y: np.ndarray, max_score: float, n_items: int | tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray, Fraction] | None:
    """Pre and post scores as whole numbers on one grid, and the grid's unit; or None.

    With ``n_items`` (one count, or pre and post counts), a score is ``max_score ·
    correct / n_items``: the counts are recovered (an error when a score is not such a
    value) and put on the common grid of ``lcm(n_pre, n_post)`` parts of ``max_score``.
    Without it, scores that are whole numbers are their own counts (unit 1).
    """
    if n_items is not None:
        k_pre, k_post = (n_items, n_items) if isinstance(n_items, int | np.integer) else n_items
        grid = math.lcm(int(k_pre), int(k_post))
        out = []
        for side, values, k in (("pre", x, int(k_pre)), ("post", y, int(k_post))):
            raw = values * k / max_score
            counts = np.rint(raw)
            bad = np.abs(raw - counts) > 1e-6
            if bad.any():
                raise ValueError(
                    f"{side}-test score {float(values[bad][0]):g} is not a whole number of "
                    f"items of a {k}-item test scored 0–{max_score:g}"
                )
            out.append(counts.astype(np.int64) * (grid // k))
        return out[0], out[1], Fraction(max_score) / grid
    if _is_whole(x) and _is_whole(y):
        return x.astype(np.int64), y.astype(np.int64), Fraction(1)
    return None


def _exact_moments(c: np.ndarray, unit: Fraction) -> tuple[Fraction, Fraction | None]:
    """Mean and sample variance of ``unit · c`` (whole numbers ``c``) as exact fractions."""
    n = int(c.size)
    s = int(c.sum(dtype=np.int64))
    s2 = int((c.astype(np.int64) ** 2).sum())
    mean = Fraction(s, n) * unit
    var = Fraction(n * s2 - s * s, n * (n - 1)) * unit * unit if n >= 2 else None
    return mean, var


def _signed_rank(d: np.ndarray) -> tuple[float, float, str]:
    """Wilcoxon signed-rank test of non-zero differences: (W, p, method).

    ``d`` must be exact (whole numbers, or ties made exact by :func:`_snap_ties`). W is
    the smaller of the positive and negative rank sums (mid-ranks for ties), two-sided p
    without continuity correction: from the exact null distribution when there are no
    ties and at most 50 differences; from all 2**n sign patterns (an exact permutation
    distribution, ties kept) when there are ties and at most 13 differences; otherwise
    from the normal approximation with the tie correction of the variance. These are
    :func:`scipy.stats.wilcoxon`'s own choices for the non-zero differences.
    """
    n = int(d.size)
    ties = np.unique(np.abs(d)).size < n
    if ties and n <= _WILCOXON_PERMUTATION_MAX:
        return _signed_rank_permutation(d)
    method = "exact" if not ties and n <= _WILCOXON_EXACT_MAX else "asymptotic"
    res = sps.wilcoxon(d.astype(np.float64), zero_method="wilcox", correction=False, method=method)
    return float(res.statistic), float(res.pvalue), "exact" if method == "exact" else "normal"


def _signed_rank_permutation(d: np.ndarray) -> tuple[float, float, str]:
    """The signed-rank test's p from all 2**n sign patterns, ties kept (mid-ranks).

    The null distribution of the positive rank sum is counted by convolution over the
    doubled mid-ranks (whole numbers) instead of enumerating the patterns, so it takes
    microseconds where ``scipy.stats.wilcoxon(method=PermutationMethod())`` takes a
    second at n = 13; p is the same: ``min(1, 2 · min(P(T ≤ t), P(T ≥ t)))``.
    """
    ranks = sps.rankdata(np.abs(d))
    doubled = np.rint(2 * ranks).astype(np.int64)
    observed = int(doubled[d > 0].sum())
    counts = np.zeros(int(doubled.sum()) + 1, dtype=np.int64)
    counts[0] = 1
    for r in doubled:
        shifted = counts.copy()
        shifted[r:] += counts[: counts.size - r]
        counts = shifted
    total = 2 ** int(d.size)
    tail = min(int(counts[: observed + 1].sum()), int(counts[observed:].sum()))
    w = min(float(ranks[d > 0].sum()), float(ranks[d < 0].sum()))
    return w, min(1.0, 2 * tail / total), "permutation"


def prepost(
    pre: Any,
    post: Any,
    *,
    max_score: float = 100.0,
    n_items: int | tuple[int, int] | None = None,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Paired pre/post comparison of scores (already paired, same order).

    Parameters
    ----------
    pre, post : array-like
        Scores of the same respondents before and after, one pair per position; pairs
        with a missing score on either side are left out.
    max_score : float
        Highest possible score, for the normalised gain.
    n_items : int or (int, int), optional
        Items of the test (or of the pre- and the post-test), when a score is
        ``max_score · correct / n_items``: the statistics then use the whole-number counts
        of correct items, so ties and "no spread" are exact. Without it, whole-number
        scores are used exactly and other scores with the tolerance :data:`REL_TOL`.

    Returns
    -------
    dict
        ``n_pairs, mean_pre, mean_post, sd_pre, sd_post, mean_diff, sd_diff, diff_ci, t,
        df, p, wilcoxon_w, wilcoxon_p, wilcoxon_n, wilcoxon_method, d_z, d_av, g_av,
        normalized_gain, mean_individual_gain, n_gain_undefined, not_computable`` (field
        → reason code for each statistic not given: :data:`REASONS`).

    Raises
    ------
    ValueError
        When ``pre`` and ``post`` differ in length, or a score does not fit ``n_items``.

    Notes
    -----
    * Minimum: tests, effect sizes and ``diff_ci`` need :data:`MIN_N` pairs.
    * Paired t-test, two-sided: :math:`t = \\bar D / (s_D/\\sqrt n)`, ``df = n - 1``
      (:func:`scipy.stats.ttest_rel`; from exact moments when the scores are counts,
      tested equal to it). When every difference is
      the same (every participant gained one item) the differences have no spread: t,
      p, d_z and ``diff_ci`` are not given (``no_spread``) instead of t ≈ 1e16.
    * Wilcoxon signed-rank, :func:`scipy.stats.wilcoxon` on the differences: zero
      differences are dropped (Wilcoxon's method, ``zero_method="wilcox"``;
      ``wilcoxon_n`` counts the rest), tied differences get mid-ranks, no continuity
      correction; p is exact (no ties, n ≤ 50), from the exhaustive permutation
      distribution (ties, n ≤ 13) or from the normal approximation with the tie-corrected
      variance (otherwise) — ``wilcoxon_method`` says which. ``wilcoxon_w`` is the smaller
      rank sum. Ranks come from exact counts, so percentages and counts give one p.
    * Cohen's :math:`d_z = \\bar D / s_D` (Lakens 2013, eq. 6).
    * :math:`d_{av} = (\\bar x_{post} - \\bar x_{pre}) / \\sqrt{(s^2_{pre} + s^2_{post})/2}`
      (Cumming 2012) and Hedges' :math:`g_{av} = d_{av}(1 - 3/(4 \\cdot 2n - 9))`, the
      small-sample correction as pingouin applies it (``compute_effsize(paired=True,
      eftype="hedges")``, which counts the 2n scores as if they were independent).
    * Normalised gain (Hake 1998), of class means:
      :math:`\\langle g\\rangle = (\\bar x_{post} - \\bar x_{pre}) / (max - \\bar x_{pre})`;
      and the mean of individual gains :math:`(post_i - pre_i)/(max - pre_i)` over the
      respondents with ``pre_i < max`` (the others are counted in ``n_gain_undefined``).

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. *Front. Psychol.* 4:863. Cumming, G. (2012). *Understanding the New
    Statistics*. Hake, R. R. (1998). Interactive-engagement versus traditional methods.
    *Am. J. Phys.* 66, 64–74. Wilcoxon, F. (1945). Individual comparisons by ranking
    methods. *Biometrics Bulletin* 1(6), 80–83.
    """
    x = np.asarray(pre.to_numpy() if isinstance(pre, pl.Series) else pre, dtype=np.float64)
    y = np.asarray(post.to_numpy() if isinstance(post, pl.Series) else post, dtype=np.float64)
    x, y = x.reshape(-1), y.reshape(-1)
    if x.size != y.size:
        raise ValueError(
            f"pre and post must hold one score per respondent, in the same order: got "
            f"{x.size} pre-test and {y.size} post-test scores"
        )
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    why: dict[str, str] = {}
    out: dict[str, Any] = {
        "n_pairs": n,
        "mean_pre": math.nan,
        "mean_post": math.nan,
        "sd_pre": math.nan,
        "sd_post": math.nan,
        "mean_diff": math.nan,
        "sd_diff": math.nan,
        "diff_ci": (math.nan, math.nan),
        "t": math.nan,
        "df": n - 1 if n >= 2 else None,
        "p": math.nan,
        "wilcoxon_w": math.nan,
        "wilcoxon_p": math.nan,
        "wilcoxon_n": 0,
        "wilcoxon_method": None,
        "d_z": math.nan,
        "d_av": math.nan,
        "g_av": math.nan,
        "normalized_gain": math.nan,
        "mean_individual_gain": math.nan,
        "n_gain_undefined": 0,
        "not_computable": why,
    }
    tested = ("diff_ci", "t", "p", "wilcoxon_p", "d_z", "d_av", "g_av")
    if n == 0:
        why.update(dict.fromkeys((*tested, "normalized_gain", "mean_individual_gain"), "too_few"))
        return out
    grid = _score_counts(x, y, max_score, n_items)
    d = y - x
    if grid is not None:
        # Scores are counts on a grid: every moment is an exact fraction, so equal gains
        # have exactly no spread and the result does not depend on the pairs' order.
        exact_d = grid[1] - grid[0]
        (m_pre, v_pre), (m_post, v_post), (m_d, v_d) = (
            _exact_moments(c, grid[2]) for c in (grid[0], grid[1], exact_d)
        )
        out.update(mean_pre=float(m_pre), mean_post=float(m_post), mean_diff=float(m_d))
        if n >= 2:
            out.update(
                sd_pre=math.sqrt(v_pre or 0),
                sd_post=math.sqrt(v_post or 0),
                sd_diff=math.sqrt(v_d or 0),
            )
        flat_pre, flat_post, flat_d = (v == 0 for v in (v_pre, v_post, v_d))
    else:
        magnitude = float(max(np.abs(x).max(), np.abs(y).max()))
        # Ranks are of |d|: ties are made exact on the magnitudes, then signs put back.
        exact_d = np.sign(d) * _snap_ties(np.abs(d), magnitude)
        flat_pre, flat_post = _no_spread(x), _no_spread(y)
        flat_d = _near_constant(d, magnitude)
        out.update(mean_pre=float(x.mean()), mean_post=float(y.mean()), mean_diff=float(d.mean()))
        if n >= 2:
            out.update(
                sd_pre=0.0 if flat_pre else float(x.std(ddof=1)),
                sd_post=0.0 if flat_post else float(y.std(ddof=1)),
                sd_diff=0.0 if flat_d else float(d.std(ddof=1)),
            )
    if n < MIN_N:
        why.update(dict.fromkeys(tested, "too_few"))
    else:
        if flat_d:
            why.update(dict.fromkeys(("diff_ci", "t", "p", "d_z"), "no_spread"))
        else:
            sd_d = out["sd_diff"]
            lo, hi = mean_ci(out["mean_diff"], sd_d, n, confidence)
            out["diff_ci"] = (float(lo[0]), float(hi[0]))
            if grid is not None:
                t = out["mean_diff"] / (sd_d / math.sqrt(n))
                p_t = float(min(1.0, 2 * sps.t.sf(abs(t), n - 1)))
            else:
                res = sps.ttest_rel(y, x)
                t, p_t = float(res.statistic), float(res.pvalue)
            out.update(t=t, p=p_t, d_z=out["mean_diff"] / sd_d)
        if flat_pre and flat_post:
            why.update(d_av="no_spread", g_av="no_spread")
        else:
            pooled = math.sqrt((out["sd_pre"] ** 2 + out["sd_post"] ** 2) / 2)
            d_av = out["mean_diff"] / pooled
            out.update(d_av=d_av, g_av=d_av * (1 - 3 / (4 * (2 * n) - 9)))
        nonzero = exact_d[exact_d != 0]
        out["wilcoxon_n"] = int(nonzero.size)
        if nonzero.size:
            w, p, method = _signed_rank(nonzero)
            out.update(wilcoxon_w=w, wilcoxon_p=p, wilcoxon_method=method)
        else:
            why["wilcoxon_p"] = "no_difference"
    if grid is not None:
        top = Fraction(max_score) / grid[2]  # the maximum in grid units
        pre_c, post_c = grid[0], grid[1]
        if m_pre < max_score:
            out["normalized_gain"] = float((m_post - m_pre) / (Fraction(max_score) - m_pre))
        room = pre_c < top
        gains = (post_c[room] - pre_c[room]) / (float(top) - pre_c[room])
    else:
        if out["mean_pre"] < max_score:
            out["normalized_gain"] = (out["mean_post"] - out["mean_pre"]) / (
                max_score - out["mean_pre"]
            )
        room = x < max_score
        gains = (y[room] - x[room]) / (max_score - x[room])
    if not math.isfinite(out["normalized_gain"]):
        why["normalized_gain"] = "ceiling"
    out["n_gain_undefined"] = int((~room).sum())
    if gains.size:
        # fsum: the same mean whatever the order of the pairs.
        out["mean_individual_gain"] = math.fsum(gains.tolist()) / gains.size
    else:
        why["mean_individual_gain"] = "ceiling"
    return out


# ------------------------------------------------------------------------- groups


def kruskal(
    data: pl.DataFrame, dv: str, between: str, *, min_cell: int = MIN_CELL
) -> dict[str, Any]:
    """Kruskal–Wallis H test across groups, with epsilon² effect size.

    Groups with fewer than ``min_cell`` observations (and a null group label) are left
    out and listed in ``excluded``. :math:`\\varepsilon^2 = H / ((n^2 - 1)/(n + 1))
    = H/(n-1)` (Tomczak & Tomczak 2014). H (tie-corrected) and p (chi-squared
    approximation) from :func:`scipy.stats.kruskal`; values equal within :data:`REL_TOL`
    are ties.

    Returns ``{"H", "df", "p", "epsilon2", "n", "n_groups", "excluded": [labels],
    "not_computable"}``; H, p and epsilon² are NaN (reason ``too_few``) when fewer than
    two groups remain, and (``no_spread``) when every value is the same.
    """
    return _kruskal(*_groups(data, dv, between, min_cell))


def _kruskal(
    groups: Mapping[str, np.ndarray], excluded: list[str | None], ranks: _Ranks | None = None
) -> dict[str, Any]:
    """:func:`kruskal` of values already grouped by :func:`_groups`."""
    n = int(sum(len(v) for v in groups.values()))
    out: dict[str, Any] = {
        "H": math.nan,
        "df": len(groups) - 1 if len(groups) >= 2 else None,
        "p": math.nan,
        "epsilon2": math.nan,
        "n": n,
        "n_groups": len(groups),
        "excluded": excluded,
        "not_computable": {},
    }
    values = list(groups.values())
    if len(values) < 2:
        out["not_computable"] = dict.fromkeys(("H", "p", "epsilon2"), "too_few")
    elif _no_spread(np.concatenate(values)):
        out["not_computable"] = dict.fromkeys(("H", "p", "epsilon2"), "no_spread")
    else:
        ranks = ranks or _Ranks.of(groups)
        h, p = ranks.kruskal() if ranks.counts is not None else sps.kruskal(*values)
        out.update(H=float(h), p=float(p), epsilon2=float(h / ((n**2 - 1) / (n + 1))))
    return out


@dataclass
class _Ranks:
    """Grouped values ranked once: every value's code among the distinct values, and (when
    not too many) ``counts[g, v]``, how many values of group ``g`` equal the ``v``-th."""

    values: list[np.ndarray]
    sizes: np.ndarray
    codes: np.ndarray
    counts: np.ndarray | None

    @classmethod
    def of(cls, groups: Mapping[str, np.ndarray]) -> _Ranks:
        values = [np.asarray(v, dtype=np.float64) for v in groups.values()]
        sizes = np.array([v.size for v in values], dtype=np.int64)
        pooled = np.concatenate(values)
        # distinct values by hashing, then each value's place among them: no full sort
        distinct = np.sort(pl.Series(pooled).unique().to_numpy())
        codes = np.searchsorted(distinct, pooled)
        counts = None
        if len(values) * distinct.size <= _DENSE_CELLS:
            owner = np.repeat(np.arange(len(values)), sizes)
            cells = np.bincount(
                owner * distinct.size + codes, minlength=len(values) * distinct.size
            )
            counts = cells.reshape(len(values), distinct.size)
        return cls(values, sizes, codes, counts)

    def kruskal(self) -> tuple[float, float]:
        """:func:`scipy.stats.kruskal` from the counts, in SciPy's order of operations:
        every average rank is a whole or half number, so the rank sums are exact."""
        from scipy import special

        assert self.counts is not None
        totaln = int(self.sizes.sum())
        tied = self.counts.sum(axis=0)
        below = np.cumsum(tied) - tied
        twice = self.counts @ (2 * below + tied + 1)  # twice each group's rank sum
        t = tied[tied > 0].astype(np.float64)
        ties = 1 - np.sum(t**3 - t) / (totaln**3 - totaln)
        ssbn = sum(
            (np.float64(twice[g]) / 2) ** 2 / int(self.sizes[g]) for g in range(len(self.sizes))
        )
        h = 12.0 / (totaln * (totaln + 1)) * ssbn - 3 * (totaln + 1)
        h /= ties
        return float(h), float(special.chdtrc(np.float64(len(self.sizes) - 1), h))


def _groups(
    data: pl.DataFrame, dv: str, between: str, min_cell: int
) -> tuple[dict[str, np.ndarray], list[str | None]]:
    """The values of ``dv`` per group (ties made exact), and the groups left out."""
    frame = data.select(
        pl.col(between).cast(pl.Utf8).alias("g"), pl.col(dv).cast(pl.Float64).alias("y")
    ).filter(pl.col("y").is_not_null() & pl.col("y").is_not_nan())
    frame = frame.with_columns(pl.Series("y", _snap_ties(frame.get_column("y").to_numpy())))
    groups: dict[str, np.ndarray] = {}
    excluded: list[str | None] = []
    for (label,), part in sorted(
        frame.group_by("g"), key=lambda kv: (kv[0][0] is None, str(kv[0][0]))
    ):
        if label is None or part.height < min_cell:
            excluded.append(label)
        else:
            groups[str(label)] = part.get_column("y").to_numpy()
    return groups, excluded


def pairwise_mannwhitney(
    data: pl.DataFrame,
    dv: str,
    between: str,
    *,
    min_cell: int = MIN_CELL,
    padjust: str = "holm",
) -> pl.DataFrame:
    """Pairwise two-sided Mann–Whitney U tests with multiplicity correction.

    U and p from :func:`scipy.stats.mannwhitneyu` (``method="auto"``: the exact
    distribution when a group has at most 8 values and there are no ties, else the normal
    approximation with tie and continuity correction; values equal within
    :data:`REL_TOL` are ties); p adjusted with
    :func:`statsmodels.stats.multitest.multipletests` (Holm 1979 by default). U is
    ``U_A``, the Mann–Whitney statistic of the first group of the pair. Effect size:
    rank-biserial correlation :math:`r = 2U_A/(n_A n_B) - 1` (Kerby 2014), from −1 to 1:
    the share of (A, B) pairs in which the A value is higher minus the share in which the
    B value is higher, so **positive when group A tends to have the higher values** (A is
    the first label of the pair, in sorted order). Groups below ``min_cell`` are left out.

    Returns a frame ``A, B, n_A, n_B, U, p_unc, p_adj, rbc``.
    """
    return _pairwise_frame(_pairwise_u(_groups(data, dv, between, min_cell)[0]), padjust)


def _pairwise_frame(rows: list[dict[str, Any]], padjust: str) -> pl.DataFrame:
    schema = {
        "A": pl.Utf8,
        "B": pl.Utf8,
        "n_A": pl.Int64,
        "n_B": pl.Int64,
        "U": pl.Float64,
        "p_unc": pl.Float64,
        "rbc": pl.Float64,
    }
    frame = pl.DataFrame(rows, schema=schema)
    p_adj = _adjust_p(frame["p_unc"].to_numpy(), padjust) if rows else np.array([])
    return frame.with_columns(pl.Series("p_adj", p_adj, dtype=pl.Float64)).select(
        "A", "B", "n_A", "n_B", "U", "p_unc", "p_adj", "rbc"
    )


#: Largest groups × distinct values for which the pairwise tests use one count matrix.
_DENSE_CELLS = 20_000_000


def _pairwise_u(
    groups: Mapping[str, np.ndarray], ranks: _Ranks | None = None
) -> list[dict[str, Any]]:
    """Two-sided Mann–Whitney U of every pair of groups, in one pass over the data.

    The values are ranked once, as counts: ``C[g, v]``, how many values of group ``g``
    equal the ``v``-th distinct value. For a pair (A, B), ``U_A`` is the number of (a, b)
    pairs with a > b plus half those with a = b — ``C[A] · below[B] + C[A] · C[B] / 2``,
    whole and half numbers, exact — and the tie counts of the pair are ``C[A] + C[B]``.
    The p-value is then SciPy's (:func:`scipy.stats.mannwhitneyu`, ``method="auto"``): the
    normal approximation with tie and continuity correction, computed by the same
    formula; where SciPy would use the exact distribution (a group of at most 8 values and
    no ties in the pair) SciPy itself is called. With many distinct values (continuous
    data and many groups) each pair is counted by merging its two sorted groups instead.
    """
    labels = list(groups)
    if len(labels) < 2:
        return []
    ranks = ranks or _Ranks.of(groups)
    values, sizes, codes, counts = ranks.values, ranks.sizes, ranks.codes, ranks.counts
    n_groups = len(labels)
    if counts is not None:
        below = np.cumsum(counts, axis=1) - counts
        greater = counts @ below.T  # greater[i, j]: pairs (a in i, b in j) with a > b
        equal = counts @ counts.T
    else:
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        ordered = [np.sort(codes[bounds[g] : bounds[g + 1]]) for g in range(n_groups)]
    rows = []
    for i in range(n_groups):
        for j in range(i + 1, n_groups):
            n1, n2 = int(sizes[i]), int(sizes[j])
            if counts is not None:
                u1 = float(greater[i, j]) + float(equal[i, j]) / 2
                tied = counts[i] + counts[j]
                tied = tied[tied > 0]
            else:
                a, b = ordered[i], ordered[j]
                lower = np.searchsorted(b, a, side="left")
                upper = np.searchsorted(b, a, side="right")
                u1 = float(lower.sum()) + float((upper - lower).sum()) / 2
                tied = np.unique(np.concatenate([a, b]), return_counts=True)[1]
            ties = bool((tied > 1).any())
            if n1 > 8 and n2 > 8 or ties:
                p = _mwu_asymptotic_p(u1, n1, n2, tied.astype(np.float64))
            else:  # SciPy's exact distribution
                p = float(sps.mannwhitneyu(values[i], values[j], alternative="two-sided").pvalue)
            rows.append(
                {
                    "A": labels[i],
                    "B": labels[j],
                    "n_A": n1,
                    "n_B": n2,
                    "U": u1,
                    "p_unc": p,
                    "rbc": 2 * u1 / (n1 * n2) - 1,
                }
            )
    return rows


def _mwu_asymptotic_p(u1: float, n1: int, n2: int, tied: np.ndarray) -> float:
    """SciPy's two-sided p of the normal approximation with tie and continuity correction
    (``scipy.stats._mannwhitneyu._get_mwu_z``), in the same order of operations."""
    from scipy import special

    u = max(u1, n1 * n2 - u1)
    n = n1 + n2
    tie_term = float(np.sum(tied**3 - tied))
    s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.float64(u - n1 * n2 / 2 - 0.5) / np.float64(s)
    return float(np.clip(special.ndtr(-z) * 2, 0.0, 1.0))


def _adjust_p(pvals: np.ndarray, method: str) -> np.ndarray:
    """p-values adjusted as :func:`statsmodels.stats.multitest.multipletests` adjusts them
    (Holm, the method used here: the same operations, the same bits, tested against it)."""
    if method.lower() not in ("h", "holm"):
        raise ValueError(f"unsupported adjustment: {method}")
    pvals = np.asarray(pvals)
    order = np.argsort(pvals)
    ranked = np.take(pvals, order)
    adjusted = np.maximum.accumulate(ranked * np.arange(len(ranked), 0, -1))
    adjusted[adjusted > 1] = 1
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def group_compare(
    data: pl.DataFrame,
    dv: str,
    between: str,
    *,
    scale: Scale | None = None,
    min_cell: int = MIN_CELL,
    pairwise_below: float | None = None,
) -> dict[str, Any]:
    """Describe ``dv`` per group and test the differences.

    Returns ``{"cells": {label: {n, mean, mean_ci, median, top2box, top2box_ci} or
    {n, withheld: True}}, "test": kruskal(...), "pairwise": [...], "pairwise_done": bool}``.
    With ``pairwise_below`` set, the pairwise tests run only when the Kruskal–Wallis p is
    below it (a protected post-hoc procedure); otherwise always. The null group is
    reported under the label ``"(kosong)"``.
    """
    frame = data.select(pl.col(between).cast(pl.Utf8).alias("g"), pl.col(dv).cast(pl.Float64))
    cells: dict[str, Any] = {}
    for (label,), part in sorted(
        frame.group_by("g"), key=lambda kv: (kv[0][0] is None, str(kv[0][0]))
    ):
        d = describe_values(part.get_column(dv), scale=scale)
        name = "(kosong)" if label is None else str(label)
        if d["n"] == 0:
            continue
        if d["n"] < min_cell:
            cells[name] = {"n": d["n"], "withheld": True}
        else:
            cells[name] = {
                "n": d["n"],
                "mean": d["mean"],
                "mean_ci": [d["mean_ci_low"], d["mean_ci_high"]],
                "median": d["median"],
                "top2box": d["top2box"],
                "top2box_ci": [d["top2box_ci_low"], d["top2box_ci_high"]],
                "withheld": False,
                "not_computable": reasons_dict(d["not_computable"]),
            }
    groups, excluded = _groups(data, dv, between, min_cell)
    ranks = _Ranks.of(groups) if len(groups) >= 2 else None  # ranked once for both tests
    test = _kruskal(groups, excluded, ranks)
    run = pairwise_below is None or (math.isfinite(test["p"]) and test["p"] < pairwise_below)
    pw = _pairwise_frame(_pairwise_u(groups, ranks), "holm").to_dicts() if run else []
    return {
        "cells": cells,
        "test": test,
        "pairwise": pw,
        "pairwise_done": run,
    }
