from __future__ import annotations

import json

from click.testing import CliRunner
from icalendar import Calendar

from tests.schedule_builders import small_plan, write_yaml
from tilik.cli.main import cli


def test_it_writes_the_schedule_files_and_compares_with_one_block(tmp_path):
    plan = write_yaml(tmp_path / "jadwal.yaml", small_plan())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["schedule", str(plan), "--out", str(out), "--time-limit", "20"]
    )
    assert result.exit_code == 0, result.output
    for name in ("jadwal.csv", "jadwal.xlsx", "jadwal.html", "ringkasan.json", "grafik/jadwal.svg"):
        assert (out / name).is_file(), name
    assert sorted(p.stem for p in (out / "ics" / "peserta").glob("*.ics")) == [
        f"P{i}" for i in range(1, 9)
    ]
    assert Calendar.from_ical((out / "ics" / "pelatih" / "W2.ics").read_bytes())
    summary = json.loads((out / "ringkasan.json").read_text())
    assert summary["flexible"]["shortfall_hours"] < summary["rigid"]["shortfall_hours"]
    assert "celah optimalitas" in result.output and "Terbukti jadwal terbaik" in result.output


def test_it_explains_an_impossible_plan_in_english(tmp_path):
    data = small_plan()
    data["units"][0]["minimum"] = 5  # more than its four front-line staff
    plan = write_yaml(tmp_path / "jadwal.yaml", data)
    result = CliRunner().invoke(
        cli, ["schedule", str(plan), "--out", str(tmp_path / "o"), "--lang", "en"]
    )
    assert result.exit_code == 3
    assert "Puskesmas Oesapa: a minimum of 5 front-line staff must be on duty" in result.output
    reasons = json.loads((tmp_path / "o" / "penjelasan.json").read_text())["reasons"]
    assert reasons[0]["id"].startswith("Puskesmas Oesapa: minimum 5")
    assert "Traceback" not in result.output


def test_it_names_the_line_of_a_mistake_in_the_plan(tmp_path):
    data = small_plan()
    data["modules"][1]["jp"] = "delapan"
    plan = write_yaml(tmp_path / "jadwal.yaml", data)
    result = CliRunner().invoke(cli, ["schedule", str(plan), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "kolom «modules[2].jp»" in result.output and "delapan" in result.output


def test_it_includes_the_schedule_in_the_report(tmp_path):
    from tests.cli.test_cli import DEMO

    plan = write_yaml(tmp_path / "jadwal.yaml", small_plan())
    assert (
        CliRunner().invoke(cli, ["schedule", str(plan), "--out", str(tmp_path / "j")]).exit_code
        == 0
    )
    result = CliRunner().invoke(
        cli, ["report", str(DEMO), "--out", str(tmp_path / "r"), "--schedule", str(tmp_path / "j")]
    )
    assert result.exit_code == 0, result.output
    assert "Usulan Jadwal Pelatihan Fleksibel" in (tmp_path / "r" / "laporan.html").read_text()
    assert (
        json.loads((tmp_path / "r" / "hasil.json").read_text())["jadwal"]["schema"]
        == "tilik.jadwal/1"
    )


def test_it_refuses_a_schedule_file_that_is_not_a_summary(tmp_path):
    from tests.cli.test_cli import DEMO

    bogus = tmp_path / "ringkasan.json"
    bogus.write_text("{}")
    result = CliRunner().invoke(
        cli, ["report", str(DEMO), "--out", str(tmp_path / "r"), "--schedule", str(bogus)]
    )
    assert result.exit_code == 1 and "ringkasan" in result.output
