"""ODK Central's CSV export of real submissions, read back whole.

ODK Central writes a geopoint as four columns (``q-Latitude``, ``q-Longitude``,
``q-Altitude``, ``q-Accuracy``), joins groups with ``-``, and puts ``SubmissionDate`` first
(getodk/central-backend, ``lib/data/briefcase.js``). The export is made here from a real
form and its real submissions (``../shared/realworld/kobo-formpack/all_geo_types``), as
Central lays it out; the truth is ``submissions.json``.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from tests.core import realworld as rw
from tilik.core.ingest import read_export
from tilik.core.xlsform import Form, read_xlsform

FOLDER = rw.KOBO / "all_geo_types"
PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")


def central_csv(form: Form, submissions: list[dict]) -> bytes:
    header = ["SubmissionDate"]
    for question in form.data_questions():
        column = question.path.replace("/", "-")
        if question.type == "geopoint":
            header += [f"{column}-{part}" for part in PARTS]
        else:
            header.append(column)
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "Status"]
    header += ["ReviewState", "DeviceID", "Edits", "FormVersion"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for submission in submissions:
        row = [submission["_submission_time"] + ".000Z"]
        for question in form.data_questions():
            value = submission.get(question.path, submission.get(question.name, ""))
            if question.type == "geopoint":
                parts = str(value).split()
                row += [*parts, *[""] * (4 - len(parts))]
            else:
                row.append("" if value is None else str(value))
        instance = "uuid:" + rw.instance_id(submission)
        row += [instance, instance, "5", "enumerator", "", "", "", "0", "2"]
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def test_it_rebuilds_odk_central_split_geopoints_whole():
    form, _ = read_xlsform(FOLDER / "all_geo_types.xlsx")
    assert form is not None
    point = next(q for q in form.questions if q.name == "Point")
    point.required = True  # its columns are there, split: no "required column missing"
    submissions = rw.truth(FOLDER)["submissions"]
    result = read_export(central_csv(form, submissions), form, file_name="central.csv")
    assert not result.quarantined
    assert [p for p in result.problems if "wajib" in p.message] == []
    assert len(result.responses) == len(submissions) == 2
    for response, submission in zip(result.responses, submissions, strict=True):
        assert rw.stored(form, response.answers) == rw.expected(form, submission).answers
        assert response.submitted_at.replace(tzinfo=None) == datetime.fromisoformat(
            submission["_submission_time"]
        )
    points = [r.answers.get("Point") for r in result.responses]
    assert points == ["39.306938 -76.60869 11 22", "-34.631098 -58.442238 0 0"]
