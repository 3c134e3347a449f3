"""Scoring the coder: F1, calibration figures, and the corrections protocol."""

from __future__ import annotations

import pytest

from tilik.core.themes import Coder
from tilik.core.themes.coder import Coding, ThemeScore
from tilik.core.themes.evaluate import calibration, learning_protocol, score

CODES = ["jadwal", "anggaran"]


def coding(codes: list[str], probabilities: dict[str, float], sentiment: str = "negatif"):
    themes = tuple(ThemeScore(c, probabilities[c], "model", "") for c in codes)
    return Coding("teks", themes, sentiment, 0.9, probabilities=probabilities)


def test_it_scores_perfect_probabilities_as_perfectly_calibrated():
    rows = [{"themes": ["jadwal"], "sentiment": "negatif"}] * 3
    codings = [coding(["jadwal"], {"jadwal": 1.0, "anggaran": 0.0})] * 3
    result = calibration(rows, codings, CODES)
    assert result["theme_brier"] == 0 and result["theme_ece"] == 0
    assert result["set_exact"] == 1 and result["set_ece"] == 0


def test_it_measures_the_gap_between_confidence_and_frequency():
    # P(jadwal) = 0.8 on ten texts of which five have it: a gap of 0.3 on half the pairs;
    # P(anggaran) = 0.0 and never true: no gap.
    rows = [{"themes": ["jadwal"] if i < 5 else ["anggaran"]} for i in range(10)]
    codings = [coding([], {"jadwal": 0.8, "anggaran": 0.0}) for _ in range(10)]
    result = calibration(rows, codings, CODES)
    assert result["theme_ece"] == pytest.approx(0.5 * 0.3 + 0.5 * 0.5)
    expected_brier = (5 * 0.04 + 5 * 0.64 + 5 * 0.0 + 5 * 1.0) / 20
    assert result["theme_brier"] == pytest.approx(expected_brier)


def test_it_adds_calibration_to_the_score():
    rows = [{"themes": ["jadwal"], "sentiment": "negatif"}]
    result = score(rows, [coding(["jadwal"], {"jadwal": 0.9, "anggaran": 0.1})])
    assert result["macro_f1"] == 1.0 and result["sentiment_accuracy"] == 1.0
    # two gaps of 0.1 over the 14 codes of the default codebook (the others are 0 and absent)
    assert result["calibration"]["theme_brier"] == pytest.approx(2 * 0.01 / 14)


LABELLED = [
    {"text": "Jadwal pelatihan bentrok dengan rapat kantor.", "themes": ["jadwal"]},
    {"text": "Jadwalnya diubah dua kali tanpa kabar.", "themes": ["jadwal"]},
    {"text": "Kelas mulai molor satu jam setiap pagi.", "themes": ["jadwal"]},
    {"text": "Uang harian belum dibayar sampai sekarang.", "themes": ["anggaran"]},
    {"text": "Biaya penginapan kami tanggung sendiri.", "themes": ["anggaran"]},
    {"text": "Anggaran kantor tidak cukup untuk pelatihan lanjutan.", "themes": ["anggaran"]},
    {"text": "Internet di desa sering putus.", "themes": ["sarana_akses"]},
    {"text": "Widyaiswara menguasai materi.", "themes": ["fasilitator"]},
]


def test_it_scores_only_texts_that_were_not_corrections():
    result = learning_protocol(Coder.default(), LABELLED, 3, repeats=2)
    assert result["n_scored"] == 5 and len(result["draws"]) == 2
    assert 0 <= result["macro_f1_before"] <= 1 and 0 <= result["macro_f1_after"] <= 1
    assert result["draws"][0]["seed"] != result["draws"][1]["seed"]


def test_it_refuses_more_corrections_than_texts():
    with pytest.raises(ValueError, match="antara 1 dan 7"):
        learning_protocol(Coder.default(), LABELLED, 8)


def test_it_pools_every_decision_in_the_micro_f1():
    rows = [{"themes": ["jadwal"]}, {"themes": ["jadwal"]}, {"themes": ["anggaran"]}]
    probabilities = {"jadwal": 0.9, "anggaran": 0.1}
    codings = [coding(["jadwal"], probabilities)] * 3
    result = score(rows, codings)
    # jadwal: tp 2, fp 1; anggaran: fn 1 -> micro 4 / 6; macro (0.8 + 0) / 2
    assert result["micro_f1"] == pytest.approx(4 / 6)
    assert result["macro_f1"] == pytest.approx(0.4)
