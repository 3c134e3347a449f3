"""Sessions that end when left alone, and the second sign-in step where it applies."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from tilik.web.accounts.secondfactor import needs_setup, needs_verification

LAST_SEEN = "tilik_last_seen"
# Pages polling in the background are not someone at work: they do not keep a session alive.
_POLLS = ("/status/", "/kemajuan/")
_OPEN = ("/static/", "/i18n/", "/healthz", "/f/", "/publikasi/", "/favicon")


def idle_sessions_end(get_response):
    """Sign out a session after ``TILIK_SESSION_IDLE_MINUTES`` without a request."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - int(last) > settings.TILIK_SESSION_IDLE_MINUTES * 60:
                logout(request)
                login = reverse("login")
                query = urlencode({"next": request.get_full_path(), "sesi": "habis"})
                return redirect(f"{login}?{query}")
            if (last is None or now - int(last) >= 30) and not request.path.endswith(_POLLS):
                request.session[LAST_SEEN] = now
        return get_response(request)

    return middleware


def second_factor(get_response):
    """A user with an authenticator, or an administrator whose organisation requires one,
    reaches nothing but the second step until it is done."""

    def middleware(request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and not path.startswith(_OPEN)
            and not path.startswith(("/akun/2fa/", "/akun/keluar/"))
        ):
            query = urlencode({"next": request.get_full_path()})
            if needs_verification(user):
                return redirect(f"{reverse('accounts:otp_verify')}?{query}")
            if needs_setup(user):
                return redirect(f"{reverse('accounts:otp_setup')}?{query}")
        return get_response(request)

    return middleware
