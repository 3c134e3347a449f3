"""Learning from the evaluator's corrections beyond the texts they name: the retrained
classifiers, and the decisions re-tuned to how this evaluation's texts score."""

from __future__ import annotations

import pytest

from tilik.core.themes import Coder
from tilik.core.themes import coder as coder_module
from tilik.core.themes.coder import THRESHOLD_PRIOR, _packaged_calibration, _read_jsonl
from tilik.core.themes.evaluate import is_kupang, learning_protocol, style_split


@pytest.fixture(scope="module")
def split():
    seed, voices = _read_jsonl("seed.jsonl"), _read_jsonl("seed_voices.jsonl")
    base, held = style_split(voices)
    return Coder(training=tuple(seed + base)), held


def test_it_holds_out_observers_kupang_malay_and_two_sectors():
    base, held = style_split(_read_jsonl("seed_voices.jsonl"))
    assert all(r["source"] != "observation" for r in base)
    assert all(r.get("sector") not in ("pertanian", "rumah_sakit") for r in base)
    assert not any(is_kupang(r["text"]) for r in base)
    assert {r["source"] for r in held} == {"survey", "interview", "observation"}
    assert is_kupang("Beta sonde bisa ikut kelas, katong pung kantor jauh")
    assert not is_kupang("Saya tidak bisa ikut kelas karena kantor jauh")


def test_it_retunes_thresholds_only_for_codes_the_corrections_have(split):
    coder, held = split
    corrections = held[:60]
    learnt = coder.with_corrections(corrections)
    packaged = _packaged_calibration()
    used = {t for r in corrections for t in r["themes"]}
    moved = {
        c for c in coder.codebook.names if learnt.calibrated.threshold(c) != packaged.threshold(c)
    }
    assert moved and moved <= used
    for code in moved:
        n = sum(code in r["themes"] for r in corrections)
        share = n / (n + THRESHOLD_PRIOR)
        # shrunk towards the packaged threshold: at most `share` of the way to 0.1 or 0.8
        limit = share * max(packaged.threshold(code) - 0.1, 0.8 - packaged.threshold(code))
        assert abs(learnt.calibrated.threshold(code) - packaged.threshold(code)) <= limit + 1e-4
    assert coder.calibrated is packaged
    assert coder.with_corrections(corrections[:1]).calibrated is packaged


def test_it_learns_a_new_style_better_than_by_retraining_alone(split, monkeypatch):
    coder, held = split
    shipped = learning_protocol(coder, held, 60, repeats=3)
    monkeypatch.setattr(coder_module, "ADAPT_FOLDS", 0)
    retrained = learning_protocol(coder, held, 60, repeats=3)
    assert shipped["macro_f1_before"] == retrained["macro_f1_before"]
    assert shipped["macro_f1_after"] >= shipped["macro_f1_before"] + 0.01
    assert shipped["macro_f1_after"] > retrained["macro_f1_after"]


def test_it_searches_only_new_texts_for_cues_when_it_retrains(split, monkeypatch):
    coder, _ = split
    coder.model
    searched = []
    find = coder_module._find_cues

    def counting(codebook, norm):
        searched.append(norm.surface)
        return find(codebook, norm)

    monkeypatch.setattr(coder_module, "_find_cues", counting)
    fresh = [
        ("Kantor cabang kami tidak punya printer untuk mencetak modul", ["sarana_akses"]),
        ("Atasan mengizinkan kami ikut kelas sore setelah pelayanan", ["dukungan_atasan"]),
    ]
    coder.with_corrections(fresh).model
    assert len(searched) == 2
