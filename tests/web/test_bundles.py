from __future__ import annotations

import csv
import hashlib
import io

import openpyxl
import pytest

from tests.builders import NIPS, kobo_row, write_bundle
from tilik.web.collection.models import ImportBatch, QuarantinedRow, Submission
from tilik.web.evaluations.bundles import export_bundle, import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Employee, Enrolment, Evaluation

pytestmark = pytest.mark.django_db


def _roster(root):
    (root / "peserta.csv").write_text(
        "nip,nama,jenis_kelamin,instansi,sektor,jabatan,program,angkatan,kehadiran,jp,tahun\n"
        f"{NIPS[0]},Contoh Satu (fiktif),L,Dinas Kesehatan,kesehatan,Perawat,Pelatihan Uji,"
        "1,0.9,30,2025\n"
        f"{NIPS[1]},Contoh Dua (fiktif),P,Dinas Dukcapil,kependudukan,Operator,Pelatihan Uji,"
        "1,1,30,2025\n",
        encoding="utf-8",
    )
    return root


def test_it_imports_a_bundle(tmp_path):
    root = _roster(write_bundle(tmp_path / "b"))
    summary = import_bundle(read_bundle_for_db(root))
    evaluation = summary.evaluation
    assert evaluation.title == "Evaluasi Uji"
    assert Submission.objects.filter(instrument__evaluation=evaluation).count() == 3
    assert set(Submission.objects.values_list("source", flat=True)) == {Submission.Source.BUNDLE}
    batch = ImportBatch.objects.get(instrument__evaluation=evaluation)
    assert batch.sha256 == hashlib.sha256((root / batch.file_name).read_bytes()).hexdigest()
    assert evaluation.interviews.count() == 1
    assert Enrolment.objects.filter(cohort__program__evaluation=evaluation).count() == 2
    assert Employee.objects.get(nip=NIPS[1]).gender == "P"


def test_it_imports_twice_without_duplicates(tmp_path):
    root = _roster(write_bundle(tmp_path / "b", [kobo_row(0), kobo_row(1, umur="x")]))
    import_bundle(read_bundle_for_db(root))
    second = import_bundle(read_bundle_for_db(root))
    assert Evaluation.objects.count() == 1
    assert Submission.objects.count() == 1
    assert QuarantinedRow.objects.count() == 1
    assert second.stored == {"survei_peserta": 0}
    assert second.already_stored == {"survei_peserta": 1}
    assert Enrolment.objects.count() == 2


def test_it_quarantines_a_changed_resubmission(tmp_path):
    root = write_bundle(tmp_path / "b", [kobo_row(0)])
    import_bundle(read_bundle_for_db(root))
    root2 = write_bundle(tmp_path / "c", [kobo_row(0, saran="isi lain")])
    summary = import_bundle(read_bundle_for_db(root2))
    assert Submission.objects.count() == 1
    assert summary.quarantined == {"survei_peserta": 1}
    problem = QuarantinedRow.objects.get().problems[0]
    assert "uuid-0000" in problem["id"]


def _sheet_values(path):
    workbook = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook}


def test_it_exports_and_reimports_losslessly(tmp_path):
    root = _roster(write_bundle(tmp_path / "b"))
    evaluation = import_bundle(read_bundle_for_db(root)).evaluation
    first = export_bundle(evaluation, tmp_path / "export1")
    Evaluation.objects.all().delete()
    again = import_bundle(read_bundle_for_db(first)).evaluation
    second = export_bundle(again, tmp_path / "export2")
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()
    )
    assert "data/survei_peserta.csv" in names and "peserta.csv" in names
    for name in names:
        if name.endswith(".xlsx"):
            assert _sheet_values(first / name) == _sheet_values(second / name)
        else:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_it_exports_kobo_shaped_csv(tmp_path):
    evaluation = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "b"))).evaluation
    out = export_bundle(evaluation, tmp_path / "x")
    data = (out / "data" / "survei_peserta.csv").read_bytes()
    assert data.startswith(b'"nip";"instansi";"reaksi/manfaat_1"')
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(data.decode()), delimiter=";"))
    assert header[-10:] == [
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    ]


def test_it_lets_the_importing_user_create_evaluations_in_that_organisation(client, tmp_path):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("importir", password="x")
    import_bundle(read_bundle_for_db(write_bundle(tmp_path / "b")), user=user)
    client.force_login(user)
    assert client.get("/evaluasi/baru/").status_code == 200
