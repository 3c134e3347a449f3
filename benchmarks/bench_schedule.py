"""Speed of ``tilik schedule`` (goal: 500 participants, 12 units, 8 weeks of 10 half-day slots,
6 modules, 3 modes — a feasible plan in under 60 s on the 2-core machine, with its gap).

Run: ``.venv/bin/python benchmarks/bench_schedule.py [--sizes 500,1000,1500,2000]``. Each size
is a synthetic plan (``schedule_plan.py``, fixed seed) solved by the ``tilik schedule`` command
in its own process, files written (CSV, XLSX, HTML, one .ics per participant and trainer);
the wall time is the whole process. Beside it, in the same run, the peers: the greedy plan the
solver starts from (its cost, which CP-SAT then improves), the rigid one-block plan, and the
start-up of a ``tilik`` process that does nothing (``tilik --help``). The load average of the
machine is printed before and after each size: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from schedule_plan import write_plan  # noqa: E402

GOAL_SECONDS = 60.0
TILIK = Path(sys.executable).parent / "tilik"


def _process(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run([str(TILIK), *args], capture_output=True, text=True, check=False)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,1000,1500,2000")
    parser.add_argument("--time-limit", type=float, default=55.0)
    parser.add_argument(
        "--first", type=float, default=8.0, help="short limit: time to a first feasible plan"
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    runs = [(sizes[0], options.first)] + [(size, options.time_limit) for size in sizes]
    startup, _ = _process(["--help"])
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPU; `tilik --help`: {startup:.2f} s"
    )
    print(
        "| participants | limit s | groups | variables | wall s (process) | solver s | status "
        "| gap "
        "| greedy → CP-SAT cost (Rp M) | staff-hours short: one block → flexible "
        "| completion: one block → flexible | load avg before/after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|---|---|---|---|")
    failures = 0
    for size, limit in runs:
        with tempfile.TemporaryDirectory(prefix="tilik-bench-schedule-") as tmp:
            plan = write_plan(Path(tmp) / "jadwal.yaml", size)
            before = os.getloadavg()[0]
            wall, result = _process(
                [
                    "schedule",
                    str(plan),
                    "--out",
                    str(Path(tmp) / "out"),
                    "--time-limit",
                    str(limit),
                    "--workers",
                    "2",
                ]
            )
            after = os.getloadavg()[0]
            if result.returncode != 0:
                print(
                    f"| {size} | {limit:g} | – | – | {wall:.1f} | – "
                    f"| exit {result.returncode} | – | – | – | – | {before:.1f}/{after:.1f} |"
                )
                print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
                failures += 1
                continue
            summary = json.loads((Path(tmp) / "out" / "ringkasan.json").read_text())
            solver, flex, rigid = summary["solver"], summary["flexible"], summary["rigid"]
            greedy = solver.get("greedy_objective") or float("nan")
            print(
                f"| {size:,} | {limit:g} | {solver['groups']} | {solver['variables']:,} "
                f"| {wall:.1f} "
                f"| {solver['seconds']:.1f} | {solver['status']} | {100 * solver['gap']:.1f}% "
                f"| {greedy / 1e6:,.1f} → {solver['objective'] / 1e6:,.1f} "
                f"| {rigid['shortfall_hours']:,.0f} → {flex['shortfall_hours']:,.0f} "
                f"| {100 * rigid['completion']:.1f}% → {100 * flex['completion']:.1f}% "
                f"| {before:.1f}/{after:.1f} |",
                flush=True,
            )
            if size == 500 and wall >= GOAL_SECONDS:
                failures += 1
    print(f"Goal: 500 participants, feasible plan in < {GOAL_SECONDS:.0f} s (whole process).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
