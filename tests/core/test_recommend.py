import pytest

from tilik.core.findings import build_findings, resolve_path
from tilik.core.recommend import (
    RuleError,
    apply_edits,
    build_recommendations,
    default_rules,
    stale_edits,
)
from tilik.report.sample import clean_hasil, sample_hasil


def recommend(hasil, **kwargs):
    return build_recommendations(hasil, findings=build_findings(hasil), **kwargs)


def test_it_fires_the_default_rules_on_problem_data():
    rules = {r["rule"] for r in recommend(sample_hasil())}
    assert {
        "jadwal_fleksibel",
        "akp_sektor",
        "efisiensi_anggaran",
        "transfer_kerja",
        "revisi_instrumen",
        "tindak_lanjut_pengumpulan",
        "pelatihan_unsur_skm",
    } <= rules


def test_it_fires_nothing_on_clean_data():
    assert recommend(clean_hasil()) == []


def test_it_makes_one_recommendation_per_weak_sector():
    keys = {r["key"] for r in recommend(sample_hasil()) if r["rule"] == "akp_sektor"}
    assert keys == {"akp_sektor:survei_peserta/Pendidikan", "akp_sektor:survei_peserta/Perizinan"}


def test_it_takes_thresholds_from_evaluasi_yaml():
    hasil = sample_hasil()
    hasil["evaluation"]["thresholds"] = {"relevance_top2box_min": 0.5}
    keys = {r["key"] for r in recommend(hasil) if r["rule"] == "akp_sektor"}
    assert keys == {"akp_sektor:survei_peserta/Pendidikan"}


def test_it_cites_evidence_that_resolves_in_hasil():
    hasil = sample_hasil()
    hasil["findings"] = build_findings(hasil)
    for rec in build_recommendations(hasil):
        assert rec["evidence"], rec["key"]
        for path in rec["evidence"]:
            resolve_path(hasil, path)


def test_it_writes_text_in_both_languages_with_the_cited_numbers():
    rec = next(r for r in recommend(sample_hasil()) if r["rule"] == "jadwal_fleksibel")
    assert "46,0%" in rec["text"]["id"] and "36,0%" in rec["text"]["id"]
    assert "46.0%" in rec["text"]["en"]
    assert rec["owner"]["id"] and rec["indicator"]["en"]


def test_it_drops_text_about_a_reason_that_does_not_hold():
    hasil = sample_hasil()
    hasil["challenges"][1]["share"] = 0.05  # jadwal no longer a problem
    rec = next(r for r in recommend(hasil) if r["rule"] == "jadwal_fleksibel")
    assert "Jadwal yang berbenturan" not in rec["text"]["id"]


def test_it_sorts_high_priority_first():
    priorities = [r["priority"] for r in recommend(sample_hasil())]
    assert priorities == sorted(priorities, key=["tinggi", "sedang", "rendah"].index)


def test_it_keeps_evaluator_edits_across_reruns():
    generated = recommend(sample_hasil())
    edits = {
        "jadwal_fleksibel": {"text": {"id": "Teks yang disunting."}},
        "akp_sektor:survei_peserta/Perizinan": {"removed": True},
        "manual:1": {"added": True, "text": {"id": "Rekomendasi tambahan."}, "priority": "rendah"},
    }
    merged = apply_edits(recommend(sample_hasil()), edits)
    keys = [r["key"] for r in merged]
    edited = next(r for r in merged if r["key"] == "jadwal_fleksibel")
    assert edited["text"]["id"] == "Teks yang disunting." and edited["edited"]
    assert "46.0%" in edited["text"]["en"]  # the untouched language stays generated
    assert "akp_sektor:survei_peserta/Perizinan" not in keys
    assert keys[-1] == "manual:1"
    assert len(merged) == len(generated)


def test_it_reports_edits_whose_rule_no_longer_fires():
    edits = {"jadwal_fleksibel": {"text": {"id": "x"}}, "manual:1": {"added": True}}
    assert stale_edits(recommend(clean_hasil()), edits) == ["jadwal_fleksibel"]


def test_it_rejects_a_condition_without_operator():
    rules = {"rules": [{"id": "x", "when": {"path": "jp"}, "text": {"id": ""}}]}
    with pytest.raises(RuleError):
        build_recommendations(sample_hasil(), rules=rules)


def test_it_treats_paths_as_data_not_code():
    rules = {
        "rules": [
            {
                "id": "x",
                "text": {"id": "t"},
                "when": {"path": "__import__('os').system('false')", "exists": True},
            }
        ]
    }
    assert build_recommendations(sample_hasil(), rules=rules) == []


def test_it_ships_rules_with_text_owner_and_indicator():
    for rule in default_rules()["rules"]:
        assert rule["text"]["id"] and rule["text"]["en"], rule["id"]
        assert rule["owner"]["id"] and rule["indicator"]["id"], rule["id"]
        assert rule["priority"] in ("tinggi", "sedang", "rendah")


def test_it_produces_findings_and_recommendations_the_schema_accepts():
    import json

    import jsonschema

    from tilik.core.hasil import load_schema

    hasil = json.loads(json.dumps(sample_hasil()))
    assert hasil["findings"] and hasil["recommendations"]
    jsonschema.validate(hasil, load_schema())


def test_it_names_all_weak_skm_unsur_in_one_recommendation():
    hasil = sample_hasil()
    skm = [r for r in recommend(hasil) if r["rule"] == "pelatihan_unsur_skm"]
    assert len(skm) == 1
    (rec,) = skm
    weak = sorted(
        code
        for code, nrr in hasil["ikm"]["_all"]["nrr"].items()
        if nrr is not None and nrr < 3.0644
    )
    assert len(weak) >= 2 and sorted(rec["instance"]["unsur"]) == weak
    assert rec["key"] == "pelatihan_unsur_skm"
    assert rec["evidence"] == [f"ikm/_all/nrr/{code}" for code in rec["instance"]["unsur"]]
    assert " dan " in rec["text"]["id"] and " and " in rec["text"]["en"]
    for code in weak:  # every weak unsur with its own score, traced to its path
        nrr = rec["params"][f"nrr_{rec['instance']['unsur'].index(code) + 1}"]
        assert nrr["path"] == f"ikm/_all/nrr/{code}"
        assert f"{nrr['value']:.2f}".replace(".", ",") in rec["text"]["id"]
