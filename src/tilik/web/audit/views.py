"""The trail as a page and as a CSV: per evaluation for its evaluators, per organisation for
its administrators (the organisation views live in accounts and call these)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tilik.web.audit.models import ACTION_GROUPS, Action
from tilik.web.audit.services import (
    csv_bytes,
    detail_words,
    for_evaluation,
    for_organisations,
    record,
    target_words,
)
from tilik.web.evaluations.access import evaluation_for


def _filtered(request, events):
    action = request.GET.get("tindakan", "")
    if action in Action.values:
        events = events.filter(action=action)
    return events


def _page(request, events, context: dict):
    events = _filtered(request, events)
    page = Paginator(events, 100).get_page(request.GET.get("halaman"))
    for event in page:
        event.detail_text = detail_words(event)
        event.target_text = target_words(event)
    return render(
        request,
        "audit/trail.html",
        {
            **context,
            "page": page,
            "action_groups": [
                (label, [(action.value, action.label) for action in actions])
                for label, actions in ACTION_GROUPS
            ],
            "chosen": request.GET.get("tindakan", ""),
        },
    )


def _csv(request, events, name: str, **scope) -> HttpResponse:
    events = _filtered(request, events)
    record(request, Action.AUDIT_EXPORTED, **scope)
    response = HttpResponse(
        csv_bytes(events.order_by("at", "id")), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evaluation_trail(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    return _page(request, for_evaluation(evaluation), {"evaluation": evaluation})


@login_required
def evaluation_trail_csv(request, pk: int):
    evaluation = evaluation_for(request, pk, edit=True)
    return _csv(
        request,
        for_evaluation(evaluation),
        f"jejak-evaluasi-{evaluation.pk}",
        evaluation=evaluation,
    )


def audit_page(request, organisations, *, organisation):
    return _page(request, for_organisations(organisations), {"organisation": organisation})


def audit_csv(request, organisations, *, organisation, name: str) -> HttpResponse:
    return _csv(request, for_organisations(organisations), name, organisation=organisation)
