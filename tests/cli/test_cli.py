from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.builders import kobo_row, write_bundle
from tilik.cli.main import cli

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


def test_it_has_help_text_on_every_command():
    missing = [name for name, command in _commands(cli) if not (command.help or "").strip()]
    assert missing == []


def test_it_checks_the_demo_bundle_without_problems():
    result = CliRunner().invoke(cli, ["bundle", "check", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "Tidak ada masalah." in result.output


def test_it_names_file_row_column_and_value_of_bad_rows(tmp_path):
    root = write_bundle(tmp_path / "b", [kobo_row(0, umur="tiga puluh")])
    result = CliRunner().invoke(cli, ["bundle", "check", str(root)])
    assert result.exit_code == 1
    assert "data/survei_peserta.csv, baris 2, kolom «umur»" in result.output
    assert "tiga puluh" in result.output
    assert "Traceback" not in result.output


def test_it_speaks_english_on_request(tmp_path):
    root = write_bundle(tmp_path / "b", [kobo_row(0, umur="tiga puluh")])
    result = CliRunner().invoke(cli, ["bundle", "check", str(root), "--lang", "en"])
    assert "row 2, column «umur»" in result.output
    assert "not a whole number" in result.output


def test_it_reports_a_malformed_bundle_clearly(tmp_path):
    root = write_bundle(tmp_path / "b")
    (root / "evaluasi.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (root / "data" / "survei_peserta.csv").write_bytes(b"\x00\x01garbage")
    result = CliRunner().invoke(cli, ["bundle", "check", str(root)])
    assert result.exit_code == 1
    assert "evaluasi.yaml" in result.output and "YAML" in result.output
    assert "Traceback" not in result.output


def test_it_refuses_a_missing_folder(tmp_path):
    result = CliRunner().invoke(cli, ["bundle", "check", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "tidak ditemukan" in result.output


@pytest.mark.django_db
def test_it_imports_and_exports_a_bundle(tmp_path):
    from tilik.web.collection.models import Submission

    root = write_bundle(tmp_path / "b")
    runner = CliRunner()
    first = runner.invoke(cli, ["bundle", "import", str(root)])
    assert first.exit_code == 0, first.output
    assert "survei_peserta: 3 baru, 0 sudah ada, 0 dikarantina" in first.output
    again = runner.invoke(cli, ["bundle", "import", str(root)])
    assert "survei_peserta: 0 baru, 3 sudah ada, 0 dikarantina" in again.output
    assert Submission.objects.count() == 3
    from tilik.web.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="bundle_imported").count() == 2
    out = tmp_path / "out"
    exported = runner.invoke(cli, ["bundle", "export", "Evaluasi Uji", str(out)])
    assert exported.exit_code == 0, exported.output
    assert (out / "data" / "survei_peserta.csv").exists()


def test_it_writes_the_report_of_a_bundle(tmp_path):
    bundle = tmp_path / "demo"
    shutil.copytree(DEMO, bundle)
    result = CliRunner().invoke(cli, ["report", str(bundle), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for name in ("hasil.json", "laporan.html", "laporan.pdf", "laporan.docx"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert list((tmp_path / "out" / "grafik").glob("*.svg"))


def test_the_report_command_run_as_a_process_writes_everything_before_it_ends(tmp_path):
    tilik = Path(sys.executable).with_name("tilik")
    out = tmp_path / "out"
    done = subprocess.run(
        [str(tilik), "report", str(DEMO), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TILIK_DATA": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    printed = [line.split(":", 1)[0] for line in done.stdout.splitlines()]
    assert printed == ["hasil.json", "grafik/", "laporan.html", "laporan.pdf", "laporan.docx"]
    assert json.loads((out / "hasil.json").read_text("utf-8"))["findings"]
    assert (out / "laporan.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert (out / "laporan.docx").stat().st_size > 10_000
