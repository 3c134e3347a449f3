"""The command line's help speaks Indonesian by default, English on request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tilik.cli.bantuan import language, localise
from tilik.cli.main import cli


@pytest.fixture
def indonesian():
    assert localise(cli, "id") == []  # every help text has its Indonesian
    yield
    localise(cli, "en")


def test_it_writes_every_help_text_in_indonesian(indonesian):
    top = CliRunner().invoke(cli, ["--help"]).output
    assert "Cara pakai:" in top and "Pilihan:" in top and "Perintah:" in top
    assert "Tampilkan bantuan ini lalu keluar." in top
    report = CliRunner().invoke(cli, ["report", "--help"]).output
    assert "Folder tempat hasil.json dan laporan ditulis." in report and "[wajib]" in report
    wrong = CliRunner().invoke(cli, ["report"])
    assert wrong.exit_code == 2 and "Galat:" in wrong.output


def test_it_writes_english_on_request(indonesian):
    localise(cli, "en")
    report = CliRunner().invoke(cli, ["report", "--help"]).output
    assert "Usage:" in report and "Folder to write hasil.json and the report into." in report


def test_it_picks_the_language_from_the_command_line_or_tilik_lang():
    assert language(["report", "x"], {}) == "id"
    assert language(["report", "x", "--lang", "en"], {}) == "en"
    assert language(["report", "--lang=en"], {}) == "en"
    assert language(["--help"], {"TILIK_LANG": "en"}) == "en"
    assert language(["--lang", "id"], {"TILIK_LANG": "en"}) == "id"


def test_the_installed_command_helps_in_indonesian_and_in_english():
    tilik = str(Path(sys.executable).with_name("tilik"))
    env = {k: v for k, v in os.environ.items() if k != "TILIK_LANG"}
    shown = subprocess.run([tilik, "--help"], capture_output=True, text=True, env=env)
    assert "Cara pakai:" in shown.stdout and "Perintah:" in shown.stdout
    english = subprocess.run(
        [tilik, "--help"], capture_output=True, text=True, env={**env, "TILIK_LANG": "en"}
    )
    assert "Usage:" in english.stdout and "Commands:" in english.stdout
