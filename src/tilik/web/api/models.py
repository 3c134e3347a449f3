"""Personal access tokens of the read-only API."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilik.web.accounts.models import Organisation

TOKEN_PREFIX = "tlk_"  # noqa: S105 - the visible start of every token, not a secret


def digest(token: str) -> str:
    """SHA-256 of a token: tokens are 256 random bits, so a fast hash keeps them safe at rest
    (nothing to guess), and a lookup needs no per-token salt."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A token a user made for another system (a dashboard, a BI tool). Stored only as its
    digest and shown once; it reads what its user may read, within the organisations it was
    made for, and nothing once revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama token"), max_length=100)
    prefix = models.CharField(_("awalan"), max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("instansi"), related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, organisations) -> tuple[ApiToken, str]:
        """A new token and its secret (returned once, never stored)."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], digest=digest(secret)
        )
        token.organisations.set(organisations)
        return token, secret

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def active(self) -> bool:
        return self.revoked_at is None
