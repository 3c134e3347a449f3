"""The coder on the hand-labelled development corpus (measured only: never trained or
tuned on; its texts are kept out of the training texts by test_themes_training.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tilik.core.themes import Coder
from tilik.core.themes.evaluate import score

DEV = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "dev.jsonl"


@pytest.fixture(scope="module")
def dev():
    if not DEV.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{DEV} is required in CI")
        pytest.skip(f"{DEV} is not available")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    codings = Coder.default().code_many([r["text"] for r in rows], contexts=rows)
    return rows, codings


def test_it_meets_the_quality_targets_on_the_dev_corpus(dev):
    result = score(*dev)
    assert result["macro_f1"] >= 0.80
    assert min(s["f1"] for s in result["per_theme"].values()) >= 0.60
    assert result["sentiment_accuracy"] >= 0.80


def test_it_states_a_confidence_that_matches_how_often_it_is_right(dev):
    calibration = score(*dev)["calibration"]
    assert calibration["theme_ece"] <= 0.05
    assert calibration["theme_brier"] <= 0.05
    assert calibration["sentiment_ece"] <= 0.15
