"""Slowing down guessing against one account without locking its owner out.

django-axes locks the pair (account, client address) after ``AXES_FAILURE_LIMIT`` failures:
a guesser at one address stops there, and the real user at another address is untouched.
A guesser spread over many addresses is slowed here instead: once an account has seen
``TILIK_ACCOUNT_SLOWDOWN_AFTER`` failed sign-ins in the past hour, browsers that never
signed in to it get one attempt per ``TILIK_ACCOUNT_SLOWDOWN_SECONDS``. A browser that did
sign in to the account before carries a signed device cookie (OWASP's "device cookie") and
is not slowed: the attacker cannot keep the real user out.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

COOKIE = "tilik_perangkat"
_SALT = "tilik.accounts.device"
_MAX_AGE = 180 * 24 * 3600


def _account_key(username: str) -> str:
    return hashlib.sha256((settings.SECRET_KEY + username.lower()).encode()).hexdigest()[:32]


def recent_failures(username: str) -> int:
    """Failed sign-ins to ``username`` from any address in the past hour."""
    since = timezone.now() - timedelta(hours=1)
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def trusted_device(request, username: str) -> bool:
    """Whether this browser signed in to ``username`` before (a signed, dated cookie)."""
    raw = request.COOKIES.get(COOKIE, "")
    if not raw:
        return False
    try:
        accounts = signing.loads(raw, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(accounts, list) and _account_key(username) in accounts


def wait_seconds(request, username: str) -> int:
    """0 when this attempt may go ahead; otherwise how long to wait before the next one."""
    if not username or recent_failures(username) < settings.TILIK_ACCOUNT_SLOWDOWN_AFTER:
        return 0
    if trusted_device(request, username):
        return 0
    interval = settings.TILIK_ACCOUNT_SLOWDOWN_SECONDS
    if cache.add(f"tilik:login-slow:{_account_key(username)}", 1, timeout=interval):
        return 0
    return interval


def remember_device(request, response, username: str) -> None:
    """After a successful sign-in: this browser is trusted for ``username`` from now on."""
    accounts: list[str] = []
    raw = request.COOKIES.get(COOKIE, "")
    if raw:
        try:
            found = signing.loads(raw, salt=_SALT, max_age=_MAX_AGE)
            accounts = [a for a in found if isinstance(a, str)] if isinstance(found, list) else []
        except signing.BadSignature:
            accounts = []
    key = _account_key(username)
    accounts = [key, *(a for a in accounts if a != key)][:5]
    response.set_cookie(
        COOKIE,
        signing.dumps(accounts, salt=_SALT),
        max_age=_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
