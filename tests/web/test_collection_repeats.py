"""Repeat groups through the web app: imports, quarantine, exports and bundles."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.builders import write_bundle
from tests.repeat_builders import TITLE, UUIDS, kobo_repeat_xlsx, write_repeat_form
from tilik.web.collection import services
from tilik.web.collection.models import ImportBatch, QuarantinedRow, Submission
from tilik.web.evaluations.bundles import export_bundle, import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

_SESI_COPIES = ["", "", "", "", "", "", "", ""]


@pytest.fixture
def kegiatan(cast, tmp_path):
    data = write_repeat_form(tmp_path / "kegiatan_unit.xlsx").read_bytes()
    instrument, problems = services.add_instrument(
        cast.evaluation_a, data, "kegiatan_unit.xlsx", "kegiatan_unit"
    )
    assert instrument is not None, problems
    return instrument


def _url(cast, tail):
    return f"/evaluasi/{cast.evaluation_a.pk}/{tail}"


def test_it_imports_repeat_sheets_through_the_web_once(client, cast, kegiatan):
    client.force_login(cast.alice)
    upload = {"file": SimpleUploadedFile("kobo.xlsx", kobo_repeat_xlsx())}
    r = client.post(_url(cast, "instrumen/kegiatan_unit/impor/"), upload)
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.stored, batch.quarantined) == ("done", 3, 0)
    first = Submission.objects.get(instance_id=UUIDS[0]).answers
    assert [k["judul"] for k in first["kegiatan"]] == ["Kelas layanan prima", "Coaching loket"]
    assert first["kegiatan"][0]["sesi"] == [{"jam": 2}, {"jam": 3}]
    upload = {"file": SimpleUploadedFile("kobo.xlsx", kobo_repeat_xlsx())}
    client.post(_url(cast, "instrumen/kegiatan_unit/impor/"), upload)
    assert Submission.objects.count() == 3


def test_it_fixes_a_quarantined_instance(client, cast, kegiatan):
    sesi = [["sepuluh", "kegiatan", "1", "101", UUIDS[0], *_SESI_COPIES[:7]]]
    services.start_import(kegiatan, kobo_repeat_xlsx(sesi=sesi), "kobo.xlsx")
    row = QuarantinedRow.objects.get()
    assert "lembar «sesi», baris 2" in row.problems[0]["id"]
    assert "sheet «sesi», row 2" in row.problems[0]["en"]
    client.force_login(cast.alice)
    page = client.get(_url(cast, f"karantina/{row.pk}/")).content.decode()
    assert "kegiatan[1]/sesi[1]/jam" in page and "sepuluh" in page
    assert row.problems[0]["key"] == "kegiatan[1]/sesi[1]/jam"  # the cell shown as wrong
    r = client.post(_url(cast, f"karantina/{row.pk}/"), {"v:kegiatan[1]/sesi[1]/jam": "8"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.status == "resolved"
    stored = Submission.objects.get(instance_id=UUIDS[0]).answers
    assert stored["kegiatan"][0]["sesi"] == [{"jam": 8}]
    assert stored["kegiatan"][1]["judul"] == "Coaching loket"


def test_an_orphan_row_stays_in_quarantine_with_its_reason(client, cast, kegiatan):
    rows = [["Hilang", "5", "", "", "", "", "", "9", TITLE, "9", "109", ""] + [""] * 7]
    main = [["Loket", "", "5", "", "101", UUIDS[0], "", "", "", "", "", "", "", "1"]]
    services.start_import(kegiatan, kobo_repeat_xlsx(main=main, kegiatan=rows, sesi=[]), "k.xlsx")
    row = QuarantinedRow.objects.get()
    assert "_parent_index" in row.problems[0]["id"]
    client.force_login(cast.alice)
    r = client.post(_url(cast, f"karantina/{row.pk}/"), {"v:kegiatan/judul": "Hilang lagi"})
    assert r.status_code == 400  # still held, shown with its reason
    row.refresh_from_db()
    assert row.status == "open" and row.raw["kegiatan/judul"] == "Hilang lagi"
    assert Submission.objects.count() == 1


def test_it_exports_repeats_as_wide_csv_and_as_sheets(client, cast, kegiatan):
    services.start_import(kegiatan, kobo_repeat_xlsx(), "kobo.xlsx")
    client.force_login(cast.alice)
    text = client.get(_url(cast, "instrumen/kegiatan_unit/ekspor.csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:4] == ["unit", "nip", "total_peserta", "kegiatan_diakui"]
    assert header[4:11] == [
        "kegiatan[1]/judul",
        "kegiatan[1]/peserta",
        "kegiatan[1]/hari",
        "kegiatan[1]/catatan",
        "kegiatan[1]/sesi[1]/jam",
        "kegiatan[1]/sesi[2]/jam",
        "kegiatan[2]/judul",
    ]
    first = dict(zip(header, rows[1]))
    assert (
        first["kegiatan[1]/sesi[2]/jam"] == "3" and first["kegiatan[2]/judul"] == "Coaching loket"
    )
    # the wide CSV reads back into the same answers (a select_multiple answered with nothing
    # is an empty cell, as for top-level questions: it reads back as unanswered)
    again = services.read_export(text.encode(), kegiatan.form(), file_name="ekspor.csv")
    stored = {s.instance_id: _unpicked_as_none(s.answers) for s in Submission.objects.all()}
    assert {r.instance_id: r.answers for r in again.responses} == stored

    client.force_login(cast.charlie)  # the leader: pseudonyms, and the repeat sheets
    data = client.get(_url(cast, "instrumen/kegiatan_unit/ekspor.xlsx")).content
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["kegiatan_unit", "kegiatan", "sesi"]
    main = [list(r) for r in workbook["kegiatan_unit"].iter_rows(values_only=True)]
    assert "nip_pseudonim" in main[0] and b"198503122010011001" not in data
    sesi = [list(r) for r in workbook["sesi"].iter_rows(values_only=True)]
    assert sesi[0] == [
        "kegiatan/sesi/jam",
        "_index",
        "_parent_table_name",
        "_parent_index",
        "_submission__uuid",
    ]
    assert [r[0] for r in sesi[1:]] == [2, 3, 1]
    assert [r[3] for r in sesi[1:]] == [1, 1, 3]  # the rows of the kegiatan sheet


def test_a_bundle_with_repeats_exports_and_imports_losslessly(tmp_path):
    root = write_bundle(tmp_path / "b")
    write_repeat_form(root / "instrumen" / "kegiatan_unit.xlsx")
    (root / "data" / "kegiatan_unit.xlsx").write_bytes(kobo_repeat_xlsx())
    evaluation = import_bundle(read_bundle_for_db(root)).evaluation
    stored = {
        s.instance_id: s.answers
        for s in Submission.objects.filter(instrument__form_id="kegiatan_unit")
    }
    assert len(stored) == 3
    first = export_bundle(evaluation, tmp_path / "export1")
    assert (first / "data" / "kegiatan_unit.xlsx").exists()
    assert not (first / "data" / "kegiatan_unit.csv").exists()
    Evaluation.objects.all().delete()
    again = import_bundle(read_bundle_for_db(first)).evaluation
    reread = {
        s.instance_id: s.answers
        for s in Submission.objects.filter(
            instrument__evaluation=again, instrument__form_id="kegiatan_unit"
        )
    }
    assert reread == stored
    second = export_bundle(again, tmp_path / "export2")
    sheets = [
        [[c.value for c in row] for row in ws.iter_rows()]
        for ws in openpyxl.load_workbook(second / "data" / "kegiatan_unit.xlsx")
    ]
    assert sheets == [
        [[c.value for c in row] for row in ws.iter_rows()]
        for ws in openpyxl.load_workbook(first / "data" / "kegiatan_unit.xlsx")
    ]


def _unpicked_as_none(value):
    if isinstance(value, dict):
        return {k: _unpicked_as_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unpicked_as_none(v) for v in value] if value else None
    return value


def test_an_import_whose_server_died_is_shown_as_interrupted(client, cast, kegiatan):
    from datetime import timedelta

    from django.utils import timezone

    batch = ImportBatch.objects.create(
        instrument=kegiatan, file_name="besar.csv", sha256="0" * 64, status="running"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat=timezone.now() - timedelta(seconds=20))
    client.force_login(cast.alice)
    url = _url(cast, f"impor/{batch.pk}/kemajuan/")
    assert client.get(url).json()["status"] == "running"  # its worker beats every 10 s
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat=timezone.now() - timedelta(seconds=50))
    assert client.get(url).json()["status"] == "interrupted"
    page = client.get(_url(cast, f"impor/{batch.pk}/")).content.decode()
    assert "Terputus" in page and "Impor ulang berkas yang sama" in page
    # importing the file again completes it
    services.start_import(kegiatan, kobo_repeat_xlsx(), "besar.xlsx")
    assert Submission.objects.count() == 3
