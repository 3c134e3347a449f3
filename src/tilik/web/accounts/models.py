from __future__ import annotations

from django.conf import settings
from django.db import models
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
