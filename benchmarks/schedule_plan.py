"""A synthetic training plan of any size, shaped like a regional program (fictitious).

Used by ``bench_schedule.py``: ``write_plan(path, participants=500)`` writes a ``jadwal.yaml``
with 12 service units (health centres that serve in the mornings, counters that serve all day,
an office with a month-end closing), 6 districts (two of them islands, one without a connection
good enough for live online classes), 6 modules (16 JP required, 16 JP optional), 3 modes,
10 trainers, 3 rooms, an 8-week calendar, and stated unavailability for about one in seven
participants. A fixed seed makes the same size give the same file.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

START = date(2026, 2, 2)  # a Monday
UNIT_KINDS = [
    ("puskesmas", "Puskesmas", ["pagi"], None),
    ("loket", "Loket Pelayanan", ["pagi", "siang"], None),
    (
        "keuangan",
        "Bagian Keuangan",
        ["pagi", "siang"],
        {"reason": "tutup buku akhir bulan", "month_end": 3},
    ),
]
DISTRICTS = [
    {"code": "kota", "name": "Kota", "travel_cost": 60000, "daily_cost": 0},
    {"code": "timur", "name": "Kecamatan Timur", "travel_cost": 150000, "daily_cost": 150000},
    {"code": "barat", "name": "Kecamatan Barat", "travel_cost": 150000, "daily_cost": 150000},
    {"code": "selatan", "name": "Kecamatan Selatan", "travel_cost": 250000, "daily_cost": 150000},
    {
        "code": "pulau_a",
        "name": "Pulau A",
        "travel_cost": 600000,
        "daily_cost": 350000,
        "travel_slots": 1,
    },
    {
        "code": "pulau_b",
        "name": "Pulau B",
        "travel_cost": 900000,
        "daily_cost": 350000,
        "travel_slots": 1,
        "live_online": False,
    },
]
MODULES = [
    {
        "code": "M1",
        "name": "Etika dan budaya pelayanan",
        "jp": 4,
        "modes": ["kelas", "daring", "mandiri"],
    },
    {"code": "M2", "name": "Standar pelayanan dan SOP", "jp": 8, "modes": ["kelas", "daring"]},
    {"code": "M3", "name": "Komunikasi dan penanganan pengaduan", "jp": 4, "modes": ["kelas"]},
    {
        "code": "M4",
        "name": "Pelayanan digital",
        "jp": 4,
        "modes": ["daring", "mandiri"],
        "required": False,
    },
    {
        "code": "M5",
        "name": "Inovasi pelayanan publik",
        "jp": 8,
        "modes": ["kelas", "daring"],
        "required": False,
    },
    {"code": "M6", "name": "Literasi data", "jp": 4, "modes": ["mandiri"], "required": False},
]


def _day(rng: random.Random, weeks: int) -> date:
    return START + timedelta(days=7 * rng.randrange(weeks) + rng.randrange(5))


def plan_dict(
    participants: int = 500, units: int = 12, weeks: int = 8, seed: int = 15
) -> dict[str, Any]:
    rng = random.Random(seed)
    unit_rows = []
    per_unit = [
        participants // units + (1 if i < participants % units else 0) for i in range(units)
    ]
    people = []
    for index, count in enumerate(per_unit):
        kind, word, service, busy = UNIT_KINDS[index % len(UNIT_KINDS)]
        district = DISTRICTS[index % 4]["code"]
        front = round(count * 0.7)
        staff = math.ceil(front * 1.5) + 2
        unit: dict[str, Any] = {
            "code": f"{kind}_{index + 1:02d}",
            "name": f"{word} {index + 1:02d}",
            "district": district,
            "front_line_staff": staff,
            "minimum": math.ceil(staff * 0.55),
            "service": service,
        }
        if busy:
            unit["busy"] = [dict(busy, minimum=math.ceil(staff * 0.75))]
        if index == 0:
            first = START + timedelta(days=21)
            unit["busy"] = [
                {
                    "reason": "pekan imunisasi",
                    "from": first.isoformat(),
                    "to": (first + timedelta(days=4)).isoformat(),
                    "minimum": staff - 2,
                }
            ]
        unit_rows.append(unit)
        for k in range(count):
            home = district
            roll = rng.random()
            if roll < 0.08:
                home = "pulau_a"
            elif roll < 0.14:
                home = "pulau_b"
            person: dict[str, Any] = {
                "code": f"P{len(people) + 1:04d}",
                "unit": unit["code"],
                "front_line": k < front,
                "district": home,
                "jp_year": rng.choice([0, 0, 4, 8, 12]),
            }
            if rng.random() < 0.14:
                days = sorted({_day(rng, weeks) for _ in range(rng.randint(1, 3))})
                person["unavailable"] = [d.isoformat() for d in days]
            people.append(person)
    trainers = []
    for index in range(10):
        taught = [MODULES[(index + j) % 6]["code"] for j in range(3)]
        taught = [c for c in taught if "kelas" in _modes(c) or "daring" in _modes(c)]
        days = sorted({_day(rng, weeks) for _ in range(3)})
        trainers.append(
            {
                "code": f"W{index + 1:02d}",
                "name": f"Widyaiswara {index + 1:02d}",
                "modules": taught,
                "modes": ["kelas", "daring"],
                "unavailable": [d.isoformat() for d in days],
            }
        )
    return {
        "title": f"Rencana sintetis {participants} peserta",
        "program": "Pelatihan Pelayanan Publik",
        "calendar": {"start": START.isoformat(), "weeks": weeks, "holidays": ["2026-02-17"]},
        "modes": {
            "kelas": {"capacity": 30, "session_cost": 1500000},
            "daring": {"capacity": 40, "session_cost": 750000},
            "mandiri": {"capacity": 150},
        },
        "modules": MODULES,
        "districts": DISTRICTS,
        "units": unit_rows,
        "trainers": trainers,
        "venues": [
            {"code": "aula_a", "name": "Aula A", "capacity": 30},
            {"code": "aula_b", "name": "Aula B", "capacity": 25},
            {"code": "lab", "name": "Laboratorium komputer", "capacity": 40},
        ],
        "participants": people,
        "options": {"time_limit": 60, "workers": 2, "cost_per_day": 500000},
    }


def _modes(code: str) -> list[str]:
    return next(m["modes"] for m in MODULES if m["code"] == code)


def write_plan(path: Path, participants: int = 500, **kwargs: Any) -> Path:
    path.write_text(
        yaml.safe_dump(plan_dict(participants, **kwargs), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path
