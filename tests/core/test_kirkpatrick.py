"""Kirkpatrick levels summarised from hasil sections."""

from __future__ import annotations

from tilik.core.kirkpatrick import summarize

HASIL = {
    "constructs": {
        "survei_peserta": {"manfaat": {"mean": 4.1, "mean_ci": [3.9, 4.3], "n": 50}},
        "survei_atasan": {"penerapan": {"mean": 3.8, "mean_ci": [3.5, 4.1], "n": 20}},
    },
    "prepost": {
        "pengetahuan": {
            "n_pairs": 30,
            "normalized_gain": 0.4,
            "pre_form": "pretest",
            "post_form": "posttest",
        }
    },
    "ikm": {"_all": {"n": 120, "ikm": 82.5, "mutu": "B", "kinerja": "Baik"}},
}
KINDS = {"survei_peserta": "survei_peserta", "survei_atasan": "survei_atasan"}


def test_it_places_each_source_at_its_level():
    k = summarize(HASIL, kinds=KINDS)
    assert [i["name"] for i in k["reaksi"]["indicators"]] == ["manfaat"]
    assert k["pembelajaran"]["instruments"] == ["posttest", "pretest"]
    assert k["perilaku"]["indicators"][0]["source"] == "survei_atasan"
    assert k["hasil"]["indicators"][0]["value"] == 82.5


def test_it_prefers_the_level_named_in_the_form():
    k = summarize(HASIL, kinds=KINDS, construct_levels={"survei_peserta": {"manfaat": "perilaku"}})
    assert not k["reaksi"]["has_evidence"]
    assert {i["name"] for i in k["perilaku"]["indicators"]} == {"manfaat", "penerapan"}


def test_it_points_each_number_at_its_field():
    k = summarize(HASIL, kinds=KINDS)
    assert k["pembelajaran"]["indicators"][0]["field"] == "prepost.pengetahuan.normalized_gain"


def test_it_marks_levels_without_evidence():
    k = summarize({}, kinds={})
    assert [v["has_evidence"] for v in k.values()] == [False] * 4
