from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """An instansi or OPD; OPD and units sit under their instansi (``parent``)."""

    class Kind(models.TextChoices):
        INSTANSI = "instansi", _("Instansi")
        OPD = "opd", _("OPD")
        UNIT = "unit", _("Unit kerja")

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.OPD)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sector = models.CharField(_("sektor"), max_length=60, blank=True)
    code = models.CharField(_("kode"), max_length=40, blank=True)
    require_2fa_admins = models.BooleanField(
        _("admin wajib verifikasi dua langkah"),
        default=False,
        help_text=_("Admin instansi ini harus memakai kode dari aplikasi autentikator."),
    )

    class Meta:
        verbose_name = _("instansi / OPD")
        verbose_name_plural = _("instansi / OPD")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Organisation]:
        chain, node = [], self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def tree(self) -> list[Organisation]:
        """This organisation and every unit under it, at any depth."""
        found, frontier = [self], [self.pk]
        while frontier:
            children = list(Organisation.objects.filter(parent_id__in=frontier))
            children = [c for c in children if c not in found]
            found += children
            frontier = [c.pk for c in children]
        return found

    def administered_by(self, user) -> bool:
        """Whether ``user`` administers this organisation or one above it."""
        if not user.is_authenticated:
            return False
        chain = [self.pk, *(o.pk for o in self.ancestors())]
        return OrganisationMember.objects.filter(
            user=user, organisation_id__in=chain, role=OrganisationMember.Role.ADMIN
        ).exists()


class OrganisationMember(models.Model):
    """A user working for an organisation; admins of an instansi manage its users."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        EVALUATOR = "evaluator", _("Evaluator")
        LEADER = "leader", _("Pimpinan")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.EVALUATOR)

    class Meta:
        verbose_name = _("anggota instansi")
        verbose_name_plural = _("anggota instansi")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="organisation_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invitation(models.Model):
    """An invitation to join an organisation (or one of its units) with a role.

    The link carries a 256-bit token shown once to the administrator; only its hash is kept.
    It works once, until it expires (``TILIK_INVITE_DAYS``) or is withdrawn.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        _("peran"),
        max_length=20,
        choices=OrganisationMember.Role.choices,
        default=OrganisationMember.Role.EVALUATOR,
    )
    note = models.CharField(_("untuk"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @classmethod
    def make(cls, organisation: Organisation, role: str, user, note: str = "") -> tuple:
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            organisation=organisation,
            role=role,
            note=note,
            token_hash=hash_token(token),
            created_by=user,
            expires_at=timezone.now() + timedelta(days=settings.TILIK_INVITE_DAYS),
        )
        return invitation, token

    @classmethod
    def by_token(cls, token: str) -> Invitation | None:
        if not token or len(token) > 100:
            return None
        return (
            cls.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
        )

    @property
    def usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.withdrawn_at is None
            and self.expires_at > timezone.now()
        )
