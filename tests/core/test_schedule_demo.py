"""The demo plan (examples/kupang-2025/jadwal.yaml) along the path a user takes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tilik.core.schedule import evaluate, precheck, read_plan, rigid_plan, solve

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"


def test_it_regenerates_the_demo_plan_byte_for_byte(tmp_path):
    target = tmp_path / "jadwal.yaml"
    subprocess.run([sys.executable, str(DEMO / "jadwal.py"), str(target)], check=True)
    assert target.read_bytes() == (DEMO / "jadwal.yaml").read_bytes()


def test_it_reads_the_demo_plan_and_finds_nothing_impossible():
    plan, problems = read_plan(DEMO / "jadwal.yaml")
    assert problems == [] and plan is not None
    assert len(plan.participants) == 400
    assert any(unit.busy for unit in plan.units.values())  # month-end, from the survey answers
    assert precheck(plan) == []


def test_it_beats_the_rigid_plan_on_the_demo_even_with_little_time():
    plan, _ = read_plan(DEMO / "jadwal.yaml")
    result = solve(plan, time_limit=5, workers=1)
    flexible, rigid = evaluate(plan, result.schedule), evaluate(plan, rigid_plan(plan))
    assert flexible["shortfall_hours"] == 0 < rigid["shortfall_hours"]
    assert flexible["completion"] == 1.0 > rigid["completion"]
