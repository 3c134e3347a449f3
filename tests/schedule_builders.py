"""Small training plans for the schedule tests, as the dictionaries a jadwal.yaml holds."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tilik.core.schedule import parse_plan

START = "2026-05-11"  # a Monday; 12 May 2026 is the Tuesday


def small_plan(**changes: Any) -> dict[str, Any]:
    """Two units, eight participants, three modules, two weeks: solves in seconds."""
    plan: dict[str, Any] = {
        "title": "Rencana uji",
        "calendar": {"start": START, "weeks": 2},
        "modes": {
            "kelas": {"capacity": 4, "session_cost": 1000000},
            "daring": {"capacity": 10, "session_cost": 500000},
            "mandiri": {"capacity": 50},
        },
        "modules": [
            {"code": "M1", "name": "Etika pelayanan", "jp": 4, "modes": ["kelas", "daring"]},
            {"code": "M2", "name": "Penanganan pengaduan", "jp": 8, "modes": ["kelas"]},
            {"code": "M3", "name": "Literasi digital", "jp": 4, "modes": ["mandiri"]},
            {
                "code": "M4",
                "name": "Inovasi",
                "jp": 4,
                "modes": ["daring", "mandiri"],
                "required": False,
            },
        ],
        "districts": [
            {"code": "kota", "name": "Kota", "travel_cost": 50000},
            {
                "code": "pulau",
                "name": "Pulau",
                "travel_cost": 500000,
                "daily_cost": 200000,
                "travel_slots": 1,
                "live_online": False,
            },
        ],
        "units": [
            {
                "code": "pkm_oesapa",
                "name": "Puskesmas Oesapa",
                "district": "kota",
                "front_line_staff": 4,
                "minimum": 2,
                "service": ["pagi"],
            },
            {
                "code": "loket",
                "name": "Loket Dukcapil",
                "district": "kota",
                "front_line_staff": 5,
                "minimum": 3,
                "busy": [{"reason": "akhir bulan", "from": "2026-05-14", "to": "2026-05-15"}],
            },
        ],
        "trainers": [
            {"code": "W1", "name": "Ibu Widya", "modules": ["M1", "M2"]},
            {"code": "W2", "name": "Bapak Iswara", "modules": ["M1", "M2", "M4"]},
        ],
        "venues": [{"code": "aula", "name": "Aula BKPSDM", "capacity": 4}],
        "participants": [
            {"code": "P1", "unit": "pkm_oesapa", "name": "Maria Ndun", "jp_year": 8},
            {"code": "P2", "unit": "pkm_oesapa", "jp_year": 8},
            {"code": "P3", "unit": "pkm_oesapa", "jp_year": 0},
            {"code": "P4", "unit": "pkm_oesapa", "front_line": False, "jp_year": 8},
            {"code": "P5", "unit": "loket", "jp_year": 8, "unavailable": ["2026-05-11"]},
            {"code": "P6", "unit": "loket", "jp_year": 8, "district": "pulau"},
            {"code": "P7", "unit": "loket", "jp_year": 0},
            {"code": "P8", "unit": "loket", "jp_year": 8, "unavailable": ["2026-05-12 pagi"]},
        ],
        "options": {"time_limit": 20, "workers": 1},
    }
    for key, value in changes.items():
        plan[key] = value
    return copy.deepcopy(plan)


def plan_of(data: dict[str, Any]):
    plan, problems = parse_plan(data, "jadwal.yaml", yaml.safe_dump(data, sort_keys=False))
    assert plan is not None, [p.render() for p in problems]
    return plan


def write_yaml(path, data: dict[str, Any]):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
