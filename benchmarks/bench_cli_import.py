"""`tilik bundle import` as users run it: a bundle whose KoboToolbox export has 100,000 rows ×
50 columns, into a prepared (migrated) SQLite database and into PostgreSQL.

The bundle's data is ``bench_import.py``'s file (``;``, every field quoted, CRLF; 1 % of the
rows defective, 1 % repeated). Each variant is a whole process, timed from the outside (wall
time; peak RSS of its largest process, from ``/usr/bin/time``), with the load average before
and after:

* ``tilik bundle import BUNDLE`` — reads the bundle, checks every form (pyxform), reads and
  checks every row in a second process while this one stores them, quarantines the bad
  rows; SQLite (a fresh file, migrated beforehand) and, with ``TILIK_BENCH_POSTGRES_URL``
  (a database the benchmark may empty), PostgreSQL 15.
* ``floor`` — what no storage can go below: a process that reads and checks the same file
  with the same reader (two processes, rows discarded), nothing stored.

Usage::

    .venv/bin/python benchmarks/bench_cli_import.py                  # 10k, 100k, 1M rows
    .venv/bin/python benchmarks/bench_cli_import.py --sizes 10000    # quick
    TILIK_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/tilik_bench \\
        .venv/bin/python benchmarks/bench_cli_import.py

Goal (issue 12), at 100,000 rows: ≥ 20,000 rows/s on SQLite and on PostgreSQL, peak memory
< 1 GB. 10,000 and 1,000,000 rows show how the cost grows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_import  # noqa: E402
from bench_cli_report import timed  # noqa: E402

GOAL_ROWS_PER_S = 20_000
GOAL_MB = 1024


def build_bundle(root: Path, rows: int) -> Path:
    (root / "instrumen").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "evaluasi.yaml").write_text(
        "title: Impor Nasional\norganisation: BKN\nperiod: 2025\n"
        "instruments:\n  bench: {kind: survei_peserta}\n",
        encoding="utf-8",
    )
    bench_import.build_form(root / "instrumen" / "bench.xlsx")
    bench_import.build_csv(root / "data" / "bench.csv", rows)
    return root


def floor(bundle: Path) -> None:
    """Read and check the data file as the import does (a second process), storing nothing."""
    from tilik.core.ingest import read_export_parallel
    from tilik.core.xlsform import read_xlsform

    form, _ = read_xlsform((bundle / "instrumen" / "bench.xlsx").read_bytes())
    data = (bundle / "data" / "bench.csv").read_bytes()
    kept = [0]
    read = read_export_parallel(
        data, form, sink=lambda rows: kept.__setitem__(0, kept[0] + len(rows)), hash_key=b"k"
    )
    print(f"{read.rows_read} read, {kept[0]} good, {len(read.quarantined)} quarantined")


def prepare(env: dict[str, str], tilik: str) -> None:
    """A migrated database holding nothing: what ``tilik bundle import`` is pointed at."""
    subprocess.run([tilik, "manage", "migrate", "-v0"], env=env, check=True, capture_output=True)
    if env.get("DATABASE_URL"):
        code = (
            "import django; django.setup(); from django.db import connection\n"
            "with connection.cursor() as c:\n"
            "    c.execute('TRUNCATE evaluations_evaluation, accounts_organisation, "
            "collection_submission, collection_quarantinedrow, collection_importbatch CASCADE')"
        )
        settings = {**env, "DJANGO_SETTINGS_MODULE": "tilik.web.settings"}
        subprocess.run([sys.executable, "-c", code], env=settings, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated row counts"
    )
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(Path(args.floor))
        return
    tilik = str(Path(sys.executable).with_name("tilik"))
    databases = [("SQLite", "")]
    if os.environ.get("TILIK_BENCH_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["TILIK_BENCH_POSTGRES_URL"]))
    print(
        f"tilik bundle import of a KoboToolbox export × {len(bench_import.header())} columns; "
        f"{os.cpu_count()} CPU"
    )
    print(
        "| rows | database | variant | rows/s | seconds | peak MB | load before→after | vs floor |"
    )
    print("|---:|---|---|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory(prefix="tilik-bench-import-") as folder:
        for rows in [int(v) for v in args.sizes.split(",")]:
            run_size(rows, Path(folder), databases, tilik)


def run_size(rows: int, folder: Path, databases: list[tuple[str, str]], tilik: str) -> None:
    bundle = build_bundle(folder / f"bundle-{rows}", rows)
    base = timed([sys.executable, __file__, "--floor", str(bundle)])
    print(
        f"| {rows:,} | — | floor: read + check only (2 processes) | {rows / base['seconds']:,.0f} "
        f"| {base['seconds']:.2f} | {base['peak_mb']:.0f} | "
        f"{base['load'][0]:.1f}→{base['load'][1]:.1f} | 1.00 |",
        flush=True,
    )
    for name, url in databases:
        data_dir = folder / f"data-{name}-{rows}"
        data_dir.mkdir()
        env = {**os.environ, "TILIK_DATA": str(data_dir)}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        prepare(env, tilik)
        for variant in ("import", "import again (nothing new)"):
            run = timed_env([tilik, "bundle", "import", str(bundle)], env)
            rate = rows / run["seconds"]
            print(
                f"| {rows:,} | {name} | {variant} | **{rate:,.0f}** | {run['seconds']:.2f} | "
                f"{run['peak_mb']:.0f} | {run['load'][0]:.1f}→{run['load'][1]:.1f} | "
                f"{run['seconds'] / base['seconds']:.2f} |",
                flush=True,
            )
            if variant == "import" and rows == 100_000:
                ok = rate >= GOAL_ROWS_PER_S and run["peak_mb"] < GOAL_MB
                print(
                    f"goal {name} at 100,000 rows (≥ {GOAL_ROWS_PER_S:,} rows/s, "
                    f"< {GOAL_MB} MB): " + ("met" if ok else "NOT met"),
                    file=sys.stderr,
                )


def timed_env(command: list[str], env: dict[str, str]) -> dict:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return timed(command)
    finally:
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    main()
