"""`tilik report` as users run it, on a national survey, beside pandas + pingouin/SciPy.

Workload (``benchmarks/national.py``): a bundle with one participant survey of ``ROWS``
respondents × 40 Likert items (4 constructs) and 30 agencies, as KoboToolbox exports it
(1,000,000 rows: a 306 MB CSV).

Each variant is a whole process, timed from the outside (wall time, and the peak RSS of its
largest process from ``/usr/bin/time``), with the machine's load average before and after;
the data are written to disk first, then the two sides run three times each, in turn, and
each side's median run is reported (every run's time printed below it):

* ``tilik``  — ``tilik report BUNDLE --out DIR``: reads and checks every row against the
  XLSForm, computes every statistic of ``hasil.json``, codes open texts, writes the findings,
  recommendations, ``hasil.json``, charts and the report as HTML, PDF and DOCX.
* ``peer``   — what an analyst writes with pandas + pingouin/SciPy/statsmodels for the same
  numbers: ``read_csv``; per item n, mean with t CI, SD, median, distribution, top-2-box with
  Wilson CI; per construct the scores (mean of at least half the items) described the same
  way, Cronbach's alpha with its CI (pingouin), item–rest r and alpha if deleted; per agency
  the scores described, Kruskal–Wallis and, where it is significant, Mann–Whitney for every
  pair of agencies with Holm's correction (SciPy, statsmodels). Nothing checked, no report.
  Its numbers are compared with ``hasil.json`` (largest relative difference printed).

Usage::

    .venv/bin/python benchmarks/bench_cli_report.py                 # 10k, 100k, 1M rows
    .venv/bin/python benchmarks/bench_cli_report.py --sizes 1000000
    .venv/bin/python benchmarks/bench_cli_report.py --sizes 10000   # quick

Goal (issue 12): tilik ≤ 0.3 × the peer's time at 1,000,000 rows, peak memory < 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national  # noqa: E402

GOAL_RATIO = 0.3
GOAL_MB = 1536
REPEATS = 3  # each side's median run is reported (its peak memory the largest of the runs)


def median_run(runs: list[dict]) -> dict:
    """The run of median time, with the largest peak memory of all the runs and every
    run's seconds (``all``)."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    middle = dict(ordered[len(ordered) // 2])
    middle["peak_mb"] = max(r["peak_mb"] for r in runs)
    middle["all"] = [r["seconds"] for r in runs]
    return middle


def timed(command: list[str]) -> dict:
    """Run ``command`` as a process: wall seconds, peak RSS (MB) and load averages."""
    before = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-o", stats.name, "-f", "%e %M", *command],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        lines = Path(stats.name).read_text().split()
    if done.returncode:
        raise RuntimeError(f"{command[:3]} failed:\n{done.stderr[-3000:]}")
    return {
        "seconds": seconds,
        "peak_mb": int(lines[-1]) / 1024,
        "load": (before, os.getloadavg()[0]),
        "stdout": done.stdout,
    }


# ------------------------------------------------------------------------------ the peer


def peer(csv_path: Path, out: Path) -> None:
    import numpy as np
    import pandas as pd
    import pingouin as pg
    from scipy import stats
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import proportion_confint

    df = pd.read_csv(csv_path, sep=";")
    group = df["instansi"]

    def describe(values: pd.Series, top: float) -> dict:
        s = values.dropna()
        n = int(s.size)
        mean, sd = float(s.mean()), float(s.std())
        half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
        hits = int((s >= top).sum())
        lo, hi = proportion_confint(hits, n, method="wilson")
        return {
            "n": n,
            "mean": mean,
            "mean_ci": [mean - half, mean + half],
            "sd": sd,
            "median": float(s.median()),
            "top2box": hits / n,
            "top2box_ci": [float(lo), float(hi)],
        }

    result: dict = {"constructs": {}, "groups": {}}
    for construct, items in national.constructs().items():
        block = df[[f"{national.GROUP}/{item}" for item in items]]
        block.columns = items
        section: dict = {"items": {}}
        for item in items:
            entry = describe(block[item], 4)
            entry["distribution"] = {
                str(int(k)): int(v) for k, v in block[item].value_counts().sort_index().items()
            }
            section["items"][item] = entry
        answered = block.notna().sum(axis=1)
        score = block.mean(axis=1).where(answered >= math.ceil(len(items) / 2))
        section.update(describe(score, 4))
        complete = block.dropna()
        alpha, ci = pg.cronbach_alpha(complete)
        section["alpha"], section["alpha_ci"] = float(alpha), [float(c) for c in ci]
        for item in items:
            rest = complete.drop(columns=item)
            r = np.corrcoef(complete[item], rest.sum(axis=1))[0, 1]
            section["items"][item]["item_rest_r"] = float(r)
            section["items"][item]["alpha_if_deleted"] = float(pg.cronbach_alpha(rest)[0])
        result["constructs"][construct] = section
        cells = {}
        samples = {}
        for label, values in score.groupby(group):
            cells[str(label)] = describe(values, 4)
            kept = values.dropna().to_numpy()
            if kept.size >= 5:
                samples[str(label)] = kept
        h, p = stats.kruskal(*samples.values())
        pairs = []
        if p < 0.05:
            labels = sorted(samples)
            for i, a in enumerate(labels):
                for b in labels[i + 1 :]:
                    res = stats.mannwhitneyu(samples[a], samples[b], alternative="two-sided")
                    u = float(res.statistic)
                    rbc = 2 * u / (samples[a].size * samples[b].size) - 1
                    pairs.append({"A": a, "B": b, "U": u, "p_unc": float(res.pvalue), "rbc": rbc})
            adjusted = multipletests([q["p_unc"] for q in pairs], method="holm")[1]
            for q, adj in zip(pairs, adjusted, strict=True):
                q["p_adj"] = float(adj)
        result["groups"][construct] = {
            "cells": cells,
            "test": {"H": float(h), "p": float(p)},
            "pairwise": pairs,
        }
    out.write_text(json.dumps(result))


def agreement(peer_json: Path, hasil_json: Path) -> float:
    """The largest relative difference between the peer's numbers and ``hasil.json``."""
    ours = json.loads(hasil_json.read_text(encoding="utf-8"))
    theirs = json.loads(peer_json.read_text(encoding="utf-8"))
    worst = 0.0

    def compare(a: float, b: float) -> None:
        nonlocal worst
        if a is None or b is None or not math.isfinite(a) or not math.isfinite(b):
            return
        worst = max(worst, abs(a - b) / max(abs(a), abs(b), 1e-300))

    constructs = ours["constructs"][national.FORM_ID]
    for name, section in theirs["constructs"].items():
        mine = constructs[name]
        for key in ("mean", "sd", "median", "top2box", "alpha"):
            compare(mine[key], section[key])
        for item, entry in section["items"].items():
            for key in ("mean", "sd", "item_rest_r", "alpha_if_deleted"):
                compare(mine["items"][item][key], entry[key])
        by = ours["groups"][national.FORM_ID][name]["by"]["organisation"]
        compare(by["test"]["H"], theirs["groups"][name]["test"]["H"])
        for got, want in zip(by["pairwise"], theirs["groups"][name]["pairwise"], strict=True):
            compare(got["p_unc"], want["p_unc"])
            compare(got["p_adj"], want["p_adj"])
            compare(got["U"], want["U"])
    return worst


# ------------------------------------------------------------------------------- the run


def run(rows: int, workdir: Path, tilik: str) -> dict:
    bundle = workdir / f"bundle-{rows}"
    if not bundle.exists():
        national.build_bundle(bundle, rows)
    csv_path = bundle / "data" / f"{national.FORM_ID}.csv"
    out = workdir / f"report-{rows}"
    peer_json = workdir / f"peer-{rows}.json"
    # the freshly written CSV goes to disk before any timing (its write-back would take
    # CPU from whichever process ran first); then each side runs REPEATS times, in turn
    os.sync()
    time.sleep(2)
    runs: dict[str, list[dict]] = {"tilik": [], "peer": []}
    for _ in range(REPEATS):
        shutil.rmtree(out, ignore_errors=True)
        runs["tilik"].append(timed([tilik, "report", str(bundle), "--out", str(out)]))
        runs["peer"].append(
            timed([sys.executable, __file__, "--peer", str(csv_path), str(peer_json)])
        )
    ours, theirs = (median_run(runs[side]) for side in ("tilik", "peer"))
    return {
        "rows": rows,
        "mb": csv_path.stat().st_size / 1e6,
        "tilik": ours,
        "peer": theirs,
        "agreement": agreement(peer_json, out / "hasil.json"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated row counts"
    )
    parser.add_argument("--peer", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer(Path(args.peer[0]), Path(args.peer[1]))
        return
    tilik = str(Path(sys.executable).with_name("tilik"))
    print(f"tilik report vs pandas + pingouin/SciPy; {os.cpu_count()} CPU")
    print(
        "| rows | CSV MB | tilik / peer | tilik s | tilik peak MB | peer s | peer peak MB "
        "| load before→after (tilik; peer) | largest rel. difference |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory(prefix="tilik-bench-report-") as folder:
        for rows in [int(s) for s in args.sizes.split(",")]:
            r = run(rows, Path(folder), tilik)
            t, p = r["tilik"], r["peer"]
            print(
                f"| {rows:,} | {r['mb']:.0f} | **{t['seconds'] / p['seconds']:.2f}** | "
                f"{t['seconds']:.1f} | {t['peak_mb']:.0f} | {p['seconds']:.1f} | "
                f"{p['peak_mb']:.0f} | {t['load'][0]:.1f}→{t['load'][1]:.1f}; "
                f"{p['load'][0]:.1f}→{p['load'][1]:.1f} | {r['agreement']:.1e} |",
                flush=True,
            )
            print(
                f"  runs (s): tilik {', '.join(f'{v:.2f}' for v in t['all'])}; "
                f"peer {', '.join(f'{v:.2f}' for v in p['all'])}",
                flush=True,
            )
            if rows >= 1_000_000:
                ok = t["seconds"] <= GOAL_RATIO * p["seconds"] and t["peak_mb"] < GOAL_MB
                print(
                    f"goal (≤ {GOAL_RATIO} × peer, < {GOAL_MB} MB): " + ("met" if ok else "NOT met")
                )


if __name__ == "__main__":
    main()
