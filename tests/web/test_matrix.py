"""Who reaches what: every view of the app, for every member of the cast.

The URL resolver is walked, so a view added without an entry in RULES fails here. Each
entry names the requests to make and the rule they follow:

- public: anyone, signed in or not (respondent links, the public page, health check);
- signed_in: any account; anonymous visitors are sent to the sign-in page;
- member: the evaluation's members (alice, charlie, victor); others get 404;
- evaluator: alice; the leader and the viewer get 403; others 404;
- follow_up: alice and charlie; the viewer gets 403; others 404;
- org_admin: diana (administrator of agency A); everyone else 404;
- creator: evaluators and administrators of an organisation create evaluations;
- superuser: Django's admin;
- org_lead: leaders and administrators of agency A (charlie, victor, diana): its portfolio;
- token_owner: alice, whose API token it is;
- api: the read-only API with each one's own token (anonymous: no token, 401): members;
- api_list: the API's list of evaluations: anyone with a token;
- nobody: the API's root, which only names where the API is (404 for all).

Runs in the SQLite pass and, marked, in the PostgreSQL pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
import yaml
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.builders import kobo_csv, kobo_row
from tests.schedule_builders import small_plan
from tilik.web.collection import services
from tilik.web.collection.models import (
    FormUpload,
    ImportBatch,
    Interview,
    QuarantinedRow,
    RespondentLink,
)
from tilik.web.planning.models import SchedulePlan
from tilik.web.reports.models import Publication

CAST = ("anonymous", "alice", "charlie", "victor", "diana", "bob", "mallory")
MEMBERS = {"alice", "charlie", "victor"}
ALLOWED = {
    "public": set(CAST),
    "signed_in": set(CAST) - {"anonymous"},
    "member": MEMBERS,
    "evaluator": {"alice"},
    "follow_up": {"alice", "charlie"},
    "org_admin": {"diana"},
    "creator": {"alice", "bob", "diana"},
    "superuser": set(),
    "org_lead": {"charlie", "victor", "diana"},
    "token_owner": {"alice"},
    "api": MEMBERS,
    "api_list": set(CAST) - {"anonymous"},
    "nobody": set(),
}
# Members refused an action get 403; everyone else gets 404, so ids reveal nothing.
FORBIDDEN = {"evaluator": {"charlie", "victor"}, "follow_up": {"victor"}}


@dataclass
class Request:
    method: str
    rule: str
    data: dict = field(default_factory=dict)
    json: bool = False


def _e(w):
    return {"pk": w.evaluation.pk}


def _i(w):
    return {"pk": w.evaluation.pk, "form_id": w.instrument.form_id}


# URL name -> (kwargs from the world, requests)
RULES = {
    "home": (lambda w: {}, [Request("get", "public")]),
    "healthz": (lambda w: {}, [Request("get", "public")]),
    "favicon": (lambda w: {}, [Request("get", "public")]),
    "respond:service_worker": (lambda w: {}, [Request("get", "public")]),
    "login": (lambda w: {}, [Request("get", "public")]),
    "logout": (lambda w: {}, [Request("post", "public")]),
    "set_language": (lambda w: {}, [Request("post", "public", {"language": "id"})]),
    "public": (lambda w: {"slug": w.publication.slug}, [Request("get", "public")]),
    "respond:form": (lambda w: {"token": w.open_token}, [Request("get", "public")]),
    "respond:submit": (lambda w: {"token": w.open_token}, [Request("post", "public", json=True)]),
    "respond:qr": (lambda w: {"token": w.open_token}, [Request("get", "public")]),
    "accounts:invite": (lambda w: {"token": "tidak-ada"}, [Request("get", "public")]),
    "accounts:reset": (lambda w: {"uidb64": "MQ", "token": "x-y"}, [Request("get", "public")]),
    "accounts:account": (lambda w: {}, [Request("get", "signed_in")]),
    "accounts:password_change": (lambda w: {}, [Request("get", "signed_in")]),
    "accounts:otp_setup": (lambda w: {}, [Request("get", "signed_in")]),
    "accounts:otp_verify": (lambda w: {}, [Request("get", "signed_in")]),
    "accounts:otp_disable": (lambda w: {}, [Request("post", "signed_in")]),
    "accounts:otp_codes": (lambda w: {}, [Request("post", "signed_in")]),
    "accounts:organisations": (lambda w: {}, [Request("get", "signed_in")]),
    "evaluations:list": (lambda w: {}, [Request("get", "signed_in")]),
    "collection:new_evaluation": (lambda w: {}, [Request("get", "creator")]),
    "accounts:organisation": (lambda w: {"org_id": w.agency.pk}, [Request("get", "org_admin")]),
    "accounts:invite_new": (lambda w: {"org_id": w.agency.pk}, [Request("post", "org_admin")]),
    "accounts:invite_withdraw": (
        lambda w: {"org_id": w.agency.pk, "invitation_id": w.invitation.pk},
        [Request("post", "org_admin")],
    ),
    "accounts:unit_add": (lambda w: {"org_id": w.agency.pk}, [Request("post", "org_admin")]),
    "accounts:org_settings": (lambda w: {"org_id": w.agency.pk}, [Request("post", "org_admin")]),
    "accounts:set_active": (
        lambda w: {"org_id": w.agency.pk, "user_id": w.cast.charlie.pk},
        [Request("post", "org_admin", {"active": "1"})],
    ),
    "accounts:place": (
        lambda w: {"org_id": w.agency.pk, "user_id": w.cast.charlie.pk},
        [Request("post", "org_admin")],
    ),
    "accounts:issue_reset": (
        lambda w: {"org_id": w.agency.pk, "user_id": w.cast.charlie.pk},
        [Request("post", "org_admin")],
    ),
    "accounts:reset_second_step": (
        lambda w: {"org_id": w.agency.pk, "user_id": w.cast.charlie.pk},
        [Request("post", "org_admin")],
    ),
    "accounts:org_audit": (lambda w: {"org_id": w.agency.pk}, [Request("get", "org_admin")]),
    "accounts:org_audit_csv": (lambda w: {"org_id": w.agency.pk}, [Request("get", "org_admin")]),
    "evaluations:detail": (_e, [Request("get", "member")]),
    "evaluations:participants": (_e, [Request("get", "member")]),
    "evaluations:team": (_e, [Request("get", "member"), Request("post", "evaluator")]),
    "evaluations:person_data": (_e, [Request("get", "evaluator", {"q": "198503122010011001"})]),
    "audit:evaluation": (_e, [Request("get", "evaluator")]),
    "audit:evaluation_csv": (_e, [Request("get", "evaluator")]),
    "collection:instrument_add": (_e, [Request("get", "evaluator")]),
    "collection:instrument": (_i, [Request("get", "member")]),
    "collection:xlsform": (_i, [Request("get", "member")]),
    "collection:xlsform_upload": (_i, [Request("post", "evaluator")]),
    "collection:instrument_settings": (_i, [Request("post", "evaluator")]),
    "collection:import": (_i, [Request("get", "evaluator"), Request("post", "evaluator")]),
    "collection:links": (_i, [Request("get", "member"), Request("post", "evaluator")]),
    "collection:export": (
        lambda w: {**_i(w), "fmt": "csv"},
        [Request("get", "member")],
    ),
    "collection:batch": (lambda w: {**_e(w), "batch_id": w.batch.pk}, [Request("get", "member")]),
    "collection:batch_progress": (
        lambda w: {**_e(w), "batch_id": w.batch.pk},
        [Request("get", "member")],
    ),
    "collection:batch_cancel": (
        lambda w: {**_e(w), "batch_id": w.batch.pk},
        [Request("post", "evaluator")],
    ),
    "collection:form_upload": (
        lambda w: {**_e(w), "upload_id": w.upload.pk},
        [Request("get", "member")],
    ),
    "collection:form_upload_status": (
        lambda w: {**_e(w), "upload_id": w.upload.pk},
        [Request("get", "member")],
    ),
    "collection:form_upload_cancel": (
        lambda w: {**_e(w), "upload_id": w.upload.pk},
        [Request("post", "evaluator")],
    ),
    "collection:quarantine": (
        lambda w: {**_e(w), "row_id": w.row.pk},
        [Request("get", "member"), Request("post", "evaluator")],
    ),
    "collection:link_revoke": (
        lambda w: {**_e(w), "link_id": w.single.pk},
        [Request("post", "evaluator")],
    ),
    "collection:privacy": (_e, [Request("get", "member"), Request("post", "evaluator")]),
    "collection:bundle_zip": (_e, [Request("get", "evaluator")]),
    "collection:interviews": (_e, [Request("get", "member"), Request("post", "evaluator")]),
    "collection:interview": (
        lambda w: {**_e(w), "interview_id": w.interview.pk},
        [Request("get", "member")],
    ),
    "collection:observations": (_e, [Request("get", "member")]),
    "collection:observation_new": (_i, [Request("get", "evaluator")]),
    "collection:observation_submit": (_i, [Request("post", "evaluator", json=True)]),
    "reports:results": (_e, [Request("get", "member")]),
    "reports:run": (_e, [Request("post", "evaluator", {"lang": "id"})]),
    "reports:status": (_e, [Request("get", "member")]),
    "reports:cancel": (lambda w: {**_e(w), "run_id": w.run.pk}, [Request("post", "evaluator")]),
    "reports:download": (
        lambda w: {**_e(w), "run_id": w.run.pk, "name": "hasil.json"},
        [Request("get", "member")],
    ),
    "reports:recommendations": (_e, [Request("get", "member")]),
    "reports:edit": (lambda w: {**_e(w), "key": "aturan:x"}, [Request("post", "evaluator")]),
    "reports:follow_up": (
        lambda w: {**_e(w), "key": "aturan:x"},
        [Request("post", "follow_up", {"status": "proses"})],
    ),
    "reports:publication": (_e, [Request("get", "member"), Request("post", "evaluator")]),
    "coding:review": (_e, [Request("get", "member")]),
    "planning:plans": (_e, [Request("get", "member")]),
    "planning:draft": (_e, [Request("post", "evaluator")]),
    "planning:upload": (_e, [Request("post", "evaluator")]),
    "planning:example": (_e, [Request("get", "member")]),
    "planning:edit": (
        lambda w: {**_e(w), "plan_id": w.plan.pk},
        [Request("get", "member"), Request("post", "evaluator")],
    ),
    "planning:solve": (lambda w: {**_e(w), "plan_id": w.plan.pk}, [Request("post", "evaluator")]),
    "planning:run": (lambda w: {**_e(w), "run_id": w.schedule.pk}, [Request("get", "member")]),
    "planning:unit": (
        lambda w: {**_e(w), "run_id": w.schedule.pk, "code": "pkm_oesapa"},
        [Request("get", "member")],
    ),
    "planning:person": (
        lambda w: {**_e(w), "run_id": w.schedule.pk, "code": "P1"},
        [Request("get", "member")],
    ),
    "planning:ics": (
        lambda w: {**_e(w), "run_id": w.schedule.pk, "code": "P1"},
        [Request("get", "member")],
    ),
    "planning:download": (
        lambda w: {**_e(w), "run_id": w.schedule.pk, "name": "jadwal.html"},
        [Request("get", "member")],
    ),
    "evaluations:cycles": (_e, [Request("get", "member"), Request("post", "evaluator")]),
    "evaluations:program_add": (_e, [Request("get", "evaluator"), Request("post", "evaluator")]),
    "evaluations:program": (
        lambda w: {**_e(w), "program_id": w.program.pk},
        [Request("get", "evaluator"), Request("post", "evaluator")],
    ),
    "evaluations:program_delete": (
        lambda w: {**_e(w), "program_id": w.program.pk},
        [Request("get", "evaluator")],
    ),
    "evaluations:participant_import": (
        _e,
        [Request("get", "evaluator"), Request("post", "evaluator")],
    ),
    "evaluations:participant_batch": (
        lambda w: {**_e(w), "batch_id": w.participants.pk},
        [Request("get", "evaluator")],
    ),
    "evaluations:participant_batch_status": (
        lambda w: {**_e(w), "batch_id": w.participants.pk},
        [Request("get", "evaluator")],
    ),
    "evaluations:participant_batch_cancel": (
        lambda w: {**_e(w), "batch_id": w.participants.pk},
        [Request("post", "evaluator")],
    ),
    "evaluations:held_participant": (
        lambda w: {**_e(w), "row_id": w.held.pk},
        [Request("get", "evaluator"), Request("post", "evaluator")],
    ),
    "evaluations:participant_template": (_e, [Request("get", "evaluator")]),
    "planning:run_status": (
        lambda w: {**_e(w), "run_id": w.schedule.pk},
        [Request("get", "member")],
    ),
    "planning:run_cancel": (
        lambda w: {**_e(w), "run_id": w.schedule.pk},
        [Request("post", "evaluator")],
    ),
    "portfolio:index": (lambda w: {}, [Request("get", "signed_in")]),
    "portfolio:detail": (lambda w: {"org": w.agency.pk}, [Request("get", "org_lead")]),
    "portfolio:xlsx": (lambda w: {"org": w.agency.pk}, [Request("get", "org_lead")]),
    "api_tokens:list": (lambda w: {}, [Request("get", "signed_in")]),
    "api_tokens:revoke": (lambda w: {"pk": w.token.pk}, [Request("post", "token_owner")]),
    "api:openapi-json": (lambda w: {}, [Request("get", "public")]),
    "api:api-root": (lambda w: {}, [Request("get", "nobody")]),
    "api:evaluations": (lambda w: {}, [Request("get", "api_list")]),
    "api:hasil": (lambda w: {"evaluation_id": w.evaluation.pk}, [Request("get", "api")]),
    "api:recommendations": (
        lambda w: {"evaluation_id": w.evaluation.pk},
        [Request("get", "api")],
    ),
    "api:instruments": (lambda w: {"evaluation_id": w.evaluation.pk}, [Request("get", "api")]),
    "api:xlsform": (
        lambda w: {"evaluation_id": w.evaluation.pk, "form_id": w.instrument.form_id},
        [Request("get", "api")],
    ),
    "api:responses": (
        lambda w: {"evaluation_id": w.evaluation.pk, "form_id": w.instrument.form_id},
        [Request("get", "api")],
    ),
    "coding:save": (_e, [Request("post", "evaluator")]),
    "coding:codebook": (
        _e,
        [Request("get", "member"), Request("post", "evaluator", {"action": "add"})],
    ),
}
# Report files too: every download a member may make.
DOWNLOADS = ["hasil.json", "laporan.html", "laporan.pdf", "laporan.docx"]


def url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or str(pattern.pattern))

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith("admin:")}


def test_every_view_has_a_rule():
    assert sorted(url_names() - set(RULES)) == []
    assert sorted(set(RULES) - url_names()) == []


class World:
    """Evaluation A with one of everything a view can point at."""

    def __init__(self, cast, survey):
        from tilik.web.accounts.models import Invitation
        from tilik.web.reports.services import run_analysis

        self.cast, self.agency, self.evaluation, self.instrument = (
            cast,
            cast.agency_a,
            cast.evaluation_a,
            survey,
        )
        rows = [kobo_row(i, saran="Jadwal padat, staf kurang.") for i in range(6)]
        services.start_import(survey, kobo_csv([*rows, kobo_row(9, umur="x")]), "k.csv")
        self.batch = ImportBatch.objects.get()
        self.row = QuarantinedRow.objects.get()
        self.upload = services.start_form_upload(
            cast.evaluation_a,
            bytes(survey.current.xlsform),
            "survei_peserta.xlsx",
            instrument=survey,
        )
        self.upload = FormUpload.objects.get(pk=self.upload.pk)
        _, self.open_token = RespondentLink.make(survey, "open")
        self.single, _ = RespondentLink.make(survey, "single")
        self.interview = Interview.objects.create(
            evaluation=cast.evaluation_a, file_name="w.txt", transcript="N: Bermanfaat."
        )
        self.run = run_analysis(cast.evaluation_a, cast.alice)
        self.publication = Publication.objects.create(
            evaluation=cast.evaluation_a, published=True, html="<p>ringkasan</p>"
        )
        self.invitation, _ = Invitation.make(cast.agency_a, "evaluator", cast.diana)
        self.plan = SchedulePlan.objects.create(
            evaluation=cast.evaluation_a,
            title="Uji",
            source=yaml.safe_dump(small_plan(), allow_unicode=True, sort_keys=False),
        )
        from tilik.web.planning.services import start_run

        self.schedule, _ = start_run(self.plan, cast.alice)
        from tilik.web.evaluations.models import Program
        from tilik.web.evaluations.participants import start_import

        self.program = Program.objects.create(evaluation=cast.evaluation_a, name="Prima")
        self.participants = start_import(
            cast.evaluation_a, b"NIP;Nama;Program\n123;Ani;Prima\n", "peserta.csv"
        )
        self.held = self.participants.held_rows.get()
        from tilik.web.api.models import ApiToken

        self.tokens = {}
        for who in CAST[1:]:
            user = getattr(cast, who)
            orgs = user.organisation_memberships.values_list("organisation", flat=True)
            self.tokens[who] = ApiToken.issue(user, "matrix", orgs)[1]
        self.token, _ = ApiToken.issue(cast.alice, "to revoke", [cast.agency_a])


def _client(cast, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    return client


def _send(client, request: Request, url: str, token: str = ""):
    if request.json:
        return client.post(url, "{}", content_type="application/json")
    if request.rule in ("api", "api_list") and token:
        return client.get(url, headers={"authorization": f"Bearer {token}"})
    return getattr(client, request.method)(url, request.data)


def _verdict(response, rule: str, who: str) -> str | None:
    """What is wrong with ``response`` for ``who`` under ``rule`` (None when right)."""
    status = response.status_code
    to_login = status == 302 and response["Location"].startswith("/akun/masuk/")
    if status >= 500:
        return f"server error {status}"
    if who in ALLOWED[rule]:
        if rule in ("api", "api_list") and status != 200:
            return f"refused ({status})"
        if status in (403, 404) or (to_login and rule != "public"):
            return f"refused ({status})"
        return None
    if who == "anonymous" and rule in ("api", "api_list"):
        return None if status == 401 else f"anonymous got {status}, expected 401"
    if rule == "nobody":
        return None if status == 404 else f"got {status}, expected 404"
    if who == "anonymous":
        return None if to_login else f"anonymous got {status}"
    if rule == "creator":
        return None if status == 302 and response["Location"] == "/evaluasi/" else f"got {status}"
    if rule == "superuser":
        return None if to_login else f"got {status}"
    expected = 403 if who in FORBIDDEN.get(rule, ()) else 404
    return None if status == expected else f"got {status}, expected {expected}"


_INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style(?![^>]*nonce=)")


def _run_matrix(cast, survey):
    world = World(cast, survey)
    problems = []
    ordered = sorted(RULES.items(), key=lambda item: item[0] in ("logout",))
    for name, (kwargs, requests) in ordered:
        url = reverse(name, kwargs=kwargs(world))
        for request in requests:
            denied_first = sorted(CAST, key=lambda who: who in ALLOWED[request.rule])
            for who in denied_first:
                token = world.tokens.get(who, "")
                response = _send(_client(cast, who), request, url, token)
                wrong = _verdict(response, request.rule, who)
                if wrong:
                    problems.append(f"{request.method.upper()} {name} as {who}: {wrong}")
                csp = response.get("Content-Security-Policy", "")
                if "unsafe-inline" in csp or not csp:
                    problems.append(f"{name} as {who}: CSP {csp!r}")
                html = response.get("Content-Type", "").startswith("text/html")
                documents = ("public", "reports:download", "planning:download")
                if html and name not in documents and not response.streaming:
                    found = _INLINE.search(response.content.decode())
                    if found:
                        problems.append(f"{name} as {who}: inline {found.group(0)!r}")
    for name in DOWNLOADS:
        url = reverse("reports:download", args=[world.evaluation.pk, world.run.pk, name])
        for who in CAST:
            response = _client(cast, who).get(url)
            wrong = _verdict(response, "member", who)
            if wrong:
                problems.append(f"download {name} as {who}: {wrong}")
    admin = _client(cast, "alice").get("/admin/")
    if not (admin.status_code == 302 and "/admin/login/" in admin["Location"]):
        problems.append(f"admin as alice: {admin.status_code}")
    assert problems == [], "\n".join(problems)


def test_the_cast_reaches_exactly_what_it_may(cast, survey):
    _run_matrix(cast, survey)


@pytest.mark.postgres
def test_the_cast_reaches_exactly_what_it_may_on_postgresql(cast, survey):
    from django.db import connection

    assert connection.vendor == "postgresql"
    _run_matrix(cast, survey)


def test_every_background_job_is_started_by_an_evaluator_only():
    """The tasks: imports, participant lists, analysis runs, schedule solves and XLSForm
    checks start from evaluator-only views (in RULES above); the daily purge starts from no
    view at all."""
    from tilik.web.jobs.worker import job_models

    starts = {
        "collection.importbatch": ("collection:import", "post"),
        "reports.analysisrun": ("reports:run", "post"),
        "collection.formupload": ("collection:xlsform_upload", "post"),
        "evaluations.participantimport": ("evaluations:participant_import", "post"),
        "planning.schedulerun": ("planning:solve", "post"),
    }
    assert {m._meta.label_lower for m in job_models()} == set(starts)
    for name, method in starts.values():
        assert any(r.method == method and r.rule == "evaluator" for r in RULES[name][1])
    assert "collection:instrument_add" in RULES
