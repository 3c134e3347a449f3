"""The national-scale workload of the user-path benchmarks (bench_cli_report, bench_cli_import,
bench_web_analysis): an evaluation bundle with one participant survey of ``rows`` respondents.

The survey: ``instansi`` (30 agencies, required), 40 Likert items 1–5 in 4 constructs of 10
(a latent factor per construct, so items correlate; 0.5 % of answers blank) and KoboToolbox's
10 meta columns, written exactly as KoboToolbox exports it (``;``, every field quoted, CRLF,
UTF-8). 1,000,000 rows make a 312 MB CSV.

``python benchmarks/national.py ROWS FOLDER`` writes the bundle into FOLDER.
"""

from __future__ import annotations

import sys
from pathlib import Path

ITEMS = 40
ORGS = 30
CONSTRUCTS = ("manfaat", "relevansi", "pengetahuan", "sikap")
PER = ITEMS // len(CONSTRUCTS)
GROUP = "penilaian"
VERSION = "vJ3mK8pQ2rT5wX9yB4nC6d"
FORM_ID = "survei_peserta"


def item_names() -> list[str]:
    return [f"q{i + 1:02d}" for i in range(ITEMS)]


def constructs() -> dict[str, list[str]]:
    names = item_names()
    return {c: names[k * PER : (k + 1) * PER] for k, c in enumerate(CONSTRUCTS)}


def org_codes() -> list[str]:
    return [f"opd_{i + 1:02d}" for i in range(ORGS)]


def build_form(path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "construct", "level"])
    survey.append(["select_one opd", "instansi", "Instansi tempat bertugas", "yes", None, None])
    survey.append(["begin_group", GROUP, "Penilaian", None, None, None])
    for construct, items in constructs().items():
        level = "pembelajaran" if construct in ("pengetahuan", "sikap") else "reaksi"
        for item in items:
            survey.append(
                ["select_one setuju5", item, f"Pernyataan {item}", None, construct, level]
            )
    survey.append(["end_group", None, None, None, None, None])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for value, label in enumerate(
        ("Sangat tidak setuju", "Tidak setuju", "Ragu-ragu", "Setuju", "Sangat setuju"), start=1
    ):
        choices.append(["setuju5", str(value), label])
    for code in org_codes():
        choices.append(["opd", code, f"Perangkat Daerah {code[-2:]}"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title", "version"])
    settings.append([FORM_ID, "Survei Peserta Pelatihan", VERSION])
    workbook.save(path)


def build_csv(path: Path, rows: int, seed: int = 42) -> None:
    """The export, made column-wise (numpy) and written by polars in KoboToolbox's shape."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    org = rng.integers(0, ORGS, rows)
    cols: dict[str, pl.Series] = {"instansi": pl.Series(np.array(org_codes())[org])}
    cuts = np.array([-1.5, -0.5, 0.5, 1.5])
    org_effect = rng.normal(0, 0.15, ORGS)[org].astype(np.float32)
    for k, items in enumerate(constructs().values()):
        latent = rng.normal(0.3 * (k - 1.5), 1.0, rows).astype(np.float32) + org_effect
        for item in items:
            x = latent + rng.normal(0, 0.9, rows).astype(np.float32)
            codes = (np.searchsorted(cuts, x) + 1).astype(np.int8)
            series = pl.Series(f"{GROUP}/{item}", codes).cast(pl.Utf8)
            blank = np.flatnonzero(rng.random(rows) < 0.005)
            cols[f"{GROUP}/{item}"] = series.scatter(blank, "")
    index = pl.int_range(1, rows + 1, eager=True)
    seconds = pl.Series(rng.integers(0, 86400 * 60, rows)).sort()
    frame = pl.DataFrame(cols).with_columns(
        index.cast(pl.Utf8).alias("_id"),
        pl.Series(
            [
                f"{a:08x}-{b:04x}-4{c:03x}-a{d:03x}-{e:012x}"
                for a, b, c, d, e in _uuid_parts(rng, rows)
            ]
        ).alias("_uuid"),
        (pl.lit(1_740_787_200) + seconds)
        .cast(pl.Datetime("ms"))
        .dt.strftime("%Y-%m-%dT%H:%M:%S")
        .alias("_submission_time"),
        pl.lit("").alias("_validation_status"),
        pl.lit("").alias("_notes"),
        pl.lit("submitted_via_web").alias("_status"),
        pl.lit("").alias("_submitted_by"),
        pl.lit(VERSION).alias("__version__"),
        pl.lit("").alias("_tags"),
        index.cast(pl.Utf8).alias("_index"),
    )
    frame.write_csv(path, separator=";", quote_style="always", line_terminator="\r\n")


def _uuid_parts(rng, rows: int):
    import numpy as np

    a = rng.integers(0, 2**32, rows, dtype=np.uint64)
    b = rng.integers(0, 2**16, rows)
    c = rng.integers(0, 2**12, rows)
    d = rng.integers(0, 2**12, rows)
    e = rng.integers(0, 2**48, rows, dtype=np.uint64)
    return zip(a.tolist(), b.tolist(), c.tolist(), d.tolist(), e.tolist())


def build_bundle(folder: Path, rows: int, seed: int = 42) -> Path:
    """Write the bundle into ``folder`` (made if missing); returns it."""
    (folder / "instrumen").mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "evaluasi.yaml").write_text(
        "title: Evaluasi Nasional Pelatihan Pelayanan Publik\n"
        "organisation: BKN\n"
        "period: 2025\n"
        "programs:\n"
        "  - name: Pelatihan Pelayanan Publik\n"
        "    kind: pelatihan teknis\n"
        "    jp: 30\n"
        f"    participants: {int(rows * 1.25)}\n"
        "objectives:\n"
        "  - Menilai manfaat dan relevansi pelatihan.\n"
        "instruments:\n"
        f"  {FORM_ID}: {{kind: survei_peserta}}\n",
        encoding="utf-8",
    )
    build_form(folder / "instrumen" / f"{FORM_ID}.xlsx")
    build_csv(folder / "data" / f"{FORM_ID}.csv", rows, seed)
    return folder


if __name__ == "__main__":
    built = build_bundle(Path(sys.argv[2]), int(sys.argv[1]))
    size = (built / "data" / f"{FORM_ID}.csv").stat().st_size
    print(f"{built}: {size / 1e6:.0f} MB")
