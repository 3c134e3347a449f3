"""Numbers at the edges (issue 17): each defect's minimal dataset as a regression test.

Expected values are in reference/edge_reference.json, written by
reference/make_edge_reference.py from SciPy, pingouin and exact fractions (never Tilik).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import jsonschema
import polars as pl
import pytest
from click.testing import CliRunner

from tilik.cli.main import cli
from tilik.core import stats
from tilik.core.bundle import read_bundle, write_bundle
from tilik.core.hasil import build_hasil, clean_json, load_schema
from tilik.core.ikm import compute_ikm, mutu
from tilik.core.ingest import Response
from tilik.core.xlsform import form_from_dict

REF = json.loads((Path(__file__).parent / "reference/edge_reference.json").read_text("utf-8"))


def approx(x):
    return pytest.approx(x, rel=1e-12, abs=1e-15)


def percent(counts, n_items):
    return [c * 100.0 / n_items for c in counts]


# ---------------------------------------------------------------- 1. ties in test scores


@pytest.mark.parametrize("n_items", [REF["ties"]["n_items"], None])
def test_it_ranks_tied_gains_as_ties_whether_scores_are_counts_or_percentages(n_items):
    ref = REF["ties"]
    assert ref["naive_p_on_percentages"] != ref["wilcoxon_p"]  # the dataset shows the defect
    pct = stats.prepost(
        percent(ref["pre"], ref["n_items"]), percent(ref["post"], ref["n_items"]), n_items=n_items
    )
    counts = stats.prepost(ref["pre"], ref["post"], max_score=ref["n_items"])
    for res in (pct, counts):
        assert res["wilcoxon_p"] == approx(ref["wilcoxon_p"])
        assert res["wilcoxon_w"] == ref["wilcoxon_w"]
        assert res["wilcoxon_method"] == "permutation"


@pytest.mark.parametrize("case", REF["permutation"], ids=lambda c: f"n{len(c['d'])}")
def test_it_counts_the_permutation_distribution_as_scipy_enumerates_it(case):
    res = stats.prepost([5] * len(case["d"]), [5 + v for v in case["d"]], max_score=10)
    assert res["wilcoxon_method"] == "permutation"
    assert res["wilcoxon_p"] == approx(case["p"]) and res["wilcoxon_w"] == case["wilcoxon_w"]


# ---------------------------------------------------------------- 2. equal gains


@pytest.mark.parametrize("n_items", [REF["equal_gains"]["n_items"], None])
def test_it_says_equal_gains_have_no_spread_instead_of_t_1e16(n_items):
    ref = REF["equal_gains"]
    assert ref["naive"]["t"] > 1e15  # what floating point alone gives
    res = stats.prepost(
        percent(ref["pre"], ref["n_items"]), percent(ref["post"], ref["n_items"]), n_items=n_items
    )
    assert math.isnan(res["t"]) and math.isnan(res["p"]) and math.isnan(res["d_z"])
    assert res["sd_diff"] == 0.0 and all(math.isnan(v) for v in res["diff_ci"])
    assert {k: res["not_computable"][k] for k in ("t", "p", "d_z", "diff_ci")} == dict.fromkeys(
        ("t", "p", "d_z", "diff_ci"), "no_spread"
    )
    assert res["wilcoxon_p"] == approx(ref["wilcoxon_p"])
    assert res["d_av"] == approx(ref["d_av"]) and res["g_av"] == approx(ref["g_av"])


def test_it_detects_no_spread_relative_to_the_scale_of_the_data():
    big = [1e9 + 0.1 * i for i in range(6)]
    res = stats.prepost(big, [v + 0.3 for v in big])
    assert res["not_computable"]["t"] == "no_spread"
    spread = stats.prepost([0.0, 1e-12, 2e-12, 3e-12, 4e-12], [1e-12, 1e-12, 4e-12, 3e-12, 6e-12])
    assert "t" not in spread["not_computable"] and math.isfinite(spread["t"])


# ---------------------------------------------------------------- 3. zero-variance reliability


def test_it_gives_no_item_rest_r_for_a_constant_item():
    ref = REF["reliability"]["constant_item"]
    data = pl.DataFrame(ref["data"])
    summary = stats.summarize_likert(data, {"c": ["a", "b", "c"]})
    analysis = stats.item_analysis(data, ["a", "b", "c"])
    for frame in (summary.items, analysis):
        rows = {r["item"]: r for r in frame.iter_rows(named=True)}
        assert rows["c"]["item_rest_r"] is None
        assert rows["c"]["not_computable"]["item_rest_r"] == "no_spread"
        assert rows["a"]["item_rest_r"] == approx(ref["item_rest_r"]["a"])
        assert rows["c"]["alpha_if_deleted"] == approx(ref["alpha_if_deleted_c"])
    assert summary.constructs.row(0, named=True)["alpha"] == approx(ref["alpha"])


def test_it_gives_no_alpha_when_straight_liners_cancel_a_reverse_item():
    ref = REF["reliability"]["straight_liners"]
    assert ref["naive"]["raw_moment_alpha"] < -1e15  # what Tilik printed before
    data = pl.DataFrame({"a": ref["answers"], "b": ref["answers"]})
    row = stats.summarize_likert(data, {"c": ["a", "b"]}, reverse=["b"]).constructs.row(
        0, named=True
    )
    assert row["alpha"] is None and row["alpha_ci_low"] is None and not row["alpha_flagged"]
    assert row["not_computable"]["alpha"] == "no_spread"
    direct = stats.cronbach_alpha(stats.recode_reverse(data, ["b"]), ["a", "b"])
    assert math.isnan(direct["alpha"]) and direct["not_computable"]["alpha"] == "no_spread"


def test_it_treats_nan_as_missing_in_item_analysis_as_in_cronbach_alpha():
    ref = REF["reliability"]["constant_item"]
    data = pl.DataFrame(ref["data"]).with_columns(pl.col("a").cast(pl.Float64))
    gappy = data.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(float("nan")).otherwise(pl.col("a")).alias("a")
    )
    alpha = stats.cronbach_alpha(gappy, ["a", "b"])
    assert alpha["n"] == data.height - 1 and alpha["n_incomplete"] == 1
    assert alpha["alpha"] == approx(stats.cronbach_alpha(data[1:], ["a", "b"])["alpha"])
    rows = stats.item_analysis(gappy, ["a", "b", "c"]).to_dicts()
    assert rows == stats.item_analysis(data[1:], ["a", "b", "c"]).to_dicts()
    assert rows[0]["item_rest_r"] is not None


# ---------------------------------------------------------------- 4. IKM at band boundaries


def _skm_frame(case):
    n = case["respondents"]
    cols = {}
    for i, (total, count) in enumerate(zip(case["sums"], case["counts"])):
        base, extra = divmod(total, count)
        values = [base + 1] * extra + [base] * (count - extra) + [None] * (n - count)
        cols[f"u{i + 1}"] = values
    return pl.DataFrame(cols, schema={c: pl.Int64 for c in cols})


@pytest.mark.parametrize(
    "case", REF["ikm_boundaries"], ids=lambda c: f"{c['regime']}-{c['exact_ikm']}"
)
def test_it_bands_ikm_from_the_exact_value_rounded_half_up(case):
    frame = _skm_frame(case)
    row = compute_ikm(frame, frame.columns, regime=case["regime"]).row(0, named=True)
    assert row["ikm"] == float(Fraction(case["exact_ikm"]))
    assert row["ikm_rounded"] == float(case["ikm_rounded"])
    assert row["mutu"] == case["mutu"]


def test_it_bands_the_boundary_cases_the_float_sum_got_wrong():
    wrong = [c for c in REF["ikm_boundaries"] if c["naive_mutu"] != c["mutu"]]
    assert {c["exact_ikm"] for c in wrong} >= {"76.605", "64.995", "62.505", "43.755"}
    assert mutu(Fraction("88.305")) == ("A", "Sangat Baik")
    assert mutu(Fraction("76.605")) == ("B", "Baik")


# ---------------------------------------------------------------- 5. crashes on valid forms


def test_it_scores_a_multiple_answer_item_by_its_whole_key():
    data = pl.DataFrame(
        {
            "_key": ["a", "b", "c", "d", "e"],
            "m": [["a", "c"], ["c", "a"], ["a"], ["a", "b", "c"], []],
            "s": ["a c", "c  a", "a", None, "b"],
        },
        schema={"_key": pl.Utf8, "m": pl.List(pl.Utf8), "s": pl.Utf8},
    )
    scored = stats.score_test(data, {"m": "a c", "s": "c a"})
    assert scored.get_column("n_correct").to_list() == [2, 2, 0, 0, 0]
    assert scored.get_column("n_blank").to_list() == [0, 0, 0, 1, 1]


def test_it_names_the_lengths_when_pre_and_post_differ():
    with pytest.raises(ValueError, match="got 3 pre-test and 2 post-test scores"):
        stats.prepost([10, 20, 30], [40, 50])


def test_it_refuses_a_score_that_is_not_a_count_of_items():
    with pytest.raises(ValueError, match="not a whole number of items of a 3-item test"):
        stats.prepost([50.0] * 5, [100.0] * 5, n_items=3)


_SURVEY_COLUMNS = ["type", "name", "label", "construct", "level", "reverse", "correct"]
_CHOICE_COLUMNS = ["list_name", "name", "label", "missing"]


def _form(form_id, survey, choices):
    return form_from_dict(
        {
            "form_id": form_id,
            "survey_columns": _SURVEY_COLUMNS,
            "choice_columns": _CHOICE_COLUMNS,
            "survey": [dict(zip(_SURVEY_COLUMNS, row)) for row in survey],
            "choices": [dict(zip(_CHOICE_COLUMNS, row)) for row in choices],
            "settings": {"form_id": form_id, "form_title": form_id, "version": "1"},
        }
    )


def _likert_form():
    survey = [["text", "nip", "NIP", "", "", "", ""]] + [
        ["select_one setuju", f"manfaat_{i}", f"Butir {i}", "manfaat", "reaksi", "", ""]
        for i in (1, 2, 3)
    ]
    choices = [["setuju", str(v), f"Skala {v}", ""] for v in range(1, 6)]
    choices += [["setuju", "999", "Tidak tahu", ""], ["setuju", "0", "Tidak berlaku", "ya"]]
    return _form("survei_peserta", survey, choices)


def _test_form(form_id):
    survey = [
        ["text", "nip", "NIP", "", "", "", ""],
        ["select_one abcd", "s1", "Soal 1", "", "", "", "b"],
        ["select_multiple abcd", "s2", "Soal 2 (pilih semua yang benar)", "", "", "", "a c"],
        ["select_multiple abcd", "s3", "Soal 3", "", "", "", "d"],
    ]
    return _form(form_id, survey, [["abcd", c, c.upper(), ""] for c in "abcd"])


def _response(form_id, i, answers):
    return Response(
        instance_id=f"uuid:{form_id}-{i:03d}",
        answers=answers,
        raw={},
        row=i + 2,
        submitted_at=datetime(2025, 3, 20, 8) + timedelta(minutes=i),
    )


def _edge_bundle(root: Path) -> Path:
    nips = [f"1985031220100110{i:02d}" for i in range(12)]
    likert = [
        _response(
            "survei_peserta",
            i,
            {
                "nip": nip,
                "manfaat_1": "999" if i < 3 else str(3 + i % 3),
                "manfaat_2": "0" if i == 3 else str(2 + i % 4),
                "manfaat_3": str(1 + i % 5),
            },
        )
        for i, nip in enumerate(nips)
    ]
    pre = [
        _response("pretest", i, {"nip": nip, "s1": "a", "s2": ["a"], "s3": ["d"]})
        for i, nip in enumerate(nips)
    ]
    post = [
        _response(
            "posttest",
            i,
            {"nip": nip, "s1": "b", "s2": ["a", "c"] if i % 2 else ["c", "a", "b"], "s3": ["d"]},
        )
        for i, nip in enumerate(nips)
    ]
    meta = {
        "title": "Evaluasi Tepi",
        "organisation": "BKPSDM Uji",
        "period": 2025,
        "programs": [{"name": "Pelatihan", "kind": "pelatihan teknis", "participants": 12}],
        "objectives": ["Menilai manfaat"],
        "instruments": {
            "survei_peserta": {"kind": "survei_peserta"},
            "pretest": {"kind": "tes_awal", "test": "pengetahuan"},
            "posttest": {"kind": "tes_akhir", "test": "pengetahuan"},
        },
    }
    forms = {
        "survei_peserta": _likert_form(),
        "pretest": _test_form("pretest"),
        "posttest": _test_form("posttest"),
    }
    responses = {"survei_peserta": likert, "pretest": pre, "posttest": post}
    return write_bundle(root, meta, forms, responses, [])


def test_it_analyses_dont_know_codes_and_multiple_answer_items_after_a_clean_check(tmp_path):
    root = _edge_bundle(tmp_path / "bundel")
    checked = CliRunner().invoke(cli, ["bundle", "check", str(root)])
    assert checked.exit_code == 0 and "Tidak ada masalah." in checked.output, checked.output
    result = CliRunner().invoke(cli, ["report", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    hasil = json.loads((tmp_path / "out" / "hasil.json").read_text("utf-8"))
    jsonschema.validate(hasil, load_schema())
    items = hasil["constructs"]["survei_peserta"]["manfaat"]["items"]
    assert items["manfaat_1"]["n_dont_know"] == 3 and items["manfaat_1"]["n"] == 9
    assert items["manfaat_2"]["n_dont_know"] == 1 and items["manfaat_2"]["n_missing"] == 1
    assert list(items["manfaat_1"]["distribution"]) == ["1", "2", "3", "4", "5"]
    test = hasil["prepost"]["pengetahuan"]
    # pre: s1 wrong, s2 half right (no mark), s3 right = 1/3; post: s1 right, s2 right for
    # the odd participants only, s3 right.
    assert test["mean_pre"] == pytest.approx(100 / 3) and test["n_items"] == 3
    assert test["mean_post"] == pytest.approx(100 * (6 * 3 + 6 * 2) / (12 * 3))


def test_it_builds_hasil_for_the_same_bundle_in_process(tmp_path):
    hasil = build_hasil(read_bundle(_edge_bundle(tmp_path / "b"), hash_key=b"k"))
    test = hasil["prepost"]["pengetahuan"]
    assert test["wilcoxon_method"] == "permutation" and test["wilcoxon_n"] == 12
    assert test["not_computable"] == {}


# ---------------------------------------------------------------- confidence the data lack


def test_it_gives_no_mean_ci_from_three_equal_answers_or_from_no_spread():
    three = stats.describe_values([5, 5, 5])
    assert math.isnan(three["mean_ci_low"]) and three["not_computable"]["mean_ci"] == "too_few"
    six = stats.describe_values([5.0] * 6)
    assert six["sd"] == 0.0 and six["not_computable"]["mean_ci"] == "no_spread"
    item = stats.describe_items(pl.DataFrame({"q": [4] * 8}), ["q"]).row(0, named=True)
    assert item["mean_ci_low"] is None and item["not_computable"]["mean_ci"] == "no_spread"
    same = stats.prepost([40.0] * 6, [40.0] * 6)
    assert same["not_computable"]["diff_ci"] == "no_spread"
    assert same["not_computable"]["wilcoxon_p"] == "no_difference"


def test_it_gives_no_alpha_from_two_respondents():
    ref = REF["reliability"]["two_respondents"]
    assert ref["naive"]["alpha"] > 0.9  # pingouin's value, with a CI of -0.54..0.99995
    res = stats.cronbach_alpha(pl.DataFrame(ref["data"]), ["a", "b", "c"])
    assert math.isnan(res["alpha"]) and res["not_computable"]["alpha"] == "too_few"
    row = stats.summarize_likert(pl.DataFrame(ref["data"]), {"c": ["a", "b", "c"]}).constructs
    assert row.row(0, named=True)["not_computable"]["alpha_ci"] == "too_few"


def test_it_treats_a_non_integer_answer_as_missing_in_ikm_as_everywhere():
    data = pl.DataFrame({f"u{i}": [3.0, 4.0, 2.5] for i in range(1, 10)})
    row = compute_ikm(data, data.columns).row(0, named=True)
    assert row["nrr"] == [3.5] * 9
    assert stats.describe_items(data, ["u1"], scale=(1, 4)).row(0, named=True)["mean"] == 3.5


@pytest.mark.parametrize(
    ("pre", "post", "key", "words"),
    [
        ([40.0, 50.0, 60.0], [60.0, 70.0, 90.0], "prepost_untested", "data belum cukup"),
        ([40.0, 50.0, 60.0, 50.0, 40.0], [40.0, 50.0, 60.0, 50.0, 40.0], "prepost_identical", ""),
        (
            [0.0, 50.0, 50.0, 0.0, 50.0, 0.0],
            [50.0, 100.0, 100.0, 50.0, 100.0, 50.0],
            "prepost_gain_uniform",
            "sama",
        ),
    ],
)
def test_it_words_a_pre_post_finding_by_what_the_data_can_carry(pre, post, key, words):
    from tilik.core.findings import build_findings

    result = clean_json(stats.prepost(pre, post, n_items=10))  # as hasil.json holds it
    hasil = {"prepost": {"tes": result}, "instruments": {}}
    finding = next(f for f in build_findings(hasil) if f["id"] == "pembelajaran:tes")
    assert finding["key"] == key and words in finding["statement"]["id"]
    assert "–" not in finding["statement"]["id"] and "nan" not in finding["statement"]["en"]


@pytest.mark.parametrize(
    ("choices", "missing", "scale"),
    [
        (
            [("1", ""), ("2", ""), ("3", ""), ("4", ""), ("5", ""), ("999", "Tidak tahu")],
            ["999"],
            (1, 5),
        ),
        ([("1", ""), ("2", ""), ("3", ""), ("4", ""), ("9", "Lainnya")], ["9"], (1, 4)),
        ([("0", "Tidak tahu"), ("1", ""), ("2", ""), ("3", ""), ("4", "")], ["0"], (1, 4)),
        ([("1", ""), ("2", ""), ("3", ""), ("4", ""), ("tt", "TT")], ["tt"], (1, 4)),
        ([("1", "STS"), ("2", "TS"), ("3", "Tidak tahu"), ("4", "S"), ("5", "SS")], [], (1, 5)),
        ([("1", ""), ("2", ""), ("4", ""), ("5", "")], [], (1, 5)),
        ([("0", ""), ("1", ""), ("2", ""), ("3", ""), ("4", "")], [], (0, 4)),
    ],
)
def test_it_finds_the_dont_know_codes_a_form_declares(choices, missing, scale):
    form = _form(
        "f",
        [["select_one l", "q", "Q", "c", "", "", ""]],
        [["l", name, label or f"Skala {name}", ""] for name, label in choices],
    )
    question = form.questions[0]
    assert form.missing_choices(question) == missing
    assert form.scale(question) == scale and form.likert_items() == [question]
