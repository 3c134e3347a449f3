"""The one call site of "record this API access".

Every endpoint of :mod:`tilik.web.api.api` calls :func:`record_api_access` once, after the
permission gate let the call through. Today it writes a line to the ``tilik.api.access``
log; the audit trail app connects here (replace the body with its record call), so the API
needs no other change to be audited.
"""

from __future__ import annotations

import logging

log = logging.getLogger("tilik.api.access")


def record_api_access(request, evaluation, what: str) -> None:
    """Note that ``request``'s token read ``what`` (of ``evaluation``, or None for a list).

    Logged: the user's id and name, the token's prefix (never the token), the evaluation's id,
    what was read and the client address. No answer, NIP or name of a respondent.
    """
    token = getattr(request, "api_token", None)
    log.info(
        "api access user=%s (%s) token=%s evaluation=%s what=%s address=%s",
        getattr(request.user, "pk", None),
        getattr(request.user, "username", ""),
        token.prefix if token is not None else "-",
        evaluation.pk if evaluation is not None else "-",
        what,
        request.META.get("REMOTE_ADDR", ""),
    )
