"""Real KoboToolbox exports uploaded through the web page, as an evaluator does: labels,
the HXL row, ``end`` kept as an answer, ``_submission_time`` as the submission time; and a
hostile file answered with its reason, never the generic internal error."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.core import realworld as rw
from tests.core.test_hostile_files import HOSTILE
from tilik.web.collection import services
from tilik.web.collection.models import ImportBatch, Submission

pytestmark = pytest.mark.django_db


def _instrument(cast, name: str):
    folder = rw.KOBO / name
    instrument, problems = services.add_instrument(
        cast.evaluation_a, (folder / f"{name}.xlsx").read_bytes(), f"{name}.xlsx"
    )
    assert instrument is not None, problems
    return instrument


def _post(client, cast, instrument, name: str, data: bytes):
    client.force_login(cast.alice)
    url = f"/evaluasi/{cast.evaluation_a.pk}/instrumen/{instrument.form_id}/impor/"
    response = client.post(url, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    return ImportBatch.objects.filter(instrument=instrument).latest("pk")


@pytest.mark.parametrize(
    ("name", "variant"),
    [("grouped_translated", "-labels.xlsx"), ("hxl_grouped_repeatable", "-labels.xlsx")],
)
def test_it_stores_a_real_label_export_as_names(client, cast, name, variant):
    instrument = _instrument(cast, name)
    path = rw.KOBO / name / f"{name}{variant}"
    batch = _post(client, cast, instrument, path.name, path.read_bytes())
    truth = rw.truth(rw.KOBO / name)["submissions"]
    assert (batch.status, batch.stored, batch.quarantined) == ("done", len(truth), 0)
    form = instrument.form()
    for submission in truth:
        stored = Submission.objects.get(
            instrument=instrument, instance_id=rw.instance_id(submission)
        )
        assert rw.stored(form, stored.answers) == rw.expected(form, submission).answers
        moment = timezone.localtime(stored.submitted_at, timezone.get_default_timezone())
        assert moment.replace(tzinfo=None) == datetime.fromisoformat(submission["_submission_time"])
        assert "end" in stored.answers
    again = _post(client, cast, instrument, path.name, path.read_bytes())
    assert (again.stored, again.already_stored) == (0, len(truth))


def test_it_answers_a_hostile_file_with_its_reason(client, cast):
    instrument = _instrument(cast, "grouped_translated")
    data, _reason = HOSTILE["row-two-billion.xlsx"]
    batch = _post(client, cast, instrument, "hostile.xlsx", data)
    texts = [p["id"] for p in batch.problems] + [p["en"] for p in batch.problems]
    assert any("nomor baris 2000000000 melewati" in t for t in texts), texts
    assert any("row number 2000000000 is beyond Excel's last row" in t for t in texts), texts
    assert "kesalahan internal" not in str(texts)
