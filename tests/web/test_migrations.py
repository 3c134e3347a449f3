"""Migrations that carry existing rows over to a new shape."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def test_it_carries_schedule_runs_over_to_background_jobs(cast):
    before = [("planning", "0001_schedule_plans_and_runs")]
    after = [("planning", "0002_schedule_run_background_job")]
    old = _migrate(before)
    Plan, Run = old.get_model("planning", "SchedulePlan"), old.get_model("planning", "ScheduleRun")
    plan = Plan.objects.create(evaluation_id=cast.evaluation_a.pk, title="Lama", source="x: 1")
    for status in ("done", "infeasible", "unknown", "invalid", "failed", "running"):
        Run.objects.create(plan=plan, source="x: 1", status=status, time_limit=10)
    started = dict(Run.objects.values_list("status", "started_at"))
    new = _migrate(after)
    Run = new.get_model("planning", "ScheduleRun")
    carried = {(r.status, r.outcome) for r in Run.objects.all()}
    assert carried == {
        ("done", "solved"),
        ("done", "infeasible"),
        ("done", "unknown"),
        ("done", "invalid"),
        ("failed", ""),
        ("interrupted", ""),
    }
    # when each run was requested is kept (the old started_at)
    assert set(Run.objects.values_list("created_at", flat=True)) == set(started.values())
    assert not Run.objects.filter(started_at__isnull=False).exists()
    _migrate(before)  # and back again
    Run = _migrate(before).get_model("planning", "ScheduleRun")
    assert set(Run.objects.values_list("status", flat=True)) == {
        "done",
        "infeasible",
        "unknown",
        "invalid",
        "failed",
    }
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
