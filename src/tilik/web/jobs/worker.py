"""``tilik worker``: django-tasks-db's worker loop, with Tilik's way of stopping and a heartbeat.

- Several workers (on one machine or on several, against one database) share the queue:
  django-tasks-db claims a task under a row lock (SKIP LOCKED on PostgreSQL, an exclusive
  transaction on SQLite), and a job is claimed once more on its own row (pending → running).
- Ctrl-C or SIGTERM stops a worker at once: a running job's child is stopped and the job
  marked interrupted (importing or analysing again is safe), instead of waiting for it to end.
- Each worker notes itself in :class:`~tilik.web.jobs.models.WorkerBeat` every few seconds,
  and marks the jobs of dead workers interrupted on the way.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import FrameType

from django.apps import apps
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from tilik.web.jobs.models import Job, JobStatus, WorkerBeat
from tilik.web.jobs.runner import STOPPING
from tilik.web.jobs.tasks import schedule_daily

log = logging.getLogger(__name__)

BEAT_EVERY = 5.0


class TilikWorker(Worker):
    def __init__(self, *, batch: bool = False, interval: float = 1.0, worker_id: str = "") -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        self._stop = threading.Event()

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task and not STOPPING.is_set():
            # The job under way is stopped within a poll of its runner; a second signal
            # forces the way out at once.
            self.running = False
            STOPPING.set()
            return
        self.running = False
        self._stop.set()
        sys.exit(0)

    def run_task(self, db_task_result) -> None:  # type: ignore[no-untyped-def]
        args = db_task_result.args_kwargs.get("args") or []
        self._job = ":".join(str(a) for a in args)
        try:
            super().run_task(db_task_result)
        finally:
            self._job = ""
        if not self.running:
            sys.exit(0)

    def run(self) -> None:
        self._job = ""
        beat = threading.Thread(target=self._beat, name="tilik-worker-beat", daemon=True)
        beat.start()
        try:
            super().run()
        finally:
            self._stop.set()
            beat.join(timeout=2)
            close_old_connections()
            try:
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
            except Exception:  # stopping: the row ages out by itself
                log.debug("worker %s: could not remove its beat", self.worker_id)

    def _beat(self) -> None:
        from django.db import connection

        try:
            while not self._stop.is_set():
                try:
                    WorkerBeat.note(self.worker_id, self._job)
                    sweep()
                    schedule_daily(timezone.localdate().isoformat())
                except Exception:  # a missed beat must not stop the worker
                    log.warning("worker %s: heartbeat failed", self.worker_id, exc_info=True)
                self._stop.wait(BEAT_EVERY)
        finally:
            connection.close()


def job_models() -> list[type[Job]]:
    return [m for m in apps.get_models() if issubclass(m, Job)]


def sweep() -> int:
    """Mark the running jobs whose worker died as interrupted; returns how many."""
    ended = 0
    for model in job_models():
        for job in model._default_manager.filter(status=JobStatus.RUNNING):
            ended += job.check_interrupted()
    return ended
