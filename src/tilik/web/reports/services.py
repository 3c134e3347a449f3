"""Running the analysis over an evaluation held in the database.

The web app records a run (:func:`start_analysis`) and a worker analyses it in a child
process (:mod:`tilik.web.jobs`), so a large evaluation never meets the server's request
timeout and the web process never runs polars; the page polls the run's status. The CLI
calls :func:`run_analysis`, which analyses inline and returns the run.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from tilik.core.cycles import Cycle
from tilik.report.pipeline import build_report
from tilik.web.evaluations.bundles import read_evaluation
from tilik.web.evaluations.models import Evaluation
from tilik.web.jobs.models import ACTIVE
from tilik.web.jobs.tasks import enqueue
from tilik.web.reports.models import AnalysisRun, RecommendationEdit

log = logging.getLogger(__name__)


def recommendation_edits(evaluation: Evaluation) -> dict[str, dict]:
    return {edit.key: edit.as_edit() for edit in evaluation.recommendation_edits.all()}


def coding_inputs(evaluation: Evaluation) -> dict:
    """The evaluation's codebook and manual theme codes (from the coding app, when installed)."""
    if not apps.is_installed("tilik.web.coding"):
        return {}
    from tilik.web.coding.models import codebook_for, manual_corrections

    codebook = codebook_for(evaluation)
    return {"codebook": codebook, "corrections": manual_corrections(evaluation, codebook)}


def schedule_inputs(evaluation: Evaluation) -> dict:
    """The evaluation's latest flexible schedule, for its report (from the planning app)."""
    if not apps.is_installed("tilik.web.planning"):
        return {}
    from tilik.web.planning.services import latest_summary

    return {"schedule": latest_summary(evaluation)}


def previous_cycles(evaluation: Evaluation) -> list[Cycle]:
    """The earlier cycles of the evaluation as the comparison takes them, nearest first: each
    one's latest done analysis and its follow-up records (status and due date only). The chain
    stops at a cycle not analysed yet."""
    cycles = []
    for earlier in evaluation.earlier_cycles():
        run = latest_run(earlier)
        if run is None or not run.hasil:
            break
        follow_ups = {
            f.key: {"status": f.status, "due": f.due.isoformat() if f.due else None}
            for f in earlier.follow_ups.all()
        }
        cycles.append(Cycle(run.hasil, follow_ups, f"evaluasi/{earlier.pk}"))
    return cycles


def new_folder(evaluation: Evaluation) -> str:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    return (Path("laporan") / str(evaluation.pk) / stamp).as_posix()


def _analyse(
    evaluation: Evaluation, folder: str, lang: str, note: Callable[[str], None]
) -> dict[str, Any]:
    """Read the stored data by columns, write the report files into ``folder``; returns
    ``hasil``."""
    out = Path(settings.MEDIA_ROOT) / folder
    note("prepare")
    bundle = read_evaluation(evaluation, link_previous=False)
    build_report(
        bundle,
        out,
        lang=lang,
        recommendation_edits=recommendation_edits(evaluation),
        progress=note,
        previous=previous_cycles(evaluation),
        **coding_inputs(evaluation),
        **schedule_inputs(evaluation),
    )
    return json.loads((out / "hasil.json").read_text(encoding="utf-8"))


def _ignore(stage: str) -> None:
    """Inline runs show no progress."""


def run_analysis(evaluation: Evaluation, user=None, lang: str = "id") -> AnalysisRun:
    """Analyse the stored data and write the report files; returns the saved run.

    Runs inline and raises on failure (nothing is saved then): for the CLI and the tests.
    """
    folder = new_folder(evaluation)
    hasil = _analyse(evaluation, folder, lang, _ignore)
    return AnalysisRun.objects.create(
        evaluation=evaluation,
        created_by=user,
        lang=lang,
        hasil=hasil,
        folder=folder,
        status=AnalysisRun.Status.DONE,
        finished_at=timezone.now(),
    )


def active_run(evaluation: Evaluation) -> AnalysisRun | None:
    """The evaluation's pending or running run, if its worker is still alive."""
    run = evaluation.runs.filter(
        status__in=(AnalysisRun.Status.PENDING, AnalysisRun.Status.RUNNING)
    ).first()
    if run is not None and run.check_interrupted():
        return None
    return run


def start_analysis(evaluation: Evaluation, user=None, lang: str = "id") -> tuple[AnalysisRun, bool]:
    """Record a run and queue it for a worker (in the tests, it runs at once).

    Returns the run and whether it is new; while another run of the evaluation is pending or
    running, that one is returned and nothing new starts.
    """
    running = active_run(evaluation)
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            run = AnalysisRun.objects.create(
                evaluation=evaluation,
                created_by=user if user is not None and user.is_authenticated else None,
                lang=lang,
                folder=new_folder(evaluation),
                status=AnalysisRun.Status.PENDING,
            )
            enqueue(run)
    except IntegrityError:  # another request started one a moment ago
        running = active_run(evaluation)
        if running is None:
            raise
        return running, False
    return run, True


def execute_run(run_id: int) -> AnalysisRun:
    """Analyse for a recorded run, noting each stage; a failing analysis raises nothing.

    A failed run keeps no files and no ``hasil``: the page goes on showing the last done run.
    """
    run = AnalysisRun.objects.select_related("evaluation").get(pk=run_id)

    def note(stage: str) -> None:
        run.stage = stage
        try:
            AnalysisRun.objects.filter(pk=run_id, status=AnalysisRun.Status.RUNNING).update(
                stage=stage, heartbeat=timezone.now()
            )
        except DatabaseError:  # e.g. SQLite busy with an import: progress is not worth a failure
            log.warning("analysis run %s: stage %s not recorded", run_id, stage, exc_info=True)

    try:
        run.hasil = _analyse(run.evaluation, run.folder, run.lang, note)
        run.status, run.error = AnalysisRun.Status.DONE, {}
    except Exception:  # the user gets a message, the log gets the traceback
        log.exception("analysis run %s of evaluation %s failed", run.pk, run.evaluation_id)
        shutil.rmtree(run.path, ignore_errors=True)
        run.hasil, run.status, run.error = {}, AnalysisRun.Status.FAILED, _failure_message()
    run.finished_at = timezone.now()
    fields = ("hasil", "status", "stage", "error", "finished_at")
    ended = AnalysisRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
        **{f: getattr(run, f) for f in fields}
    )
    if not ended:  # cancelled or stopped meanwhile, or the evaluation was deleted
        shutil.rmtree(run.path, ignore_errors=True)
    return run


def _failure_message() -> dict[str, str]:
    from tilik.core.i18n import gettext_noop, translate

    message = gettext_noop(
        "Analisis gagal karena kesalahan internal. Hasil sebelumnya tidak berubah; coba "
        "jalankan lagi, dan bila tetap gagal, hubungi pengelola server (rinciannya ada di "
        "log server)."
    )
    return {lang: translate(message, lang) for lang in ("id", "en")}


def latest_run(evaluation: Evaluation) -> AnalysisRun | None:
    """The latest done run: its results and files are what the app shows."""
    return evaluation.runs.done().first()


def latest_attempt(evaluation: Evaluation) -> AnalysisRun | None:
    """The latest run whatever its status (a worker that fell silent marked interrupted)."""
    run = evaluation.runs.first()
    if run is not None:
        run.check_interrupted()
    return run


__all__ = [
    "RecommendationEdit",
    "active_run",
    "execute_run",
    "latest_attempt",
    "latest_run",
    "previous_cycles",
    "recommendation_edits",
    "run_analysis",
    "start_analysis",
]
