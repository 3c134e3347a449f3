from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilik.core.i18n import gettext_noop
from tilik.core.kinds import KINDS
from tilik.web.collection.fields import StoredJSONField
from tilik.web.evaluations.models import Evaluation
from tilik.web.jobs.models import Job

if TYPE_CHECKING:
    from tilik.core.xlsform import Form

KIND_LABELS = {
    "survei_peserta": _("Survei peserta"),
    "survei_atasan": _("Survei atasan"),
    "tes_awal": _("Tes awal (pre-test)"),
    "tes_akhir": _("Tes akhir (post-test)"),
    "observasi": _("Observasi lapangan"),
    "skm": _("Survei Kepuasan Masyarakat (SKM)"),
    "lainnya": _("Lainnya"),
}


class Instrument(models.Model):
    """An XLSForm of an evaluation. Each upload of a changed form adds a :class:`FormVersion`."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="instruments")
    form_id = models.SlugField(_("form_id"), max_length=100)
    kind = models.CharField(
        _("jenis"), max_length=30, choices=[(k, KIND_LABELS[k]) for k in KINDS], default="lainnya"
    )
    title = models.CharField(_("judul"), max_length=250, blank=True)
    options = models.JSONField(
        _("opsi"),
        default=dict,
        blank=True,
        help_text=_("test, compare_by, unit dari evaluasi.yaml"),
    )
    current = models.ForeignKey(
        "FormVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField(
        _("anonim"),
        default=False,
        help_text=_(
            "tautan sekali pakai tidak dicatat pada respons, sehingga responden "
            "tidak dapat dilacak dari tautannya"
        ),
    )

    class Meta:
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        ordering = ["evaluation", "form_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "form_id"], name="instrument_once")
        ]

    def __str__(self) -> str:
        return self.title or self.form_id

    def form(self) -> Form:
        from tilik.core.xlsform import form_from_dict

        return form_from_dict(self.current.definition)


class FormVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("versi"), max_length=60, blank=True)
    xlsform = models.BinaryField(_("berkas XLSForm"))
    sha256 = models.CharField(max_length=64)
    definition = models.JSONField(_("definisi"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("versi formulir")
        verbose_name_plural = _("versi formulir")
        ordering = ["instrument", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "sha256"], name="form_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.instrument.form_id} {self.version}"

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class FormUpload(Job):
    """An uploaded XLSForm, checked by a worker (Tilik's reader and pyxform) before it becomes
    a new instrument or a new version of one: a large form never holds a web request."""

    EXECUTE = "tilik.web.collection.services.execute_form_upload"
    MESSAGES = {
        "interrupted": gettext_noop(
            "Pemeriksaan formulir terputus (server atau worker berhenti); unggah lagi."
        ),
        "stopped": gettext_noop(
            "Pemeriksaan formulir dihentikan karena worker dimatikan; unggah lagi."
        ),
        "cancelled": gettext_noop("Pemeriksaan formulir dibatalkan; tidak ada yang berubah."),
        "timed_out": gettext_noop(
            "Pemeriksaan formulir melewati batas waktu (TILIK_TASK_TIME_LIMIT); formulir "
            "ditolak, tidak ada yang berubah."
        ),
        "crashed": gettext_noop(
            "Pemeriksaan formulir berhenti mendadak (misalnya kehabisan memori); formulir "
            "ditolak, tidak ada yang berubah."
        ),
    }

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="form_uploads"
    )
    instrument = models.ForeignKey(
        Instrument,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="uploads",
        help_text=_("Instrumen yang mendapat versi baru; kosong untuk instrumen baru."),
    )
    kind = models.CharField(_("jenis"), max_length=30, blank=True)
    file_name = models.CharField(_("berkas"), max_length=255)
    data = models.BinaryField(_("berkas XLSForm"))
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    accepted = models.BooleanField(_("diterima"), default=False)
    result = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("unggahan XLSForm")
        verbose_name_plural = _("unggahan XLSForm")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def message_fields(self, message: dict[str, str]) -> dict:
        return {"problems": [*self.problems, message], "data": b""}


class ImportBatch(Job):
    """One import of a data file into an instrument; a worker reads it (:class:`Job`)."""

    EXECUTE = "tilik.web.collection.services.execute_import"
    MESSAGES = {
        "interrupted": gettext_noop(
            "impor terputus (server atau worker berhenti saat impor berjalan); baris yang "
            "sudah tersimpan tetap ada. Impor ulang berkas yang sama untuk menyelesaikannya: "
            "tidak ada yang tersimpan dua kali."
        ),
        "stopped": gettext_noop(
            "impor dihentikan karena worker dimatikan; baris yang sudah tersimpan tetap ada. "
            "Impor ulang berkas yang sama untuk menyelesaikannya: tidak ada yang tersimpan "
            "dua kali."
        ),
        "cancelled": gettext_noop(
            "impor dibatalkan; baris yang sudah tersimpan tetap ada. Impor ulang berkas yang "
            "sama untuk menyelesaikannya: tidak ada yang tersimpan dua kali."
        ),
        "timed_out": gettext_noop(
            "impor dihentikan karena melewati batas waktu (TILIK_TASK_TIME_LIMIT); baris yang "
            "sudah tersimpan tetap ada. Bagi berkasnya, atau minta pengelola server menaikkan "
            "batasnya."
        ),
        "crashed": gettext_noop(
            "impor gagal: proses impor berhenti mendadak (misalnya kehabisan memori); baris "
            "yang sudah tersimpan tetap ada. Rinciannya ada di log server."
        ),
    }

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    stored = models.PositiveIntegerField(_("disimpan"), default=0)
    already_stored = models.PositiveIntegerField(_("sudah ada"), default=0)
    quarantined = models.PositiveIntegerField(_("dikarantina"), default=0)
    fixed_earlier = models.PositiveIntegerField(_("sudah ditangani sebelumnya"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("waktu impor"), auto_now_add=True)
    progress = models.PositiveIntegerField(_("baris diproses"), default=0)
    total = models.PositiveIntegerField(_("perkiraan jumlah baris"), default=0)
    problems = models.JSONField(_("masalah berkas"), default=list, blank=True)

    class Meta:
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def running(self) -> bool:
        return self.active

    def message_fields(self, message: dict[str, str]) -> dict:
        return {"problems": [message]}

    @property
    def upload_path(self) -> Path:
        """Where the uploaded file waits for its worker; removed once the import ends."""
        return Path(settings.MEDIA_ROOT) / "impor" / f"{self.pk}-{self.sha256[:16]}"


class Submission(models.Model):
    """One response, stored once per (instrument, instance id); answers kept as received."""

    class Source(models.TextChoices):
        WEB = "web", _("Formulir web")
        IMPORT = "import", _("Impor berkas")
        BUNDLE = "bundle", _("Bundel evaluasi")

    # No index of its own: the unique (instrument, instance id) index starts with it. Each
    # index is written for every row a national import stores.
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="submissions", db_index=False
    )
    instance_id = models.CharField(_("ID kiriman"), max_length=120)
    answers = StoredJSONField(_("jawaban"))
    raw = StoredJSONField(_("baris asli"), default=dict)
    content_hash = models.CharField(max_length=64)
    respondent_key = models.CharField(_("kunci responden (hash)"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("waktu kirim"), null=True, blank=True)
    received_at = models.DateTimeField(_("waktu diterima"), auto_now_add=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    row = models.PositiveIntegerField(_("baris"), null=True, blank=True)
    link = models.ForeignKey(
        "RespondentLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )

    class Meta:
        verbose_name = _("kiriman")
        verbose_name_plural = _("kiriman")
        ordering = ["instrument", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "instance_id"], name="submission_once")
        ]
        # equality look-ups only: no second (LIKE) index, as db_index=True makes on PostgreSQL
        indexes = [models.Index(fields=["respondent_key"], name="submission_respondent_key")]

    def __str__(self) -> str:
        return self.instance_id


class ObservationManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(instrument__kind="observasi")


class Observation(Submission):
    """A field observation of service: a submission of an ``observasi`` instrument."""

    objects = ObservationManager()

    class Meta:
        proxy = True
        verbose_name = _("observasi")
        verbose_name_plural = _("observasi")


class QuarantinedRow(models.Model):
    """A row that could not be stored as it was, with its reasons; fixable and re-checkable."""

    class Status(models.TextChoices):
        OPEN = "open", _("Perlu diperbaiki")
        RESOLVED = "resolved", _("Sudah disimpan")
        DISCARDED = "discarded", _("Dibuang oleh evaluator")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="quarantine")
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quarantined_rows",
    )
    file_name = models.CharField(_("berkas"), max_length=255, blank=True)
    row = models.PositiveIntegerField(_("baris"), null=True, blank=True)
    instance_id = models.CharField(_("ID kiriman"), max_length=120, blank=True)
    raw = models.JSONField(_("baris asli"))
    raw_hash = models.CharField(max_length=64)
    problems = models.JSONField(_("masalah"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("baris karantina")
        verbose_name_plural = _("baris karantina")
        ordering = ["instrument", "file_name", "row"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "raw_hash"], name="quarantine_once")
        ]

    def __str__(self) -> str:
        return f"{self.file_name}:{self.row}"


class Interview(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="interviews")
    file_name = models.CharField(_("berkas"), max_length=255)
    role = models.CharField(_("peran narasumber"), max_length=60, blank=True)
    instansi = models.CharField(_("instansi"), max_length=200, blank=True)
    sector = models.CharField(_("sektor"), max_length=60, blank=True)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    transcript = models.TextField(_("transkrip"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("wawancara")
        verbose_name_plural = _("wawancara")
        ordering = ["evaluation", "date", "file_name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "file_name"], name="interview_once")
        ]

    def __str__(self) -> str:
        return self.file_name


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RespondentLink(models.Model):
    """A link a respondent opens to fill a form, without an account.

    The token is 256 bits from :mod:`secrets`; only its SHA-256 is stored, so a database leak
    reveals no working link. One-time links are shown once, when made; open links (one link
    for everybody, e.g. on a poster) keep their token so the evaluator can show it again.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("Sekali pakai")
        OPEN = "open", _("Terbuka")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    public_token = models.CharField(max_length=64, blank=True)
    label = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    used = models.BooleanField(_("sudah dipakai"), default=False)

    class Meta:
        verbose_name = _("tautan responden")
        verbose_name_plural = _("tautan responden")
        ordering = ["instrument", "-created_at", "id"]

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()} #{self.pk}"

    @classmethod
    def make(cls, instrument: Instrument, kind: str, **fields) -> tuple[RespondentLink, str]:
        """A new link and its token (the only time a one-time token is known in clear)."""
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            instrument=instrument,
            kind=kind,
            token_hash=hash_token(token),
            public_token=token if kind == cls.Kind.OPEN else "",
            **fields,
        )
        return link, token

    @classmethod
    def by_token(cls, token: str) -> RespondentLink | None:
        if not token or len(token) > 100:
            return None
        return (
            cls.objects.select_related("instrument__evaluation", "instrument__current")
            .filter(token_hash=hash_token(token))
            .first()
        )

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired


class PrivacyNotice(models.Model):
    """What respondents read before the first question (UU 27/2022 on personal data)."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="privacy_notice"
    )
    collector = models.TextField(_("siapa yang mengumpulkan"))
    purpose = models.TextField(_("untuk apa"))
    retention = models.TextField(_("berapa lama disimpan"))
    contact = models.TextField(_("kontak untuk pertanyaan atau penghapusan data"))
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pemberitahuan privasi")
        verbose_name_plural = _("pemberitahuan privasi")

    def __str__(self) -> str:
        return str(self.evaluation)

    @classmethod
    def default_for(cls, evaluation: Evaluation) -> PrivacyNotice:
        """The notice shown until the evaluator writes one."""
        return cls(
            evaluation=evaluation,
            collector=str(evaluation.organisation),
            purpose=_(
                "Menilai program pengembangan kompetensi ASN agar dapat diperbaiki. "
                "Jawaban dianalisis secara gabungan; nama dan NIP tidak dimuat dalam "
                "laporan."
            ),
            retention=_(
                "Sampai evaluasi selesai dilaporkan, paling lama dua tahun; setelah itu dihapus."
            ),
            contact=_("Tim evaluasi {organisation}").format(organisation=evaluation.organisation),
        )
