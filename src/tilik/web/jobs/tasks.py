"""The one task of the queue: run a recorded job (see :mod:`tilik.web.jobs.runner`)."""

from __future__ import annotations

from django.db import transaction

try:  # Django 6 has the task API built in; Django 5.2 takes it from django-tasks
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:
    from django_tasks import task

from tilik.web.jobs.models import Job


@task()
def run_job(label: str, pk: int) -> str:
    from tilik.web.jobs.runner import run_job as run

    return run(label, pk)


def enqueue(job: Job) -> None:
    """Queue a pending job, in the same transaction that recorded it: a job is never
    recorded without its task, nor a task queued for a job that was rolled back."""
    with transaction.atomic():
        result = run_job.enqueue(job.label, job.pk)
        if job.status == job.Status.PENDING:
            type(job)._default_manager.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()


@task()
def purge_expired() -> int:
    """Personal data whose retention period has ended is purged (once a day, see
    :func:`schedule_daily`); returns how many evaluations were purged."""
    from tilik.web.evaluations.personal import purge_due

    return len(purge_due())


def schedule_daily(today: str) -> bool:
    """Queue the day's purge once, whichever of the workers asks first (the claim is a row
    of the shared database cache). Returns whether this call queued it."""
    from django.core.cache import cache

    if not cache.add(f"tilik:daily-purge:{today}", 1, timeout=2 * 24 * 3600):
        return False
    purge_expired.enqueue()
    return True
