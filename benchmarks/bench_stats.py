"""Benchmark of the Likert statistics engine (tilik.core.stats) against pandas + pingouin.

Workload: a CSV of ``--rows`` respondents (default 1,000,000) × 40 Likert items (1–5,
0.5 % blank), 30 organisations, 4 constructs of 10 items. End to end, from the file to a
hasil-like JSON string: item and construct descriptives (n, mean + t CI, sd, median,
distribution, top-2-box + Wilson CI) overall and per organisation, and Cronbach's alpha
(+ Feldt CI, item–rest r, alpha if deleted) for every construct.

Variants, each timed in its own subprocess (peak RSS from ``resource.getrusage``):

* ``tilik``    — polars multithreaded CSV read + :func:`tilik.core.stats.summarize_likert`
  (the function the product uses) + :func:`tilik.core.hasil.constructs_section`.
* ``baseline`` — straightforward pandas + pingouin: ``read_csv``, ``groupby``,
  ``value_counts``, ``pingouin.cronbach_alpha``.
* ``floor``    — one numpy pass (column sums) over the same int8 matrix already in memory.
* ``tilik_10k`` — the tilik variant on a 10,000-respondent file (goal < 1 s).

Usage::

    .venv/bin/python benchmarks/bench_stats.py              # 1M rows
    .venv/bin/python benchmarks/bench_stats.py --rows 50000 # quick (make bench)
    .venv/bin/python benchmarks/bench_stats.py --write-results  # update RESULTS.md section

Goal: tilik ≤ 0.3 × baseline time; peak memory < 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS = 40
ORGS = 30
CONSTRUCTS = 4
PER = ITEMS // CONSTRUCTS
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
HEADING = "## Statistics engine (bench_stats.py)"


def item_names() -> list[str]:
    return [f"q{i + 1:02d}" for i in range(ITEMS)]


def constructs() -> dict[str, list[str]]:
    names = item_names()
    return {f"c{c + 1}": names[c * PER : (c + 1) * PER] for c in range(CONSTRUCTS)}


def make_csv(path: Path, rows: int, seed: int = 42) -> None:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {
        "org": np.array([f"OPD-{i:02d}" for i in range(ORGS)])[rng.integers(0, ORGS, rows)]
    }
    cuts = np.array([-1.5, -0.5, 0.5, 1.5])
    for c, items in enumerate(constructs().values()):
        latent = rng.normal(0.3 * (c - 1.5), 1.0, rows).astype(np.float32)
        for item in items:
            x = latent + rng.normal(0, 0.9, rows).astype(np.float32)
            v = (np.searchsorted(cuts, x) + 1).astype(np.int8)
            series = pl.Series(item, v)
            blank = rng.random(rows) < 0.005
            cols[item] = series.scatter(np.flatnonzero(blank), None)
    pl.DataFrame(cols).write_csv(path)


# ---------------------------------------------------------------------- variants


def run_tilik(path: Path) -> str:
    import polars as pl

    from tilik.core.hasil import clean_json, constructs_section
    from tilik.core.stats import summarize_likert

    frame = pl.read_csv(
        path, schema_overrides={"org": pl.Utf8, **{i: pl.Int8 for i in item_names()}}
    )
    summary = summarize_likert(frame, constructs(), scale=(1, 5), by=["org"])
    out = {
        "constructs": {"bench": constructs_section(summary)},
        "by": {
            "org": {
                "items": summary.by["org"]["items"].to_dicts(),
                "constructs": summary.by["org"]["constructs"].to_dicts(),
            }
        },
    }
    return json.dumps(clean_json(out), allow_nan=False)


def run_baseline(path: Path) -> str:
    import numpy as np
    import pandas as pd
    import pingouin as pg
    from scipy import stats
    from statsmodels.stats.proportion import proportion_confint

    df = pd.read_csv(path)
    items = item_names()

    def describe(frame: pd.DataFrame, group: pd.Series | None) -> dict:
        g = frame.groupby(group) if group is not None else frame
        n = g.count()
        mean = g.mean()
        sd = g.std()
        median = g.median()
        top = (frame >= 4).where(frame.notna())
        top = top.groupby(group).sum() if group is not None else top.sum()
        t = stats.t.ppf(0.975, n - 1)
        half = t * sd / np.sqrt(n)
        lo, hi = proportion_confint(top, n, method="wilson")
        return {
            "n": n,
            "mean": mean,
            "sd": sd,
            "median": median,
            "ci_lo": mean - half,
            "ci_hi": mean + half,
            "top2box": top / n,
            "top_lo": lo,
            "top_hi": hi,
        }

    out: dict = {"items": {}, "items_by_org": {}, "constructs": {}, "constructs_by_org": {}}
    overall = describe(df[items], None)
    out["items"] = {k: v.to_dict() for k, v in overall.items()}
    out["dist"] = {i: df[i].value_counts().sort_index().to_dict() for i in items}
    by_org = describe(df[items], df["org"])
    out["items_by_org"] = {k: v.to_dict() for k, v in by_org.items()}
    out["dist_by_org"] = {
        i: {str(k): v for k, v in df.groupby("org")[i].value_counts().to_dict().items()}
        for i in items
    }
    scores = pd.DataFrame(
        {
            c: df[its].mean(axis=1).where(df[its].notna().sum(axis=1) >= len(its) / 2)
            for c, its in constructs().items()
        }
    )
    scores_top = scores >= 4
    out["constructs"] = {
        "mean": scores.mean().to_dict(),
        "sd": scores.std().to_dict(),
        "median": scores.median().to_dict(),
        "top2box": scores_top.mean().to_dict(),
    }
    out["constructs_by_org"] = {
        k: v.to_dict() for k, v in describe(scores, df["org"]).items() if k != "top2box"
    }
    for c, its in constructs().items():
        alpha, ci = pg.cronbach_alpha(df[its], nan_policy="listwise")
        sub = df[its].dropna()
        item_rest = {
            i: float(np.corrcoef(sub[i], sub.drop(columns=i).sum(axis=1))[0, 1]) for i in its
        }
        deleted = {i: float(pg.cronbach_alpha(sub.drop(columns=i))[0]) for i in its}
        out["constructs"][c] = {
            "alpha": alpha,
            "ci": list(ci),
            "item_rest": item_rest,
            "deleted": deleted,
        }
    return json.dumps(out, default=str)


def run_floor(path: Path) -> float:
    import numpy as np
    import polars as pl

    frame = pl.read_csv(path, schema_overrides={i: pl.Int8 for i in item_names()})
    x = frame.select(pl.col(item_names()).fill_null(0)).to_numpy(order="c")
    t0 = time.perf_counter()
    np.asarray(x.sum(axis=0, dtype=np.int64))
    return time.perf_counter() - t0


def child(variant: str, path: Path) -> None:
    if variant == "floor":
        seconds = run_floor(path)
        size = 0
    else:
        if variant in ("tilik", "tilik_10k"):
            import polars  # noqa: F401

            import tilik.core.hasil  # noqa: F401
        else:
            import pandas  # noqa: F401
            import pingouin  # noqa: F401
        fn = run_tilik if variant.startswith("tilik") else run_baseline
        t0 = time.perf_counter()
        size = len(fn(path))
        seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)
    print(json.dumps({"variant": variant, "seconds": seconds, "peak_mib": peak, "json": size}))


def measure(variant: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", variant, "--csv", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--csv", type=Path, help="data file (made if missing)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--write-results", action="store_true", help="update RESULTS.md")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv)
        return

    workdir = Path(tempfile.mkdtemp(prefix="tilik-bench-"))
    path = args.csv or workdir / f"likert_{args.rows}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        make_csv(path, args.rows)
        print(
            f"made {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s"
        )
    small = workdir / "likert_10000.csv"
    make_csv(small, 10_000, seed=7)

    results = {"tilik": measure("tilik", path), "floor": measure("floor", path)}
    if not args.skip_baseline:
        results["baseline"] = measure("baseline", path)
    results["tilik_10k"] = measure("tilik_10k", small)

    t = results["tilik"]["seconds"]
    lines = [
        f"rows={args.rows:,} items={ITEMS} orgs={ORGS} constructs={CONSTRUCTS}; "
        f"{platform.python_version()}, {os.cpu_count()} CPU",
        "",
        "| variant | seconds | peak MiB | vs tilik |",
        "|---|---:|---:|---:|",
    ]
    for name, r in results.items():
        ratio = r["seconds"] / t if t else float("nan")
        lines.append(f"| {name} | {r['seconds']:.3f} | {r['peak_mib']:.0f} | {ratio:.3f}× |")
    lines.append("")
    if "baseline" in results:
        b = results["baseline"]["seconds"]
        lines.append(f"tilik / baseline = {t / b:.3f} (goal ≤ 0.30)")
    lines.append(f"tilik / floor = {t / results['floor']['seconds']:.0f}")
    lines.append(
        f"tilik peak memory = {results['tilik']['peak_mib']:.0f} MiB (goal < 1536 MiB); "
        f"10,000 respondents: {results['tilik_10k']['seconds']:.3f} s (goal < 1 s)"
    )
    report = "\n".join(lines)
    print(report)
    if args.write_results:
        write_results(report)


def write_results(report: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = f"{HEADING}\n\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n{report}\n"
    if HEADING in text:
        start = text.index(HEADING)
        nxt = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[nxt + 1 :] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
