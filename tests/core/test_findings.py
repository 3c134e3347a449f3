from types import SimpleNamespace

from tilik.core.findings import (
    add_challenge_breakdown,
    build_findings,
    challenge_breakdown,
    format_value,
    proportion_words,
    render_template,
    resolve_path,
)
from tilik.report.sample import clean_hasil, sample_hasil


def by_id(findings):
    return {f["id"]: f for f in findings}


def test_it_builds_a_finding_per_survey_construct():
    findings = by_id(build_findings(sample_hasil()))
    assert findings["reaksi:survei_peserta/manfaat"]["level"] == "reaksi"
    assert findings["perilaku:survei_atasan/penerapan"]["level"] == "perilaku"
    assert findings["relevansi:survei_peserta/relevansi"]["level"] == "relevansi"


def test_it_orders_findings_by_kirkpatrick_level():
    levels = [f["level"] for f in build_findings(sample_hasil())]
    assert levels.index("reaksi") < levels.index("pembelajaran") < levels.index("perilaku")
    assert levels.index("perilaku") < levels.index("hasil") < levels.index("tantangan")


def test_it_states_where_sources_disagree():
    finding = by_id(build_findings(sample_hasil()))["triangulasi:keterampilan/observasi"]
    assert finding["triangulation"] == {"agree": ["survei"], "disagree": ["observasi"]}
    assert "tidak sejalan" in finding["statement"]["id"]
    assert "disagree" in finding["statement"]["en"]


def test_it_does_not_claim_disagreement_when_observation_shows_a_difference():
    findings = by_id(build_findings(clean_hasil()))
    assert "triangulasi:keterampilan/observasi" not in findings
    assert findings["hasil:observasi/waktu_layanan"]["key"] == "observation_diff"


def test_it_grades_strength_by_the_documented_rule():
    findings = by_id(build_findings(sample_hasil()))
    # n = 142, narrow CI, interviews agree
    assert findings["reaksi:survei_peserta/manfaat"]["strength"] == "kuat"
    # n = 27 and a CI wider than 0.25: moderate at best
    assert findings["perilaku:survei_atasan/penerapan"]["strength"] == "sedang"


def test_it_calls_a_tiny_sample_weak():
    hasil = sample_hasil()
    hasil["constructs"]["survei_atasan"]["penerapan"]["n"] = 6
    finding = by_id(build_findings(hasil))["perilaku:survei_atasan/penerapan"]
    assert finding["strength"] == "lemah"


def test_it_cites_evidence_paths_that_exist():
    hasil = sample_hasil()
    for finding in build_findings(hasil):
        assert finding["evidence"]
        for path in finding["evidence"]:
            resolve_path(hasil, path)


def test_it_keeps_each_number_with_its_path():
    hasil = sample_hasil()
    for finding in build_findings(hasil):
        for param in finding["params"].values():
            if param["path"] and param["fmt"] != "key":
                assert resolve_path(hasil, param["path"]) == param["value"]


def test_it_names_no_group_smaller_than_five():
    hasil = sample_hasil()
    sectors = hasil["groups"]["survei_peserta"]["relevansi"]["by"]["sector"]["cells"]
    sectors["Kelautan"] = {"n": 3, "mean": 2.0, "top2box": 0.0}
    text = " ".join(f["statement"]["id"] for f in build_findings(hasil))
    assert "Kelautan" not in text


def test_it_returns_nothing_for_empty_results():
    assert build_findings({"schema": "tilik.hasil/1"}) == []


def test_it_puts_proportions_into_words_by_one_mapping():
    assert proportion_words(1.0) == "seluruh"
    assert proportion_words(0.93) == "hampir seluruh"
    assert proportion_words(0.899) == "sebagian besar"
    assert proportion_words(0.70) == "sebagian besar"
    assert proportion_words(0.51) == "lebih dari separuh"
    assert proportion_words(0.50) == "separuh"
    assert proportion_words(0.25) == "kurang dari separuh"
    assert proportion_words(0.10) == "sebagian kecil"
    assert proportion_words(0.0) == "tidak ada"
    assert proportion_words(0.75, "en") == "most"


def test_it_formats_numbers_for_the_locale():
    assert format_value(0.785, "pct", "id") == "78,5%"
    assert format_value(0.785, "pct", "en") == "78.5%"
    assert format_value(1234.5, "num1", "id") == "1.234,5"
    assert format_value(150000000, "idr", "id") == "Rp150.000.000"
    assert format_value(0.0002, "p", "id") == "< 0,001"
    assert format_value(0.041, "p", "en") == "= 0.041"


def test_it_fills_templates_with_words_and_numbers():
    params = {"share": {"value": 0.72, "path": "x", "fmt": "pct"}}
    text = render_template("{share|Words} peserta ({share})", params, "id")
    assert text == "Sebagian besar peserta (72,0%)"


def fake_bundle():
    import polars as pl

    choice = lambda name, theme: SimpleNamespace(name=name, theme=theme)  # noqa: E731
    form = SimpleNamespace(
        questions=[SimpleNamespace(name="hambatan", type="select_multiple", list_name="h")],
        choices={"h": [choice("beban_kerja", "waktu_beban_kerja"), choice("bagus", "manfaat")]},
    )
    frame = pl.DataFrame(
        {
            "hambatan": [["beban_kerja"]] * 4 + [["bagus"]] * 2 + [["beban_kerja"]] * 2,
            "sektor": ["kesehatan"] * 6 + ["pendidikan"] * 2,
        }
    )
    return SimpleNamespace(
        forms={"survei_peserta": form},
        data={"survei_peserta": SimpleNamespace(frame=lambda: frame)},
        spec=lambda form_id: SimpleNamespace(kind="survei_peserta"),
    )


def test_it_breaks_challenges_down_by_sector_with_cis():
    by = challenge_breakdown(fake_bundle())
    cell = by["waktu_beban_kerja"]["sector"]["kesehatan"]
    assert cell["n"] == 6 and cell["n_mentions"] == 4
    assert cell["share_ci"][0] < 4 / 6 < cell["share_ci"][1]
    assert "manfaat" not in by


def test_it_withholds_challenge_cells_under_five():
    cell = challenge_breakdown(fake_bundle())["waktu_beban_kerja"]["sector"]["pendidikan"]
    assert cell == {"n": 2, "withheld": True}


def test_it_attaches_the_breakdown_to_hasil_challenges():
    hasil = {"challenges": [{"code": "waktu_beban_kerja", "share": 0.75}]}
    add_challenge_breakdown(hasil, fake_bundle())
    assert set(hasil["challenges"][0]["by"]) == {"sector"}
