"""Write ``stats_reference.json``: inputs and expected values from independent tools.

The expected values come from pandas, SciPy, statsmodels and pingouin only — never from
``tilik.core.stats`` — so the tests compare Tilik against other implementations.
Re-run after changing the inputs::

    .venv/bin/python tests/core/reference/make_stats_reference.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

OUT = Path(__file__).with_name("stats_reference.json")
SCALE = (1, 5)


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def likert_data() -> pd.DataFrame:
    rng = np.random.default_rng(20251128)
    n = 60
    latent = rng.normal(0, 1, n)
    cols = {}
    for i in range(5):
        x = np.clip(np.round(3 + latent + rng.normal(0, 0.8, n)), 1, 5)
        if i == 2:  # reverse-worded item
            x = 6 - x
        cols[f"i{i + 1}"] = x
    df = pd.DataFrame(cols)
    df.loc[[3, 17, 40], "i2"] = np.nan
    df.loc[[8, 17], "i5"] = np.nan
    groups = ["A"] * 20 + ["B"] * 19 + ["C"] * 18 + ["D"] * 3
    df["grp"] = groups
    return df


def likert_reference(df: pd.DataFrame) -> dict:
    items = ["i1", "i2", "i3", "i4", "i5"]
    rec = df[items].copy()
    rec["i3"] = SCALE[0] + SCALE[1] - rec["i3"]
    out: dict = {"items": {}, "reverse": ["i3"]}
    for item in items:
        x = rec[item].dropna()
        n = len(x)
        lo, hi = stats.t.interval(0.95, n - 1, loc=x.mean(), scale=stats.sem(x))
        top = int((x >= 4).sum())
        ci = stats.binomtest(top, n).proportion_ci(confidence_level=0.95, method="wilson")
        out["items"][item] = {
            "n": n,
            "mean": x.mean(),
            "sd": x.std(ddof=1),
            "mean_ci": [lo, hi],
            "median": float(x.median()),
            "top2box": top / n,
            "top2box_ci": [ci.low, ci.high],
            "dist": [int((x == v).sum()) for v in range(1, 6)],
        }
    complete = rec.dropna()
    alpha, _ = pg.cronbach_alpha(rec, nan_policy="listwise")
    # pingouin takes n before dropping incomplete rows for its CI; pass complete rows only.
    _, ci = pg.cronbach_alpha(complete)
    f = stats.f
    n_c, k = complete.shape
    feldt = [
        1 - (1 - alpha) * f.isf(0.025, n_c - 1, (n_c - 1) * (k - 1)),
        1 - (1 - alpha) * f.isf(0.975, n_c - 1, (n_c - 1) * (k - 1)),
    ]
    out["construct"] = {
        "alpha": alpha,
        "alpha_ci_pingouin_3dp": list(ci),
        "alpha_ci": feldt,
        "n_alpha": n_c,
        "item_rest_r": {i: complete[i].corr(complete.drop(columns=i).sum(axis=1)) for i in items},
        "alpha_if_deleted": {i: pg.cronbach_alpha(complete.drop(columns=i))[0] for i in items},
    }
    answered = rec.notna().sum(axis=1)
    score = rec.mean(axis=1).where(answered >= 3)
    s = score.dropna()
    lo, hi = stats.t.interval(0.95, len(s) - 1, loc=s.mean(), scale=stats.sem(s))
    out["construct"].update(
        {
            "scores": [_num(v) for v in score],
            "n": int(len(s)),
            "mean": s.mean(),
            "mean_ci": [lo, hi],
            "median": float(s.median()),
            "top2box": float((s >= 4).mean()),
        }
    )
    by = {}
    for g, part in score.groupby(df["grp"]):
        p = part.dropna()
        by[g] = {"n": int(len(p)), "mean": p.mean(), "median": float(p.median())}
    out["construct"]["by_grp"] = by
    big = pd.DataFrame({"score": score, "grp": df["grp"]}).dropna()
    big = big[big["grp"] != "D"]  # D has 3 respondents: withheld and left out of the tests
    kw = pg.kruskal(big, dv="score", between="grp")
    h = float(kw["H"].iloc[0])
    out["kruskal"] = {
        "H": h,
        "p": float(kw["p-unc"].iloc[0]),
        "df": int(kw["ddof1"].iloc[0]),
        "epsilon2": h / (len(big) - 1),
        "n": len(big),
    }
    pw = pg.pairwise_tests(big, dv="score", between="grp", parametric=False, padjust="holm")
    out["pairwise"] = [
        {"A": r.A, "B": r.B, "U": r["U-val"], "p_unc": r["p-unc"], "p_adj": r["p-corr"]}
        for _, r in pw.iterrows()
    ]
    return out


def prepost_reference() -> dict:
    rng = np.random.default_rng(7)
    n = 30
    pre = np.round(rng.uniform(20, 70, n) / 100 * 12) / 12 * 100
    post = np.clip(pre + rng.normal(15, 12, n), 0, 100)
    post[4] = pre[4]  # one zero difference
    pre[9] = 100.0  # a respondent at ceiling: individual gain undefined
    post[9] = 100.0
    t = stats.ttest_rel(post, pre)
    d = post - pre
    # Tilik drops zero differences first, then SciPy's default method choice applies to
    # the rest (29 distinct differences: the exact distribution). SciPy's own default on
    # (post, pre) counts the zero too and falls back to the normal approximation.
    w = stats.wilcoxon(d[d != 0])
    g = pg.compute_effsize(post, pre, paired=True, eftype="hedges")
    d_av = pg.compute_effsize(post, pre, paired=True, eftype="cohen")
    room = pre < 100
    return {
        "pre": pre.tolist(),
        "post": post.tolist(),
        "t": t.statistic,
        "p": t.pvalue,
        "wilcoxon_w": w.statistic,
        "wilcoxon_p": w.pvalue,
        "d_z": d.mean() / d.std(ddof=1),
        "d_av": d_av,
        "g_av": g,
        "normalized_gain": (post.mean() - pre.mean()) / (100 - pre.mean()),
        "mean_individual_gain": float(np.mean((post[room] - pre[room]) / (100 - pre[room]))),
        "n_gain_undefined": int((~room).sum()),
    }


def main() -> None:
    df = likert_data()
    ref = {
        "generated_by": "tests/core/reference/make_stats_reference.py",
        "versions": {
            "pandas": pd.__version__,
            "scipy": __import__("scipy").__version__,
            "pingouin": pg.__version__,
        },
        "likert": {
            "data": {c: [None if pd.isna(v) else v for v in df[c]] for c in df.columns},
            **likert_reference(df),
        },
        "prepost": prepost_reference(),
    }
    OUT.write_text(json.dumps(ref, indent=1, default=float) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
