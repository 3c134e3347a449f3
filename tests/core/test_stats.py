"""tilik.core.stats against values from pandas, SciPy, statsmodels and pingouin.

The expected values are in reference/stats_reference.json, written by
reference/make_stats_reference.py (which does not import Tilik).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest

from tilik.core import stats

REF = json.loads((Path(__file__).parent / "reference/stats_reference.json").read_text("utf-8"))
LIK = REF["likert"]
ITEMS = ["i1", "i2", "i3", "i4", "i5"]


@pytest.fixture(scope="module")
def data():
    frame = pl.DataFrame(LIK["data"]).with_columns(pl.col(ITEMS).cast(pl.Int64))
    return frame


@pytest.fixture(scope="module")
def summary(data):
    return stats.summarize_likert(data, {"c": ITEMS}, reverse=["i3"], by=["grp"])


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-12)


def test_it_matches_item_descriptives(summary):
    for row in summary.items.iter_rows(named=True):
        ref = LIK["items"][row["item"]]
        assert row["n"] == ref["n"]
        assert row["mean"] == approx(ref["mean"])
        assert row["sd"] == approx(ref["sd"])
        assert row["median"] == ref["median"]
        assert [row["mean_ci_low"], row["mean_ci_high"]] == approx(ref["mean_ci"])
        assert row["dist"] == ref["dist"]


def test_it_matches_top2box_wilson_ci_from_scipy(summary):
    for row in summary.items.iter_rows(named=True):
        ref = LIK["items"][row["item"]]
        assert row["top2box"] == approx(ref["top2box"])
        assert [row["top2box_ci_low"], row["top2box_ci_high"]] == approx(ref["top2box_ci"])


def test_it_counts_missing_answers_per_item(summary):
    missing = dict(summary.items.select("item", "n_missing").iter_rows())
    assert missing == {"i1": 0, "i2": 3, "i3": 0, "i4": 0, "i5": 2}


def test_it_matches_pingouin_alpha_listwise(summary):
    row = summary.constructs.row(0, named=True)
    ref = LIK["construct"]
    assert row["alpha"] == approx(ref["alpha"])
    assert row["n_alpha"] == ref["n_alpha"] and row["n_incomplete"] == 60 - ref["n_alpha"]
    assert [row["alpha_ci_low"], row["alpha_ci_high"]] == approx(ref["alpha_ci"])
    rounded = [round(row["alpha_ci_low"], 3), round(row["alpha_ci_high"], 3)]
    assert rounded == ref["alpha_ci_pingouin_3dp"]


def test_it_matches_item_rest_and_alpha_if_deleted(summary):
    ref = LIK["construct"]
    for row in summary.items.iter_rows(named=True):
        assert row["item_rest_r"] == approx(ref["item_rest_r"][row["item"]])
        assert row["alpha_if_deleted"] == approx(ref["alpha_if_deleted"][row["item"]])


def test_it_matches_cronbach_alpha_function(data):
    rec = stats.recode_reverse(data, ["i3"])
    res = stats.cronbach_alpha(rec, ITEMS)
    assert res["alpha"] == approx(LIK["construct"]["alpha"])
    assert list(res["ci"]) == approx(LIK["construct"]["alpha_ci"])


def test_it_scores_constructs_with_half_the_items(summary):
    scores = summary.scores.get_column("c").to_list()
    for got, want in zip(scores, LIK["construct"]["scores"]):
        assert (got is None and want is None) or got == approx(want)
    row = summary.constructs.row(0, named=True)
    ref = LIK["construct"]
    assert row["n"] == ref["n"] and row["mean"] == approx(ref["mean"])
    assert [row["mean_ci_low"], row["mean_ci_high"]] == approx(ref["mean_ci"])
    assert row["median"] == approx(ref["median"]) and row["top2box"] == approx(ref["top2box"])


def test_it_describes_groups_and_withholds_small_cells(summary):
    frame = summary.by["grp"]["constructs"]
    rows = {r["group"]: r for r in frame.iter_rows(named=True)}
    for g, ref in LIK["construct"]["by_grp"].items():
        assert rows[g]["n"] == ref["n"]
        if ref["n"] >= 5:
            assert rows[g]["mean"] == approx(ref["mean"]) and not rows[g]["withheld"]
            assert rows[g]["median"] == approx(ref["median"])
    assert rows["D"]["withheld"] and rows["D"]["mean"] is None


def test_it_matches_pingouin_kruskal_and_epsilon2(summary):
    res = stats.kruskal(summary.scores, "c", "grp")
    ref = REF["likert"]["kruskal"]
    assert res["H"] == approx(ref["H"]) and res["p"] == approx(ref["p"])
    assert res["df"] == ref["df"] and res["n"] == ref["n"]
    assert res["epsilon2"] == approx(ref["epsilon2"])
    assert res["excluded"] == ["D"]


def test_it_matches_pingouin_pairwise_mannwhitney_with_holm(summary):
    got = stats.pairwise_mannwhitney(summary.scores, "c", "grp").to_dicts()
    ref = REF["likert"]["pairwise"]
    assert [(r["A"], r["B"]) for r in got] == [(r["A"], r["B"]) for r in ref]
    for g, r in zip(got, ref):
        assert g["U"] == approx(r["U"])
        assert g["p_unc"] == approx(r["p_unc"]) and g["p_adj"] == approx(r["p_adj"])


def test_it_matches_scipy_and_pingouin_prepost():
    ref = REF["prepost"]
    res = stats.prepost(ref["pre"], ref["post"], max_score=100)
    for key in (
        "t",
        "p",
        "wilcoxon_w",
        "wilcoxon_p",
        "d_z",
        "d_av",
        "g_av",
        "normalized_gain",
        "mean_individual_gain",
        "n_gain_undefined",
    ):
        assert res[key] == approx(ref[key]), key


def test_it_pairs_by_key_and_counts_the_unpaired():
    pre = pl.DataFrame(
        {
            "_key": ["a", "b", "c", None, "a"],
            "score": [10.0, 20, 30, 40, 15],
            "_submitted_at": [1, 2, 3, 4, 5],
        }
    )
    post = pl.DataFrame(
        {"_key": ["a", "b", "d"], "score": [50.0, None, 60], "_submitted_at": [1, 2, 3]}
    )
    pairs, counts = stats.pair_scores(pre, post)
    assert pairs.to_dicts() == [{"_key": "a", "pre": 15.0, "post": 50.0}]
    assert counts["n_pre_only"] == 1 and counts["n_post_only"] == 1
    assert counts["n_pre_no_key"] == 1 and counts["n_duplicate_pre"] == 1
    assert counts["n_missing_score"] == 1


def test_it_scores_a_test_from_correct_answers():
    data = pl.DataFrame({"_key": ["a", "b"], "s1": ["a", "b"], "s2": ["c", None]})
    scored = stats.score_test(data, {"s1": "a", "s2": "c"})
    assert scored.get_column("score").to_list() == [100.0, 0.0]
    assert scored.get_column("n_blank").to_list() == [0, 1]


def test_it_treats_out_of_scale_answers_as_missing():
    data = pl.DataFrame({"q": ["1", "5", "7", None, "x"]})
    row = stats.describe_items(data, ["q"]).row(0, named=True)
    assert row["n"] == 2 and row["n_missing"] == 3 and row["mean"] == 3.0


def test_it_leaves_alpha_null_for_a_one_item_construct():
    data = pl.DataFrame({"q": [1, 2, 3, 4, 5]})
    row = stats.summarize_likert(data, {"c": ["q"]}).constructs.row(0, named=True)
    assert row["alpha"] is None and row["alpha_flagged"] is False


def test_it_flags_alpha_below_070():
    data = pl.DataFrame({"a": [1, 2, 3, 4, 5, 1] * 2, "b": [5, 1, 4, 2, 3, 3] * 2})
    row = stats.summarize_likert(data, {"c": ["a", "b"]}).constructs.row(0, named=True)
    assert row["alpha_flagged"] is True


def test_it_rejects_a_construct_with_mixed_scales():
    data = pl.DataFrame({"a": [1, 2], "b": [1, 2]})
    with pytest.raises(ValueError):
        stats.summarize_likert(data, {"c": ["a", "b"]}, scale={"a": (1, 5), "b": (1, 4)})


def test_it_reads_the_fast_int8_path_like_the_general_one(data):
    items = ["i1", "i4"]
    general = stats.describe_items(data.with_columns(pl.col(items).cast(pl.Utf8)), items)
    fast = stats.describe_items(data.with_columns(pl.col(items).cast(pl.Int8)), items)
    assert general.equals(fast)
    assert not math.isnan(fast.get_column("mean")[0])
