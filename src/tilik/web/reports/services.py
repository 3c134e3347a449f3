"""Running the analysis over an evaluation held in the database."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from tilik.report.pipeline import build_report
from tilik.web.evaluations.bundles import export_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Evaluation
from tilik.web.reports.models import AnalysisRun, RecommendationEdit


def recommendation_edits(evaluation: Evaluation) -> dict[str, dict]:
    return {edit.key: edit.as_edit() for edit in evaluation.recommendation_edits.all()}


def coding_inputs(evaluation: Evaluation) -> dict:
    """The evaluation's codebook and manual theme codes (from the coding app, when installed)."""
    if not apps.is_installed("tilik.web.coding"):
        return {}
    from tilik.web.coding.models import codebook_for, corrections_for

    return {
        "codebook": codebook_for(evaluation),
        "corrections": corrections_for(evaluation, native=True),
    }


def run_analysis(evaluation: Evaluation, user=None, lang: str = "id") -> AnalysisRun:
    """Analyse the stored data and write the report files; returns the saved run."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = Path("laporan") / str(evaluation.pk) / stamp
    out = Path(settings.MEDIA_ROOT) / folder
    with tempfile.TemporaryDirectory(prefix="tilik-bundle-") as tmp:
        bundle = read_bundle_for_db(export_bundle(evaluation, Path(tmp) / "bundle"))
        build_report(
            bundle,
            out,
            lang=lang,
            recommendation_edits=recommendation_edits(evaluation),
            **coding_inputs(evaluation),
        )
    hasil = json.loads((out / "hasil.json").read_text(encoding="utf-8"))
    return AnalysisRun.objects.create(
        evaluation=evaluation, created_by=user, lang=lang, hasil=hasil, folder=folder.as_posix()
    )


def latest_run(evaluation: Evaluation) -> AnalysisRun | None:
    return evaluation.runs.first()


__all__ = ["RecommendationEdit", "latest_run", "recommendation_edits", "run_analysis"]
