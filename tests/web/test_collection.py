"""Instruments, imports, quarantine, exports, interviews: each permission checked with the cast."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.builders import KOBO_HEADER, kobo_csv, kobo_row, write_form
from tilik.core.instruments import standard_instruments
from tilik.core.xlsform import read_xlsform, write_xlsform
from tilik.web.collection import services
from tilik.web.collection.models import ImportBatch, Instrument, QuarantinedRow, Submission
from tilik.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(cast, tail):
    return f"/evaluasi/{cast.evaluation_a.pk}/{tail}"


def _upload(name, data):
    return SimpleUploadedFile(name, data)


def test_it_creates_an_evaluation_with_standard_instruments(client, cast):
    client.force_login(cast.alice)
    assert client.get("/evaluasi/baru/").status_code == 200
    r = client.post(
        "/evaluasi/baru/",
        {
            "title": "Evaluasi Baru",
            "period": "2026",
            "organisation": cast.agency_a.pk,
            "programs": "Pelatihan Prima\nCoaching",
            "instruments": ["survei_peserta", "skm", "tes_pengetahuan"],
        },
    )
    assert r.status_code == 302
    evaluation = Evaluation.objects.get(title="Evaluasi Baru")
    assert evaluation.can_edit(cast.alice)
    assert evaluation.programs.count() == 2
    kinds = dict(evaluation.instruments.values_list("form_id", "kind"))
    assert kinds == {
        "skm": "skm",
        "survei_peserta": "survei_peserta",
        "pretest": "tes_awal",
        "posttest": "tes_akhir",
    }
    posttest = evaluation.instruments.get(form_id="posttest")
    assert posttest.options == {"test": "tes_pengetahuan", "standard": "tes_pengetahuan"}
    assert posttest.form().settings["form_id"] == "posttest"
    # the program and agency choices are this evaluation's, not the shipped examples
    form = evaluation.instruments.get(form_id="survei_peserta").form()
    programs = [c.label for c in form.choices["program"]]
    assert programs == ["Coaching", "Pelatihan Prima", "Lainnya"]
    assert [c.label for c in form.choices["opd"]] == ["BKPSDM Kota A", "Lainnya"]


def test_it_offers_only_the_users_organisations(client, cast):
    client.force_login(cast.alice)
    r = client.post(
        "/evaluasi/baru/", {"title": "X", "period": "2026", "organisation": cast.agency_b.pk}
    )
    assert r.status_code == 200
    assert not Evaluation.objects.filter(title="X").exists()


def test_it_refuses_new_evaluations_for_users_without_an_organisation(client, cast):
    client.force_login(cast.mallory)
    response = client.get("/evaluasi/baru/")
    assert response.status_code == 302
    assert response["Location"] == "/evaluasi/"
    r = client.post("/evaluasi/baru/", {"title": "X", "period": "2026"})
    assert r.status_code == 302
    assert not Evaluation.objects.filter(title="X").exists()


def test_it_passes_pyxform_for_every_standard_instrument():
    from tilik.core.xlsform import pyxform_problems

    for form_id, path in standard_instruments().items():
        errors = [p for p in pyxform_problems(path) if p.severity == "error"]
        assert errors == [], form_id


def test_it_round_trips_an_xlsform(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    again, _ = read_xlsform(write_xlsform(form), file_name="survei_peserta.xlsx")
    assert again.to_dict() == form.to_dict()
    assert (
        write_xlsform(again) and read_xlsform(write_xlsform(again))[0].to_dict() == form.to_dict()
    )


def test_it_shows_pyxform_problems_on_upload(client, cast, survey, tmp_path):
    client.force_login(cast.alice)
    broken = write_form(
        tmp_path / "b.xlsx",
        survey=[["select_one nowhere", "q", "Q", "Q", "", "", "", "", "", "", ""]],
    )
    r = client.post(
        _url(cast, "instrumen/survei_peserta/versi/"),
        {"file": _upload("b.xlsx", broken.read_bytes())},
        follow=True,
    )
    assert r.status_code == 200
    assert "ditolak" in r.content.decode()
    assert survey.versions.count() == 1


def test_it_adds_a_form_version_on_upload(client, cast, survey, tmp_path):
    client.force_login(cast.alice)
    changed = write_form(
        tmp_path / "survei_peserta.xlsx",
        survey=[["text", "saran", "Saran baru", "New suggestions", "", "", "", "", "", "", ""]],
    )
    r = client.post(
        _url(cast, "instrumen/survei_peserta/versi/"),
        {"file": _upload("survei_peserta.xlsx", changed.read_bytes())},
    )
    assert r.status_code == 302
    survey.refresh_from_db()
    assert survey.versions.count() == 2
    assert survey.form().question("saran").label == "Saran baru"


def test_it_downloads_the_xlsform(client, cast, survey):
    client.force_login(cast.charlie)
    r = client.get(_url(cast, "instrumen/survei_peserta/xlsform/"))
    assert r.status_code == 200
    assert read_xlsform(r.content, file_name="survei_peserta.xlsx")[0].form_id == "survei_peserta"


def test_it_imports_duplicates_once_and_quarantines_defects(client, cast, survey):
    client.force_login(cast.alice)
    rows = [
        kobo_row(0),
        kobo_row(0),
        kobo_row(1),
        kobo_row(2, umur="tiga puluh"),
        kobo_row(3, instansi="dinsos"),
    ]
    data = kobo_csv(rows)
    r = client.post(
        _url(cast, "instrumen/survei_peserta/impor/"), {"file": _upload("kobo.csv", data)}
    )
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.stored, batch.quarantined) == ("done", 2, 2)
    messages = [p["id"] for q in QuarantinedRow.objects.order_by("row") for p in q.problems]
    assert "baris 5" in messages[0] and "umur" in messages[0] and "tiga puluh" in messages[0]
    assert "baris 6" in messages[1] and "dinsos" in messages[1]
    client.post(_url(cast, "instrumen/survei_peserta/impor/"), {"file": _upload("kobo.csv", data)})
    assert Submission.objects.count() == 2
    assert QuarantinedRow.objects.count() == 2


def test_it_checks_constraints_and_relevance_when_importing(cast, survey):
    rows = [kobo_row(0, umur="12")]
    batch = services.start_import(survey, kobo_csv(rows), "kobo.csv")
    assert batch.quarantined == 1
    assert "umur" in QuarantinedRow.objects.get().problems[0]["id"]


def test_it_shows_the_batch_with_progress(client, cast, survey):
    batch = services.start_import(survey, kobo_csv([kobo_row(0)]), "kobo.csv")
    client.force_login(cast.charlie)
    r = client.get(_url(cast, f"impor/{batch.pk}/kemajuan/"))
    assert r.status_code == 200
    assert r.json()["status"] == "done" and r.json()["stored"] == 1
    assert client.get(_url(cast, f"impor/{batch.pk}/")).status_code == 200


def test_it_refuses_hostile_files(client, cast, survey):
    client.force_login(cast.alice)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    client.post(
        _url(cast, "instrumen/survei_peserta/impor/"),
        {"file": _upload("bomb.xlsx", bomb.getvalue())},
    )
    wide = (",".join(f"c{i}" for i in range(6000)) + "\n").encode()
    client.post(_url(cast, "instrumen/survei_peserta/impor/"), {"file": _upload("wide.csv", wide)})
    problems = [b.problems[0]["id"] for b in ImportBatch.objects.order_by("pk")]
    assert "zip bomb" in problems[0]
    assert "5000 kolom" in problems[1]
    assert Submission.objects.count() == 0


def test_it_fixes_a_quarantined_row(client, cast, survey):
    services.start_import(survey, kobo_csv([kobo_row(0, umur="x")]), "kobo.csv")
    row = QuarantinedRow.objects.get()
    client.force_login(cast.alice)
    r = client.post(_url(cast, f"karantina/{row.pk}/"), {"v:umur": "40"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.status == "resolved"
    assert Submission.objects.get().answers["umur"] == 40


def test_it_keeps_a_still_broken_row_in_quarantine(client, cast, survey):
    services.start_import(survey, kobo_csv([kobo_row(0, umur="x")]), "kobo.csv")
    row = QuarantinedRow.objects.get()
    client.force_login(cast.alice)
    r = client.post(_url(cast, f"karantina/{row.pk}/"), {"v:umur": "y"})
    assert r.status_code == 400  # shown again, with the rule it still breaks
    assert "bukan bilangan bulat" in r.content.decode()
    row.refresh_from_db()
    assert row.status == "open" and row.raw["umur"] == "y"


def test_it_lets_the_leader_read_but_not_fix_quarantine(client, cast, survey):
    services.start_import(survey, kobo_csv([kobo_row(0, umur="x")]), "kobo.csv")
    row = QuarantinedRow.objects.get()
    client.force_login(cast.charlie)
    assert client.get(_url(cast, f"karantina/{row.pk}/")).status_code == 200
    assert client.post(_url(cast, f"karantina/{row.pk}/"), {"v:umur": "4"}).status_code == 403
    assert client.get(_url(cast, "instrumen/survei_peserta/impor/")).status_code == 403


def _rows(response, fmt):
    if fmt == "csv":
        import csv

        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_nips_to_evaluators_only(client, cast, survey, fmt):
    services.start_import(survey, kobo_csv([kobo_row(0, saran="=cmd|' /C calc'!A0")]), "k.csv")
    client.force_login(cast.alice)
    full = _rows(client.get(_url(cast, f"instrumen/survei_peserta/ekspor.{fmt}")), fmt)
    assert "nip" in full[0] and "198503122010011001" in full[1]
    # a CSV carries the value escaped; an XLSX stores it as a string cell, unchanged
    assert ("'=cmd|' /C calc'!A0" if fmt == "csv" else "=cmd|' /C calc'!A0") in full[1]
    client.force_login(cast.charlie)
    r = client.get(_url(cast, f"instrumen/survei_peserta/ekspor.{fmt}"))
    assert r.status_code == 200
    rows = _rows(r, fmt)
    assert "nip_pseudonim" in rows[0]
    assert "198503122010011001" not in r.content.decode("latin-1")


def test_it_keeps_everything_from_bob_and_mallory(client, cast, survey):
    urls = [
        "instrumen/survei_peserta/",
        "instrumen/survei_peserta/ekspor.csv",
        "instrumen/survei_peserta/xlsform/",
        "instrumen/survei_peserta/tautan/",
        "instrumen/survei_peserta/impor/",
        "ekspor/bundel.zip",
        "wawancara/",
        "observasi/",
        "privasi/",
    ]
    for user in (cast.bob, cast.mallory):
        client.force_login(user)
        for tail in urls:
            assert client.get(_url(cast, tail)).status_code == 404, tail


def test_it_gives_the_bundle_zip_to_evaluators_only(client, cast, survey):
    services.start_import(survey, kobo_csv([kobo_row(0)]), "k.csv")
    client.force_login(cast.charlie)
    assert client.get(_url(cast, "ekspor/bundel.zip")).status_code == 403
    client.force_login(cast.alice)
    r = client.get(_url(cast, "ekspor/bundel.zip"))
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "evaluasi.yaml" in names and "data/survei_peserta.csv" in names


def test_it_uploads_a_transcript(client, cast):
    client.force_login(cast.alice)
    r = client.post(
        _url(cast, "wawancara/"),
        {
            "file": _upload("w1.txt", b"P: Apa manfaatnya?\r\nN: Sonde ada waktu."),
            "role": "pejabat",
            "instansi": "Dinas Kesehatan",
            "sector": "kesehatan",
            "date": "2025-05-02",
        },
    )
    assert r.status_code == 302
    interview = cast.evaluation_a.interviews.get()
    assert interview.transcript.endswith("Sonde ada waktu.") and interview.role == "pejabat"


def test_it_reads_a_docx_transcript(client, cast):
    import docx

    document = docx.Document()
    document.add_paragraph("P: Bagaimana pelatihannya?")
    document.add_paragraph("N: Bermanfaat.")
    buffer = io.BytesIO()
    document.save(buffer)
    client.force_login(cast.alice)
    r = client.post(_url(cast, "wawancara/"), {"file": _upload("w2.docx", buffer.getvalue())})
    assert r.status_code == 302
    assert "Bermanfaat." in cast.evaluation_a.interviews.get().transcript


def test_it_refuses_transcripts_from_the_leader(client, cast):
    client.force_login(cast.charlie)
    r = client.post(_url(cast, "wawancara/"), {"file": _upload("w.txt", b"x")})
    assert r.status_code == 403
    assert not cast.evaluation_a.interviews.exists()


def test_it_lets_the_evaluator_enter_an_observation(client, cast):
    services.add_standard_instruments(cast.evaluation_a, ["observasi"])
    instrument = Instrument.objects.get(form_id="observasi")
    form = instrument.form()
    client.force_login(cast.alice)
    assert client.get(_url(cast, "observasi/isi/observasi/")).status_code == 200
    answers = {}
    for q in form.data_questions():
        if q.type == "select_one":
            answers[q.name] = form.choice_names(q)[0]
        elif q.type == "decimal":
            answers[q.name] = "5"
        elif q.type == "date":
            answers[q.name] = "2025-04-01"
        elif q.type == "text":
            answers[q.name] = "catatan"
    r = client.post(
        _url(cast, "observasi/kirim/observasi/"),
        {"instance_id": "0b9f6c1e-9d1d-4c56-9b8a-3f1f4ad0a001", "answers": answers},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert instrument.submissions.count() == 1
    assert client.get(_url(cast, "observasi/")).status_code == 200


def test_it_keeps_kobo_header_order_for_the_import(cast, survey):
    assert KOBO_HEADER[0] == "nip"


def test_it_refuses_xml_entities(client, cast, survey):
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
                    b"</sheetData></worksheet>"
                )
            out.writestr(item, data)
    client.force_login(cast.alice)
    r = client.post(
        _url(cast, "instrumen/survei_peserta/impor/"),
        {"file": _upload("entities.xlsx", evil.getvalue())},
    )
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "done" and batch.rows_read == 0
    assert "XLSX" in batch.problems[0]["id"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_the_other_text_of_an_or_other_select(client, cast, fmt):
    from tests.conftest import require
    from tests.core.realworld import KOBO

    folder = KOBO / "or_other"
    require(folder.is_dir(), "../shared/realworld")
    instrument, _ = services.add_instrument(
        cast.evaluation_a, (folder / "or_other.xlsx").read_bytes(), "or_other.xlsx"
    )
    services.start_import(instrument, (folder / "or_other-xml.csv").read_bytes(), "k.csv")
    client.force_login(cast.alice)
    rows = _rows(client.get(_url(cast, f"instrumen/{instrument.form_id}/ekspor.{fmt}")), fmt)
    header, first = rows[0], dict(zip(rows[0], rows[1]))
    assert header[:2] == ["fav_emperor", "fav_emperor_other"]
    assert first["fav_emperor"] == "other" and first["fav_emperor_other"] == "Nero"


def test_it_shows_each_bad_cell_with_its_question_widget_and_rule(client, cast, survey):
    rows = [kobo_row(0, instansi="dinsos", tanggal="kemarin", umur="12")]
    services.start_import(survey, kobo_csv(rows), "kobo.csv")
    row = QuarantinedRow.objects.get()
    client.force_login(cast.alice)
    page = client.get(_url(cast, f"karantina/{row.pk}/")).content.decode()
    # the question's label beside the column, the choices as a list, the old value kept
    assert "Instansi <span" in page and "«dinsos» (bukan pilihan)" in page
    assert '<option value="dukcapil">Dinas Dukcapil</option>' in page
    # a date as a date, with what the file said
    assert 'type="date"' in page and "Tertulis di berkas: «kemarin»" in page
    # the rule each broke, beside it
    assert "bukan salah satu pilihan" in page
    fixed = {f"v:{c}": v for c, v in row.raw.items()}
    fixed |= {"v:instansi": "dukcapil", "v:tanggal": "2025-03-14", "v:umur": "40"}
    assert client.post(_url(cast, f"karantina/{row.pk}/"), fixed).status_code == 302
    stored = Submission.objects.get().answers
    assert (stored["instansi"], stored["tanggal"], stored["umur"]) == ("dukcapil", "2025-03-14", 40)


def test_a_reimport_adds_up_with_rows_fixed_and_discarded_before(client, cast, survey):
    rows = [kobo_row(0), kobo_row(1, umur="x"), kobo_row(2, umur="y"), kobo_row(3, umur="z")]
    first = services.start_import(survey, kobo_csv(rows), "kobo.csv")
    assert (first.rows_read, first.stored, first.quarantined, first.fixed_earlier) == (4, 1, 3, 0)
    held = list(QuarantinedRow.objects.order_by("row"))
    client.force_login(cast.alice)
    fixed = {f"v:{c}": v for c, v in held[0].raw.items()} | {"v:umur": "40"}
    client.post(_url(cast, f"karantina/{held[0].pk}/"), fixed)
    client.post(_url(cast, f"karantina/{held[1].pk}/"), {"discard": "1"})
    again = services.start_import(survey, kobo_csv(rows), "kobo.csv")
    counts = (again.rows_read, again.stored, again.already_stored, again.quarantined)
    assert counts == (4, 0, 1, 1) and again.fixed_earlier == 2
    total = again.stored + again.already_stored + again.quarantined + again.fixed_earlier
    assert total == again.rows_read
    page = client.get(_url(cast, f"impor/{again.pk}/")).content.decode()
    assert "sudah diperbaiki atau dibuang sebelumnya" in page


def test_the_instrument_page_names_question_types_and_rules_in_words(client, cast, survey):
    client.force_login(cast.alice)
    page = client.get(_url(cast, "instrumen/survei_peserta/")).content.decode()
    assert "Pilih satu" in page and "Bilangan bulat" in page
    assert 'syarat <code title=". &gt;= 18">jawaban ≥ 18</code>' in page


def test_it_writes_xlsform_expressions_with_labels_and_words():
    from tilik.core.labels import expression_words

    names = {"persetujuan": "Bersedia?"}
    assert (
        expression_words("${persetujuan} = 'ya' and ${umur} != 3", names)
        == "«Bersedia?» = 'ya' dan «umur» ≠ 3"
    )
    assert expression_words("string-length(.) > 3", {}, "en") == "string-length(the answer) > 3"
    assert expression_words("${a}.b or '.' = .5", {}) == "«a».b atau '.' = .5"
