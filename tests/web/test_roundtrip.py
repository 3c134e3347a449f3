"""Exports are safe in a spreadsheet and come back exactly when imported again."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.builders import kobo_csv, kobo_row, write_bundle
from tilik.web.collection import services
from tilik.web.collection.models import QuarantinedRow, Submission
from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

TRICKY = [
    "'dikutip",
    "''dua kutip",
    "'=1+1",
    '=HYPERLINK("http://x")',
    "+62 812 3456",
    "-tanpa spasi",
    "@SUM(A1)",
    "'-3",
    "-3",
    "'",
    "'+",
    "=",
    "' spasi",
    "\tawal tab",
    "teks biasa",
    "'@x",
]


def _rows():
    return [kobo_row(i, saran=value, _uuid=f"uuid-{i:04d}") for i, value in enumerate(TRICKY)]


def _answers(evaluation):
    return {
        s.instance_id: s.answers["saran"]
        for s in Submission.objects.filter(instrument__evaluation=evaluation)
    }


def test_the_bundle_zip_is_neutralised_and_reimports_losslessly(client, cast, tmp_path):
    evaluation = import_bundle(
        read_bundle_for_db(write_bundle(tmp_path / "b", _rows())), organisation=cast.agency_a
    ).evaluation
    before = _answers(evaluation)
    assert sorted(before.values()) == sorted(TRICKY)
    evaluation.members.create(user=cast.alice, role="evaluator")
    client.force_login(cast.alice)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/evaluasi/{evaluation.pk}/ekspor/bundel.zip").content)
    )
    data = archive.read("data/survei_peserta.csv").decode("utf-8")
    for cell in data.replace("\r\n", ";").split(";"):
        value = cell.strip('"')
        assert not value.startswith(("=", "+", "@", "\t")) or value[:1] == "'", value
    archive.extractall(tmp_path / "unzipped")
    Evaluation.objects.all().delete()
    again = import_bundle(read_bundle_for_db(tmp_path / "unzipped")).evaluation
    assert _answers(again) == before
    assert QuarantinedRow.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_again_changes_nothing(client, cast, survey, fmt):
    services.start_import(survey, kobo_csv(_rows()), "kobo.csv")
    before = _answers(cast.evaluation_a)
    client.force_login(cast.alice)
    export = client.get(f"/evaluasi/{cast.evaluation_a.pk}/instrumen/survei_peserta/ekspor.{fmt}")
    batch = services.start_import(survey, export.content, f"ekspor.{fmt}")
    batch.refresh_from_db()
    assert (batch.stored, batch.already_stored, batch.quarantined) == (0, len(TRICKY), 0)
    assert _answers(cast.evaluation_a) == before
