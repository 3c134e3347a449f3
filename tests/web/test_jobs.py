"""Background work in real `tilik worker` processes: queued, claimed once, cancellable,
limited in time, and never left stuck or orphaned when a worker dies.

These tests commit their data (transactional tests) so that the worker processes, which
open the same database (a SQLite file, or PostgreSQL), see it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.builders import kobo_csv, kobo_row, write_form
from tilik.web.collection import services
from tilik.web.collection.models import ImportBatch, Submission
from tilik.web.jobs.models import JobStatus, WorkerBeat
from tilik.web.reports.models import AnalysisRun
from tilik.web.reports.services import start_analysis

QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
pytestmark = [pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TILIK_TESTING",)}
    env.update(
        DATABASE_URL=database_url(),
        TILIK_DATA=str(settings.DATA_DIR),
        DJANGO_SETTINGS_MODULE="tilik.web.settings",
        **extra,
    )
    return env


def start_worker(*args: str, **env: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "tilik", "worker", "--interval", "0.2", *args]
    return subprocess.Popen(command, env=worker_env(**env), start_new_session=True)


def wait_for(check, timeout: float = 240.0, every: float = 0.2):
    """Poll ``check`` until it returns something true (a hang fails the test, not speed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"still waiting after {timeout} s")


def job_children(data_dir: Path) -> list[int]:
    """Processes started for jobs of this test's data folder (job children and readers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ours = f"TILIK_DATA={data_dir}".encode() in environ
        if ours and (b"tilik.web.jobs.child" in cmdline or b"_reader_main" in cmdline):
            found.append(int(entry.name))
    return found


def test_it_runs_imports_and_the_analysis_in_a_worker_process(cast, survey):
    with QUEUE:
        batch = services.start_import(survey, kobo_csv([kobo_row(i) for i in range(6)]), "k.csv")
        run, started = start_analysis(cast.evaluation_a, cast.alice)
    assert started and batch.status == run.status == JobStatus.PENDING
    assert batch.upload_path.exists()
    worker = start_worker("--batch")
    assert worker.wait(timeout=300) == 0
    batch.refresh_from_db()
    run.refresh_from_db()
    assert batch.status == JobStatus.DONE and batch.stored == 6 and batch.already_stored == 0
    assert not batch.upload_path.exists()
    assert run.status == JobStatus.DONE, run.error
    assert run.hasil["schema"] == "tilik.hasil/1" and (run.path / "laporan.pdf").is_file()
    assert job_children(settings.DATA_DIR) == []


def test_it_cancels_a_running_import_and_leaves_no_process(cast, survey):
    rows = [kobo_row(i) for i in range(200_000)]
    with QUEUE:
        batch = services.start_import(survey, kobo_csv(rows), "besar.csv")
    worker = start_worker()
    try:
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == JobStatus.RUNNING)
        wait_for(lambda: job_children(settings.DATA_DIR))
        assert ImportBatch.objects.get(pk=batch.pk).request_cancel()
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == JobStatus.CANCELLED)
        wait_for(lambda: not job_children(settings.DATA_DIR), timeout=30)
        batch.refresh_from_db()
        assert "dibatalkan" in batch.problems[-1]["id"] and batch.problems[-1]["en"]
        assert worker.poll() is None  # the worker goes on with the next task
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    stored = Submission.objects.filter(instrument=survey).count()
    assert stored < 200_000  # stopped half-way; what was stored stays (and re-imports once)


def test_it_stops_a_run_that_exceeds_its_time_limit(cast, survey):
    with QUEUE:
        run, _ = start_analysis(cast.evaluation_a, cast.alice)
    worker = start_worker("--batch", TILIK_TASK_TIME_LIMIT="1")
    assert worker.wait(timeout=120) == 0
    run.refresh_from_db()
    assert run.status == JobStatus.TIMED_OUT and "batas waktu" in run.error["id"]
    assert run.hasil == {} and not run.path.exists()
    assert job_children(settings.DATA_DIR) == []


def test_it_solves_a_schedule_in_a_worker_and_cancels_a_long_solve(cast):
    import importlib.util

    import yaml

    from tests.schedule_builders import small_plan
    from tilik.web.planning.models import SchedulePlan, ScheduleRun
    from tilik.web.planning.services import start_run

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "schedule_plan.py"
    spec = importlib.util.spec_from_file_location("schedule_plan", path)
    big = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(big)

    def plan(title, data):
        source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        return SchedulePlan.objects.create(evaluation=cast.evaluation_a, title=title, source=source)

    with QUEUE:
        small, _ = start_run(plan("kecil", small_plan()))
        with override_settings(TILIK_SCHEDULE_TIME_LIMIT=600):
            long, _ = start_run(plan("besar", big.plan_dict(participants=400)))
    assert small.status == long.status == JobStatus.PENDING
    worker = start_worker()
    try:
        wait_for(lambda: ScheduleRun.objects.get(pk=small.pk).solved)
        wait_for(lambda: ScheduleRun.objects.get(pk=long.pk).stage == "solve")
        assert ScheduleRun.objects.get(pk=long.pk).request_cancel()
        wait_for(lambda: ScheduleRun.objects.get(pk=long.pk).status == JobStatus.CANCELLED)
        wait_for(lambda: not job_children(settings.DATA_DIR), timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    long.refresh_from_db()
    assert long.outcome == "" and long.schedule == {} and "dibatalkan" in long.error["id"]


def test_a_killed_worker_takes_its_children_along_and_its_job_reads_interrupted(cast, survey):
    rows = [kobo_row(i) for i in range(200_000)]
    with QUEUE:
        batch = services.start_import(survey, kobo_csv(rows), "besar.csv")
    worker = start_worker()
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == JobStatus.RUNNING)
    wait_for(lambda: job_children(settings.DATA_DIR))
    worker.kill()
    worker.wait()
    wait_for(lambda: not job_children(settings.DATA_DIR), timeout=30)
    batch.refresh_from_db()
    assert batch.status == JobStatus.RUNNING  # nobody has looked yet
    with override_settings(TILIK_JOB_STALE_AFTER=1):
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).check_interrupted(), timeout=30)
    batch.refresh_from_db()
    assert batch.status == JobStatus.INTERRUPTED and "terputus" in batch.problems[-1]["id"]


def test_a_stopped_worker_stops_its_job_at_once(cast, survey):
    rows = [kobo_row(i) for i in range(200_000)]
    with QUEUE:
        batch = services.start_import(survey, kobo_csv(rows), "besar.csv")
    worker = start_worker()
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == JobStatus.RUNNING)
    wait_for(lambda: WorkerBeat.objects.exists())
    worker.send_signal(signal.SIGINT)
    assert worker.wait(timeout=30) is not None
    batch.refresh_from_db()
    assert batch.status == JobStatus.INTERRUPTED and "worker dimatikan" in batch.problems[-1]["id"]
    assert job_children(settings.DATA_DIR) == []
    assert not WorkerBeat.objects.exists()


@pytest.mark.postgres
def test_two_workers_share_the_queue_without_running_a_task_twice(cast, tmp_path):
    from django_tasks_db.models import DBTaskResult

    assert connection.vendor == "postgresql"
    instruments = []
    for n in range(8):
        data = write_form(tmp_path / f"f{n}.xlsx", form_id=f"survei_{n}").read_bytes()
        instrument, problems = services.add_instrument(cast.evaluation_a, data, f"f{n}.xlsx")
        assert instrument is not None, problems
        instruments.append(instrument)
    with QUEUE:
        batches = [
            services.start_import(i, kobo_csv([kobo_row(r) for r in range(5)]), "k.csv")
            for i in instruments
        ]
    workers = [start_worker("--batch") for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    # (the workers also queue the day's retention purge: a task of its own)
    results = list(DBTaskResult.objects.filter(task_path__endswith=".run_job"))
    assert len(results) == 8 and all(r.status == "SUCCESSFUL" for r in results)
    assert all(len(r.worker_ids) == 1 for r in results)  # claimed once each
    assert len({r.worker_ids[0] for r in results}) == 2  # both workers took tasks
    for batch in batches:
        batch.refresh_from_db()
        assert batch.status == JobStatus.DONE and batch.stored == 5
    assert Submission.objects.count() == 8 * 5
    assert AnalysisRun.objects.count() == 0
