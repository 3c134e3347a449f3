"""`make bench`: run every benchmark in this folder, one after the other, each in its own process.

Each benchmark prints its own figures and the baseline it is compared with in the same run.
Sizes are the benchmarks' defaults (the goals in the issues); pass `--quick` for smaller sizes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

QUICK = {
    "bench_cli_import.py": ["--sizes", "10000"],
    "bench_cli_report.py": ["--sizes", "10000"],
    "bench_web_analysis.py": ["--sizes", "10000"],
    "bench_stats.py": ["--rows", "100000"],
    "bench_import.py": ["--rows", "20000"],
    "bench_submit.py": ["--seconds", "20"],
    "bench_repeats.py": ["--submissions", "2000"],
    "bench_xlsx.py": ["--rows", "20000"],
    "bench_themes.py": ["--texts", "5000"],
    "bench_learning.py": ["--draws", "5"],
    "bench_schedule.py": ["--sizes", "200", "--time-limit", "20", "--first", "5"],
    "bench_phone.py": ["--runs", "2"],
}


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    here = Path(__file__).resolve().parent
    failures = 0
    for script in sorted(here.glob("bench_*.py")):
        args = QUICK.get(script.name, []) if quick else []
        print(f"\n=== {script.name} {' '.join(args)}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *args], check=False)
        print(f"=== {script.name}: exit {result.returncode}, {time.perf_counter() - started:.1f} s")
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
