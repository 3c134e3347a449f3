"""Respondent links under load: the open-link limit on both paths and keyed on the client
behind trusted proxies; a resend of the same instance is always "already received"."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.test import RequestFactory, override_settings

from tests.web.test_respond import send
from tilik.web.collection import services
from tilik.web.collection.models import RespondentLink, Submission
from tilik.web.network import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument(cast):
    (instrument,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    return instrument


def _form_post(client, token, **meta):
    data = {"_instance_id": str(uuid.uuid4()), "persetujuan": "tidak"}
    return client.post(f"/f/{token}/", data, **meta)


def test_the_plain_form_counts_towards_the_open_link_limit(client, instrument, monkeypatch):
    monkeypatch.setenv("TILIK_OPEN_LINK_RATE", "2")
    _, token = RespondentLink.make(instrument, "open")
    codes = [_form_post(client, token).status_code for _ in range(2)]
    codes.append(send(client, token, {"persetujuan": "tidak"}).status_code)
    codes.append(_form_post(client, token).status_code)
    assert codes == [200, 200, 429, 429]
    assert Submission.objects.count() == 2


@override_settings(TILIK_TRUSTED_PROXIES=["10.0.0.1", "192.168.5.0/24"])
def test_respondents_behind_the_proxy_have_their_own_limit(client, instrument, monkeypatch):
    monkeypatch.setenv("TILIK_OPEN_LINK_RATE", "1")
    _, token = RespondentLink.make(instrument, "open")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = _form_post(client, token, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    other = _form_post(client, token, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    again = _form_post(client, token, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (first.status_code, other.status_code, again.status_code) == (200, 200, 429)


@override_settings(TILIK_TRUSTED_PROXIES=["10.0.0.1", "192.168.5.0/24"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.1", "1.2.3.4, 203.0.113.7, 192.168.5.20", "203.0.113.7"),  # right to left
        ("203.0.113.50", "1.2.3.4", "203.0.113.50"),  # not a trusted proxy: header ignored
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "nonsense, 203.0.113.7", "203.0.113.7"),
        ("10.0.0.1", "203.0.113.7, nonsense", "10.0.0.1"),  # stops at a malformed hop
        ("10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_it_reads_the_client_address_through_trusted_proxies(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_client_cannot_pick_its_address_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(request) == "203.0.113.50"


def test_a_resend_after_the_link_was_used_by_it_is_already_received(client, instrument):
    _, token = RespondentLink.make(instrument, "single")
    instance = str(uuid.uuid4())
    assert send(client, token, {"persetujuan": "tidak"}, instance).status_code == 201
    again = send(client, token, {"persetujuan": "tidak"}, instance)
    assert again.status_code == 200 and again.json()["status"] == "already"


def test_a_resend_over_the_limit_is_still_already_received(client, instrument, monkeypatch):
    monkeypatch.setenv("TILIK_OPEN_LINK_RATE", "1")
    _, token = RespondentLink.make(instrument, "open")
    instance = str(uuid.uuid4())
    assert send(client, token, {"persetujuan": "tidak"}, instance).status_code == 201
    assert send(client, token, {"persetujuan": "tidak"}, instance).json()["status"] == "already"


def test_submit_answers_already_when_its_own_instance_used_the_link(instrument):
    link, _ = RespondentLink.make(instrument, "single")
    instance = str(uuid.uuid4())
    assert (
        services.submit(instrument, instance, {"persetujuan": "tidak"}, link=link).status
        == "stored"
    )
    link.refresh_from_db()
    # The phone's copy of the link is stale (used=False): the claim fails, the answer stands.
    link.used = False
    outcome = services.submit(instrument, instance, {"persetujuan": "tidak"}, link=link)
    assert outcome.status == "already"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_resends_while_the_first_is_being_stored_are_already_received(cast):
    from django.db import connections

    (instrument,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    statuses: list[str] = []
    for _ in range(20):
        link, _token = RespondentLink.make(instrument, "single")
        instance = str(uuid.uuid4())
        barrier = threading.Barrier(6)

        def resend(link=link, instance=instance, barrier=barrier) -> None:
            try:
                barrier.wait()
                outcome = services.submit(instrument, instance, {"persetujuan": "tidak"}, link=link)
                statuses.append(outcome.status)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=resend) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(set(statuses)) == ["already", "stored"]
    assert statuses.count("stored") == 20
    assert Submission.objects.count() == 20
