"""The read-only API: tokens, the OpenAPI document, every endpoint as each of the cast."""

from __future__ import annotations

import io
import logging
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from tests.builders import kobo_csv, kobo_row
from tests.portfolio_builders import analysed
from tilik.web.api.models import ApiToken, digest
from tilik.web.collection import services
from tilik.web.reports.models import FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast, survey):
    """Evaluation A with responses (NIPs in them), an analysis and a follow-up."""
    services.start_import(survey, kobo_csv([kobo_row(0), kobo_row(1)]), "kobo.csv")
    analysed(cast.evaluation_a, period=2025, ikm=80.13, jp_share=0.61, opd="Dinas A")
    FollowUp.objects.create(
        evaluation=cast.evaluation_a,
        key="jadwal_fleksibel",
        status="proses",
        due=date(2025, 3, 31),
        assignee="Yohanes Ndun",
    )
    return survey


def _token(user, *organisations):
    return ApiToken.issue(user, "dasbor", organisations)[1]


def _get(client, path, token):
    return client.get(path, headers={"authorization": f"Bearer {token}"})


def _paths(cast):
    a = f"/api/v1/evaluasi/{cast.evaluation_a.pk}"
    return [
        f"{a}/hasil",
        f"{a}/rekomendasi",
        f"{a}/instrumen",
        f"{a}/instrumen/survei_peserta/xlsform",
        f"{a}/instrumen/survei_peserta/respons",
    ]


def test_the_openapi_document_validates_and_names_every_endpoint(client, cast):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    paths = set(document["paths"])
    assert {
        "/api/v1/evaluasi",
        "/api/v1/evaluasi/{evaluation_id}/hasil",
        "/api/v1/evaluasi/{evaluation_id}/rekomendasi",
        "/api/v1/evaluasi/{evaluation_id}/instrumen",
        "/api/v1/evaluasi/{evaluation_id}/instrumen/{form_id}/xlsform",
        "/api/v1/evaluasi/{evaluation_id}/instrumen/{form_id}/respons",
    } == paths
    assert all(set(methods) == {"get"} for methods in document["paths"].values())
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


# alice: evaluator of A (everything, raw); charlie: leader of A and victor: viewer of A
# (everything, pseudonymised); diana: administrator of agency A, no member of evaluation A
# (nothing of it); bob: evaluator of B (nothing of A); mallory: belongs to nothing.
@pytest.mark.parametrize(
    "who, status",
    [
        ("alice", 200),
        ("charlie", 200),
        ("victor", 200),
        ("diana", 404),
        ("bob", 404),
        ("mallory", 404),
    ],
)
def test_every_endpoint_as_each_of_the_cast(client, cast, data, who, status):
    user = getattr(cast, who)
    token = _token(user, *user.organisation_memberships.values_list("organisation", flat=True))
    listed = _get(client, "/api/v1/evaluasi", token)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()] == (
        [cast.evaluation_a.pk] if status == 200 else [cast.evaluation_b.pk] if who == "bob" else []
    )
    for path in _paths(cast):
        response = _get(client, path, token)
        assert response.status_code == status, (who, path, response.content[:200])


def test_an_evaluator_reads_raw_answers_and_a_leader_pseudonyms(client, cast, data):
    path = _paths(cast)[4]
    raw = _get(client, path, _token(cast.alice, cast.agency_a)).json()
    masked = _get(client, path, _token(cast.charlie, cast.agency_a)).json()
    assert raw["pseudonymised"] is False and masked["pseudonymised"] is True
    assert raw["count"] == masked["count"] == 2
    assert raw["results"][0]["answers"]["nip"] == "198503122010011001"
    assert "nip" not in masked["results"][0]["answers"]
    assert len(masked["results"][0]["answers"]["nip_pseudonim"]) >= 16
    assert "198503122010011001" not in str(masked)
    recs = {
        r["key"]: r
        for r in _get(client, _paths(cast)[1], _token(cast.charlie, cast.agency_a)).json()
    }
    follow = recs["jadwal_fleksibel"]["follow_up"]
    assert follow["status"] == "proses" and follow["overdue"] is True and follow["assignee"] is None
    assert "Yohanes" not in str(recs)


def test_it_pages_responses(client, cast, data):
    token = _token(cast.alice, cast.agency_a)
    first = _get(client, _paths(cast)[4] + "?per_halaman=1", token).json()
    assert (first["count"], first["pages"], len(first["results"])) == (2, 2, 1)
    second = _get(client, first["next"], token).json()
    assert second["page"] == 2 and second["next"] is None
    assert second["results"][0]["instance_id"] != first["results"][0]["instance_id"]
    assert _get(client, _paths(cast)[4] + "?per_halaman=5000", token).status_code == 422


def test_it_serves_the_xlsform_as_uploaded(client, cast, data):
    response = _get(client, _paths(cast)[3], _token(cast.alice, cast.agency_a))
    assert response.status_code == 200
    assert bytes(response.content) == bytes(data.current.xlsform)
    assert openpyxl.load_workbook(io.BytesIO(response.content))["settings"]["A2"].value


def test_a_token_reads_only_its_organisations_and_nothing_once_revoked(client, cast, data):
    from tilik.web.accounts.models import OrganisationMember

    OrganisationMember.objects.create(organisation=cast.agency_b, user=cast.alice)
    cast.evaluation_b.members.create(user=cast.alice, role="viewer")
    only_b = _token(cast.alice, cast.agency_b)
    assert _get(client, _paths(cast)[0], only_b).status_code == 404
    assert [e["id"] for e in _get(client, "/api/v1/evaluasi", only_b).json()] == [
        cast.evaluation_b.pk
    ]
    token = _token(cast.alice, cast.agency_a)
    assert _get(client, _paths(cast)[0], token).status_code == 200
    OrganisationMember.objects.filter(organisation=cast.agency_a, user=cast.alice).delete()
    assert _get(client, _paths(cast)[0], token).status_code == 404  # left the agency
    stored = ApiToken.objects.get(digest=digest(token))
    stored.revoke()
    assert _get(client, _paths(cast)[0], token).status_code == 401
    assert _get(client, "/api/v1/evaluasi", "tlk_nonsense").status_code == 401
    assert client.get("/api/v1/evaluasi").status_code == 401


def test_it_records_every_access_in_the_audit_trail_without_the_token(client, cast, data, caplog):
    from tilik.web.audit.models import AuditEvent

    token = _token(cast.alice, cast.agency_a)
    with caplog.at_level(logging.INFO, logger="tilik.api.access"):
        for path in ["/api/v1/evaluasi", *_paths(cast)]:
            _get(client, path, token)
    events = list(AuditEvent.objects.filter(action="api_read").order_by("pk"))
    assert len(events) == 6 and {e.actor for e in events} == {cast.alice}
    assert [e.evaluation for e in events] == [None] + [cast.evaluation_a] * 5
    assert events[-1].target == "respons:survei_peserta"
    assert all(token not in str(e.detail) and e.detail["token"] == token[:10] for e in events)
    lines = [r.getMessage() for r in caplog.records if r.name == "tilik.api.access"]
    assert len(lines) == 6 and all(token not in line for line in lines)


def test_tokens_are_made_shown_once_stored_hashed_and_revoked(client, cast):
    client.force_login(cast.alice)
    url = reverse("api_tokens:list")
    response = client.post(url, {"name": "Dasbor", "organisations": [cast.agency_a.pk]})
    secret = response.context["secret"]
    assert secret.startswith("tlk_") and secret in response.content.decode()
    stored = ApiToken.objects.get(user=cast.alice)
    assert stored.digest == digest(secret) and secret not in str(stored.__dict__)
    assert secret not in client.get(url).content.decode()
    # one cannot scope a token to an organisation one does not belong to
    refused = client.post(url, {"name": "x", "organisations": [cast.agency_b.pk]})
    assert refused.context["secret"] is None and ApiToken.objects.count() == 1
    client.force_login(cast.bob)
    assert client.post(reverse("api_tokens:revoke", args=[stored.pk])).status_code == 404
    client.force_login(cast.alice)
    client.post(reverse("api_tokens:revoke", args=[stored.pk]))
    stored.refresh_from_db()
    assert stored.revoked_at is not None
