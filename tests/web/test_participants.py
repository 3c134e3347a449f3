"""Participant lists imported in the browser: a background job, stored once, the rest held
with their reasons until fixed; the instruments' agency lists follow."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tilik.web.accounts.models import Organisation
from tilik.web.collection import services
from tilik.web.evaluations.models import (
    Employee,
    Enrolment,
    HeldParticipant,
    ParticipantImport,
    Program,
)

pytestmark = pytest.mark.django_db
NIP_A = "198607152015011351"
NIP_B = "199001012019032004"
HEADER = "NIP;Nama;Instansi;Unit Kerja;Jabatan;Golongan;Program;Angkatan"
ROWS = [
    f"{NIP_A};Simon Kase;Dinas Kesehatan;Puskesmas Oesapa;Perawat Terampil;III/b;Prima;1",
    f"{NIP_B};Ani Bani;Disdukcapil;;Pengadministrasi;II/c;Prima;1",
    "19860715201501135;Budi;Disdukcapil;;Operator;II/a;Prima;1",
]


def _list(rows=ROWS) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(client, cast, data, name="peserta.csv", **fields):
    url = reverse("evaluations:participant_import", args=[cast.evaluation_a.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data), **fields})


@pytest.fixture
def prima(cast):
    return Program.objects.create(
        evaluation=cast.evaluation_a, name="Pelayanan Prima", code="prima"
    )


def test_it_imports_a_list_and_holds_a_bad_nip_with_its_reason(client, cast, prima):
    client.force_login(cast.alice)
    response = _import(client, cast, _list())
    batch = ParticipantImport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/impor/{batch.pk}/")
    assert (batch.status, batch.rows_read, batch.stored, batch.quarantined) == ("done", 3, 2, 1)
    simon = Employee.objects.get(nip=NIP_A)
    assert (simon.grade, simon.position, simon.organisation.name) == (
        "III/b",
        "Perawat Terampil",
        "Puskesmas Oesapa",
    )
    assert simon.organisation.parent.name == "Dinas Kesehatan"
    assert simon.organisation.parent.parent == cast.agency_a
    assert Enrolment.objects.filter(cohort__program=prima).count() == 2
    page = client.get(response.url).content.decode()
    assert "NIP harus 18 angka" in page and "baris 4" in page
    assert batch.data == b""  # the file is not kept once read


def test_it_stores_nothing_twice_and_the_counts_add_up(client, cast, prima):
    client.force_login(cast.alice)
    _import(client, cast, _list())
    held = HeldParticipant.objects.get()
    url = reverse("evaluations:held_participant", args=[cast.evaluation_a.pk, held.pk])
    fixed = {f"v:{k}": v for k, v in held.raw.items()} | {"v:nip": "198607152015011343"}
    assert client.post(url, fixed).status_code == 302
    held.refresh_from_db()
    assert held.status == "resolved" and Employee.objects.count() == 3
    _import(client, cast, _list(ROWS + [ROWS[0]]))  # again, with a row repeated
    again = ParticipantImport.objects.order_by("-pk").first()
    assert (again.rows_read, again.stored, again.already_stored) == (4, 0, 3)
    assert (again.quarantined, again.fixed_earlier) == (0, 1)
    assert again.rows_read == again.accounted
    assert Enrolment.objects.count() == 3 and HeldParticipant.objects.count() == 1
    page = client.get(
        reverse("evaluations:participant_batch", args=[cast.evaluation_a.pk, again.pk])
    )
    assert "sudah diperbaiki atau dibuang sebelumnya" in page.content.decode()


def test_it_shows_a_held_row_with_each_broken_rule_beside_its_cell(client, cast, prima):
    client.force_login(cast.alice)
    _import(client, cast, _list([f"{NIP_A};Simon;D;U;J;Z9;Tidak Ada;1"]))
    held = HeldParticipant.objects.get()
    url = reverse("evaluations:held_participant", args=[cast.evaluation_a.pk, held.pk])
    page = client.get(url).content.decode()
    assert 'id="r-golongan"' in page and "III/a" in page
    assert 'aria-describedby="r-program"' in page and "Pelayanan Prima" in page
    response = client.post(url, {f"v:{k}": v for k, v in held.raw.items()})
    assert response.status_code == 400 and "masih bermasalah" in response.content.decode()
    fixed = {f"v:{k}": v for k, v in held.raw.items()} | {
        "v:golongan": "III/a",
        "v:program": "Pelayanan Prima",
    }
    assert client.post(url, fixed).status_code == 302
    assert Employee.objects.get(nip=NIP_A).grade == "III/a"


def test_it_gives_the_standard_instruments_the_agencies_of_the_list(client, cast, prima):
    (survey,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    client.force_login(cast.alice)
    _import(client, cast, _list())
    survey.refresh_from_db()
    labels = [c.label for c in survey.form().choices["opd"]]
    assert labels == ["Dinas Kesehatan", "Disdukcapil", "Lainnya"]


def test_it_uses_the_program_chosen_for_rows_without_one(client, cast, prima):
    client.force_login(cast.alice)
    data = f"NIP,Nama\n{NIP_A},Simon Kase\n".encode()
    _import(client, cast, data, program=prima.pk, angkatan="II")
    enrolment = Enrolment.objects.get()
    assert (enrolment.cohort.program, enrolment.cohort.name) == (prima, "II")
    assert enrolment.employee.organisation == cast.agency_a


def test_it_refuses_a_list_without_a_nip_column(client, cast, prima):
    client.force_login(cast.alice)
    _import(client, cast, b"Nomor;Pegawai\n1;A\n")
    batch = ParticipantImport.objects.get()
    assert batch.rows_read == 0 and "NIP" in batch.problems[0]["id"]
    assert "NIP" in batch.problems[0]["en"] and not Employee.objects.exists()


def test_it_keeps_participant_lists_to_the_evaluators(client, cast, prima):
    url = reverse("evaluations:participant_import", args=[cast.evaluation_a.pk])
    client.force_login(cast.charlie)
    assert client.get(url).status_code == 403
    assert _import(client, cast, _list()).status_code == 403
    client.force_login(cast.bob)
    assert _import(client, cast, _list()).status_code == 404
    assert (
        not ParticipantImport.objects.exists()
        and not Organisation.objects.filter(name="Dinas Kesehatan").exists()
    )


def test_it_lists_participants_sectors_by_name(client, cast, prima):
    client.force_login(cast.alice)
    header = HEADER + ";Sektor"
    _import(client, cast, ("\n".join([header, ROWS[0] + ";kesehatan"]) + "\n").encode())
    assert Employee.objects.get(nip=NIP_A).sector == "kesehatan"
    page = client.get(reverse("evaluations:participants", args=[cast.evaluation_a.pk]))
    assert "<td>Kesehatan</td>" in page.content.decode()
