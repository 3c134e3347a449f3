"""Repeat groups in the respondent web form: flat keys, instances, and the no-JS buttons."""

from __future__ import annotations

import io
import json
import re
import uuid

import openpyxl
import pytest

from tilik.web.collection import services, webform
from tilik.web.collection.models import RespondentLink, Submission

pytestmark = pytest.mark.django_db

COLUMNS = [
    "type",
    "name",
    "label",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
    "calculation",
    "repeat_count",
]
# An office reports its activities (kegiatan), each with its sessions (sesi).
SURVEY = [
    ["text", "nama_unit", "Nama unit", "yes"],
    ["begin_repeat", "kegiatan", "Kegiatan"],
    ["text", "judul", "Judul kegiatan", "yes"],
    ["integer", "peserta", "Jumlah peserta", "yes", "", ". >= 1", "Minimal 1 peserta"],
    ["select_one ya_tidak", "daring", "Dilaksanakan daring?"],
    ["text", "platform", "Platform daring", "yes", "${daring} = 'ya'"],
    ["select_one jenis", "jenis", "Jenis kegiatan"],
    ["select_one materi", "materi", "Materi", "", "", "", "", "jenis = ${jenis}"],
    ["calculate", "peserta_x2", "", "", "", "", "", "", "${peserta} * 2"],
    ["begin_repeat", "sesi", "Sesi"],
    ["integer", "jam", "Jam pelajaran", "yes", "", ". <= 8"],
    ["end_repeat", "sesi"],
    ["end_repeat", "kegiatan"],
    ["calculate", "total_peserta", "", "", "", "", "", "", "sum(${peserta})"],
    ["text", "catatan", "Catatan untuk lebih dari satu kegiatan", "", "count(${kegiatan}) >= 2"],
]
# repeat_count from an answer: as many activities as the respondent says
COUNTED = [
    ["integer", "n", "Berapa kegiatan?", "yes"],
    ["begin_repeat", "kegiatan", "Kegiatan", "", "", "", "", "", "", "${n}"],
    ["text", "judul", "Judul", "yes"],
    ["end_repeat", "kegiatan"],
]
CHOICES = [
    ["list_name", "name", "label", "jenis"],
    ["ya_tidak", "ya", "Ya", ""],
    ["ya_tidak", "tidak", "Tidak", ""],
    ["jenis", "kelas", "Kelas", ""],
    ["jenis", "coaching", "Coaching", ""],
    ["materi", "etika", "Etika pelayanan", "kelas"],
    ["materi", "data", "Pengolahan data", "kelas"],
    ["materi", "karier", "Rencana karier", "coaching"],
]


def xlsform(survey=SURVEY, form_id="laporan_kegiatan") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(COLUMNS)
    for row in survey:
        sheet.append([v or None for v in row])
    choices = workbook.create_sheet("choices")
    for row in CHOICES:
        choices.append([v or None for v in row])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title"])
    settings.append([form_id, "Laporan Kegiatan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def instrument(cast):
    instrument, problems = services.add_instrument(
        cast.evaluation_a, xlsform(), "laporan_kegiatan.xlsx"
    )
    assert instrument is not None, problems
    return instrument


def good(**extra):
    data = {
        "nama_unit": "Puskesmas Oesapa",
        "_count:kegiatan": "2",
        "kegiatan[1]/judul": "Kelas layanan prima",
        "kegiatan[1]/peserta": "12",
        "kegiatan[1]/daring": "tidak",
        "kegiatan[1]/jenis": "kelas",
        "kegiatan[1]/materi": "etika",
        "_count:kegiatan[1]/sesi": "2",
        "kegiatan[1]/sesi[1]/jam": "2",
        "kegiatan[1]/sesi[2]/jam": "3",
        "kegiatan[2]/judul": "Coaching",
        "kegiatan[2]/peserta": "4",
        "kegiatan[2]/daring": "ya",
        "kegiatan[2]/platform": "Zoom",
        "_count:kegiatan[2]/sesi": "1",
        "kegiatan[2]/sesi[1]/jam": "1",
        "catatan": "Dua kegiatan",
    }
    data.update(extra)
    return data


def send(client, token, answers, instance_id=None, lang="id"):
    payload = {"instance_id": instance_id or str(uuid.uuid4()), "answers": answers, "lang": lang}
    return client.post(f"/f/{token}/kirim/", json.dumps(payload), content_type="application/json")


# Server validation ----------------------------------------------------------------------


def test_it_nests_valid_answers_and_calculates(instrument):
    answers, errors = webform.validate_answers(instrument.form(), good(), "id")
    assert errors == {}
    first, second = answers["kegiatan"]
    assert first["peserta"] == 12 and first["peserta_x2"] == 24
    assert [s["jam"] for s in first["sesi"]] == [2, 3]
    assert second["platform"] == "Zoom" and second["sesi"] == [{"jam": 1}]
    assert answers["total_peserta"] == "16"  # as ODK stores a calculation: text
    assert answers["catatan"] == "Dua kegiatan"  # count(${kegiatan}) >= 2


def test_it_keys_errors_inside_instances_by_flat_key(instrument):
    data = good(**{"kegiatan[2]/peserta": "0", "kegiatan[1]/sesi[2]/jam": "9"})
    del data["kegiatan[1]/judul"]
    _, errors = webform.validate_answers(instrument.form(), data, "id")
    assert errors == {
        "kegiatan[1]/judul": "Pertanyaan ini wajib dijawab.",
        "kegiatan[2]/peserta": "Minimal 1 peserta",
        "kegiatan[1]/sesi[2]/jam": "Jawaban tidak memenuhi syarat.",
    }


def test_it_speaks_english_inside_instances(instrument):
    data = good(**{"kegiatan[1]/peserta": "dua belas"})
    del data["kegiatan[2]/judul"]
    _, errors = webform.validate_answers(instrument.form(), data, "en")
    assert errors["kegiatan[2]/judul"] == "This question needs an answer."
    assert "whole number" in errors["kegiatan[1]/peserta"]


def test_it_decides_relevance_from_the_same_instance(instrument):
    # platform is required only where that instance's daring is "ya"
    data = good(**{"kegiatan[1]/platform": "Meet"})
    del data["kegiatan[2]/platform"]
    answers, errors = webform.validate_answers(instrument.form(), data, "id")
    assert errors == {"kegiatan[2]/platform": "Pertanyaan ini wajib dijawab."}
    answers, errors = webform.validate_answers(instrument.form(), good(), "id")
    assert "platform" not in answers["kegiatan"][0]


def test_it_evaluates_top_level_relevance_across_instances(instrument):
    data = good(**{"_count:kegiatan": "1"})
    data = {k: v for k, v in data.items() if not k.startswith("kegiatan[2]")}
    del data["_count:kegiatan[2]/sesi"]
    answers, errors = webform.validate_answers(instrument.form(), data, "id")
    assert errors == {}
    assert len(answers["kegiatan"]) == 1 and "catatan" not in answers
    assert answers["total_peserta"] == "12"


def test_it_filters_choices_with_the_instance_s_own_answers(instrument):
    data = good(**{"kegiatan[2]/jenis": "coaching", "kegiatan[2]/materi": "etika"})
    _, errors = webform.validate_answers(instrument.form(), data, "id")
    assert errors == {"kegiatan[2]/materi": "Pilihan ini tidak tersedia."}
    data["kegiatan[2]/materi"] = "karier"
    assert webform.validate_answers(instrument.form(), data, "id")[1] == {}


def test_it_counts_blank_instances_the_page_showed(instrument):
    data = good(**{"_count:kegiatan": "3", "_count:kegiatan[3]/sesi": "1"})
    _, errors = webform.validate_answers(instrument.form(), data, "id")
    assert set(errors) == {"kegiatan[3]/judul", "kegiatan[3]/peserta", "kegiatan[3]/sesi[1]/jam"}


def test_it_keeps_the_instances_a_repeat_count_fixes(cast):
    instrument, _ = services.add_instrument(
        cast.evaluation_a, xlsform(COUNTED, "tetap"), "tetap.xlsx"
    )
    data = {"n": "2", "_count:kegiatan": "5", "kegiatan[1]/judul": "A", "kegiatan[2]/judul": "B"}
    answers, errors = webform.validate_answers(instrument.form(), data, "id")
    assert errors == {} and [k["judul"] for k in answers["kegiatan"]] == ["A", "B"]
    items = webform.form_items(instrument.form(), "id", {"n": ["3"]})
    shown = [i.prefix for i in items if i.kind == "instance" and not i.pristine]
    assert shown == ["kegiatan[1]", "kegiatan[2]", "kegiatan[3]"]
    assert not any(i.kind == "repeat_end" and not i.fixed for i in items)


# The page -------------------------------------------------------------------------------


def test_it_renders_each_instance_with_flat_names(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    page = client.get(f"/f/{token}/").content.decode()
    assert 'name="_count:kegiatan" value="1"' in page
    assert 'name="_count:kegiatan[1]/sesi" value="1"' in page
    assert 'id="f-kegiatan:1:judul" name="kegiatan[1]/judul"' in page
    assert 'name="kegiatan[1]/sesi[1]/jam"' in page
    assert 'for="f-kegiatan:1:sesi:1:jam"' in page
    assert 'name="_add" value="kegiatan"' in page and 'name="_remove" value="kegiatan[1]"' in page
    assert "Tambah Kegiatan" in page and "<template" in page


def test_it_adds_and_removes_instances_without_javascript(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    data = {**good(), "_instance_id": str(uuid.uuid4()), "_add": "kegiatan"}
    r = client.post(f"/f/{token}/", data)
    assert r.status_code == 200 and Submission.objects.count() == 0
    page = r.content.decode()
    assert 'name="_count:kegiatan" value="3"' in page
    assert 'value="Coaching"' in page and 'field-error" id="err-kegiatan:3:judul"></p>' in page
    assert re.search(r'id="f-kegiatan:3:judul"[^>]*autofocus', page)
    data = {**good(), "_instance_id": str(uuid.uuid4()), "_remove": "kegiatan[1]"}
    page = client.post(f"/f/{token}/", data).content.decode()
    assert 'name="_count:kegiatan" value="1"' in page
    assert 'name="kegiatan[1]/judul" type="text" value="Coaching"' in page
    assert 'name="_count:kegiatan[1]/sesi" value="1"' in page
    assert "Kelas layanan prima" not in page and Submission.objects.count() == 0


def test_it_adds_a_nested_instance_without_javascript(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    data = {**good(), "_add": "kegiatan[2]/sesi"}
    page = client.post(f"/f/{token}/", data).content.decode()
    assert 'name="_count:kegiatan[2]/sesi" value="2"' in page
    assert 'name="kegiatan[2]/sesi[2]/jam"' in page


def test_it_shows_errors_by_flat_key_and_stores_after_the_fix(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    instance_id = str(uuid.uuid4())
    data = {**good(**{"kegiatan[2]/peserta": "0"}), "_instance_id": instance_id}
    r = client.post(f"/f/{token}/", data)
    assert r.status_code == 400
    page = r.content.decode()
    assert 'href="#f-kegiatan:2:peserta">Kegiatan 2 › Jumlah peserta: Minimal 1 peserta' in page
    assert 'id="err-kegiatan:2:peserta">Minimal 1 peserta' in page
    r = client.post(f"/f/{token}/", {**good(), "_instance_id": instance_id})
    assert r.status_code == 200 and "Terima kasih" in r.content.decode()
    assert len(Submission.objects.get().answers["kegiatan"]) == 2


def test_it_stores_json_with_nested_instances_once(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    instance_id = str(uuid.uuid4())
    r = send(client, token, good(), instance_id)
    assert r.status_code == 201, r.content
    answers = Submission.objects.get().answers
    assert [k["judul"] for k in answers["kegiatan"]] == ["Kelas layanan prima", "Coaching"]
    assert answers["kegiatan"][0]["sesi"] == [{"jam": 2}, {"jam": 3}]
    r = send(client, token, good(), instance_id)
    assert r.status_code == 200 and r.json()["status"] == "already"
    assert Submission.objects.count() == 1


def test_it_answers_json_errors_by_flat_key(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    r = send(client, token, good(**{"kegiatan[1]/sesi[1]/jam": "12"}), lang="en")
    assert r.status_code == 400
    assert r.json()["errors"] == {
        "kegiatan[1]/sesi[1]/jam": "The answer does not meet the form's rule."
    }
    assert Submission.objects.count() == 0


def test_it_lets_an_evaluator_enter_an_observation_with_repeats(client, cast, instrument):
    url = f"/evaluasi/{cast.evaluation_a.pk}/observasi/isi/laporan_kegiatan/"
    submit_url = f"/evaluasi/{cast.evaluation_a.pk}/observasi/kirim/laporan_kegiatan/"
    client.force_login(cast.alice)
    page = client.get(url).content.decode()
    assert 'name="kegiatan[1]/judul"' in page and "Pemberitahuan privasi" not in page
    r = client.post(url, {**good(), "_add": "kegiatan"})
    assert 'name="_count:kegiatan" value="3"' in r.content.decode()
    r = client.post(
        submit_url,
        json.dumps({"instance_id": str(uuid.uuid4()), "answers": good()}),
        content_type="application/json",
    )
    assert r.status_code == 201
    assert len(Submission.objects.get().answers["kegiatan"]) == 2
    instrument.kind = "observasi"
    instrument.save(update_fields=["kind"])
    listed = client.get(f"/evaluasi/{cast.evaluation_a.pk}/observasi/").content.decode()
    assert "Kegiatan 2 › Platform daring" in listed and "Zoom" in listed
    assert "Kegiatan 1 › Sesi 2 › Jam pelajaran" in listed


def test_it_names_the_repeat_buttons_in_english(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    page = client.get(f"/f/{token}/?lang=en").content.decode()
    assert "Add Kegiatan" in page and "Remove Kegiatan" in page
    assert "{label} added." in page  # the phrase the page announces, filled in by form.js


def test_it_refuses_more_instances_than_a_page_can_hold(instrument):
    form = instrument.form()
    data = {"nama_unit": "X", **{f"kegiatan[{i}]/judul": "a" for i in range(1, 502)}}
    answers, errors = webform.validate_answers(form, data, "id")
    assert answers == {} and list(errors) == ["kegiatan"]
    assert "paling banyak 500" in errors["kegiatan"]
