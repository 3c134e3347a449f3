"""The web app's analysis of a national evaluation, as a worker runs it, beside pandas.

Workload: the evaluation of ``benchmarks/national.py`` (one participant survey, 40 Likert
items, 30 agencies) with ``ROWS`` submissions, imported with ``tilik bundle import`` into a
fresh SQLite database and, with ``TILIK_BENCH_POSTGRES_URL`` (a database the benchmark may
empty), into PostgreSQL 15.

* ``tilik`` — one analysis run, executed the way a worker executes it: the job's child process
  (``python -m tilik.web.jobs.child``) reads every submission from the database, checks it
  again against the form, computes ``hasil``, codes texts, writes findings,
  recommendations, ``hasil.json`` and the report (HTML, PDF, DOCX), and records the run.
  Wall time and the peak RSS of its largest process (``/usr/bin/time``).
* ``peer`` — pandas + pingouin/SciPy on the evaluation's CSV export (``tilik bundle export``):
  the same statistics (``bench_cli_report.peer``), nothing checked, no report; its numbers
  are compared with the run's ``hasil.json``.

Usage::

    .venv/bin/python benchmarks/bench_web_analysis.py                 # 10k, 100k, 1M
    .venv/bin/python benchmarks/bench_web_analysis.py --sizes 10000   # quick
    TILIK_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/tilik_bench \\
        .venv/bin/python benchmarks/bench_web_analysis.py

Goal (issue 12): ≤ 60 s and < 2 GB on SQLite at 1,000,000 submissions; PostgreSQL reported.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national  # noqa: E402
from bench_cli_import import prepare  # noqa: E402
from bench_cli_report import agreement, timed  # noqa: E402

GOAL_SECONDS = 60
GOAL_MB = 2048

_NEW_RUN = """
import django, sys
django.setup()
from tilik.web.evaluations.models import Evaluation
from tilik.web.jobs.runner import claim
from tilik.web.reports.models import AnalysisRun
from tilik.web.reports.services import new_folder
evaluation = Evaluation.objects.get()
run = AnalysisRun.objects.create(
    evaluation=evaluation, lang="id", folder=new_folder(evaluation), status="pending"
)
assert claim(AnalysisRun, run.pk)
print(run._meta.label_lower, run.pk, evaluation.pk)
"""

_RESULT = """
import django, json
django.setup()
from tilik.web.reports.models import AnalysisRun
run = AnalysisRun.objects.latest("pk")
print(json.dumps({"status": run.status, "path": str(run.path)}))
"""


def python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def run_size(rows: int, folder: Path, url: str, name: str, tilik: str) -> dict:
    bundle = folder / f"bundle-{rows}"
    if not bundle.exists():
        national.build_bundle(bundle, rows)
    data_dir = folder / f"data-{name}-{rows}"
    data_dir.mkdir()
    env = {
        **os.environ,
        "TILIK_DATA": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "tilik.web.settings",
    }
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    prepare(env, tilik)
    subprocess.run(
        [tilik, "bundle", "import", str(bundle)], env=env, check=True, capture_output=True
    )
    label, pk, evaluation = python(_NEW_RUN, env).split()
    # the job's child process, as the worker starts it (its parent: /usr/bin/time here)
    child = f'exec "{sys.executable}" -m tilik.web.jobs.child {label} {pk} "$PPID"'
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        ours = timed(["sh", "-c", child])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    outcome = json.loads(python(_RESULT, env))
    if outcome["status"] != "done":
        raise RuntimeError(f"analysis run ended {outcome['status']}")
    export = folder / f"export-{name}-{rows}"
    subprocess.run(
        [tilik, "bundle", "export", evaluation, str(export)],
        env=env,
        check=True,
        capture_output=True,
    )
    peer_json = folder / f"peer-{name}-{rows}.json"
    csv_path = export / "data" / f"{national.FORM_ID}.csv"
    theirs = timed(
        [sys.executable, str(HERE / "bench_cli_report.py"), "--peer", str(csv_path), str(peer_json)]
    )
    return {
        "tilik": ours,
        "peer": theirs,
        "agreement": agreement(peer_json, Path(outcome["path"]) / "hasil.json"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated submission counts"
    )
    args = parser.parse_args()
    tilik = str(Path(sys.executable).with_name("tilik"))
    databases = [("SQLite", "")]
    if os.environ.get("TILIK_BENCH_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["TILIK_BENCH_POSTGRES_URL"]))
    print(
        f"web analysis (the worker's job process) vs pandas on the CSV export; {os.cpu_count()} CPU"
    )
    print(
        "| database | submissions | tilik / peer | tilik s | tilik peak MB | peer s | peer peak MB "
        "| load before→after (tilik; peer) | largest rel. difference |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory(prefix="tilik-bench-web-") as folder:
        for name, url in databases:
            for rows in [int(s) for s in args.sizes.split(",")]:
                r = run_size(rows, Path(folder), url, name, tilik)
                t, p = r["tilik"], r["peer"]
                print(
                    f"| {name} | {rows:,} | {t['seconds'] / p['seconds']:.2f} | "
                    f"**{t['seconds']:.1f}** | **{t['peak_mb']:.0f}** | {p['seconds']:.1f} | "
                    f"{p['peak_mb']:.0f} | {t['load'][0]:.1f}→{t['load'][1]:.1f}; "
                    f"{p['load'][0]:.1f}→{p['load'][1]:.1f} | {r['agreement']:.1e} |",
                    flush=True,
                )
                if rows >= 1_000_000 and name == "SQLite":
                    ok = t["seconds"] <= GOAL_SECONDS and t["peak_mb"] < GOAL_MB
                    print(
                        f"goal (≤ {GOAL_SECONDS} s, < {GOAL_MB} MB on SQLite): "
                        + ("met" if ok else "NOT met"),
                        file=sys.stderr,
                    )


if __name__ == "__main__":
    main()
