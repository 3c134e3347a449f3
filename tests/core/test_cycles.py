"""Cycles compared: difference CIs against statsmodels/SciPy, matching, previous recommendations."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tilik.core.cycles import Cycle, compare_cycles, newcombe_diff_ci, welch_diff_ci
from tilik.report.sample import sample_hasil

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "cycles_reference.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", REFERENCE["proportions"])
def test_it_matches_statsmodels_newcombe_interval(case):
    diff, lo, hi = newcombe_diff_ci(case["count1"], case["nobs1"], case["count2"], case["nobs2"])
    assert diff == pytest.approx(case["diff"], abs=1e-12)
    assert [lo, hi] == pytest.approx(case["ci"], abs=1e-9)


@pytest.mark.parametrize("case", REFERENCE["means"])
def test_it_matches_scipy_welch_interval(case):
    res = welch_diff_ci(
        case["mean1"], case["sd1"], case["n1"], case["mean2"], case["sd2"], case["n2"]
    )
    assert res["diff"] == pytest.approx(case["diff"], rel=1e-12)
    assert res["diff_ci"] == pytest.approx(case["ci"], rel=1e-9)
    assert res["t"] == pytest.approx(case["t"], rel=1e-9)
    assert res["df"] == pytest.approx(case["df"], rel=1e-9)
    assert res["p"] == pytest.approx(case["p"], rel=1e-7, abs=1e-300)


def test_it_gives_no_interval_without_enough_data():
    assert newcombe_diff_ci(0, 0, 3, 10) == (None, None, None)
    assert welch_diff_ci(3.0, 1.0, 3, 2.0, 1.0, 40)["not_computable"] == {"diff_ci": "too_few"}
    flat = welch_diff_ci(3.0, 0.0, 10, 3.0, 0.0, 10)
    assert flat["diff_ci"] == [None, None] and flat["not_computable"] == {"diff_ci": "no_spread"}


def _previous():
    """The sample results a cycle earlier: less benefit, more workload complaints."""
    then = sample_hasil()
    then["evaluation"]["period"] = 2024
    then["evaluation"]["title"] = "Evaluasi 2024"
    then["constructs"]["survei_peserta"]["manfaat"]["top2box"] = 0.70
    for challenge in then["challenges"]:
        if challenge["code"] == "waktu_beban_kerja":
            challenge["share"] += 0.15
            for cell in challenge["sources"].values():
                cell["share"] = min(1.0, (cell.get("share") or 0) + 0.15)
    return then


def test_it_compares_constructs_with_welch_and_newcombe():
    now, then = sample_hasil(), _previous()
    comparison = compare_cycles(now, [Cycle(then, source="kupang-2024")])
    manfaat = comparison["constructs"]["survei_peserta"]["manfaat"]
    stats_now = now["constructs"]["survei_peserta"]["manfaat"]
    diff, lo, hi = newcombe_diff_ci(
        round(stats_now["top2box"] * stats_now["n"]),
        stats_now["n"],
        round(0.70 * stats_now["n"]),
        stats_now["n"],
    )
    assert manfaat["top2box_diff"] == pytest.approx(diff)
    assert manfaat["top2box_diff_ci"] == pytest.approx([lo, hi])
    assert comparison["previous"]["period"] == 2024
    assert comparison["previous"]["source"] == "kupang-2024"


def test_it_says_plainly_what_cannot_be_compared():
    now, then = sample_hasil(), _previous()
    construct = now["constructs"]["survei_peserta"]["relevansi"]
    first = next(iter(construct["items"]))
    construct["items"][first]["label"] = "Butir yang diubah redaksinya"
    now["constructs"]["survei_peserta"]["inovasi"] = copy.deepcopy(construct)
    del then["instruments"]["survei_atasan"]
    del then["constructs"]["survei_atasan"]
    comparison = compare_cycles(now, [Cycle(then)])
    reasons = {
        (n.get("form_id"), n.get("construct"), n["reason"]) for n in comparison["not_comparable"]
    }
    assert ("survei_peserta", "relevansi", "items_changed") in reasons
    assert ("survei_peserta", "inovasi", "construct_added") in reasons
    assert ("survei_atasan", None, "instrument_added") in reasons
    assert "relevansi" not in comparison["constructs"]["survei_peserta"]
    assert "survei_atasan" not in comparison["constructs"]


def test_it_follows_previous_recommendations_to_their_indicators():
    now, then = sample_hasil(), _previous()
    for hasil in (now, then):
        for challenge in hasil["challenges"]:
            challenge["n"] = 142
    from tilik.core.recommend import build_recommendations

    then["recommendations"] = build_recommendations(then)
    key = next(r["key"] for r in then["recommendations"] if r["rule"] == "jadwal_fleksibel")
    cycle = Cycle(then, follow_ups={key: {"status": "selesai", "due": "2025-06-30"}})
    recs = {r["key"]: r for r in compare_cycles(now, [cycle])["recommendations"]}
    rec = recs[key]
    assert rec["status"] == "selesai" and rec["due"] == "2025-06-30"
    workload = next(
        i for i in rec["indicators"] if i["metric"] == "challenges[code=waktu_beban_kerja]/share"
    )
    assert workload["previous"] > workload["current"]
    assert workload["better"] == "lower"
    assert workload["diff"] == pytest.approx(workload["current"] - workload["previous"])
    assert workload["diff_ci"][0] < workload["diff"] < workload["diff_ci"][1]


def test_it_keeps_the_headline_figures_of_every_cycle_oldest_first():
    now, then = sample_hasil(), _previous()
    older = _previous()
    older["evaluation"]["period"] = 2023
    older["constructs"]["survei_peserta"]["manfaat"]["top2box"] = 0.61
    history = compare_cycles(now, [Cycle(then), Cycle(older)])["history"]
    assert [c["period"] for c in history["cycles"]] == [2023, 2024, now["evaluation"]["period"]]
    assert [c["values"]["manfaat"] for c in history["cycles"]][:2] == [0.61, 0.70]


def test_it_compares_nothing_without_a_previous_cycle():
    assert compare_cycles(sample_hasil(), []) == {}
