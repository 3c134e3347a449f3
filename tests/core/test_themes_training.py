"""The coder's packaged training texts and calibration: labelled by the corpus rules,
kept apart from the dev corpus, and the shipped calibration fitted on them."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

import pytest

from tilik.core.themes import default_codebook
from tilik.core.themes.calibrate import fit_calibration, training_digest
from tilik.core.themes.coder import ROLES, SOURCES, load_seed

DEV = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "dev.jsonl"
SENTIMENTS = {"positif", "negatif", "campuran", "netral"}


def _dev_rows() -> list[dict]:
    if not DEV.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{DEV} is required in CI")
        pytest.skip(f"{DEV} is not available")
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_it_labels_training_texts_by_the_corpus_rules():
    codes = set(default_codebook().names)
    rows = load_seed()
    assert len(rows) >= 1500
    for row in rows:
        themes = row["themes"]
        assert 1 <= len(themes) <= 3 and len(set(themes)) == len(themes), row
        assert set(themes) <= codes, row
        assert row["sentiment"] in SENTIMENTS, row
        if "relevansi_rendah" in themes:  # rule 1: negative only
            assert row["sentiment"] in ("negatif", "campuran"), row
        if "source" in row:
            assert row["source"] in SOURCES and row["role"] in ROLES, row
            assert (row["source"] == "observation") == (row["role"] == "observer"), row
    texts = [" ".join(r["text"].lower().split()) for r in rows]
    assert len(set(texts)) == len(texts)


def test_it_writes_training_texts_in_many_voices():
    voices = [r for r in load_seed() if "source" in r]
    assert len({r["sector"] for r in voices}) >= 15
    assert {r["source"] for r in voices} == set(SOURCES)
    assert set(ROLES) <= {r["role"] for r in voices}
    for code in default_codebook().names:
        assert sum(code in r["themes"] for r in voices) >= 30, code


def test_it_keeps_the_training_texts_apart_from_the_dev_corpus():
    dev = set().union(*(_grams(r["text"]) for r in _dev_rows()))
    shared = [r["text"] for r in load_seed() if _grams(r["text"]) & dev]
    assert shared == []


def test_it_ships_the_calibration_fitted_on_the_current_training_texts():
    path = resources.files("tilik.core.themes").joinpath("data", "kalibrasi.json")
    shipped = json.loads(path.read_text("utf-8"))
    assert shipped["training_sha256"] == training_digest(load_seed()), (
        "training texts changed: run tools/fit_theme_calibration.py"
    )
    fresh = fit_calibration()
    assert shipped["codes"].keys() == fresh["codes"].keys()
    for code, values in fresh["codes"].items():
        assert shipped["codes"][code]["threshold"] == values["threshold"], code
        assert shipped["codes"][code]["a"] == pytest.approx(values["a"], abs=1e-3), code
        assert shipped["codes"][code]["b"] == pytest.approx(values["b"], abs=1e-3), code


def test_it_ships_pysastrawis_stems_of_every_training_word():
    from tilik.core.themes.calibrate import training_stems
    from tilik.core.themes.normalize import sastrawi_stem, shipped_stems

    shipped = shipped_stems()
    assert shipped == training_stems(), "training texts changed: run tools/fit_theme_calibration.py"
    assert len(shipped) > 3000
    for word in list(shipped)[::50]:
        assert shipped[word] == sastrawi_stem(word), word


def test_it_keeps_the_held_out_measuring_texts_out_of_training():
    heldout = Path(__file__).parents[2] / "benchmarks" / "themes_heldout.jsonl"
    rows = [json.loads(line) for line in heldout.read_text("utf-8").splitlines() if line]
    assert len(rows) == 160
    measured = {" ".join(r["text"].lower().split()) for r in rows}
    trained = {" ".join(r["text"].lower().split()) for r in load_seed()}
    assert not measured & trained
