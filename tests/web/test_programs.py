"""Programs and their angkatan changed in the browser after an evaluation is created, and the
standard instruments' choice lists that follow them."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tilik.web.collection import services
from tilik.web.evaluations.models import Cohort, Employee, Enrolment, Program

pytestmark = pytest.mark.django_db
NIP = "198503122010011001"


def _form(**changes):
    data = {
        "name": "Pelayanan Prima",
        "kind": "pelatihan teknis",
        "jp": "30",
        "start": "2025-03-10",
        "end": "2025-03-14",
        "budget": "150000000",
        "participants_planned": "180",
        "angkatan-TOTAL_FORMS": "1",
        "angkatan-INITIAL_FORMS": "0",
        "angkatan-0-name": "1",
        "angkatan-0-start": "2025-03-10",
        "angkatan-0-end": "2025-03-12",
    }
    data.update(changes)
    return data


def _add(client, cast, **changes):
    return client.post(
        reverse("evaluations:program_add", args=[cast.evaluation_a.pk]), _form(**changes)
    )


def test_it_adds_a_program_with_its_angkatan(client, cast):
    client.force_login(cast.alice)
    assert (
        client.get(reverse("evaluations:program_add", args=[cast.evaluation_a.pk])).status_code
        == 200
    )
    response = _add(client, cast)
    assert response.status_code == 302
    program = cast.evaluation_a.programs.get()
    assert (program.jp, program.budget, program.participants_planned) == (30, 150000000, 180)
    assert program.code == "pelayanan_prima"
    assert list(program.cohorts.values_list("name", flat=True)) == ["1"]
    detail = client.get(reverse("evaluations:detail", args=[cast.evaluation_a.pk]))
    assert "Pelayanan Prima" in detail.content.decode()


def test_it_refuses_bad_program_details_with_messages_beside_the_fields(client, cast):
    client.force_login(cast.alice)
    Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan Prima")
    response = _add(client, cast, jp="-2", end="2025-03-01", **{"angkatan-0-end": "2025-03-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "sudah punya program dengan nama itu" in page
    assert "JP harus lebih dari 0." in page and "Tanggal selesai sebelum tanggal mulai." in page
    assert 'aria-describedby="id_jp_helptext id_jp_errors"' in page and 'id="id_jp_errors"' in page
    assert cast.evaluation_a.programs.count() == 1


def test_it_renames_a_program_keeping_its_code_and_renews_the_instruments(client, cast):
    client.force_login(cast.alice)
    _add(client, cast)
    (survey,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    versions = survey.versions.count()
    program = cast.evaluation_a.programs.get()
    url = reverse("evaluations:program", args=[cast.evaluation_a.pk, program.pk])
    cohort = program.cohorts.get()
    data = _form(
        name="Pelayanan Prima Terpadu",
        **{
            "angkatan-TOTAL_FORMS": "2",
            "angkatan-INITIAL_FORMS": "1",
            "angkatan-0-id": str(cohort.pk),
            "angkatan-0-program": str(program.pk),
            "angkatan-1-name": "2",
        },
    )
    response = client.post(url, data, follow=True)
    assert "1 instrumen standar mendapat versi formulir baru" in response.content.decode()
    program.refresh_from_db()
    assert program.name == "Pelayanan Prima Terpadu" and program.code == "pelayanan_prima"
    assert sorted(program.cohorts.values_list("name", flat=True)) == ["1", "2"]
    survey.refresh_from_db()
    assert survey.versions.count() == versions + 1
    form = survey.form()
    choices = {c.name: c.label for c in form.choices["program"]}
    assert choices == {"pelayanan_prima": "Pelayanan Prima Terpadu", "lainnya": "Lainnya"}
    assert "+" in form.settings["version"]  # a new version for KoboToolbox and ODK too


def test_it_removes_a_program_after_saying_what_goes_with_it(client, cast):
    client.force_login(cast.alice)
    _add(client, cast)
    program = cast.evaluation_a.programs.get()
    employee = Employee.objects.create(organisation=cast.agency_a, nip=NIP, name="Simon")
    Enrolment.objects.create(cohort=program.cohorts.get(), employee=employee)
    url = reverse("evaluations:program_delete", args=[cast.evaluation_a.pk, program.pk])
    page = client.get(url).content.decode()
    assert "1 angkatan" in page and "1 pendaftaran peserta" in page
    assert client.post(url).status_code == 302
    assert not Program.objects.exists() and not Cohort.objects.exists()
    assert Employee.objects.filter(nip=NIP).exists()  # the person stays


def test_it_refuses_to_remove_a_program_that_responses_name(client, cast):
    client.force_login(cast.alice)
    _add(client, cast)
    (survey,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    program = cast.evaluation_a.programs.get()
    services.submit(survey, str(uuid.uuid4()), {"program": program.code, "persetujuan": "ya"})
    url = reverse("evaluations:program_delete", args=[cast.evaluation_a.pk, program.pk])
    response = client.post(url)
    assert response.status_code == 409
    assert "1 respons menyebut program ini" in response.content.decode()
    assert Program.objects.filter(pk=program.pk).exists()


def test_it_keeps_programs_to_the_evaluations_evaluators(client, cast):
    program = Program.objects.create(evaluation=cast.evaluation_a, name="Prima")
    edit = reverse("evaluations:program", args=[cast.evaluation_a.pk, program.pk])
    delete = reverse("evaluations:program_delete", args=[cast.evaluation_a.pk, program.pk])
    client.force_login(cast.charlie)  # the leader reads the evaluation, does not change it
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403
    for outsider in (cast.bob, cast.mallory):
        client.force_login(outsider)
        assert client.get(edit).status_code == 404
        assert client.post(delete).status_code == 404
    assert Program.objects.filter(pk=program.pk).exists()


def test_it_picks_the_only_organisation_of_the_user(client, cast):
    client.force_login(cast.alice)
    page = client.get("/evaluasi/baru/").content.decode()
    assert f'<option value="{cast.agency_a.pk}" selected>' in page


def test_it_adds_a_standard_instrument_later_with_the_evaluations_lists(client, cast):
    client.force_login(cast.alice)
    _add(client, cast)
    url = reverse("collection:instrument_add", args=[cast.evaluation_a.pk])
    assert "Survei atasan" in client.get(url).content.decode()
    response = client.post(url, {"instruments": ["survei_atasan", "tes_pengetahuan"]})
    assert response.status_code == 302
    ids = set(cast.evaluation_a.instruments.values_list("form_id", flat=True))
    assert ids == {"survei_atasan", "pretest", "posttest"}
    form = cast.evaluation_a.instruments.get(form_id="pretest").form()
    assert [c.label for c in form.choices["program"]] == ["Pelayanan Prima", "Lainnya"]
    # those it has are no longer offered
    page = client.get(url).content.decode()
    assert 'name="instruments" value="survei_atasan"' not in page
    assert 'name="instruments" value="survei_peserta"' in page


def test_it_refuses_to_remove_a_bundles_program_whose_responses_use_the_forms_choice_name(
    client, cast
):
    """The demo's programs are names in evaluasi.yaml; its instruments answer them with their
    own choice names (``manajemen_faskes``): removal must see those responses (it once did not,
    and removing the program shrank the participant list under the responses)."""
    from pathlib import Path

    from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db

    demo = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"
    evaluation = import_bundle(read_bundle_for_db(demo), organisation=cast.agency_a).evaluation
    evaluation.members.create(user=cast.alice, role="evaluator")
    program = evaluation.programs.get(name="Pelatihan Manajemen Rumah Sakit dan Puskesmas")
    assert program.code == "manajemen_faskes"  # the instruments' choice name
    assert program.answers_naming()
    client.force_login(cast.alice)
    url = reverse("evaluations:program_delete", args=[evaluation.pk, program.pk])
    assert "menyebut program ini" in client.get(url).content.decode()
    assert client.post(url).status_code == 409
    assert Program.objects.filter(pk=program.pk).exists()


def test_a_program_added_in_the_browser_is_found_under_an_uploaded_forms_own_choice_name(cast):
    from types import SimpleNamespace

    program = Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan  Prima.")
    choice = SimpleNamespace(name="prima", label="pelayanan prima", labels={"en": "Service"})
    other = SimpleNamespace(name="arsip", label="Kearsipan", labels={})
    question = SimpleNamespace(name="program", list_name="program")
    form = SimpleNamespace(questions=[question], choices={"program": [choice, other]})
    instrument = SimpleNamespace(form=lambda: form)

    class Instruments:
        def exclude(self, **_):
            return self

        def select_related(self, *_):
            return [instrument]

    from unittest import mock

    with mock.patch(
        "tilik.web.collection.models.Instrument.objects.filter", return_value=Instruments()
    ):
        assert program.answer_codes() == {program.code, "prima"}


def test_adding_changing_and_removing_a_program_is_in_the_audit_trail(client, cast):
    from tilik.web.audit.models import Action, AuditEvent

    client.force_login(cast.alice)
    _add(client, cast)
    program = cast.evaluation_a.programs.get()
    edit = reverse("evaluations:program", args=[cast.evaluation_a.pk, program.pk])
    cohort = program.cohorts.get()
    client.post(
        edit,
        _form(
            jp="32",
            **{
                "angkatan-INITIAL_FORMS": "1",
                "angkatan-0-id": str(cohort.pk),
                "angkatan-0-program": str(program.pk),
            },
        ),
    )
    client.post(reverse("evaluations:program_delete", args=[cast.evaluation_a.pk, program.pk]))
    events = AuditEvent.objects.filter(evaluation=cast.evaluation_a).order_by("pk")
    actions = [e.action for e in events if e.action.startswith("program_")]
    assert actions == [Action.PROGRAM_ADDED, Action.PROGRAM_CHANGED, Action.PROGRAM_REMOVED]
    changed = events.get(action=Action.PROGRAM_CHANGED)
    assert changed.target == f"program:{program.pk}" and "jp" in changed.detail["fields"]
