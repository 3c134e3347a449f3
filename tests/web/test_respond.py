"""Respondent links: no account, the token is the key; every submission stored exactly once."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tilik.web.collection import services
from tilik.web.collection.models import PrivacyNotice, RespondentLink, Submission

pytestmark = pytest.mark.django_db
NIP = "198503122010011001"


@pytest.fixture
def instrument(cast):
    (instrument,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    return instrument


def full_answers(instrument):
    form = instrument.form()
    answers = {"persetujuan": "ya", "nip": NIP, "angkatan": "2", "hambatan": ["beban_kerja"]}
    for q in form.data_questions():
        if q.type == "select_one" and q.name not in answers:
            answers[q.name] = form.choice_names(q)[-1] if q.list_name != "ya_tidak" else "ya"
    return answers


def send(client, token, answers, instance_id=None, lang="id"):
    payload = {"instance_id": instance_id or str(uuid.uuid4()), "answers": answers, "lang": lang}
    return client.post(f"/f/{token}/kirim/", json.dumps(payload), content_type="application/json")


def test_it_shows_the_form_with_the_privacy_notice(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    r = client.get(f"/f/{token}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "Pemberitahuan privasi" in page and "BKPSDM Kota A" in page
    assert 'name="persetujuan"' in page and "<legend" in page


def test_it_shows_the_evaluators_privacy_notice(client, cast, instrument):
    PrivacyNotice.objects.create(
        evaluation=cast.evaluation_a,
        collector="Tim Evaluasi Kota A",
        purpose="Perbaikan pelatihan",
        retention="1 tahun",
        contact="evaluasi@kota-a.go.id",
    )
    _, token = RespondentLink.make(instrument, "open")
    assert "evaluasi@kota-a.go.id" in client.get(f"/f/{token}/").content.decode()


def test_it_speaks_english_on_request(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    page = client.get(f"/f/{token}/?lang=en").content.decode()
    assert "Privacy notice" in page or 'lang="en"' in page


def test_it_stores_a_submission(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    r = send(client, token, full_answers(instrument))
    assert r.status_code == 201
    submission = Submission.objects.get()
    assert submission.answers["nip"] == NIP and submission.source == "web"
    assert submission.respondent_key and submission.respondent_key != NIP


def test_it_accepts_a_resend_once(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    instance_id = str(uuid.uuid4())
    assert send(client, token, full_answers(instrument), instance_id).status_code == 201
    r = send(client, token, full_answers(instrument), instance_id)
    assert r.status_code == 200 and r.json()["status"] == "already"
    assert Submission.objects.count() == 1


def test_it_refuses_the_same_id_with_other_answers(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    instance_id = str(uuid.uuid4())
    send(client, token, full_answers(instrument), instance_id)
    changed = dict(full_answers(instrument), angkatan="3")
    r = send(client, token, changed, instance_id, lang="en")
    assert r.status_code == 409
    assert r.json()["status"] == "conflict"
    assert Submission.objects.get().answers["angkatan"] == 2


def test_it_takes_one_submission_per_one_time_link(client, instrument):
    link, token = RespondentLink.make(instrument, "single")
    assert send(client, token, {"persetujuan": "tidak"}).status_code == 201
    assert send(client, token, {"persetujuan": "tidak"}).status_code == 410
    assert Submission.objects.count() == 1
    link.refresh_from_db()
    assert link.used
    page = client.get(f"/f/{token}/")
    assert page.status_code == 410
    assert "kirim-ulang" in page.content.decode()  # a phone still holding the answer resends it


def test_it_refuses_revoked_and_expired_links(client, instrument):
    revoked, token1 = RespondentLink.make(instrument, "single", revoked_at=timezone.now())
    expired, token2 = RespondentLink.make(
        instrument, "open", expires_at=timezone.now() - timedelta(days=1)
    )
    assert send(client, token1, {"persetujuan": "tidak"}).status_code == 410
    assert client.get(f"/f/{token2}/").status_code == 410
    assert Submission.objects.count() == 0


def test_it_answers_404_to_unknown_tokens(client, instrument):
    assert client.get("/f/bukan-token/").status_code == 404
    assert send(client, "bukan-token", {}).status_code == 404


def test_it_stores_only_the_token_hash(instrument):
    link, token = RespondentLink.make(instrument, "single")
    assert token not in (link.token_hash, link.public_token)
    assert len(token) >= 43  # 256 bits, URL-safe


def test_it_enforces_required_and_constraints_on_the_server(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    answers = dict(full_answers(instrument), nip="123")
    del answers["reaksi_materi"]
    r = send(client, token, answers)
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"nip", "reaksi_materi"}
    assert Submission.objects.count() == 0


def test_it_drops_answers_that_are_not_relevant(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    r = send(client, token, {"persetujuan": "tidak", "nip": "123"})
    assert r.status_code == 201
    assert "nip" not in Submission.objects.get().answers


def test_it_requires_other_text_when_lainnya_is_picked(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    answers = dict(full_answers(instrument), hambatan=["lainnya"])
    r = send(client, token, answers)
    assert r.status_code == 400 and "hambatan_lainnya" in r.json()["errors"]


def test_it_rate_limits_open_links(client, instrument, monkeypatch):
    monkeypatch.setenv("TILIK_OPEN_LINK_RATE", "2")
    _, token = RespondentLink.make(instrument, "open")
    codes = [send(client, token, {"persetujuan": "tidak"}).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert Submission.objects.count() == 2


def test_it_keeps_no_link_for_anonymous_surveys(client, instrument):
    instrument.anonymous = True
    instrument.save()
    _, token = RespondentLink.make(instrument, "single")
    send(client, token, {"persetujuan": "tidak"})
    assert Submission.objects.get().link is None


def test_it_works_without_javascript(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    instance_id = str(uuid.uuid4())
    r = client.post(f"/f/{token}/", {"_instance_id": instance_id, "persetujuan": "ya"})
    assert r.status_code == 400
    assert "wajib" in r.content.decode()
    r = client.post(f"/f/{token}/", {"_instance_id": instance_id, "persetujuan": "tidak"})
    assert r.status_code == 200 and "Terima kasih" in r.content.decode()
    assert Submission.objects.get().instance_id == instance_id


def test_it_serves_a_qr_code(client, instrument):
    _, token = RespondentLink.make(instrument, "open")
    r = client.get(f"/f/{token}/qr.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert b"<svg" in r.content


def test_it_makes_links_for_evaluators_only(client, cast, instrument):
    url = f"/evaluasi/{cast.evaluation_a.pk}/instrumen/survei_peserta/tautan/"
    client.force_login(cast.charlie)
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "single", "count": 3}).status_code == 403
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404
    client.force_login(cast.alice)
    r = client.post(url, {"kind": "single", "count": 3})
    assert r.status_code == 200
    assert RespondentLink.objects.count() == 3
    assert r.content.decode().count("/f/") >= 3


def test_it_gives_one_time_links_per_respondent_code_as_csv(client, cast, instrument):
    import csv
    import io

    url = f"/evaluasi/{cast.evaluation_a.pk}/instrumen/survei_peserta/tautan/"
    client.force_login(cast.alice)
    codes = 'R-001\nR-002\n\n=HYPERLINK("x")\n'
    r = client.post(url, {"kind": "single", "count": 1, "codes": codes, "deliver": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"] and r["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["no", "keterangan", "tautan", "berlaku sampai"]
    assert [row[1] for row in rows[1:]] == ["R-001", "R-002", '\'=HYPERLINK("x")']
    assert sorted(RespondentLink.objects.values_list("label", flat=True)) == [
        '=HYPERLINK("x")',
        "R-001",
        "R-002",
    ]
    tokens = [row[2].rsplit("/f/", 1)[1].strip("/") for row in rows[1:]]
    assert len(set(tokens)) == 3
    for token in tokens:  # each one works, and the server kept only its hash
        assert client.get(f"/f/{token}/").status_code == 200
        assert not RespondentLink.objects.filter(public_token=token).exists()
    r = client.post(url, {"kind": "single", "count": 1, "codes": "A\nA", "deliver": "csv"})
    assert r.status_code == 200 and "lebih dari sekali" in r.content.decode()
    assert RespondentLink.objects.count() == 3


def test_it_revokes_a_link(client, cast, instrument):
    link, _ = RespondentLink.make(instrument, "open")
    url = f"/evaluasi/{cast.evaluation_a.pk}/tautan/{link.pk}/cabut/"
    client.force_login(cast.charlie)
    assert client.post(url).status_code == 403
    client.force_login(cast.alice)
    assert client.post(url).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_it_edits_the_privacy_notice(client, cast):
    url = f"/evaluasi/{cast.evaluation_a.pk}/privasi/"
    data = {
        "collector": "Tim A",
        "purpose": "Evaluasi",
        "contact": "a@kota-a.go.id",
        "retention_months": "12",
    }
    client.force_login(cast.charlie)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.alice)
    assert client.post(url, data).status_code == 302
    assert PrivacyNotice.objects.get().contact == "a@kota-a.go.id"
    cast.evaluation_a.refresh_from_db()
    assert cast.evaluation_a.retention_months == 12


def test_the_respondent_reads_the_retention_period_and_their_rights(client, cast, survey):
    from tilik.web.collection.models import RespondentLink

    cast.evaluation_a.retention_months = 18
    cast.evaluation_a.save()
    _, token = RespondentLink.make(survey, RespondentLink.Kind.OPEN)
    page = client.get(f"/f/{token}/").content.decode()
    assert "disimpan 18 bulan sejak data terakhir" in page
    assert "ditunjukkan, diunduh, dikoreksi, atau dihapus" in page
