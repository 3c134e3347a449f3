"""The one call site of "record this API access".

Every endpoint of :mod:`tilik.web.api.api` calls :func:`record_api_access` once, after the
permission gate let the call through: the audit trail (:mod:`tilik.web.audit`) gets an
``api_read`` event with the user, the client address, the evaluation, what was read and the
token's prefix (never the token), and the ``tilik.api.access`` log a line.
"""

from __future__ import annotations

import logging

from tilik.web.audit.models import Action
from tilik.web.audit.services import record

log = logging.getLogger("tilik.api.access")


def record_api_access(request, evaluation, what: str) -> None:
    """Note that ``request``'s token read ``what`` (of ``evaluation``, or None for a list).

    No answer, NIP or name of a respondent is recorded.
    """
    token = getattr(request, "api_token", None)
    prefix = token.prefix if token is not None else "-"
    record(request, Action.API_READ, evaluation=evaluation, target=what, token=prefix)
    log.info(
        "api access user=%s token=%s evaluation=%s what=%s",
        getattr(request.user, "pk", None),
        prefix,
        evaluation.pk if evaluation is not None else "-",
        what,
    )
