from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilik.core.i18n import gettext_noop
from tilik.web.evaluations.models import Evaluation
from tilik.web.jobs.models import StagedJob


class AnalysisRunQuerySet(models.QuerySet):
    def done(self) -> AnalysisRunQuerySet:
        """Runs whose results and files are complete: the only ones the app shows."""
        return self.filter(status=AnalysisRun.Status.DONE)


class AnalysisRun(StagedJob):
    """One run of the analysis over the evaluation's stored data, with its report files.

    The web app records a run as pending and a worker analyses it (:class:`Job`); ``hasil``
    and the files count only once the run is done (:meth:`AnalysisRunQuerySet.done`).
    """

    # Stages as the progress callback names them (tilik.report.pipeline.STAGES), after the
    # web's own first step; the order is the order they run in.
    STAGES = {
        "prepare": _("Menyiapkan data"),
        "themes": _("Pengodean tema"),
        "statistics": _("Statistik"),
        "findings": _("Temuan dan rekomendasi"),
        "report": _("Menulis laporan (HTML, PDF, DOCX)"),
    }
    WAITING = _("Memulai analisis…")
    EXECUTE = "tilik.web.reports.services.execute_run"
    MESSAGES = {
        "interrupted": gettext_noop(
            "Analisis terputus: server atau worker berhenti saat analisis berjalan. Hasil "
            "sebelumnya tidak berubah; jalankan analisis lagi."
        ),
        "stopped": gettext_noop(
            "Analisis dihentikan karena worker dimatikan. Hasil sebelumnya tidak berubah; "
            "jalankan analisis lagi."
        ),
        "cancelled": gettext_noop("Analisis dibatalkan. Hasil sebelumnya tidak berubah."),
        "timed_out": gettext_noop(
            "Analisis dihentikan karena melewati batas waktu. Hasil sebelumnya tidak berubah; "
            "minta pengelola server menaikkan TILIK_TASK_TIME_LIMIT bila data memang sebesar ini."
        ),
        "crashed": gettext_noop(
            "Analisis gagal: proses analisis berhenti mendadak (misalnya kehabisan memori). "
            "Hasil sebelumnya tidak berubah; rinciannya ada di log server."
        ),
    }

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="runs")
    created_at = models.DateTimeField(_("waktu analisis"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lang = models.CharField(_("bahasa laporan"), max_length=5, default="id")
    hasil = models.JSONField(_("hasil"), default=dict, blank=True)
    folder = models.CharField(max_length=255)

    objects = AnalysisRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("analisis")
        verbose_name_plural = _("analisis")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two clicks, two tabs or two evaluators never analyse the same evaluation at once.
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(status__in=["pending", "running"]),
                name="analysis_run_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder

    def file(self, name: str) -> Path | None:
        target = (self.path / name).resolve()
        if self.path.resolve() not in target.parents or not target.is_file():
            return None
        return target

    def done_line(self) -> str:
        return str(_("Analisis selesai; hasilnya dimuat."))


class RecommendationEdit(models.Model):
    """An evaluator's change to a recommendation; applied again after every re-run."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="recommendation_edits"
    )
    key = models.CharField(_("kunci rekomendasi"), max_length=200)
    removed = models.BooleanField(_("dihapus"), default=False)
    added = models.BooleanField(_("ditambahkan evaluator"), default=False)
    text_id = models.TextField(_("teks (Indonesia)"), blank=True)
    text_en = models.TextField(_("teks (Inggris)"), blank=True)
    priority = models.CharField(
        _("prioritas"),
        max_length=10,
        blank=True,
        choices=[("tinggi", _("tinggi")), ("sedang", _("sedang")), ("rendah", _("rendah"))],
    )
    owner = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    indicator = models.CharField(_("indikator tindak lanjut"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("suntingan rekomendasi")
        verbose_name_plural = _("suntingan rekomendasi")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "key"], name="recommendation_edit_once")
        ]

    def __str__(self) -> str:
        return self.key

    def as_edit(self) -> dict:
        """The form :func:`tilik.core.recommend.apply_edits` takes."""
        if self.removed:
            return {"removed": True}
        edit: dict = {"added": True} if self.added else {}
        text = {k: v for k, v in (("id", self.text_id), ("en", self.text_en)) if v}
        if text:
            edit["text"] = text
        if self.priority:
            edit["priority"] = self.priority
        if self.owner:
            edit["owner"] = {"id": self.owner, "en": self.owner}
        if self.indicator:
            edit["indicator"] = {"id": self.indicator, "en": self.indicator}
        return edit


class FollowUp(models.Model):
    """Tindak lanjut: what became of a recommendation."""

    class Status(models.TextChoices):
        PLANNED = "belum", _("Belum ditindaklanjuti")
        IN_PROGRESS = "proses", _("Dalam proses")
        DONE = "selesai", _("Selesai")
        DROPPED = "tidak", _("Tidak dilaksanakan")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="follow_ups")
    key = models.CharField(_("kunci rekomendasi"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    assignee = models.CharField(_("ditugaskan kepada"), max_length=200, blank=True)
    due = models.DateField(_("tenggat"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [models.UniqueConstraint(fields=["evaluation", "key"], name="follow_up_once")]

    def __str__(self) -> str:
        return f"{self.key}: {self.get_status_display()}"


def _slug() -> str:
    return secrets.token_urlsafe(8)


class Publication(models.Model):
    """The public summary of an evaluation: opt-in, withdrawable, a snapshot of one analysis."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="publication"
    )
    slug = models.SlugField(max_length=40, unique=True, default=_slug)
    published = models.BooleanField(_("diterbitkan"), default=False)
    lang = models.CharField(_("bahasa"), max_length=5, default="id")
    html = models.TextField(_("isi"), blank=True)
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("publikasi")
        verbose_name_plural = _("publikasi")

    def __str__(self) -> str:
        return self.slug
