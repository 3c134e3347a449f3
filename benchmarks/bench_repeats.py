"""Import of a KoboToolbox XLSX export with repeat sheets (no goal in the issue: reported).

Run: ``.venv/bin/python benchmarks/bench_repeats.py [--submissions N]``. Builds a form with a
repeat nested in a repeat, writes ``N`` submissions (3 activities each, 2 sessions per
activity) in KoboToolbox's XLSX layout, and times Tilik's read (every instance converted and
checked, joined to its submission) against the same run's baseline: what an analyst does
by hand with pandas — read the three sheets and merge them on ``_parent_index`` /
``_index`` (no checking at all).
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from tilik.core.ingest import Response, read_export, write_kobo_xlsx
from tilik.core.xlsform import form_from_dict

SURVEY = [
    {"type": "text", "name": "unit", "label": "Unit", "required": "yes"},
    {"type": "integer", "name": "pegawai", "label": "Pegawai"},
    {"type": "begin_repeat", "name": "kegiatan", "label": "Kegiatan"},
    {"type": "text", "name": "judul", "label": "Judul", "required": "yes"},
    {"type": "integer", "name": "peserta", "label": "Peserta", "constraint": ". > 0"},
    {"type": "select_one jenis", "name": "jenis", "label": "Jenis"},
    {"type": "text", "name": "catatan", "label": "Catatan", "relevant": "${peserta} > 10"},
    {"type": "begin_repeat", "name": "sesi", "label": "Sesi"},
    {"type": "integer", "name": "jam", "label": "Jam", "required": "yes", "constraint": ". <= 8"},
    {"type": "end_repeat"},
    {"type": "end_repeat"},
    {"type": "calculate", "name": "total", "calculation": "sum(${peserta})"},
]
CHOICES = [
    {"list_name": "jenis", "name": "kelas", "label": "Kelas"},
    {"list_name": "jenis", "name": "coaching", "label": "Coaching"},
]


def make_form():
    columns = ["type", "name", "label", "required", "constraint", "relevant", "calculation"]
    return form_from_dict(
        {
            "form_id": "kegiatan",
            "survey_columns": columns,
            "choice_columns": ["list_name", "name", "label"],
            "survey": SURVEY,
            "choices": CHOICES,
            "settings": {"form_title": "Kegiatan"},
        }
    )


def make_responses(n: int) -> list[Response]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        kegiatan = []
        for k in range(3):
            peserta = rng.randint(1, 30)
            instance = {
                "judul": f"Kegiatan {k + 1} unit {i}",
                "peserta": peserta,
                "jenis": rng.choice(["kelas", "coaching"]),
                "sesi": [{"jam": rng.randint(1, 8)} for _ in range(2)],
            }
            if peserta > 10:
                instance["catatan"] = "Diikuti semua loket"
            kegiatan.append(instance)
        answers = {"unit": f"Unit {i}", "pegawai": rng.randint(3, 40), "kegiatan": kegiatan}
        out.append(Response(f"uuid-{i:08d}", answers, {}))
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=20_000)
    n = parser.parse_args().submissions
    form = make_form()
    data = write_kobo_xlsx(form, make_responses(n))
    rows = n * (1 + 3 + 6)
    print(f"file: {n:,} submissions, {rows:,} rows in 3 sheets, {len(data) / 2**20:.1f} MB")

    started = time.perf_counter()
    result = read_export(data, form, file_name="kegiatan.xlsx")
    tilik = time.perf_counter() - started
    assert len(result.responses) == n and not result.quarantined, result.quarantined[:1]
    assert len(result.responses[0].answers["kegiatan"][0]["sesi"]) == 2
    print(
        f"tilik      {tilik:6.2f} s  {n / tilik:8,.0f} submissions/s  {rows / tilik:8,.0f} rows/s"
        f"  (checked, joined)  peak {peak_mb():,.0f} MB"
    )

    import io

    import pandas as pd

    started = time.perf_counter()
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str)
    main_sheet, kegiatan, sesi = sheets.values()
    joined = kegiatan.merge(
        sesi, left_on="_index", right_on="_parent_index", suffixes=("", "_sesi")
    ).merge(main_sheet, left_on="_parent_index", right_on="_index", suffixes=("", "_main"))
    baseline = time.perf_counter() - started
    assert len(joined) == n * 6
    print(
        f"baseline   {baseline:6.2f} s  {n / baseline:8,.0f} submissions/s  "
        f"{rows / baseline:8,.0f} rows/s  (pandas read_excel + merge, unchecked)"
    )
    print(f"ratio tilik / baseline: {tilik / baseline:.2f}")


if __name__ == "__main__":
    main()
