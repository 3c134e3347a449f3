"""Hostile bundles: nothing outside the folder is read, and check and import are one reader
(what ``tilik bundle check`` refuses, ``tilik bundle import`` refuses, storing nothing)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import write_bundle
from tilik.cli.main import cli

ROOT = Path(__file__).parents[2]
BOMB = 'title: "Evaluasi"\norganisation: "BKPSDM"\na: &a [x, x, x, x, x, x, x, x, x]\n' + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


def check_contained(root: Path) -> subprocess.CompletedProcess[str]:
    """``tilik bundle check`` in a process of its own, limited to 1 GB and 15 s."""
    return subprocess.run(
        [sys.executable, "-m", "tilik.cli.main", "bundle", "check", str(root), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=15,
        preexec_fn=_limits,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )


def _import(root: Path):
    return CliRunner().invoke(cli, ["bundle", "import", str(root), "--lang", "en"])


def test_it_refuses_a_yaml_alias_bomb_in_check_within_limits(tmp_path):
    root = write_bundle(tmp_path / "b")
    (root / "evaluasi.yaml").write_text(BOMB, encoding="utf-8")
    checked = check_contained(root)
    assert checked.returncode == 1, checked.stderr[-2000:]
    assert "alias" in checked.stdout and "would refuse this bundle" in checked.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    "yaml_text",
    [
        BOMB,
        'title: !!python/object/apply:os.system ["true"]\norganisation: "BKPSDM"\n',
        'title: &t ["Evaluasi", *t]\norganisation: "BKPSDM"\n',
    ],
    ids=["alias-bomb", "python-tag", "alias-loop"],
)
def test_it_refuses_in_import_what_check_refuses(tmp_path, yaml_text):
    from tilik.web.evaluations.models import Evaluation

    root = write_bundle(tmp_path / "b")
    (root / "evaluasi.yaml").write_text(yaml_text, encoding="utf-8")
    checked = CliRunner().invoke(cli, ["bundle", "check", str(root), "--lang", "en"])
    assert checked.exit_code == 1 and "would refuse this bundle" in checked.output
    imported = _import(root)
    assert imported.exit_code == 1 and "Traceback" not in imported.output
    assert "refused" in imported.output
    assert Evaluation.objects.count() == 0


@pytest.mark.django_db
def test_it_reads_nothing_a_symbolic_link_points_to_outside(tmp_path):
    from tilik.web.collection.models import Interview, Submission
    from tilik.web.evaluations.models import Evaluation

    secret = tmp_path / "secret_key.txt"
    secret.write_text("django-insecure-SECRET", encoding="utf-8")
    passwd = tmp_path / "passwd.csv"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    root = write_bundle(tmp_path / "b")
    (root / "wawancara" / "kunci.txt").symlink_to(secret)
    (root / "data" / "survei_peserta.csv").unlink()
    (root / "data" / "survei_peserta.csv").symlink_to(passwd)
    with (root / "wawancara" / "index.csv").open("a", encoding="utf-8") as index:
        index.write("../../secret_key.txt,kepala,Dinas,kesehatan,2025-03-01\n")
    checked = CliRunner().invoke(cli, ["bundle", "check", str(root), "--lang", "en"])
    assert checked.exit_code == 1
    assert checked.output.count("points outside the bundle folder") == 3, checked.output
    assert "SECRET" not in checked.output and "root:x" not in checked.output
    imported = _import(root)
    assert imported.exit_code == 1 and "refused" in imported.output
    assert not Evaluation.objects.exists() and not Submission.objects.exists()
    assert not Interview.objects.filter(transcript__contains="SECRET").exists()


def test_it_reads_a_symbolic_link_that_stays_inside(tmp_path):
    from tilik.core.bundle import read_bundle

    root = write_bundle(tmp_path / "b")
    original = root / "data" / "survei_peserta.csv"
    kept = root / "data" / "asli.txt"
    original.rename(kept)
    original.symlink_to(kept)
    bundle = read_bundle(root)
    assert not bundle.refusals and len(bundle.data["survei_peserta"].responses) == 3
