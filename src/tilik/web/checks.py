"""System checks that warn about configurations that would hurt an office's evaluation."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def tilik_configuration(app_configs=None, **kwargs):
    warnings = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.sqlite3" and not os.getenv("TILIK_HASH_KEY"):
        warnings.append(
            CheckWarning(
                "TILIK_HASH_KEY is not set: respondent pseudonyms are keyed by the secret key, so "
                "rotating TILIK_SECRET_KEY would unlink pre-tests from post-tests.",
                hint="Set TILIK_HASH_KEY to a long random value and keep it with your backups.",
                id="tilik.W001",
            )
        )
    if settings.DEBUG and any(
        h not in ("127.0.0.1", "localhost", "[::1]") for h in settings.ALLOWED_HOSTS
    ):
        warnings.append(
            CheckWarning(
                "TILIK_DEBUG is on while the app serves other hosts: error pages would show data.",
                hint="Unset TILIK_DEBUG on any server other people reach.",
                id="tilik.W002",
            )
        )
    warnings += _proxy_warnings()
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError:
        warnings.append(
            CheckWarning(
                "WeasyPrint cannot load Pango: PDF reports cannot be written.",
                hint="apt-get install libpango-1.0-0 libpangoft2-1.0-0",
                id="tilik.W003",
            )
        )
    return warnings


def _proxy_warnings() -> list:
    import ipaddress

    from django.core.checks import Error

    found = []
    for proxy in settings.TILIK_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            found.append(
                Error(
                    f"TILIK_TRUSTED_PROXIES: {proxy!r} is not an address or a network.",
                    hint="List the proxies' addresses, e.g. 127.0.0.1,10.0.0.0/24.",
                    id="tilik.E001",
                )
            )
    if settings.SECURE and not settings.TILIK_TRUSTED_PROXIES:
        found.append(
            CheckWarning(
                "TILIK_SECURE is on (a TLS proxy in front) but TILIK_TRUSTED_PROXIES is empty: "
                "every request seems to come from the proxy, so sign-in throttling, the "
                "open-link limit and the audit trail see one address for everybody.",
                hint="Set TILIK_TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1).",
                id="tilik.W004",
            )
        )
    return found
