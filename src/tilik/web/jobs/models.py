"""The state of background work as users see it, and the workers that do it."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    RUNNING = "running", _("Sedang berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    INTERRUPTED = "interrupted", _("Terputus")
    CANCELLED = "cancelled", _("Dibatalkan")
    TIMED_OUT = "timed_out", _("Melewati batas waktu")


ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)


def stale_after() -> timedelta:
    """A running job whose heartbeat is older than this lost its worker (killed, crashed)."""
    return timedelta(seconds=getattr(settings, "TILIK_JOB_STALE_AFTER", 45))


class Job(models.Model):
    """A piece of background work: an import, an analysis run, an XLSForm upload.

    The web process records it as pending and enqueues :func:`tilik.web.jobs.tasks.run_job`;
    a worker claims it (pending → running, once: two workers never run it twice) and runs
    :attr:`EXECUTE` in a child process, beating the heartbeat while the child lives. The
    child records the outcome (done, failed); the worker records what it decides itself
    (cancelled, timed out, a crashed child); a job whose worker died is marked interrupted by
    whoever looks at it next (:meth:`check_interrupted`).
    """

    Status = JobStatus
    #: How often the worker notes that a running job is alive.
    HEARTBEAT_EVERY = timedelta(seconds=10)
    #: ``"module.function"`` doing the work for one job, called with its primary key.
    EXECUTE: ClassVar[str]
    #: The sentences users read when the worker ends a job (Indonesian msgids), by outcome.
    MESSAGES: ClassVar[dict[str, str]] = {}

    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.DONE
    )
    heartbeat = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai dikerjakan"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    task_id = models.CharField(_("ID tugas"), max_length=64, blank=True)
    cancel_requested = models.BooleanField(_("diminta batal"), default=False)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def label(self) -> str:
        return self._meta.label_lower

    def message_fields(self, message: dict[str, str]) -> dict[str, Any]:
        """The fields that carry a message ``{"id": …, "en": …}`` of this kind of job."""
        raise NotImplementedError

    def end(self, status: str, reason: str = "") -> bool:
        """Move the job from pending or running to ``status``; ``reason`` is a key of
        :attr:`MESSAGES`. Returns whether this call ended it (not someone before)."""
        fields: dict[str, Any] = {"status": status, "finished_at": timezone.now()}
        if reason:
            from tilik.core.i18n import translate

            message = self.MESSAGES[reason]
            fields.update(
                self.message_fields({lang: translate(message, lang) for lang in ("id", "en")})
            )
        changed = type(self)._default_manager.filter(pk=self.pk, status__in=ACTIVE).update(**fields)
        if changed:
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(changed)

    def check_interrupted(self) -> bool:
        """Mark the job interrupted if its worker died; returns whether it was.

        A running job is alive while its heartbeat is fresh. A pending job waits for a worker
        however long the queue is, unless its task ended without ever starting it.
        """
        if self.status == JobStatus.RUNNING:
            last = self.heartbeat or self.started_at
            if last is not None and timezone.now() - last < stale_after():
                return False
            ended = self.end(JobStatus.INTERRUPTED, "interrupted")
            if ended:
                _fail_task(self.task_id)
            return ended
        if self.status == JobStatus.PENDING and self.task_id and _task_ended(self.task_id):
            return self.end(JobStatus.INTERRUPTED, "interrupted")
        return False

    def request_cancel(self) -> bool:
        """Cancel the job: at once while it waits, within a second or two while it runs."""
        if self.status == JobStatus.PENDING:
            return self.end(JobStatus.CANCELLED, "cancelled")
        if self.status != JobStatus.RUNNING:
            return False
        type(self)._default_manager.filter(pk=self.pk).update(cancel_requested=True)
        self.cancel_requested = True
        return True

    def waiting_for_worker(self) -> bool:
        """Pending for a while with no worker alive to take it: the page says what to run."""
        if self.status != JobStatus.PENDING:
            return False
        return not WorkerBeat.alive().exists()


class StagedJob(Job):
    """A job that goes through named stages (an analysis run, a schedule solve): its page
    lists them, marks the current one, and says in one line where the job stands."""

    #: The stages in the order they run: key (as the work notes it) → label.
    STAGES: ClassVar[dict[str, Any]] = {}
    #: What the page says while the job waits for a worker.
    WAITING: ClassVar[Any] = _("Menunggu worker…")

    stage = models.CharField(_("tahap"), max_length=20, blank=True)
    error = models.JSONField(_("pesan kesalahan"), default=dict, blank=True)

    class Meta:
        abstract = True

    def message_fields(self, message: dict[str, str]) -> dict[str, Any]:
        return {"error": message}

    @property
    def stage_label(self) -> str:
        if self.status == JobStatus.PENDING or self.stage not in self.STAGES:
            return str(self.WAITING)
        return str(self.STAGES[self.stage])

    @property
    def step(self) -> int:
        """The current stage's number, counting from 1; 0 while the job waits to start."""
        stages = list(self.STAGES)
        return stages.index(self.stage) + 1 if self.stage in stages else 0

    def stage_list(self) -> list[dict[str, Any]]:
        """Every stage with its state (done, current, todo), for the progress list."""
        step = self.step
        return [
            {
                "key": key,
                "label": label,
                "state": "done" if n < step else "current" if n == step else "todo",
            }
            for n, (key, label) in enumerate(self.STAGES.items(), start=1)
        ]

    def elapsed(self, now: datetime | None = None) -> int:
        """Whole seconds from the request (``created_at``) until the job finished (or now)."""
        end = self.finished_at or now or timezone.now()
        created = self.created_at  # type: ignore[attr-defined]
        return max(int((end - created).total_seconds()), 0)

    def message(self, lang: str) -> str:
        """The error of a failed, cancelled or interrupted job, in ``lang``."""
        return self.error.get(lang) or self.error.get("id", "")

    def done_line(self) -> str:
        """What :meth:`status_line` says once the job is done."""
        return str(self.get_status_display())  # type: ignore[attr-defined]

    def status_line(self, lang: str) -> str:
        """One sentence on where the job stands, in the active language (``lang`` for the
        stored messages)."""
        if self.status == JobStatus.RUNNING and self.step:
            return _("Tahap %(step)s dari %(steps)s: %(stage)s") % {
                "step": self.step,
                "steps": len(self.STAGES),
                "stage": self.stage_label,
            }
        if self.active:
            return self.stage_label
        if self.status == JobStatus.DONE:
            return self.done_line()
        return self.message(lang) or str(self.get_status_display())  # type: ignore[attr-defined]

    def status_json(self, lang: str) -> dict[str, Any]:
        """What its page polls: status, stage, the line to show, time so far."""
        return {
            "run": self.pk,
            "status": self.status,
            "status_label": str(self.get_status_display()),  # type: ignore[attr-defined]
            "stage": self.stage,
            "step": self.step,
            "steps": len(self.STAGES),
            "line": self.status_line(lang),
            "elapsed": self.elapsed(),
            "waiting_for_worker": self.waiting_for_worker(),
        }


def _task_result(task_id: str):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(id=task_id).first()


def _task_ended(task_id: str) -> bool:
    """Whether the queued task of a pending job is gone or finished (it will never start it)."""
    if not _database_backend():
        return False
    result = _task_result(task_id)
    return result is None or result.status in ("SUCCESSFUL", "FAILED")


def _fail_task(task_id: str) -> None:
    """A task whose worker died stays "running" in the queue: mark it failed."""
    if not task_id or not _database_backend():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now()
    )


def _database_backend() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db.")


class WorkerBeat(models.Model):
    """A live ``tilik worker`` process: it notes itself here every few seconds."""

    ALIVE_WITHIN = timedelta(seconds=30)

    worker_id = models.CharField(_("ID worker"), max_length=64, unique=True)
    host = models.CharField(_("mesin"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    seen_at = models.DateTimeField(_("terakhir terlihat"))
    job = models.CharField(_("sedang mengerjakan"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("worker")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"

    @classmethod
    def alive(cls) -> models.QuerySet[WorkerBeat]:
        return cls.objects.filter(seen_at__gte=timezone.now() - cls.ALIVE_WITHIN)

    @classmethod
    def note(cls, worker_id: str, job: str = "") -> None:
        cls.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "seen_at": timezone.now(),
                "job": job,
            },
        )
