"""Statistics for evaluation data: Likert items, constructs, reliability, tests, groups.

Functions take a tidy :class:`polars.DataFrame` (one row per respondent, one column per
question, as :meth:`tilik.core.bundle.Dataset.frame` returns it) plus column names, and
return frames or plain dictionaries, in the style of pingouin.

Conventions used throughout
---------------------------
* **Missing answers** are handled one way: *available case per item* (an item's statistics
  use every respondent who answered it) and *listwise within a construct* for Cronbach's
  alpha and the item analysis (only respondents who answered every item of the construct).
  Both counts are reported (``n_missing`` per item, ``n_alpha`` / ``n_incomplete`` per
  construct), so nothing is dropped silently.
* **Likert answers outside the item's scale** count as missing (the bundle reader already
  quarantines malformed rows; this is a last line of defence).
* **Reverse-worded items** are recoded as ``min + max - x`` before anything else.
* **Construct score** of a respondent = mean of the construct items they answered, given
  they answered at least half of them (``ceil(k / 2)``); otherwise no score.
* **Small cells**: a group with fewer than ``min_cell`` (default 5) respondents keeps its
  ``n`` but every other statistic is withheld (``withheld = True``, values null) and the
  group is left out of the tests on that variable.
* Confidence intervals are 95 % two-sided: t-based for means, Wilson score for
  proportions, Feldt (F-based, as pingouin) for alpha.

The descriptive engine works on counts: each item's answers are coded ``1..L`` (0 =
missing) in a small-integer matrix and every per-item statistic (n, mean, sd, median,
distribution, top-2-box) is derived from value counts computed with :func:`numpy.bincount`,
overall and per group. Alpha and the item analysis come from one covariance matrix per
construct. This is the code path the product uses and the one the benchmark measures.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

__all__ = [
    "ALPHA_THRESHOLD",
    "MIN_CELL",
    "LikertSummary",
    "construct_scores",
    "cronbach_alpha",
    "describe_items",
    "describe_values",
    "group_compare",
    "item_analysis",
    "kruskal",
    "mean_ci",
    "pair_scores",
    "pairwise_mannwhitney",
    "prepost",
    "recode_reverse",
    "score_test",
    "summarize_likert",
    "wilson_ci",
]

#: Cronbach's alpha below this value is flagged (Nunnally 1978).
ALPHA_THRESHOLD = 0.70
#: Cells with fewer respondents are withheld from anything meant for a report.
MIN_CELL = 5

Scale = tuple[int, int]


# --------------------------------------------------------------------------- helpers


def wilson_ci(count: Any, nobs: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (vectorised).

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    Computed by :func:`statsmodels.stats.proportion.proportion_confint` with
    ``method="wilson"``. Where ``nobs`` is 0 both bounds are NaN.

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
        lo_ok, hi_ok = proportion_confint(
            count_a[ok], nobs_a[ok], alpha=1 - confidence, method="wilson"
        )
        # Exact bounds at the edges (statsmodels leaves ~1e-17 of rounding there).
        lo_ok = np.where(count_a[ok] == 0, 0.0, np.clip(lo_ok, 0.0, 1.0))
        hi_ok = np.where(count_a[ok] == nobs_a[ok], 1.0, np.clip(hi_ok, 0.0, 1.0))
        lo[ok], hi[ok] = lo_ok, hi_ok
    return lo, hi


def mean_ci(mean: Any, sd: Any, n: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """t-based confidence interval of a mean: ``mean ± t(1-a/2, n-1) · sd / sqrt(n)``.

    NaN where ``n < 2``.
    """
    mean_a = np.atleast_1d(np.asarray(mean, dtype=float))
    sd_a = np.atleast_1d(np.asarray(sd, dtype=float))
    n_a = np.atleast_1d(np.asarray(n, dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        t = sps.t.ppf(0.5 + confidence / 2, np.where(n_a >= 2, n_a - 1, np.nan))
        half = t * sd_a / np.sqrt(n_a)
    return mean_a - half, mean_a + half


def _scale_of(item: str, scale: Scale | Mapping[str, Scale]) -> Scale:
    if isinstance(scale, Mapping):
        if item not in scale:
            raise ValueError(f"no scale given for item {item!r}")
        return scale[item]
    return scale


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


def _to_codes(
    data: pl.DataFrame,
    items: Sequence[str],
    scales: Sequence[Scale],
    reverse: set[str],
) -> np.ndarray:
    """Items as an ``int8`` matrix of codes ``1..L`` (0 = missing or out of scale)."""
    exprs = []
    for item, (lo, hi) in zip(items, scales):
        col = pl.col(item).cast(pl.Float64, strict=False)
        valid = col.is_not_null() & (col >= lo) & (col <= hi) & (col == col.floor())
        code = (pl.lit(hi) - col + 1) if item in reverse else (col - lo + 1)
        exprs.append(pl.when(valid).then(code).otherwise(0).cast(pl.Int8).alias(item))
    if not exprs:
        return np.zeros((data.height, 0), dtype=np.int8)
    return data.select(exprs).to_numpy(order="c")


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
    frame = data.select(pl.col(items).fill_null(lo - 1).add(shift).cast(pl.Int8))
    return frame.to_numpy(order="c")


# --------------------------------------------------------------------- count engine


def _stats_from_counts(counts: np.ndarray, low: np.ndarray, top: np.ndarray) -> dict[str, Any]:
    """Per-row statistics from value counts.

    ``counts[..., v]`` is the number of answers with code ``v`` (``v = 1..L``; column 0,
    the missing answers, is ignored). ``low`` is the scale minimum (value = code + low - 1)
    and ``top`` the code from which an answer counts as top-2-box, broadcastable to
    ``counts.shape[:-1]``.
    """
    c = counts[..., 1:].astype(np.float64)
    n_levels = c.shape[-1]
    codes = np.arange(1, n_levels + 1, dtype=np.float64)
    n = c.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_code = (c * codes).sum(axis=-1) / n
        # Centred second moment avoids cancellation for large n.
        ss = (c * (codes - mean_code[..., None]) ** 2).sum(axis=-1)
        sd = np.sqrt(ss / (n - 1))
    sd = np.where(n >= 2, sd, np.nan)
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
        "mean_ci_low": np.where(n >= 2, ci_lo, np.nan),
        "mean_ci_high": np.where(n >= 2, ci_hi, np.nan),
        "median": median_code + low - 1,
        "top2box": top2,
        "top2box_ci_low": t_lo,
        "top2box_ci_high": t_hi,
    }


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    if k < 2 or not np.isfinite(total) or total <= 0:
        return math.nan
    return float(k / (k - 1) * (1 - np.trace(cov) / total))


def _feldt_ci(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return math.nan, math.nan
    df1 = n - 1
    df2 = df1 * (k - 1)
    a = 1 - confidence
    lower = 1 - (1 - alpha) * sps.f.isf(a / 2, df1, df2)
    upper = 1 - (1 - alpha) * sps.f.isf(1 - a / 2, df1, df2)
    return float(lower), float(upper)


def _cov_complete(values: np.ndarray) -> np.ndarray:
    """Sample covariance of complete rows of an integer matrix.

    Uses sums and cross-products of the raw (small integer) values, which are exact in
    float64, then centres: ``(X'X - n m m') / (n - 1)``.
    """
    n = values.shape[0]
    x = values.astype(np.float64)
    s = x.sum(axis=0)
    xtx = x.T @ x
    mean = s / n
    return (xtx - n * np.outer(mean, mean)) / (n - 1)


def _item_rest(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Item–rest correlations and alpha-if-item-deleted from a covariance matrix."""
    k = cov.shape[0]
    total = cov.sum()
    row = cov.sum(axis=1)
    diag = np.diag(cov)
    trace = diag.sum()
    cov_rest = row - diag
    var_rest = total - 2 * row + diag
    with np.errstate(invalid="ignore", divide="ignore"):
        r = cov_rest / np.sqrt(diag * var_rest)
        k1 = k - 1
        total_wo = total - 2 * row + diag
        alpha_wo = (k1 / (k1 - 1)) * (1 - (trace - diag) / total_wo) if k1 >= 2 else None
    if alpha_wo is None:
        alpha_wo = np.full(k, np.nan)
    return r, alpha_wo


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
        alpha_if_deleted``.
    constructs : polars.DataFrame
        One row per construct: descriptive statistics of the construct score (columns as
        for items; ``n_no_score`` respondents without a score) plus ``k, n_alpha,
        n_incomplete, alpha, alpha_ci_low, alpha_ci_high, alpha_flagged``.
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


def _withhold(frame: pl.DataFrame, min_cell: int) -> pl.DataFrame:
    hidden = [c for c in frame.columns if c in _STAT_COLS and c != "n"] + [
        c for c in ("dist",) if c in frame.columns
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
      (n-1)(k-1))`` to ``1 - (1-alpha) F_{1-a/2}(...)``. Item–rest correlation is the
      Pearson correlation of an item with the sum of the other items; alpha if deleted is
      alpha of the remaining ``k-1`` items. Both from the same covariance matrix.

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

    codes = _fast_codes(data, items, scales, rev)  # (n, k) int8
    n_resp = codes.shape[0]

    # --- item counts overall: (k, L+1)
    counts = np.zeros((len(items), n_levels + 1), dtype=np.int64)
    for j in range(len(items)):
        counts[j] = np.bincount(codes[:, j], minlength=n_levels + 1)[: n_levels + 1]
    item_stats = _stats_from_counts(counts, lows, top_code)

    # --- constructs: scores, covariance, alpha, item-rest
    cnames = list(constructs)
    col_index = {item: j for j, item in enumerate(items)}
    score_cols: dict[str, np.ndarray] = {}
    c_rows: list[dict[str, Any]] = []
    item_rest = np.full(len(items), np.nan)
    alpha_del = np.full(len(items), np.nan)
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
        alpha = math.nan
        if k >= 2 and n_alpha >= 2:
            sub = block if n_alpha == n_resp else block[complete]
            cov = _cov_complete(sub)
            alpha = _alpha_from_cov(cov)
            r, a_wo = _item_rest(cov)
            item_rest[idx] = r
            alpha_del[idx] = a_wo
        a_lo, a_hi = _feldt_ci(alpha, n_alpha, k, confidence)
        c_rows.append(
            {
                "construct": cname,
                "k": k,
                "n_alpha": n_alpha,
                "n_incomplete": n_resp - n_alpha,
                "alpha": alpha,
                "alpha_ci_low": a_lo,
                "alpha_ci_high": a_hi,
                "alpha_flagged": bool(np.isfinite(alpha) and alpha < alpha_threshold),
                "_hi": hi,
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
                    **sd,
                    "n_no_score": n_resp - sd["n"],
                    **{k: v for k, v in row.items() if k not in ("construct", "_hi")},
                }
                for row, sd in zip(c_rows, score_desc)
            ],
            infer_schema_length=None,
        )
        if cnames
        else pl.DataFrame()
    )

    item_frame = pl.DataFrame(
        {
            "item": items,
            "construct": [item_construct[i] for i in items],
            "reverse": [i in rev for i in items],
            **{k: v for k, v in item_stats.items()},
            "n_missing": (n_resp - item_stats["n"]).astype(np.int64),
            "dist": [counts[j, 1 : levels[j] + 1].tolist() for j in range(len(items))],
            "item_rest_r": item_rest,
            "alpha_if_deleted": alpha_del,
        },
        schema_overrides={"dist": pl.List(pl.Int64)},
    ).fill_nan(None)
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
                **{k: v.reshape(-1) for k, v in gstats.items()},
                "dist": [
                    gcounts[a, j, 1 : levels[j] + 1].tolist()
                    for a in range(g)
                    for j in range(len(items))
                ],
            },
            schema_overrides={"group": pl.Utf8, "dist": pl.List(pl.Int64)},
        ).fill_nan(None)
        gc_rows = []
        for cname in cnames:
            sc = scales[col_index[constructs[cname][0]]]
            for a, stats_row in enumerate(_group_describe(score_cols[cname], inverse, g, sc)):
                gc_rows.append({"group": labels[a], "construct": cname, **stats_row})
        gc = pl.DataFrame(gc_rows, infer_schema_length=None) if gc_rows else pl.DataFrame()
        if gc_rows:
            gc = gc.fill_nan(None)
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
    on a two-point scale), which for
    construct scores means "agrees on average". Returns plain floats (NaN where undefined).
    """
    x = np.asarray(values.to_numpy() if isinstance(values, pl.Series) else values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = int(x.size)
    mean = float(x.mean()) if n else math.nan
    sd = float(x.std(ddof=1)) if n >= 2 else math.nan
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
    lo, hi = mean_ci(mean, sd, n)
    t_lo, t_hi = wilson_ci(n_top, n)
    # Sort by (group, value) in one float sort: groups are spaced wider than any score.
    span = float(x.max() - x.min()) + 1.0 if x.size else 1.0
    xs = np.sort(gi * span + (x - (x.min() if x.size else 0.0)))
    xs = xs - np.repeat(np.arange(g) * span, n.astype(np.int64)) + (x.min() if x.size else 0.0)
    starts = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)
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
    return summarize_likert(data, {i: [i] for i in items}, scale=scale, reverse=reverse).items.drop(
        "construct", "item_rest_r", "alpha_if_deleted"
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


def cronbach_alpha(
    data: pl.DataFrame, items: Sequence[str], *, confidence: float = 0.95
) -> dict[str, Any]:
    """Cronbach's alpha with Feldt CI, listwise over ``items``.

    Returns ``{"alpha", "ci": (lo, hi), "n", "k"}``. Matches
    ``pingouin.cronbach_alpha(nan_policy="listwise")`` (which rounds its CI to 3 places).
    """
    frame = data.select(pl.col(list(items)).cast(pl.Float64)).fill_nan(None)
    x = frame.drop_nulls().to_numpy()
    n, k = x.shape
    if n < 2 or k < 2:
        return {"alpha": math.nan, "ci": (math.nan, math.nan), "n": n, "k": k}
    cov = np.cov(x, rowvar=False, ddof=1)
    alpha = _alpha_from_cov(cov)
    return {"alpha": alpha, "ci": _feldt_ci(alpha, n, k, confidence), "n": n, "k": k}


def item_analysis(data: pl.DataFrame, items: Sequence[str]) -> pl.DataFrame:
    """Item–rest correlation and alpha if item deleted (listwise over ``items``)."""
    x = data.select(pl.col(list(items)).cast(pl.Float64)).drop_nulls().to_numpy()
    if x.shape[0] < 2 or len(items) < 2:
        nan = [math.nan] * len(items)
        return pl.DataFrame({"item": list(items), "item_rest_r": nan, "alpha_if_deleted": nan})
    r, a = _item_rest(np.cov(x, rowvar=False, ddof=1))
    return pl.DataFrame({"item": list(items), "item_rest_r": r, "alpha_if_deleted": a})


# -------------------------------------------------------------------------- tests


def score_test(
    data: pl.DataFrame,
    correct: Mapping[str, str],
    *,
    key: str = "_key",
    order: str | None = "_submitted_at",
) -> pl.DataFrame:
    """Score a knowledge test: percentage of items answered with the ``correct`` choice.

    An unanswered item counts as wrong (a blank on a test earns no mark); ``n_blank``
    says how many were blank. Returns ``key`` (and ``order``, when present), ``n_correct``,
    ``n_blank``, ``n_items`` and ``score`` (0–100).
    """
    items = [i for i in correct if i in data.columns]
    keep = [c for c in (key, order) if c and c in data.columns]
    if not items:
        return data.select(keep).with_columns(
            n_correct=pl.lit(0), n_blank=pl.lit(0), n_items=pl.lit(0), score=pl.lit(None)
        )
    hits = [
        (pl.col(i).cast(pl.Utf8).str.strip_chars() == str(correct[i]))
        .fill_null(False)
        .cast(pl.Int32)
        for i in items
    ]
    blanks = [pl.col(i).is_null().cast(pl.Int32) for i in items]
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


def prepost(
    pre: Any, post: Any, *, max_score: float = 100.0, confidence: float = 0.95
) -> dict[str, Any]:
    """Paired pre/post comparison of scores (already paired, same order).

    Parameters
    ----------
    pre, post : array-like
        Scores of the same respondents before and after.
    max_score : float
        Highest possible score, for the normalised gain.

    Returns
    -------
    dict
        ``n_pairs, mean_pre, mean_post, sd_pre, sd_post, mean_diff, diff_ci, t, df, p,
        wilcoxon_w, wilcoxon_p, d_z, d_av, g_av, normalized_gain,
        mean_individual_gain, n_gain_undefined``.

    Notes
    -----
    * Paired t-test: :func:`scipy.stats.ttest_rel`; Wilcoxon signed-rank:
      :func:`scipy.stats.wilcoxon` (zero differences dropped, ``zero_method="wilcox"``;
      null when every difference is zero).
    * Cohen's :math:`d_z = \\bar D / s_D` (Lakens 2013, eq. 6).
    * :math:`d_{av} = (\\bar x_{post} - \\bar x_{pre}) / \\sqrt{(s^2_{pre} + s^2_{post})/2}`
      (Cumming 2012) and Hedges' :math:`g_{av} = d_{av}(1 - 3/(4 \\cdot 2n - 9))`, the
      small-sample correction as pingouin applies it (``compute_effsize(paired=True,
      eftype="hedges")``).
    * Normalised gain (Hake 1998), of class means:
      :math:`\\langle g\\rangle = (\\bar x_{post} - \\bar x_{pre}) / (max - \\bar x_{pre})`;
      and the mean of individual gains :math:`(post_i - pre_i)/(max - pre_i)` over the
      respondents with ``pre_i < max`` (the others are counted in ``n_gain_undefined``).

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. *Front. Psychol.* 4:863. Cumming, G. (2012). *Understanding the New
    Statistics*. Hake, R. R. (1998). Interactive-engagement versus traditional methods.
    *Am. J. Phys.* 66, 64–74.
    """
    x = np.asarray(pre, dtype=np.float64)
    y = np.asarray(post, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    out: dict[str, Any] = {
        "n_pairs": n,
        "mean_pre": math.nan,
        "mean_post": math.nan,
        "sd_pre": math.nan,
        "sd_post": math.nan,
        "mean_diff": math.nan,
        "diff_ci": (math.nan, math.nan),
        "t": math.nan,
        "df": n - 1 if n >= 2 else None,
        "p": math.nan,
        "wilcoxon_w": math.nan,
        "wilcoxon_p": math.nan,
        "d_z": math.nan,
        "d_av": math.nan,
        "g_av": math.nan,
        "normalized_gain": math.nan,
        "mean_individual_gain": math.nan,
        "n_gain_undefined": 0,
    }
    if n == 0:
        return out
    d = y - x
    out.update(mean_pre=float(x.mean()), mean_post=float(y.mean()), mean_diff=float(d.mean()))
    if n >= 2:
        sd_d = float(d.std(ddof=1))
        out.update(sd_pre=float(x.std(ddof=1)), sd_post=float(y.std(ddof=1)))
        lo, hi = mean_ci(d.mean(), sd_d, n, confidence)
        out["diff_ci"] = (float(lo[0]), float(hi[0]))
        if sd_d > 0:
            res = sps.ttest_rel(y, x)
            out.update(t=float(res.statistic), p=float(res.pvalue), d_z=float(d.mean() / sd_d))
        pooled = math.sqrt((out["sd_pre"] ** 2 + out["sd_post"] ** 2) / 2)
        if pooled > 0:
            d_av = float(d.mean() / pooled)
            out.update(d_av=d_av, g_av=d_av * (1 - 3 / (4 * (2 * n) - 9)))
        if np.any(d != 0):
            w = sps.wilcoxon(y, x, zero_method="wilcox")
            out.update(wilcoxon_w=float(w.statistic), wilcoxon_p=float(w.pvalue))
    if out["mean_pre"] < max_score:
        out["normalized_gain"] = (out["mean_post"] - out["mean_pre"]) / (
            max_score - out["mean_pre"]
        )
    room = x < max_score
    out["n_gain_undefined"] = int((~room).sum())
    if room.any():
        out["mean_individual_gain"] = float(((y[room] - x[room]) / (max_score - x[room])).mean())
    return out


# ------------------------------------------------------------------------- groups


def kruskal(
    data: pl.DataFrame, dv: str, between: str, *, min_cell: int = MIN_CELL
) -> dict[str, Any]:
    """Kruskal–Wallis H test across groups, with epsilon² effect size.

    Groups with fewer than ``min_cell`` observations (and a null group label) are left
    out and listed in ``excluded``. :math:`\\varepsilon^2 = H / ((n^2 - 1)/(n + 1))
    = H/(n-1)` (Tomczak & Tomczak 2014). H and p from :func:`scipy.stats.kruskal`.

    Returns ``{"H", "df", "p", "epsilon2", "n", "n_groups", "excluded": [labels]}``;
    statistics are NaN when fewer than two groups remain.
    """
    groups, excluded = _groups(data, dv, between, min_cell)
    n = int(sum(len(v) for v in groups.values()))
    out: dict[str, Any] = {
        "H": math.nan,
        "df": len(groups) - 1 if len(groups) >= 2 else None,
        "p": math.nan,
        "epsilon2": math.nan,
        "n": n,
        "n_groups": len(groups),
        "excluded": excluded,
    }
    values = list(groups.values())
    if len(values) >= 2 and len(np.unique(np.concatenate(values))) > 1:
        h, p = sps.kruskal(*values)
        out.update(H=float(h), p=float(p), epsilon2=float(h / ((n**2 - 1) / (n + 1))))
    return out


def _groups(
    data: pl.DataFrame, dv: str, between: str, min_cell: int
) -> tuple[dict[str, np.ndarray], list[str | None]]:
    frame = data.select(
        pl.col(between).cast(pl.Utf8).alias("g"), pl.col(dv).cast(pl.Float64).alias("y")
    ).filter(pl.col("y").is_not_null() & pl.col("y").is_not_nan())
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

    U and p from :func:`scipy.stats.mannwhitneyu` (``method="auto"``); p adjusted with
    :func:`statsmodels.stats.multitest.multipletests` (Holm 1979 by default). Effect size:
    rank-biserial correlation :math:`r = 2U_A/(n_A n_B) - 1` (Kerby 2014), positive when
    group A tends to be higher. Groups below ``min_cell`` are left out.

    Returns a frame ``A, B, n_A, n_B, U, p_unc, p_adj, rbc``.
    """
    groups, _ = _groups(data, dv, between, min_cell)
    labels = list(groups)
    rows = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            a, b = groups[labels[i]], groups[labels[j]]
            res = sps.mannwhitneyu(a, b, alternative="two-sided")
            u = float(res.statistic)
            rows.append(
                {
                    "A": labels[i],
                    "B": labels[j],
                    "n_A": len(a),
                    "n_B": len(b),
                    "U": u,
                    "p_unc": float(res.pvalue),
                    "rbc": 2 * u / (len(a) * len(b)) - 1,
                }
            )
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


def _adjust_p(pvals: np.ndarray, method: str) -> np.ndarray:
    """p-values adjusted by :func:`statsmodels.stats.multitest.multipletests`.

    statsmodels runs a full ``gc.collect()`` inside its Holm branch, which costs ~70 ms
    per call in a process holding a bundle; freezing the existing objects first makes that
    collection scan only the few objects created since (the result is unchanged).
    """
    gc.freeze()
    try:
        return np.asarray(multipletests(pvals, method=method)[1])
    finally:
        gc.unfreeze()


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
            }
    test = kruskal(data, dv, between, min_cell=min_cell)
    run = pairwise_below is None or (math.isfinite(test["p"]) and test["p"] < pairwise_below)
    pw = pairwise_mannwhitney(data, dv, between, min_cell=min_cell).to_dicts() if run else []
    return {
        "cells": cells,
        "test": test,
        "pairwise": pw,
        "pairwise_done": run,
    }
