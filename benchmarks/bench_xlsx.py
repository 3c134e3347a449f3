"""Import of a KoboToolbox-shaped XLSX export (no goal in the issue: reported).

Run: ``.venv/bin/python benchmarks/bench_xlsx.py [--rows N]``. The same 50-column data as
bench_import.py, as an XLSX; Tilik's ``read_export`` (its own sheet reader, every row
checked) against the same run's baseline: reading the sheet with openpyxl in read-only mode
(values only, nothing checked), which is what the import used before.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import tempfile
import time
from pathlib import Path

import bench_import
import openpyxl

from tilik.core.ingest import read_export
from tilik.core.xlsform import read_xlsform


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_import.build_form(folder / "form.xlsx")
        bench_import.build_csv(folder / "data.csv", rows)
        form, _ = read_xlsform(folder / "form.xlsx")
        text = (folder / "data.csv").read_text(encoding="utf-8-sig")
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("data")
        for row in csv.reader(io.StringIO(text), delimiter=";"):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    assert form is not None
    result = None
    print(f"file: {rows:,} rows × 50 columns, XLSX {len(data) / 2**20:.1f} MB")

    started = time.perf_counter()
    result = read_export(data, form, file_name="data.xlsx")
    tilik = time.perf_counter() - started
    errors = [p.render("en") for p in result.problems if p.severity == "error"]
    assert not errors and result.rows_read == rows, errors
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"tilik     {tilik:6.2f} s  {rows / tilik:8,.0f} rows/s  (checked: stored "
        f"{len(result.responses):,}, quarantined {len(result.quarantined):,})  peak {peak:,.0f} MB"
    )

    started = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    book.close()
    baseline = time.perf_counter() - started
    print(
        f"baseline  {baseline:6.2f} s  {count / baseline:8,.0f} rows/s"
        "  (openpyxl read-only values, unchecked)"
    )
    print(f"ratio tilik / baseline: {tilik / baseline:.2f}")


if __name__ == "__main__":
    main()
