"""Generate ``jadwal.yaml``: a flexible-schedule plan for the demo evaluation (fictitious).

Usage::

    python examples/kupang-2025/jadwal.py [OUTPUT_FILE]
    tilik schedule examples/kupang-2025/jadwal.yaml --out tilik-output/jadwal

The evaluation's first recommendation is a flexible training schedule; this plan turns it into
one for the next cycle of *Pelatihan Pelayanan Prima* (February–March 2026) for the 400
participants of ``peserta.csv``. What the evaluation knows is drafted by
``tilik.core.schedule.prefill``: one unit per organisation, front-line positions, and busy
periods named in the survey's open answers (month-end reports). What it cannot know is set
here and is as fictitious as the rest of the bundle: modules, districts and travel costs,
trainers and their days off, rooms, JP already earned this year, and stated unavailability of
about one participant in eight. Participants are written as codes (P001…), never names or NIPs.
A fixed seed writes the same bytes every run.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from tilik.core.bundle import read_bundle
from tilik.core.schedule.plan import dump_plan
from tilik.core.schedule.prefill import DraftPerson, draft_plan, slug, texts_from_bundle

HERE = Path(__file__).resolve().parent
SEED = 20260202
START = date(2026, 2, 2)
WEEKS = 8
HOLIDAYS = ["2026-02-17", "2026-03-19"]  # Imlek; Nyepi

MODULES = [
    {
        "code": "M1",
        "name": "Etika dan budaya pelayanan",
        "jp": 4,
        "modes": ["kelas", "daring", "mandiri"],
    },
    {"code": "M2", "name": "Standar pelayanan dan maklumat", "jp": 8, "modes": ["kelas", "daring"]},
    {"code": "M3", "name": "Komunikasi dan penanganan pengaduan", "jp": 4, "modes": ["kelas"]},
    {
        "code": "M4",
        "name": "Pelayanan berbasis digital",
        "jp": 4,
        "modes": ["daring", "mandiri"],
        "required": False,
    },
    {
        "code": "M5",
        "name": "Pelayanan inklusif bagi kelompok rentan",
        "jp": 4,
        "modes": ["kelas", "daring"],
        "required": False,
    },
    {
        "code": "M6",
        "name": "Literasi data pelayanan",
        "jp": 4,
        "modes": ["mandiri"],
        "required": False,
    },
]
DISTRICTS = [
    {"code": "kota_raja", "name": "Kota Raja", "travel_cost": 40000},
    {"code": "oebobo", "name": "Oebobo", "travel_cost": 40000},
    {"code": "kelapa_lima", "name": "Kelapa Lima", "travel_cost": 60000},
    {"code": "maulafa", "name": "Maulafa", "travel_cost": 60000},
    {"code": "kota_lama", "name": "Kota Lama", "travel_cost": 50000},
    {"code": "alak", "name": "Alak", "travel_cost": 80000, "live_online": False},
]
UNIT_DISTRICT = {
    "RSUD S. K. Lerik": "kelapa_lima",
    "Puskesmas Sikumana": "maulafa",
    "Puskesmas Oepoi": "oebobo",
    "Puskesmas Bakunase": "kota_raja",
    "Kecamatan Oebobo (dan kelurahan)": "oebobo",
    "Kecamatan Kelapa Lima (dan kelurahan)": "kelapa_lima",
}
TRAINERS = [
    ("W01", ["M1", "M2"]),
    ("W02", ["M1", "M2", "M5"]),
    ("W03", ["M2", "M3"]),
    ("W04", ["M3", "M5"]),
    ("W05", ["M3", "M4"]),
    ("W06", ["M1", "M4", "M5"]),
    ("W07", ["M2", "M3"]),
    ("W08", ["M1", "M3"]),
]


def _weekday(rng: random.Random) -> date:
    return START + timedelta(days=7 * rng.randrange(WEEKS) + rng.randrange(5))


def build() -> dict:
    rng = random.Random(SEED)
    bundle = read_bundle(HERE, hash_key=b"jadwal-contoh")
    people = [
        DraftPerson(
            code=f"P{index:03d}",
            organisation=person.instansi,
            position=person.jabatan,
            sector=person.sektor,
            jp_year=rng.choice([0, 0, 4, 8, 12]),
        )
        for index, person in enumerate(bundle.roster, start=1)
    ]
    plan = draft_plan(
        people,
        program="Pelatihan Pelayanan Prima 2026",
        jp=16,
        start=START,
        weeks=WEEKS,
        texts=texts_from_bundle(bundle),
        title="Jadwal fleksibel Pelatihan Pelayanan Prima 2026",
        evaluation=bundle.meta.title,
    )
    plan["calendar"]["holidays"] = HOLIDAYS
    plan["modules"] = MODULES
    plan["districts"] = DISTRICTS
    for unit in plan["units"]:
        unit["district"] = UNIT_DISTRICT.get(unit["name"], "kota_raja")
    plan["trainers"] = [
        {
            "code": code,
            "name": f"Widyaiswara {code[1:]}",
            "modules": modules,
            "modes": ["kelas", "daring"],
            "unavailable": sorted({_weekday(rng).isoformat() for _ in range(4)}),
        }
        for code, modules in TRAINERS
    ]
    plan["venues"] = [
        {"code": "aula_bkpsdm", "name": "Aula BKPSDM Kota Kupang", "capacity": 30},
        {"code": "kelas_bpsdm", "name": "Ruang Kelas BPSDM NTT", "capacity": 25},
        {"code": "lab_kominfo", "name": "Lab Komputer Diskominfo", "capacity": 20},
    ]
    for person in plan["participants"]:
        if rng.random() < 0.12:
            days = sorted({_weekday(rng) for _ in range(rng.randint(1, 3))})
            person["unavailable"] = [d.isoformat() for d in days]
    plan["options"] = {"time_limit": 60, "workers": 2, "cost_per_day": 500000}
    assert all(slug(u["name"]) == u["code"] for u in plan["units"])
    return plan


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "jadwal.yaml"
    header = (
        "# Demo plan (fictitious). Generated by jadwal.py; edit there, not here.\n"
        "# tilik schedule examples/kupang-2025/jadwal.yaml --out tilik-output/jadwal\n"
    )
    target.write_text(header + dump_plan(build()), encoding="utf-8")


if __name__ == "__main__":
    main()
