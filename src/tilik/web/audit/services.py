"""Recording events, and reading them back for a page or a CSV."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilik.core.exports import table_csv
from tilik.core.personal import mask_text
from tilik.web.audit.models import Action, AuditEvent
from tilik.web.network import client_ip

log = logging.getLogger(__name__)

__all__ = ["Action", "csv_bytes", "record"]


def _safe(value: Any) -> Any:
    """Details carry ids, counts, formats and file names, never personal data: any text is
    passed through the personal-data mask on the way in."""
    if isinstance(value, str):
        return mask_text(value)[:300]
    if isinstance(value, dict):
        return {str(k): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value][:50]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return _safe(str(value))


def record(
    request,
    action: str,
    *,
    evaluation=None,
    organisation=None,
    user=None,
    target: str = "",
    **detail: Any,
) -> AuditEvent | None:
    """Note that ``action`` happened: by ``user`` (default: the request's), from the
    request's client address, about ``evaluation`` / ``organisation`` and ``target``.

    Recording never fails the user's action: an event that cannot be written is logged.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if organisation is None and evaluation is not None:
        organisation = evaluation.organisation
    event = AuditEvent(
        at=timezone.now(),
        action=action,
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        ip=(client_ip(request) or None) if request is not None else None,
        organisation=organisation,
        evaluation=evaluation,
        target=str(target)[:200],
        detail=_safe(detail),
    )
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError:
        log.exception("audit event %s could not be recorded", action)
        return None
    return event


def for_evaluation(evaluation):
    return AuditEvent.objects.filter(evaluation=evaluation)


def for_organisations(organisations: Iterable):
    from tilik.web.accounts.models import OrganisationMember
    from tilik.web.evaluations.models import Evaluation

    ids = [o.pk for o in organisations]
    evaluations = Evaluation.objects.filter(organisation_id__in=ids).values("pk")
    people = OrganisationMember.objects.filter(organisation_id__in=ids).values("user")
    # Account events (sign-ins, passwords, two-step) belong to no organisation: those of
    # the organisation's people are shown to its administrators.
    own_accounts = Q(actor_id__in=people, organisation__isnull=True, evaluation__isnull=True)
    return AuditEvent.objects.filter(
        Q(organisation_id__in=ids) | Q(evaluation_id__in=evaluations) | own_accounts
    )


def detail_text(event: AuditEvent) -> str:
    """The details as the CSV export keeps them: ``key=value``, for machines and auditors."""
    return ", ".join(f"{k}={v}" for k, v in sorted(event.detail.items()))


# What the trail's page calls targets and details (the CSV keeps the keys).
_TARGETS = {
    "import": _("Impor"),
    "participants": _("Impor daftar peserta"),
    "row": _("Baris karantina"),
    "held": _("Baris peserta tertahan"),
    "run": _("Analisis"),
    "schedule": _("Penjadwalan"),
    "program": _("Program"),
    "link": _("Tautan responden"),
    "user": _("Pengguna"),
    "invitation": _("Undangan"),
    "token": _("Token API"),
}
_DETAILS = {
    "angkatan": _("angkatan"),
    "anonymous": _("anonim"),
    "change": _("perubahan"),
    "cli": _("lewat perintah tilik"),
    "columns": _("kolom"),
    "count": _("jumlah"),
    "csv": _("berkas CSV"),
    "enrolments": _("pendaftaran peserta"),
    "fields": _("isian"),
    "file": _("berkas"),
    "form": _("instrumen"),
    "format": _("format"),
    "found": _("ditemukan"),
    "kind": _("jenis"),
    "known_account": _("akun dikenal"),
    "lang": _("bahasa"),
    "left": _("tersisa"),
    "months": _("bulan"),
    "organisations": _("instansi"),
    "prefix": _("awalan"),
    "program": _("program"),
    "pseudonymised": _("dengan pseudonim"),
    "quarantined": _("dikarantina"),
    "require_2fa_admins": _("admin wajib verifikasi dua langkah"),
    "responses": _("respons"),
    "role": _("peran"),
    "second_step": _("langkah kedua"),
    "status": _("status"),
    "stored": _("disimpan"),
    "token": _("token"),
    "unit_added": _("unit ditambahkan"),
    "values": _("isian"),
}


def target_words(event: AuditEvent) -> str:
    """``import:15`` as "Impor #15"; other targets (a form's name, a key) as they are."""
    kind, sep, number = event.target.partition(":")
    if sep and kind in _TARGETS and number.isdigit():
        return f"{_TARGETS[kind]} #{number}"
    return event.target


def detail_words(event: AuditEvent) -> str:
    """The details in words for the trail's page: "disimpan: 1.522; dikarantina: 0"."""
    parts = []
    for key, value in sorted(event.detail.items()):
        label = _DETAILS.get(key, key.replace("_", " "))
        if isinstance(value, bool):
            value = _("ya") if value else _("tidak")
        elif isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) or "–"
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "–"
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


def csv_bytes(events) -> bytes:
    """The events as a CSV (formula-safe), times in UTC, ISO 8601."""
    header = [
        "waktu_utc",
        "tindakan",
        "pengguna",
        "alamat_ip",
        "instansi",
        "evaluasi",
        "sasaran",
        "rincian",
    ]
    rows = (
        [
            e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            e.action,
            e.actor_username,
            e.ip or "",
            e.organisation_id or "",
            e.evaluation_id or "",
            e.target,
            detail_text(e),
        ]
        for e in events.iterator(chunk_size=2000)
    )
    return table_csv(header, rows)
