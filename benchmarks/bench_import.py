"""Benchmark of importing a Kobo export: read, validate, store (SQLite; PostgreSQL when asked).

Workload: a KoboToolbox-shaped CSV (``;``, all fields quoted, CRLF) of ``--rows`` rows
(default 100,000) × 50 columns: a respondent code, an agency, 30 Likert items, 3 integers
with constraints, 2 dates, a yes/no, a text required only when relevant, a free text and the
10 Kobo meta columns;
1 % of the rows are defective (quarantined) and 1 % repeat an earlier row (stored once).

Variants, each in its own subprocess with a fresh database (peak RSS from getrusage; for
the reader process, which runs at the same time, its own peak RSS and CPU time as well):

* ``tilik``     — :func:`tilik.web.collection.services.run_import`, the code behind the
  upload page and ``tilik import``: read + validate + store + quarantine. A file of 5,000
  rows or more is read and checked in a second process (a fork here, the benchmark being
  single-threaded; a fresh interpreter from a web server's thread) while this one stores.
* ``tilik-interp`` — the same, with the reader started as a fresh interpreter, as from a web
  upload (its start-up, ~0.3 s, is included).
* ``floor``     — :func:`tilik.core.ingest.read_export` only (no database; good rows are
  counted and dropped): the part no storage optimisation can remove.
* ``baseline``  — the straightforward store path: one ``Submission.objects.create`` per row
  after the same read (timed on at most 10,000 rows, reported as rows/s).
* ``reimport``  — the same file imported a second time (nothing new is stored).

Usage::

    .venv/bin/python benchmarks/bench_import.py                 # 100k rows, SQLite
    .venv/bin/python benchmarks/bench_import.py --rows 20000    # quick
    TILIK_BENCH_POSTGRES_URL=postgres://... .venv/bin/python benchmarks/bench_import.py

Goal: tilik ≥ 20,000 rows/s on the 2-core machine; peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIKERT = 30
GOAL_ROWS_PER_S = 20_000
GOAL_MB = 1024


def build_form(path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label::Indonesian (id)",
            "required",
            "relevant",
            "constraint",
            "construct",
        ]
    )
    survey.append(["text", "kode_responden", "Kode", "yes", None, None, None])
    survey.append(["select_one opd", "instansi", "Instansi", "yes", None, None, None])
    survey.append(["begin_group", "likert", "Likert", None, None, None, None])
    for i in range(LIKERT):
        survey.append(["select_one setuju5", f"q{i}", f"Butir {i}", "yes", None, None, f"k{i % 4}"])
    survey.append(["end_group", None, None, None, None, None, None])
    survey.append(["integer", "umur", "Umur", "yes", None, ". >= 18 and . <= 65", None])
    survey.append(["integer", "masa_kerja", "Masa kerja", None, None, ". >= 0", None])
    survey.append(["integer", "jp", "JP", None, None, ". >= 0 and . <= 500", None])
    survey.append(["date", "tanggal", "Tanggal", None, None, None, None])
    survey.append(["date", "tanggal_lahir", "Tanggal lahir", None, None, None, None])
    survey.append(["select_one yt", "ikut", "Ikut pelatihan", "yes", None, None, None])
    survey.append(["text", "alasan", "Alasan", "yes", "${ikut} = 'tidak'", None, None])
    survey.append(["text", "saran", "Saran", None, None, None, None])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::Indonesian (id)"])
    for i in range(1, 6):
        choices.append(["setuju5", str(i), f"Skala {i}"])
    for name in ("dinkes", "dukcapil", "dispenda", "bappeda"):
        choices.append(["opd", name, name])
    choices.append(["yt", "ya", "Ya"])
    choices.append(["yt", "tidak", "Tidak"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    settings.append(["bench", "Bench", "1", "Indonesian (id)"])
    workbook.save(path)


def header() -> list[str]:
    cols = ["kode_responden", "instansi"] + [f"likert/q{i}" for i in range(LIKERT)]
    cols += ["umur", "masa_kerja", "jp", "tanggal", "tanggal_lahir", "ikut", "alasan", "saran"]
    cols += [
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    ]
    return cols


def build_csv(path: Path, rows: int) -> None:
    import random

    rng = random.Random(7)
    opd = ["dinkes", "dukcapil", "dispenda", "bappeda"]
    cols = header()
    assert len(cols) == 50, len(cols)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(f'"{c}"' for c in cols) + "\r\n")
        previous = ""
        for index in range(rows):
            if index and index % 100 == 50:
                out.write(previous)  # an exact repeat: stored once
                continue
            ikut = "ya" if rng.random() < 0.8 else "tidak"
            values = [f"R{index:07d}", opd[index % 4]]
            values += [str(rng.randint(1, 5)) for _ in range(LIKERT)]
            umur = str(rng.randint(22, 58)) if index % 100 != 99 else "tujuh"  # defective
            values += [
                umur,
                str(rng.randint(0, 30)),
                str(rng.randint(0, 120)),
                "2025-03-14",
                f"19{rng.randint(60, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                ikut,
                "sibuk" if ikut == "tidak" else "",
                "Perlu jadwal yg fleksibel",
            ]
            values += [
                str(index),
                f"uuid-{index:08d}",
                "2025-03-20T08:12:33",
                "",
                "",
                "submitted_via_web",
                "",
                "v1",
                "",
                str(index + 1),
            ]
            line = ";".join('"' + v.replace('"', '""') + '"' for v in values) + "\r\n"
            out.write(line)
            previous = line


def _django(db_url: str, data_dir: str) -> None:
    os.environ["TILIK_DATA"] = data_dir
    if db_url:
        os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tilik.web.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _instrument(form_path: Path):
    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.evaluations.models import Evaluation

    organisation = Organisation.objects.create(name="Bench", kind="instansi")
    evaluation = Evaluation.objects.create(organisation=organisation, title="Bench", period="1")
    instrument, problems = services.add_instrument(
        evaluation, form_path.read_bytes(), form_path.name
    )
    assert instrument is not None, problems
    return instrument


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _reader_peak_mb() -> float:
    """Peak RSS of the reader process: a forked child is waited for (RUSAGE_CHILDREN); an
    interpreter child too, through subprocess."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_variant(variant: str, csv_path: Path, form_path: Path, db_url: str) -> dict:
    data = csv_path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="tilik-bench-") as data_dir:
        _django(db_url, data_dir)
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # a fresh schema for every variant
                cursor.execute(
                    "TRUNCATE collection_submission, collection_quarantinedrow, "
                    "collection_importbatch CASCADE"
                )
        from tilik.core.ingest import read_export
        from tilik.web.collection import services
        from tilik.web.collection.models import ImportBatch, Submission

        instrument = _instrument(form_path)
        result: dict = {"variant": variant, "db": connection.vendor}
        if variant == "tilik-interp":  # as from a web server's thread: no fork
            services.read_export_parallel = _with_method(services.read_export_parallel)
        cpu_start = _cpu()
        children_cpu_start = _cpu(resource.RUSAGE_CHILDREN)
        if variant == "floor":
            start = time.perf_counter()
            good = [0]

            def discard(responses: list) -> None:
                good[0] += len(responses)

            read = read_export(data, instrument.form(), file_name=csv_path.name, sink=discard)
            result["seconds"] = time.perf_counter() - start
            result["rows"] = read.rows_read
            result["stored"] = good[0]
            result["quarantined"] = len(read.quarantined)
        elif variant in ("tilik", "tilik-interp", "reimport"):

            def one():
                batch = ImportBatch.objects.create(
                    instrument=instrument, file_name=csv_path.name, sha256="", status="pending"
                )
                start = time.perf_counter()
                batch = services.run_import(batch.pk, data)
                return batch, time.perf_counter() - start

            batch, seconds = one()
            if variant == "reimport":
                batch, seconds = one()
            result.update(
                seconds=seconds,
                rows=batch.rows_read,
                stored=batch.stored,
                already=batch.already_stored,
                quarantined=batch.quarantined,
                status=batch.status,
            )
            result["in_db"] = Submission.objects.count()
        else:  # baseline: one INSERT per row, on at most 10,000 rows
            read = read_export(data, instrument.form(), file_name=csv_path.name)
            sample = read.responses[:10_000]
            start = time.perf_counter()
            read_seconds_per_row = 0.0
            for response in sample:
                Submission.objects.get_or_create(
                    instrument=instrument,
                    instance_id=response.instance_id,
                    defaults={
                        "answers": services.json_safe(response.answers),
                        "raw": response.raw,
                        "content_hash": response.content_hash,
                        "source": "import",
                    },
                )
            store = time.perf_counter() - start
            # the read is the same as the floor's; add its per-row cost for a fair end-to-end
            t0 = time.perf_counter()
            read_export(data[: max(len(data) // 10, 1)], instrument.form())
            read_seconds_per_row = (time.perf_counter() - t0) / max(read.rows_read / 10, 1)
            result["seconds"] = store + read_seconds_per_row * len(sample)
            result["rows"] = len(sample)
        result["cpu"] = _cpu() - cpu_start
        result["reader_cpu"] = _cpu(resource.RUSAGE_CHILDREN) - children_cpu_start
        result["reader_peak_mb"] = _reader_peak_mb()
        result["rows_per_s"] = result["rows"] / result["seconds"] if result["seconds"] else 0
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result


def _with_method(function):
    def read(*args, **kwargs):
        kwargs["method"] = "interpreter" if kwargs.get("min_rows", 0) < 10**9 else "inline"
        return function(*args, **kwargs)

    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--form", help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, Path(args.csv), Path(args.form), args.db)))
        return
    with tempfile.TemporaryDirectory(prefix="tilik-bench-files-") as folder:
        csv_path, form_path = Path(folder) / "bench.csv", Path(folder) / "bench.xlsx"
        build_form(form_path)
        build_csv(csv_path, args.rows)
        size = csv_path.stat().st_size / 2**20
        print(
            f"file: {args.rows:,} rows × {len(header())} columns, {size:.1f} MB; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        databases = [("sqlite", "")]
        if os.environ.get("TILIK_BENCH_POSTGRES_URL"):
            databases.append(("postgresql", os.environ["TILIK_BENCH_POSTGRES_URL"]))
        variants = ["floor", "tilik", "tilik-interp", "reimport"]
        variants += [] if args.skip_baseline else ["baseline"]
        for name, url in databases:
            for variant in variants:
                if variant == "floor" and name != "sqlite":
                    continue
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--variant",
                        variant,
                        "--csv",
                        str(csv_path),
                        "--form",
                        str(form_path),
                        "--db",
                        url,
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode:
                    print(f"{name} {variant}: failed\n{out.stderr[-2000:]}")
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                extra = ""
                if variant in ("tilik", "tilik-interp", "reimport"):
                    extra = (
                        f"  stored {r['stored']:,}, already {r['already']:,}, "
                        f"quarantined {r['quarantined']:,}, in db {r['in_db']:,}"
                    )
                goal = ""
                if r["reader_cpu"] > 0.05:
                    extra += (
                        f"\n{'':21s}reader process: CPU {r['reader_cpu']:6.2f} s, "
                        f"peak {r['reader_peak_mb']:4.0f} MB"
                    )
                if variant.startswith("tilik"):
                    peak = r["peak_mb"] + (r["reader_peak_mb"] if r["reader_cpu"] > 0.05 else 0)
                    ok = r["rows_per_s"] >= GOAL_ROWS_PER_S and peak < GOAL_MB
                    goal = f"  goal ≥{GOAL_ROWS_PER_S:,} rows/s, <{GOAL_MB} MB: " + (
                        "met" if ok else "NOT met"
                    )
                print(
                    f"{name:10s} {variant:12s} {r['rows']:>8,} rows {r['seconds']:7.2f} s "
                    f"{r['rows_per_s']:>9,.0f} rows/s  (this process's CPU {r['cpu']:6.2f} s)  "
                    f"peak {r['peak_mb']:6.0f} MB{extra}{goal}"
                )


if __name__ == "__main__":
    main()
