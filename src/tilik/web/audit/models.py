"""The audit trail: who did what, when (UTC) and from where.

An own append-only table with an explicit vocabulary of events, not django-auditlog:
auditlog records model diffs ("field x changed"), while an office has to answer "who
downloaded the report", "who signed in from where", "who revoked this link" — events that
change no model at all. The table is append-only in the database itself (a trigger that
raises on UPDATE and DELETE, created by migration 0001 on PostgreSQL and SQLite), and its
references are plain ids without foreign-key constraints, so deleting a user or an
evaluation never touches the trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # accounts and sessions
    LOGIN = "login", _("Masuk")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    LOGIN_LOCKED = "login_locked", _("Masuk ditahan (terlalu banyak percobaan)")
    LOGOUT = "logout", _("Keluar")
    PASSWORD_CHANGED = "password_changed", _("Kata sandi diganti")
    RESET_ISSUED = "reset_issued", _("Tautan atur ulang kata sandi dibuat")
    RESET_USED = "reset_used", _("Kata sandi diatur ulang lewat tautan")
    OTP_ENABLED = "otp_enabled", _("Verifikasi dua langkah diaktifkan")
    OTP_DISABLED = "otp_disabled", _("Verifikasi dua langkah dimatikan")
    OTP_BACKUP_USED = "otp_backup_used", _("Masuk dengan kode cadangan")
    OTP_CODES_RENEWED = "otp_codes_renewed", _("Kode cadangan dibuat baru")
    OTP_RESET = "otp_reset", _("Verifikasi dua langkah pengguna diatur ulang oleh admin")
    # team
    USER_INVITED = "user_invited", _("Pengguna diundang")
    INVITE_ACCEPTED = "invite_accepted", _("Undangan diterima")
    USER_DEACTIVATED = "user_deactivated", _("Pengguna dinonaktifkan")
    USER_REACTIVATED = "user_reactivated", _("Pengguna diaktifkan kembali")
    ORG_ROLE_CHANGED = "org_role_changed", _("Peran atau unit di instansi diubah")
    ORG_SETTINGS_CHANGED = "org_settings_changed", _("Pengaturan instansi diubah")
    MEMBER_ADDED = "member_added", _("Anggota tim ditambahkan")
    MEMBER_REMOVED = "member_removed", _("Anggota tim dikeluarkan")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Peran anggota tim diubah")
    # evaluations and data
    EVALUATION_CREATED = "evaluation_created", _("Evaluasi dibuat")
    PROGRAM_ADDED = "program_added", _("Program ditambahkan")
    PROGRAM_CHANGED = "program_changed", _("Program diubah")
    PROGRAM_REMOVED = "program_removed", _("Program dihapus")
    IMPORT = "import", _("Data diimpor")
    BUNDLE_IMPORTED = "bundle_imported", _("Bundel diimpor")
    EXPORT = "export", _("Respons diekspor")
    BUNDLE_DOWNLOADED = "bundle_downloaded", _("Bundel diunduh")
    REPORT_DOWNLOADED = "report_downloaded", _("Laporan atau hasil diunduh")
    XLSFORM_DOWNLOADED = "xlsform_downloaded", _("XLSForm diunduh")
    AUDIT_EXPORTED = "audit_exported", _("Jejak audit diekspor")
    QUARANTINE_FIXED = "quarantine_fixed", _("Baris karantina diperbaiki")
    QUARANTINE_DISCARDED = "quarantine_discarded", _("Baris karantina dibuang")
    LINKS_CREATED = "links_created", _("Tautan responden dibuat")
    LINK_REVOKED = "link_revoked", _("Tautan responden dicabut")
    PRIVACY_CHANGED = "privacy_changed", _("Pemberitahuan privasi diubah")
    ANONYMITY_CHANGED = "anonymity_changed", _("Pengaturan anonim diubah")
    RETENTION_CHANGED = "retention_changed", _("Masa simpan data pribadi diubah")
    ANALYSIS_STARTED = "analysis_started", _("Analisis dijalankan")
    RECOMMENDATION_EDITED = "recommendation_edited", _("Rekomendasi disunting")
    FOLLOW_UP_EDITED = "follow_up_edited", _("Tindak lanjut diubah")
    PUBLISHED = "published", _("Ringkasan publik diterbitkan")
    UNPUBLISHED = "unpublished", _("Ringkasan publik ditarik")
    # the read-only API
    API_READ = "api_read", _("Dibaca lewat API")
    API_TOKEN_CREATED = "api_token_created", _("Token API dibuat")
    API_TOKEN_REVOKED = "api_token_revoked", _("Token API dicabut")
    # personal data (UU 27/2022)
    PERSON_SEARCHED = "person_searched", _("Data seseorang dicari")
    PERSON_EXPORTED = "person_exported", _("Data seseorang diekspor")
    PERSON_CORRECTED = "person_corrected", _("Data seseorang dikoreksi")
    PERSON_DELETED = "person_deleted", _("Data seseorang dihapus")
    PURGED = "purged", _("Data pribadi dihapus karena masa simpan berakhir")


#: The actions by kind, for the audit trail's filter (each action in one group).
ACTION_GROUPS = (
    (
        _("Akun dan sesi"),
        (
            Action.LOGIN,
            Action.LOGIN_FAILED,
            Action.LOGIN_LOCKED,
            Action.LOGOUT,
            Action.PASSWORD_CHANGED,
            Action.RESET_ISSUED,
            Action.RESET_USED,
            Action.OTP_ENABLED,
            Action.OTP_DISABLED,
            Action.OTP_BACKUP_USED,
            Action.OTP_CODES_RENEWED,
            Action.OTP_RESET,
        ),
    ),
    (
        _("Tim"),
        (
            Action.USER_INVITED,
            Action.INVITE_ACCEPTED,
            Action.USER_DEACTIVATED,
            Action.USER_REACTIVATED,
            Action.ORG_ROLE_CHANGED,
            Action.ORG_SETTINGS_CHANGED,
            Action.MEMBER_ADDED,
            Action.MEMBER_REMOVED,
            Action.MEMBER_ROLE_CHANGED,
        ),
    ),
    (
        _("Evaluasi dan data"),
        (
            Action.EVALUATION_CREATED,
            Action.PROGRAM_ADDED,
            Action.PROGRAM_CHANGED,
            Action.PROGRAM_REMOVED,
            Action.IMPORT,
            Action.BUNDLE_IMPORTED,
            Action.EXPORT,
            Action.BUNDLE_DOWNLOADED,
            Action.REPORT_DOWNLOADED,
            Action.XLSFORM_DOWNLOADED,
            Action.AUDIT_EXPORTED,
            Action.QUARANTINE_FIXED,
            Action.QUARANTINE_DISCARDED,
            Action.LINKS_CREATED,
            Action.LINK_REVOKED,
            Action.PRIVACY_CHANGED,
            Action.ANONYMITY_CHANGED,
            Action.RETENTION_CHANGED,
            Action.ANALYSIS_STARTED,
            Action.RECOMMENDATION_EDITED,
            Action.FOLLOW_UP_EDITED,
            Action.PUBLISHED,
            Action.UNPUBLISHED,
        ),
    ),
    (
        _("API baca"),
        (
            Action.API_READ,
            Action.API_TOKEN_CREATED,
            Action.API_TOKEN_REVOKED,
        ),
    ),
    (
        _("Data pribadi (UU 27/2022)"),
        (
            Action.PERSON_SEARCHED,
            Action.PERSON_EXPORTED,
            Action.PERSON_CORRECTED,
            Action.PERSON_DELETED,
            Action.PURGED,
        ),
    ),
)


class AuditEvent(models.Model):
    """One event. Never updated, never deleted (the database refuses both)."""

    at = models.DateTimeField(_("waktu (UTC)"), default=timezone.now, db_index=True)
    action = models.CharField(_("tindakan"), max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("evaluasi"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target = models.CharField(_("sasaran"), max_length=200, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["evaluation", "-at"], name="audit_evaluation_at"),
            models.Index(fields=["organisation", "-at"], name="audit_organisation_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise ValueError("the audit trail is append-only")
