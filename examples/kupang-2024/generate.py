"""Generate the demo's previous cycle: "Evaluasi Program Pembinaan ASN Kota Kupang 2024".

Usage::

    python examples/kupang-2024/generate.py [OUTPUT_DIR]

The same three programs of BKPSDM Kota Kupang a year earlier, made by the generator of
``../kupang-2025`` with what differs in 2024 (below), plus ``tindak_lanjut.csv``: what became
of 2024's recommendations during 2025. A fixed seed makes every run write the same bytes.
Everything is fictitious.

What 2024 looked like, so that the 2025 report has something to compare:

- the participant survey had no *sikap* (attitude) items yet (added in 2025: the comparison
  says the construct cannot be compared);
- programs were shorter (Pelayanan Prima 24 JP, SRIKANDI 18 JP), so fewer ASN met 20 JP;
- workload and schedule clashes were cited more often (flexible scheduling was recommended
  and carried out in 2025), supervisors supported transfer less, and the SKM was lower.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEXT = HERE.parent / "kupang-2025" / "generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("kupang_generate", NEXT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


g = _load_generator()

A_YEAR = timedelta(days=364)  # 52 weeks: the same weekdays a year earlier
JP_2024 = {"manajemen_faskes": 40, "pelayanan_prima": 24, "kearsipan_srikandi": 18}
BUDGET_2024 = {
    "manajemen_faskes": 195_000_000,
    "pelayanan_prima": 150_000_000,
    "kearsipan_srikandi": 80_000_000,
}


def configure() -> None:
    """Set the 2025 generator's year constants to 2024's."""
    g.SEED = 20240311
    g.YEAR = 2024
    g.PREVIOUS = None
    g.PROGRAMS = [
        replace(
            p,
            jp=JP_2024[p.code],
            budget=BUDGET_2024[p.code],
            cohorts=tuple((start - A_YEAR, end - A_YEAR) for start, end in p.cohorts),
        )
        for p in g.PROGRAMS
    ]
    g.PROGRAM_BY_CODE = {p.code: p for p in g.PROGRAMS}
    g.LIKERT = {
        **g.LIKERT,
        "manfaat": (4.35, (0.85, 0.85, 0.8), 0.75),
        "relevansi": (4.25, (0.9, 0.85, 0.8), 0.75),
        "penerapan": (3.7, (0.9, 0.85, 0.8, 0.8), 0.65),
        "dukungan": (3.05, (0.9, 0.85, 0.85), 0.62),
    }
    g.HAMBATAN_P = {
        **g.HAMBATAN_P,
        "beban_kerja": 0.62,
        "jadwal_bentrok": 0.56,
        "anggaran": 0.30,
        "dukungan_atasan": 0.22,
    }
    g.SKM_MEANS = [m - 0.12 for m in g.SKM_MEANS]
    g.OMIT_QUESTIONS = {"survei_peserta": ("sikap_1", "sikap_2", "sikap_3")}


# What became of 2024's recommendations in 2025 (keys as Tilik gives them).
FOLLOW_UPS = [
    ("jadwal_fleksibel", "selesai", "2025-06-30", "Bidang PKASN BKPSDM", "Modul daring dan "
     "kelas bergilir per unit sejak April 2025"),
    ("akp_sektor:survei_peserta/keuangan", "proses", "2025-09-30", "Bidang PKASN BKPSDM",
     "AKP jabatan keuangan disusun bersama BPKAD"),
    ("akp_sektor:survei_peserta/pertanian", "belum", "2025-09-30", "Bidang PKASN BKPSDM", ""),
    ("transfer_kerja", "proses", "2025-03-31", "Sekretariat Daerah", "Rencana aksi peserta "
     "ditandatangani atasan untuk dua program"),
    ("efisiensi_anggaran", "tidak", "", "BPKAD", "Ditunda ke APBD 2026"),
    ("pelatihan_unsur_skm", "selesai", "2025-05-31", "Unit layanan", "Kelas penanganan "
     "pengaduan untuk petugas loket"),
    ("target_jp:2024", "selesai", "2025-12-31", "BKPSDM", "JP minimum program dinaikkan"),
]  # fmt: skip


def write_follow_ups(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["key", "status", "due", "assignee", "note"])
        writer.writerows(FOLLOW_UPS)


def generate(out: Path) -> None:
    configure()
    g.generate(out)
    write_follow_ups(out / "tindak_lanjut.csv")


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
