"""Sign-ins, sign-outs and failed sign-ins go to the trail; the SQLite guard function."""

from __future__ import annotations

import threading

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from tilik.web.audit.models import Action
from tilik.web.audit.services import record

# Set only while `manage.py flush` empties the whole database (tests between transactional
# cases): the SQLite trigger lets rows of the trail be deleted then, never otherwise.
FLUSHING = threading.Event()


@receiver(connection_created)
def _sqlite_guard(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "tilik_audit_flushing", 0, lambda: int(FLUSHING.is_set())
        )


def _known_user(username: str):
    """The account a failed sign-in named, if it exists: the trail names accounts, never
    what someone typed (a mistyped password in the user field, a NIP)."""
    if not username:
        return None
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username[:150]}).first()


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    record(request, Action.LOGIN, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(request, Action.LOGOUT, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    user = _known_user(str(credentials.get("username", "")))
    record(request, Action.LOGIN_FAILED, user=user, known_account=user is not None)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    user = _known_user(str(username or ""))
    record(request, Action.LOGIN_LOCKED, user=user, known_account=user is not None)
