"""Write ``cycles_reference.json``: differences between cycles from independent tools.

Proportions: ``statsmodels.stats.proportion.confint_proportions_2indep`` with
``method="newcomb"`` (Newcombe's hybrid score interval) and ``compare="diff"``.
Means: ``scipy.stats.ttest_ind(equal_var=False)`` (Welch) on raw samples, with its
``confidence_interval``; the test feeds Tilik the samples' n, mean and SD only.
Never computed with ``tilik.core``. Re-run after changing the inputs::

    .venv/bin/python tests/core/reference/make_cycles_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

OUT = Path(__file__).with_name("cycles_reference.json")

# (count1, nobs1, count2, nobs2): this cycle, then the previous one. Edges included:
# 0 and n counts, tiny samples, equal shares, the brief's 58.5% -> 41.0%.
PROPORTIONS = [
    (172, 294, 190, 291),
    (120, 293, 172, 294),
    (56, 70, 48, 80),
    (0, 10, 3, 12),
    (10, 10, 7, 12),
    (5, 5, 0, 5),
    (1, 1, 0, 1),
    (383, 400, 356, 402),
    (15, 30, 15, 30),
    (9, 10, 1, 10),
]


def proportion_cases() -> list[dict]:
    out = []
    for c1, n1, c2, n2 in PROPORTIONS:
        lo, hi = confint_proportions_2indep(
            c1, n1, c2, n2, method="newcomb", compare="diff", alpha=0.05
        )
        out.append(
            {
                "count1": c1,
                "nobs1": n1,
                "count2": c2,
                "nobs2": n2,
                "diff": c1 / n1 - c2 / n2,
                "ci": [float(lo), float(hi)],
            }
        )
    return out


def mean_cases() -> list[dict]:
    rng = np.random.default_rng(20260116)
    shapes = [
        (294, 4.2, 0.6, 291, 4.0, 0.7),
        (12, 22.0, 18.0, 40, 15.0, 6.0),
        (5, 3.0, 1.0, 6, 3.4, 0.2),
        (334, 22.1, 18.7, 310, 17.9, 19.5),
        (60, 27.3, 4.1, 58, 27.3, 4.1),
        (8, 1.0, 0.0001, 9, 1.2, 3.0),
    ]
    out = []
    for n1, m1, s1, n2, m2, s2 in shapes:
        a = rng.normal(m1, s1, n1)
        b = rng.normal(m2, s2, n2)
        res = stats.ttest_ind(a, b, equal_var=False)
        ci = res.confidence_interval(0.95)
        out.append(
            {
                "n1": n1,
                "mean1": float(a.mean()),
                "sd1": float(a.std(ddof=1)),
                "n2": n2,
                "mean2": float(b.mean()),
                "sd2": float(b.std(ddof=1)),
                "diff": float(a.mean() - b.mean()),
                "ci": [float(ci.low), float(ci.high)],
                "t": float(res.statistic),
                "df": float(res.df),
                "p": float(res.pvalue),
            }
        )
    return out


def main() -> None:
    data = {"proportions": proportion_cases(), "means": mean_cases()}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
