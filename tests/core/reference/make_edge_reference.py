"""Write ``edge_reference.json``: the minimal datasets of issue 17 and what independent
tools say about them.

Expected values come from SciPy, pingouin and Python's exact ``fractions`` — never from
``tilik`` — so the regression tests in ``test_stats_edges.py`` compare Tilik against other
implementations. Each dataset also records what a plain floating-point computation gave
(``naive``), the defect the test guards against. Re-run after changing the inputs::

    .venv/bin/python tests/core/reference/make_edge_reference.py
"""

from __future__ import annotations

import json
import math
import warnings
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import scipy
from scipy import stats

OUT = Path(__file__).with_name("edge_reference.json")

# PermenPANRB 14/2017 and KepMenPAN 25/2004: lower bounds of the grades, highest first.
BANDS = {
    "2017": [("88.31", "A"), ("76.61", "B"), ("65.00", "C"), ("25.00", "D")],
    "2004": [("81.26", "A"), ("62.51", "B"), ("43.76", "C"), ("25.00", "D")],
}
UNSUR = {"2017": 9, "2004": 14}
# Alpha from two respondents: pingouin gives 0.99 with a CI from -0.54 to 0.99995.
TWO = {"a": [1, 5], "b": [2, 5], "c": [1, 4]}


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def ties() -> dict:
    """Defect 1: five participants, an 11-item test, gains of ±1 item (all tied)."""
    n_items = 11
    pre = [1, 8, 6, 4, 0]
    post = [2, 7, 5, 3, 1]
    d = np.array(post) - np.array(pre)
    counts = stats.wilcoxon(d[d != 0])
    pct_pre = np.array(pre) * 100.0 / n_items
    pct_post = np.array(post) * 100.0 / n_items
    naive = stats.wilcoxon(pct_post, pct_pre, zero_method="wilcox")
    return {
        "n_items": n_items,
        "pre": pre,
        "post": post,
        "wilcoxon_w": float(counts.statistic),
        "wilcoxon_p": float(counts.pvalue),
        "naive_p_on_percentages": float(naive.pvalue),
    }


def permutation_cases() -> list[dict]:
    """Tied differences of at most 13 pairs: SciPy's exhaustive permutation p."""
    rng = np.random.default_rng(1713)
    cases = []
    for n in (5, 6, 9, 11, 13, 13):
        d = rng.integers(-2, 4, n)
        d[d == 0] = 1
        res = stats.wilcoxon(d, method=stats.PermutationMethod(n_resamples=np.inf))
        cases.append({"d": d.tolist(), "wilcoxon_w": float(res.statistic), "p": float(res.pvalue)})
    return cases


def equal_gains() -> dict:
    """Defect 2: a 3-item test, every participant gains one item."""
    n_items = 3
    pre = [0, 1, 2, 1, 0, 2, 1, 0]
    post = [p + 1 for p in pre]
    d = np.array(post) - np.array(pre)
    pct_pre = np.array(pre) * 100.0 / n_items
    pct_post = np.array(post) * 100.0 / n_items
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        naive = stats.ttest_rel(pct_post, pct_pre)
    diff = pct_post - pct_pre
    d_av = pg.compute_effsize(pct_post, pct_pre, paired=True, eftype="cohen")
    g_av = pg.compute_effsize(pct_post, pct_pre, paired=True, eftype="hedges")
    return {
        "n_items": n_items,
        "pre": pre,
        "post": post,
        "wilcoxon_p": float(stats.wilcoxon(d).pvalue),
        "d_av": float(d_av),
        "g_av": float(g_av),
        "naive": {
            "t": _num(naive.statistic),
            "p": _num(naive.pvalue),
            "d_z": _num(diff.mean() / diff.std(ddof=1)),
        },
    }


def reliability() -> dict:
    """Defect 3: a constant item; straight-liners with one reverse-worded item."""
    rng = np.random.default_rng(17)
    latent = rng.integers(1, 6, 12)
    a = np.clip(latent + rng.integers(-1, 2, 12), 1, 5)
    b = np.clip(latent + rng.integers(-1, 2, 12), 1, 5)
    constant = pd.DataFrame({"a": a, "b": b, "c": np.full(12, 4)})
    straight = [2, 4, 4, 5, 5, 3, 1, 2, 2, 2, 4, 5, 3]
    # Both items answered the same; "b" is reverse-worded, so its recoded value is 6 - x
    # and every respondent's total is exactly 6.
    recoded = pd.DataFrame({"a": straight, "b": [6 - v for v in straight]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rest_r = {c: _num(constant[c].corr(constant.drop(columns=c).sum(axis=1))) for c in "abc"}
        alpha_c, _ = pg.cronbach_alpha(constant)
        alpha_s, ci_s = pg.cronbach_alpha(recoded)
    keep = constant[["a", "b"]]
    return {
        "constant_item": {
            "data": {c: constant[c].astype(int).tolist() for c in constant},
            "alpha": float(alpha_c),
            "item_rest_r": rest_r,
            "alpha_if_deleted_c": float(pg.cronbach_alpha(keep)[0]),
        },
        "straight_liners": {
            "answers": straight,
            # pingouin returns NaN; the raw-moment covariance (X'X - n m m')/(n - 1) that
            # Tilik used leaves a total variance of ~1e-16 instead of 0.
            "naive": {
                "pingouin_alpha": _num(alpha_s),
                "pingouin_ci": [_num(v) for v in ci_s],
                "raw_moment_alpha": _raw_moment_alpha(recoded.to_numpy(dtype=float)),
            },
        },
        "two_respondents": {
            "data": TWO,
            "naive": {"alpha": float(pg.cronbach_alpha(pd.DataFrame(TWO))[0])},
        },
    }


def _raw_moment_alpha(x: np.ndarray) -> float:
    n, k = x.shape
    mean = x.mean(axis=0)
    cov = (x.T @ x - n * np.outer(mean, mean)) / (n - 1)
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def _solve(target: Fraction, m: int) -> tuple[int, int, int, int]:
    """(n1, n2, s1, s2): m − 1 unsur answered by n1 respondents with answer total s1, the
    last unsur by n2 of them with total s2, so that 25 · Σ NRR / m = target exactly."""
    nrr_sum = target * m / 25
    for n2 in range(1, 41):
        for s2 in range(n2, 4 * n2 + 1):
            rest = nrr_sum - Fraction(s2, n2)
            n1 = rest.denominator
            for mult in range(1, 1000 // n1 + 1):
                n = n1 * mult
                s1 = rest * n
                if n >= n2 and (m - 1) * n <= s1 <= 4 * (m - 1) * n:
                    return n, n2, int(s1), s2
    raise ValueError(f"no dataset found for {target}")


def _grade(value: Decimal, regime: str) -> str:
    for lower, grade in BANDS[regime]:
        if value >= Decimal(lower):
            return grade
    return ""


def ikm_boundaries() -> list[dict]:
    """Defect 4: datasets whose exact IKM is a band's lower bound, half a unit of the
    second decimal below it (rounds up into the band), or one unit below (stays out)."""
    cases = []
    for regime, bands in BANDS.items():
        m = UNSUR[regime]
        for lower, _ in bands[:3]:
            for offset in ("0", "-0.005", "-0.01"):
                target = Fraction(lower) + Fraction(offset)
                n1, n2, s1, s2 = _solve(target, m)
                q, r = divmod(s1, m - 1)
                sums = [q + 1] * r + [q] * (m - 1 - r) + [s2]
                counts = [n1] * (m - 1) + [n2]
                exact = sum(Fraction(s, c) for s, c in zip(sums, counts)) * 25 / m
                assert exact == target
                rounded = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
                naive = sum(s / c for s, c in zip(sums, counts)) / m * 25
                cases.append(
                    {
                        "regime": regime,
                        "respondents": n1,
                        "sums": sums,
                        "counts": counts,
                        "exact_ikm": str(Decimal(exact.numerator) / Decimal(exact.denominator)),
                        "ikm_rounded": str(rounded),
                        "mutu": _grade(rounded, regime),
                        "naive_float": naive,
                        "naive_mutu": _grade(
                            Decimal(repr(naive)).quantize(Decimal("0.01"), ROUND_HALF_UP), regime
                        ),
                    }
                )
    return cases


def main() -> None:
    ref = {
        "generated_by": "tests/core/reference/make_edge_reference.py",
        "versions": {"scipy": scipy.__version__, "pingouin": pg.__version__},
        "ties": ties(),
        "permutation": permutation_cases(),
        "equal_gains": equal_gains(),
        "reliability": reliability(),
        "ikm_boundaries": ikm_boundaries(),
    }
    OUT.write_text(json.dumps(ref, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
