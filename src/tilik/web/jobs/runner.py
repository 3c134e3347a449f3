"""Running one job: claimed once, done in a fresh interpreter, watched by the worker.

The work itself (reading a file, polars, scikit-learn, WeasyPrint) runs in a child process
started with :data:`sys.executable`, never in the worker: the worker stays a small process
without thread pools, the child's memory goes back to the system when it ends, and the
worker can stop it (cancel, time limit) by killing its process group, readers included.
The child dies with the worker (``PR_SET_PDEATHSIG``), so a killed worker leaves nothing
behind; its job's heartbeat stops and the job reads as interrupted within a minute.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from tilik.web.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

#: How often the worker looks at its child and at the job's cancel flag (seconds).
POLL = 0.5
#: How long a stopped child may take to exit before it is killed (seconds).
GRACE = 2.0


#: Set in a worker told to stop (Ctrl-C, SIGTERM): the job under way is stopped at once.
STOPPING = threading.Event()


def isolated() -> bool:
    """Jobs run in a child process, except in the tests (tasks run inline, in one database
    transaction that a child could not see)."""
    return getattr(settings, "TILIK_JOBS_ISOLATED", True)


def time_limit() -> float:
    return float(getattr(settings, "TILIK_TASK_TIME_LIMIT", 30 * 60))


def job_model(label: str) -> type[Job]:
    model = apps.get_model(label)
    if not issubclass(model, Job):
        raise LookupError(f"{label} is not a kind of background job")
    return model


def claim(model: type[Job], pk: int) -> bool:
    """Pending → running, for one caller only: a task delivered twice runs its job once."""
    now = timezone.now()
    return bool(
        model._default_manager.filter(pk=pk, status=JobStatus.PENDING).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat=now, cancel_requested=False
        )
    )


def execute(model: type[Job], pk: int) -> None:
    """Do the work of one claimed job here (in the child, or inline in the tests)."""
    import_string(model.EXECUTE)(pk)


def run_job(label: str, pk: int, *, on_child: Any = None) -> str:
    """Claim and run one job; returns what became of it (its status, or ``"skipped"``)."""
    model = job_model(label)
    if not claim(model, pk):
        return "skipped"  # cancelled while it waited, or another worker has it
    if not isolated():
        execute(model, pk)
        return str(model._default_manager.values_list("status", flat=True).get(pk=pk))
    return supervise(model, pk, on_child=on_child)


def supervise(model: type[Job], pk: int, *, on_child: Any = None) -> str:
    """Run a claimed job in a child process and watch it until it ends."""
    command = [sys.executable, "-m", "tilik.web.jobs.child", model._meta.label_lower, str(pk)]
    command.append(str(os.getpid()))
    child = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own module
    if on_child is not None:
        on_child(child)
    outcome, reason = "", ""
    started = time.monotonic()
    next_beat = 0.0
    manager = model._default_manager
    try:
        while True:
            try:
                child.wait(timeout=POLL)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if now >= next_beat:
                manager.filter(pk=pk, status=JobStatus.RUNNING).update(heartbeat=timezone.now())
                next_beat = now + model.HEARTBEAT_EVERY.total_seconds()
            if STOPPING.is_set():
                outcome, reason = JobStatus.INTERRUPTED, "stopped"
                break
            if manager.filter(pk=pk, cancel_requested=True).exists():
                outcome, reason = JobStatus.CANCELLED, "cancelled"
                break
            if now - started > time_limit():
                outcome, reason = JobStatus.TIMED_OUT, "timed_out"
                break
    except BaseException:
        # The worker is forced to stop (a second Ctrl-C) or lost its database: stop the
        # child and say so on the job, then let the worker go on stopping.
        stop_group(child)
        _end(model, pk, JobStatus.INTERRUPTED, "stopped")
        raise
    stop_group(child)
    if outcome:
        _end(model, pk, outcome, reason)
    elif child.returncode != 0:
        log.error("job %s:%s: child exited with %s", model._meta.label_lower, pk, child.returncode)
    # The child records its own outcome; one that died (out of memory, a signal) could not.
    _end(model, pk, JobStatus.FAILED, "crashed")
    return str(manager.values_list("status", flat=True).get(pk=pk))


def _end(model: type[Job], pk: int, status: str, reason: str) -> None:
    close_old_connections()
    job = model._default_manager.filter(pk=pk).first()
    if job is not None:
        job.end(status, reason)


def stop_group(child: subprocess.Popen) -> None:
    """Stop a child and everything it started (its process group): TERM, then KILL."""
    if child.poll() is not None:
        _kill_group(child.pid, signal.SIGKILL)  # grandchildren of a child that ended
        return
    _kill_group(child.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=GRACE)
    _kill_group(child.pid, signal.SIGKILL)
    child.wait()


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
