from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.builders import kobo_csv, kobo_row
from tilik.cli.collect import collect_commands, import_command
from tilik.web.collection.models import QuarantinedRow, Submission

pytestmark = pytest.mark.django_db


def _run(cast, path, *extra):
    return CliRunner().invoke(
        import_command,
        [str(path), "--evaluation", str(cast.evaluation_a.pk), "--form", "survei_peserta", *extra],
    )


def test_it_imports_from_the_command_line(cast, survey, tmp_path):
    path = tmp_path / "kobo.csv"
    path.write_bytes(kobo_csv([kobo_row(0), kobo_row(0), kobo_row(1, umur="x")]))
    result = _run(cast, path)
    assert result.exit_code == 0, result.output
    assert "1 disimpan" in result.output and "1 dikarantina" in result.output
    assert "baris 4" in result.output and "«umur»" in result.output
    assert Submission.objects.count() == 1 and QuarantinedRow.objects.count() == 1
    again = _run(cast, path, "--lang", "en")
    assert again.exit_code == 0
    assert Submission.objects.count() == 1 and QuarantinedRow.objects.count() == 1


def test_it_names_a_missing_instrument(cast, tmp_path):
    path = tmp_path / "kobo.csv"
    path.write_bytes(b"a\n1\n")
    result = _run(cast, path)
    assert result.exit_code != 0 and "survei_peserta" in result.output


def test_it_has_help_for_every_command():
    for command in collect_commands:
        assert command.help
