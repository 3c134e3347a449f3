"""The audit trail: recorded, append-only in the database, shown and exported per scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from tilik.web.audit.models import Action, AuditEvent
from tilik.web.audit.services import record

pytestmark = pytest.mark.django_db


def _event(cast) -> AuditEvent:
    return record(None, Action.EXPORT, evaluation=cast.evaluation_a, user=cast.alice, fmt="csv")


def test_the_database_refuses_to_change_an_event(cast):
    event = _event(cast)
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'login' WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).action == Action.EXPORT


def test_the_database_refuses_to_delete_an_event(cast):
    event = _event(cast)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_model_refuses_too(cast):
    event = _event(cast)
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_deleting_a_user_keeps_the_trail(cast):
    event = _event(cast)
    cast.alice.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_username == "alice"


def test_it_keeps_personal_data_out_of_the_details(cast):
    event = record(
        None, Action.IMPORT, evaluation=cast.evaluation_a, file="Maria Seran 198503122010011001.csv"
    )
    assert "Maria" not in str(event.detail) and "198503122010011001" not in str(event.detail)


def test_every_listed_action_is_recorded_with_who_when_and_where(client, cast, survey):
    from django.test import Client

    from tests.builders import kobo_csv, kobo_row
    from tilik.web.collection.models import QuarantinedRow, RespondentLink
    from tilik.web.reports.models import AnalysisRun

    ip = {"REMOTE_ADDR": "203.0.113.5"}
    e = f"/evaluasi/{cast.evaluation_a.pk}"
    Client().post("/akun/masuk/", {"username": "alice", "password": "salah"}, **ip)
    client.post("/akun/masuk/", {"username": "alice", "password": "pw-alice"}, **ip)
    data = kobo_csv([kobo_row(i, umur="x" if i < 2 else "35") for i in range(4)])
    upload = SimpleUploadedFile("k.csv", data)
    client.post(f"{e}/instrumen/survei_peserta/impor/", {"file": upload}, **ip)
    fixed, dropped = QuarantinedRow.objects.order_by("pk")
    client.post(f"{e}/karantina/{fixed.pk}/", {"v:umur": "40"}, **ip)
    client.post(f"{e}/karantina/{dropped.pk}/", {"discard": "1"}, **ip)
    for fmt in ("csv", "xlsx"):
        client.get(f"{e}/instrumen/survei_peserta/ekspor.{fmt}", **ip)
    client.get(f"{e}/ekspor/bundel.zip", **ip)
    client.get(f"{e}/instrumen/survei_peserta/xlsform/", **ip)
    client.post(
        f"{e}/instrumen/survei_peserta/tautan/",
        {"kind": "open", "label": "poster", "count": "1"},
        **ip,
    )
    client.post(f"{e}/tautan/{RespondentLink.objects.get().pk}/cabut/", **ip)
    client.post(f"{e}/instrumen/survei_peserta/pengaturan/", {"anonymous": "on"}, **ip)
    notice = {
        "collector": "Tim A",
        "purpose": "Evaluasi",
        "contact": "tim",
        "retention_months": "6",
    }
    client.post(f"{e}/privasi/", notice, **ip)
    client.post(f"{e}/hasil/jalankan/", {"lang": "id"}, **ip)
    run = AnalysisRun.objects.get()
    client.get(f"{e}/hasil/{run.pk}/berkas/laporan.pdf?unduh=1", **ip)
    client.post(f"{e}/rekomendasi/ubah/baru", {"baru-text_id": "Jadwal fleksibel."}, **ip)
    client.post(f"{e}/rekomendasi/tindak-lanjut/manual:1", {"status": "proses"}, **ip)
    client.post(f"{e}/publikasi/", {"action": "publish", "lang": "id"}, **ip)
    client.post(f"{e}/publikasi/", {"action": "withdraw"}, **ip)
    client.post(f"{e}/tim/", {"action": "add", "user": cast.diana.pk, "role": "viewer"}, **ip)
    member = cast.evaluation_a.members.get(user=cast.diana)
    client.post(f"{e}/tim/", {"action": "role", "member": member.pk, "role": "leader"}, **ip)
    client.post(f"{e}/tim/", {"action": "remove", "member": member.pk}, **ip)
    client.post("/akun/keluar/", **ip)
    recorded = set(AuditEvent.objects.values_list("action", flat=True))
    listed = {
        "login", "login_failed", "logout", "import", "export", "bundle_downloaded",
        "report_downloaded", "xlsform_downloaded", "quarantine_fixed", "quarantine_discarded",
        "links_created", "link_revoked", "privacy_changed", "anonymity_changed",
        "retention_changed", "analysis_started", "recommendation_edited", "follow_up_edited",
        "published", "unpublished", "member_added", "member_role_changed", "member_removed",
    }  # fmt: skip
    assert sorted(listed - recorded) == []
    events = AuditEvent.objects.exclude(action="login_failed")
    assert all(ev.ip == "203.0.113.5" and ev.actor == cast.alice for ev in events)
    assert all(ev.at.tzinfo is not None and ev.at.utcoffset() == timedelta(0) for ev in events)


def test_the_trail_is_shown_to_evaluators_and_administrators_and_exported_safely(client, cast):
    record(
        None, Action.EXPORT, evaluation=cast.evaluation_a, user=cast.alice, target="=HYPERLINK(1)"
    )
    record(None, Action.LOGIN, user=cast.charlie)
    client.force_login(cast.alice)
    page = client.get(f"/evaluasi/{cast.evaluation_a.pk}/jejak/").content.decode()
    assert "Respons diekspor" in page
    csv = client.get(f"/evaluasi/{cast.evaluation_a.pk}/jejak.csv").content.decode("utf-8-sig")
    assert ",'=HYPERLINK(1)," in csv and ",=HYPERLINK" not in csv
    assert csv.splitlines()[0].startswith("waktu_utc,tindakan,pengguna,alamat_ip")
    client.force_login(cast.diana)
    org = client.get(f"/akun/instansi/{cast.agency_a.pk}/jejak/").content.decode()
    assert "Respons diekspor" in org and "charlie" in org  # evaluations and sign-ins
    assert AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_empties_the_trail_too(cast):
    # the test runner flushes after this test: the guard lets `flush` through, nothing else
    _event(cast)
    with pytest.raises(DatabaseError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_changes_to_the_trail(cast):
    event = _event(cast)
    table = AuditEvent._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'x'",
        f"DELETE FROM {table}",
        f"TRUNCATE {table}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).action == Action.EXPORT


def test_the_trail_shows_times_in_utc_as_its_heading_says(client, cast):
    from datetime import UTC

    record(None, Action.EXPORT, evaluation=cast.evaluation_a, user=cast.alice)
    event = AuditEvent.objects.latest("pk")
    client.force_login(cast.alice)
    page = client.get(f"/evaluasi/{cast.evaluation_a.pk}/jejak/").content.decode()
    assert "Waktu (UTC)" in page
    assert event.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") in page


def test_the_trail_page_says_targets_and_details_in_words(client, cast):
    record(
        None,
        Action.IMPORT,
        evaluation=cast.evaluation_a,
        user=cast.alice,
        target="import:15",
        cli=True,
        stored=1522,
        columns=["identitas/nip", "reaksi/materi"],
    )
    client.force_login(cast.alice)
    page = client.get(f"/evaluasi/{cast.evaluation_a.pk}/jejak/").content.decode()
    assert "Impor #15" in page and "import:15" not in page
    assert "lewat perintah tilik: ya" in page and "disimpan: 1522" in page
    assert "kolom: identitas/nip, reaksi/materi" in page and "cli=True" not in page
    csv = client.get(f"/evaluasi/{cast.evaluation_a.pk}/jejak.csv").content.decode("utf-8-sig")
    assert "import:15" in csv and "stored=1522" in csv  # the export keeps the keys


def test_the_trail_filter_groups_every_action_by_kind_once(client, cast):
    from tilik.web.audit.models import ACTION_GROUPS

    grouped = [action for _label, actions in ACTION_GROUPS for action in actions]
    assert sorted(grouped) == sorted(Action) and len(grouped) == len(set(grouped))
    client.force_login(cast.alice)
    page = client.get(f"/evaluasi/{cast.evaluation_a.pk}/jejak/?tindakan=login").content.decode()
    assert page.count("<optgroup") == len(ACTION_GROUPS) == 5
    assert '<optgroup label="Data pribadi (UU 27/2022)">' in page
    assert '<option value="login" selected>Masuk</option>' in page
