"""The read-only JSON API (django-ninja): ``/api/v1/…``, described at ``/api/v1/openapi.json``.

For the dashboards of BKN/BKPSDM and other systems. Every call carries a personal token
(``Authorization: Bearer tlk_…``) made and revoked on the token page; a call reads what the
token's user may read in the web app — the same gate, :func:`evaluation_for` — and only in
the organisations the token was made for (those the user still belongs to, with the ones
under them). Each call is recorded through :func:`tilik.web.api.audit.record_api_access`.
Nothing is written through the API.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from pydantic import Field

from tilik.core import labels
from tilik.web.accounts.models import OrganisationMember
from tilik.web.api.audit import record_api_access
from tilik.web.api.models import TOKEN_PREFIX, ApiToken, digest
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.models import Evaluation, Member
from tilik.web.evaluations.privacy import sees_personal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PAGE = 500


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tlk_…``: an active token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        found = (
            ApiToken.objects.active().select_related("user").filter(digest=digest(token)).first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


api = NinjaAPI(
    title="Tilik API",
    version="1",
    description=(
        "Read-only access to evaluations: results (hasil.json, schema tilik.hasil/1), "
        "recommendations with their follow-up, instruments (XLSForm) and responses. "
        "Authenticate with a personal token: `Authorization: Bearer tlk_…`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Token tidak ada, tidak sah, atau sudah dicabut.")}, status=401
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Tidak ditemukan.")}, status=404)


# --------------------------------------------------------------------------- the gate


def _scope(request: HttpRequest) -> set[int]:
    """Organisations the token reaches: those it was made for that the user still belongs
    to, and every organisation under them."""
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    current = set(
        OrganisationMember.objects.filter(user=request.user).values_list(
            "organisation_id", flat=True
        )
    )
    reached: set[int] = set()
    for organisation in token.organisations.filter(pk__in=current):
        reached.update(o.pk for o in organisation.tree())
    return reached


def _evaluation(request: HttpRequest, pk: int, what: str) -> Evaluation:
    """The evaluation through the pages' gate and the token's scope (404 otherwise), and the
    access recorded."""
    evaluation = evaluation_for(request, pk)
    if evaluation.organisation_id not in _scope(request):
        raise Http404
    record_api_access(request, evaluation, what)
    return evaluation


def _lang() -> str:
    return (get_language() or "id")[:2]


# --------------------------------------------------------------------------- schemas


class Error(Schema):
    detail: str


class EvaluationOut(Schema):
    id: int
    title: str
    period: str
    organisation: str
    status: str
    role: str = Field(description="your role in it: evaluator, leader or viewer")
    previous_id: int | None = Field(description="its previous cycle, when it names one")
    analysed_at: datetime | None = Field(description="when its latest analysis finished")


class FollowUpOut(Schema):
    status: str = Field(description="belum | proses | selesai | tidak, or '' when none")
    status_label: str
    due: date | None
    overdue: bool
    assignee: str | None = Field(description="evaluators only; null for others")
    note: str | None = Field(description="evaluators only; null for others")
    updated_at: datetime | None


class RecommendationOut(Schema):
    key: str
    rule: str
    title: str
    text: str
    priority: str
    owner: str
    indicator: str
    evidence: list[str] = Field(description="paths into hasil.json")
    follow_up: FollowUpOut


class InstrumentOut(Schema):
    form_id: str
    kind: str
    title: str
    version: str
    sha256: str | None
    n_responses: int
    xlsform: str = Field(description="URL of the XLSForm file of the current version")
    responses: str = Field(description="URL of the responses")


class ResponseOut(Schema):
    instance_id: str
    submitted_at: datetime | None
    respondent: str | None = Field(
        description="keyed pseudonym of the respondent (NIP or respondent code), the same "
        "in every instrument of the installation"
    )
    answers: dict[str, Any]


class ResponsePage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    next: str | None
    pseudonymised: bool = Field(
        description="true unless you are an evaluator of the evaluation: identifiers are "
        "keyed pseudonyms (<name>_pseudonim) and names are left out"
    )
    results: list[ResponseOut]


class PageQuery(Schema):
    halaman: int = Field(1, ge=1, description="page, from 1")
    per_halaman: int = Field(100, ge=1, le=MAX_PAGE, description=f"rows per page (max {MAX_PAGE})")


# --------------------------------------------------------------------------- endpoints

TAG = ["evaluasi"]


@api.get(
    "/evaluasi",
    response={200: list[EvaluationOut], 401: Error},
    tags=TAG,
    summary="Evaluations the token reaches",
)
def evaluations(request: HttpRequest) -> list[dict[str, Any]]:
    from tilik.web.reports.models import AnalysisRun

    scope = _scope(request)
    found = (
        Evaluation.objects.for_user(request.user)
        .filter(organisation_id__in=scope)
        .select_related("organisation")
    )
    roles = dict(
        Member.objects.filter(user=request.user, evaluation__in=found).values_list(
            "evaluation_id", "role"
        )
    )
    finished = {}
    for evaluation_id, at in (
        AnalysisRun.objects.done()
        .filter(evaluation__in=found)
        .order_by("created_at")
        .values_list("evaluation_id", "finished_at")
    ):
        finished[evaluation_id] = at
    record_api_access(request, None, "evaluasi")
    return [
        {
            "id": e.pk,
            "title": e.title,
            "period": e.period,
            "organisation": e.organisation.name,
            "status": e.status,
            "role": roles.get(e.pk, ""),
            "previous_id": e.previous_id,
            "analysed_at": finished.get(e.pk),
        }
        for e in found
    ]


@api.get(
    "/evaluasi/{evaluation_id}/hasil",
    response={200: dict[str, Any], 401: Error, 404: Error},
    tags=TAG,
    summary="Results of the latest analysis (hasil.json, schema tilik.hasil/1)",
)
def hasil(request: HttpRequest, evaluation_id: int) -> Any:
    from tilik.web.reports.services import latest_run

    evaluation = _evaluation(request, evaluation_id, "hasil")
    run = latest_run(evaluation)
    if run is None:
        return 404, {"detail": _("Evaluasi ini belum dianalisis.")}
    return run.hasil


@api.get(
    "/evaluasi/{evaluation_id}/rekomendasi",
    response={200: list[RecommendationOut], 401: Error, 404: Error},
    tags=TAG,
    summary="Recommendations of the latest analysis with their follow-up (tindak lanjut)",
)
def recommendations(request: HttpRequest, evaluation_id: int) -> Any:
    from tilik.web.reports.services import latest_run

    evaluation = _evaluation(request, evaluation_id, "rekomendasi")
    run = latest_run(evaluation)
    if run is None:
        return 404, {"detail": _("Evaluasi ini belum dianalisis.")}
    lang = _lang()
    evaluator = sees_personal(evaluation, request.user)
    states = {f.key: f for f in evaluation.follow_ups.all()}
    today = timezone.localdate()
    out = []
    for rec in run.hasil.get("recommendations") or []:
        if rec.get("stale"):
            continue
        key = str(rec.get("key") or rec.get("rule") or "")
        state = states.get(key)
        status = state.status if state else ""
        out.append(
            {
                "key": key,
                "rule": str(rec.get("rule") or ""),
                "title": labels.rule_title(str(rec.get("rule") or key), lang),
                "text": _text(rec.get("text"), lang),
                "priority": str(rec.get("priority") or ""),
                "owner": _text(rec.get("owner"), lang),
                "indicator": _text(rec.get("indicator"), lang),
                "evidence": list(rec.get("evidence") or []),
                "follow_up": {
                    "status": status,
                    "status_label": labels.follow_up_name(status, lang),
                    "due": state.due if state else None,
                    "overdue": bool(
                        state
                        and state.due
                        and state.due < today
                        and status not in ("selesai", "tidak")
                    ),
                    "assignee": (state.assignee if state else "") if evaluator else None,
                    "note": (state.note if state else "") if evaluator else None,
                    "updated_at": state.updated_at if state else None,
                },
            }
        )
    return out


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or "")
    return str(value or "")


@api.get(
    "/evaluasi/{evaluation_id}/instrumen",
    response={200: list[InstrumentOut], 401: Error, 404: Error},
    tags=TAG,
    summary="Instruments of the evaluation",
)
def instruments(request: HttpRequest, evaluation_id: int) -> list[dict[str, Any]]:
    from django.db.models import Count

    evaluation = _evaluation(request, evaluation_id, "instrumen")
    base = f"/api/v1/evaluasi/{evaluation.pk}/instrumen"
    return [
        {
            "form_id": i.form_id,
            "kind": i.kind,
            "title": i.title,
            "version": i.current.version if i.current else "",
            "sha256": i.current.sha256 if i.current else None,
            "n_responses": i.n,
            "xlsform": request.build_absolute_uri(f"{base}/{i.form_id}/xlsform"),
            "responses": request.build_absolute_uri(f"{base}/{i.form_id}/respons"),
        }
        for i in evaluation.instruments.select_related("current")
        .annotate(n=Count("submissions"))
        .order_by("form_id")
    ]


def _instrument(evaluation: Evaluation, form_id: str) -> Any:
    instrument = evaluation.instruments.select_related("current").filter(form_id=form_id).first()
    if instrument is None or instrument.current is None:
        raise Http404
    return instrument


@api.get(
    "/evaluasi/{evaluation_id}/instrumen/{form_id}/xlsform",
    response={401: Error, 404: Error},
    tags=TAG,
    summary="The instrument's XLSForm (current version), as uploaded",
    openapi_extra={
        "responses": {
            200: {
                "description": "The XLSForm workbook",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def xlsform(request: HttpRequest, evaluation_id: int, form_id: str) -> HttpResponse:
    evaluation = _evaluation(request, evaluation_id, f"xlsform:{form_id}")
    instrument = _instrument(evaluation, form_id)
    response = HttpResponse(bytes(instrument.current.xlsform), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{instrument.form_id}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@api.get(
    "/evaluasi/{evaluation_id}/instrumen/{form_id}/respons",
    response={200: ResponsePage, 401: Error, 404: Error},
    tags=TAG,
    summary="Responses to the instrument, a page at a time, oldest first",
)
def responses(
    request: HttpRequest, evaluation_id: int, form_id: str, page: Query[PageQuery]
) -> dict[str, Any]:
    from tilik.web.collection.services import hash_key, shown_answers

    evaluation = _evaluation(request, evaluation_id, f"respons:{form_id}")
    instrument = _instrument(evaluation, form_id)
    personal = sees_personal(evaluation, request.user)
    form = instrument.form()
    key = hash_key()
    submissions = instrument.submissions.order_by("submitted_at", "id")
    count = submissions.count()
    pages = max(1, math.ceil(count / page.per_halaman))
    start = (page.halaman - 1) * page.per_halaman
    chosen = submissions.only("instance_id", "submitted_at", "respondent_key", "answers")[
        start : start + page.per_halaman
    ]
    following = None
    if page.halaman < pages:
        following = request.build_absolute_uri(
            f"?halaman={page.halaman + 1}&per_halaman={page.per_halaman}"
        )
    return {
        "count": count,
        "page": page.halaman,
        "pages": pages,
        "per_page": page.per_halaman,
        "next": following,
        "pseudonymised": not personal,
        "results": [
            {
                "instance_id": s.instance_id,
                "submitted_at": s.submitted_at,
                # the respondent key is already a keyed pseudonym (of the NIP or respondent
                # code): it links a person's pre- and post-test without naming them
                "respondent": s.respondent_key or None,
                "answers": shown_answers(form, s.answers, personal=personal, key=key),
            }
            for s in chosen
        ],
    }
