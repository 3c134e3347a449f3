"""The coder on the hand-labelled development corpus (never trained on)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tilik.core.themes import Coder
from tilik.core.themes.evaluate import score

DEV = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "dev.jsonl"


def test_it_meets_the_quality_targets_on_the_dev_corpus():
    if not DEV.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{DEV} is required in CI")
        pytest.skip(f"{DEV} is not available")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    result = score(rows, Coder.default().code_many([r["text"] for r in rows]))
    assert result["macro_f1"] >= 0.80
    assert result["sentiment_accuracy"] >= 0.75
