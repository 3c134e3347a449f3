"""hasil.json: built from a bundle, valid against the committed schema, free of NaN."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from tilik.core.bundle import read_bundle, write_bundle
from tilik.core.hasil import build_hasil, load_schema, merge_extra
from tilik.core.ingest import Response
from tilik.core.xlsform import read_xlsform

STANDARD = Path(__file__).parents[2] / "src/tilik/core/instruments/standard"
DEMO = Path(__file__).parents[2] / "examples/kupang-2025"
OPD = ["dinas_kesehatan", "disdukcapil", "dpmptsp", "rsud"]
SEKTOR = {
    "dinas_kesehatan": "kesehatan",
    "disdukcapil": "kependudukan",
    "dpmptsp": "perizinan",
    "rsud": "kesehatan",
}


def _nip(i: int) -> str:
    return f"19850312201001{1 + i % 2}{i:03d}"


def _form(name: str, form_id: str | None = None):
    form = read_xlsform(STANDARD / f"{name}.xlsx")[0]
    if form_id:
        form = dataclasses.replace(
            form, form_id=form_id, settings={**form.settings, "form_id": form_id}
        )
    return form


def _response(i: int, answers: dict, form_id: str) -> Response:
    return Response(
        instance_id=f"uuid:{form_id}-{i:04d}",
        answers=answers,
        raw={},
        row=i + 2,
        submitted_at=datetime(2025, 3, 20, 8) + timedelta(minutes=i),
    )


def make_bundle(root: Path, n: int = 40, seed: int = 7) -> Path:
    """A small bundle with every instrument kind, written the way Kobo exports data."""
    rnd = random.Random(seed)
    survey, pre, post, skm, obs = (
        _form("survei_peserta"),
        _form("tes_pengetahuan", "pretest"),
        _form("tes_pengetahuan", "posttest"),
        _form("skm"),
        _form("observasi"),
    )
    likert = [q for q in survey.likert_items()]
    rows: dict[str, list[Response]] = {
        k: [] for k in ("survei_peserta", "pretest", "posttest", "skm", "observasi")
    }
    roster = []
    for i in range(n):
        opd = OPD[i % len(OPD)] if i < n - 2 else "bpkad"  # bpkad: a cell of 2, withheld
        level = rnd.randint(2, 5)
        answers = {
            "persetujuan": "ya",
            "nip": _nip(i),
            "instansi": opd,
            "sektor": SEKTOR.get(opd, "keuangan"),
            "program": "pelatihan_teknis",
            "angkatan": 1 + i % 2,
            "hambatan": rnd.sample(
                ["beban_kerja", "jadwal_bentrok", "anggaran", "lainnya"], k=rnd.randint(1, 2)
            ),
        }
        if "lainnya" in answers["hambatan"]:
            answers["hambatan_lainnya"] = "Jaringan listrik sering padam"
        for q in likert:
            value = min(5, max(1, level + rnd.choice([-1, 0, 0, 1])))
            answers[q.name] = str(6 - value if q.reverse else value)
        rows["survei_peserta"].append(_response(i, answers, "survei_peserta"))
        for form, key, gain in ((pre, "pretest", 0.0), (post, "posttest", 0.3)):
            if key == "posttest" and i % 10 == 3:
                continue  # not every participant sat the post-test
            test = {
                "nip": _nip(i),
                "instansi": opd,
                "sektor": SEKTOR.get(opd, "keuangan"),
                "program": "pelatihan_teknis",
                "angkatan": 1,
            }
            for q in form.questions:
                if q.correct:
                    test[q.name] = (
                        q.correct
                        if rnd.random() < 0.45 + gain
                        else "a"
                        if q.correct != "a"
                        else "b"
                    )
            rows[key].append(_response(i, test, key))
        roster.append(
            {
                "nip": _nip(i),
                "nama": f"Peserta {i}",
                "jenis_kelamin": "P",
                "instansi": opd,
                "sektor": SEKTOR.get(opd, "keuangan"),
                "jabatan": "Pelaksana",
                "program": "Pelatihan Pelayanan Prima",
                "angkatan": str(1 + i % 2),
                "kehadiran": "1" if i % 3 else "0.5",
                "jp": "",
                "tahun": "2025",
            }
        )
    for i in range(29):
        answers = {
            "tanggal": datetime(2025, 6, 1).date(),
            "unit": ["disdukcapil", "rsud"][i % 2],
            "jenis_kelamin": skm.choices["jenis_kelamin"][0].name,
            "usia": skm.choices["usia"][0].name,
            "pendidikan": skm.choices["pendidikan"][0].name,
            "pekerjaan": skm.choices["pekerjaan"][0].name,
        }
        for u in range(1, 10):
            answers[f"u{u}"] = str(rnd.choice([3, 4, 4]))
        rows["skm"].append(_response(i, answers, "skm"))
    for i in range(24):
        trained = i % 2 == 0
        answers = {
            "tanggal": datetime(2025, 6, 2).date(),
            "unit": "disdukcapil",
            "sektor": "kependudukan",
            "sudah_pelatihan": "ya" if trained else "tidak",
        }
        for q in obs.questions:
            if q.construct == "perilaku_layanan":
                answers[q.name] = "ya" if rnd.random() < (0.8 if trained else 0.5) else "tidak"
        answers["waktu_layanan"] = 12.5
        rows["observasi"].append(_response(i, answers, "observasi"))
    meta = {
        "title": "Evaluasi Uji",
        "organisation": "BKPSDM Uji",
        "period": 2025,
        "programs": [
            {
                "name": "Pelatihan Pelayanan Prima",
                "kind": "pelatihan teknis",
                "jp": 30,
                "dates": {"start": "2025-03-10", "end": "2025-03-14"},
                "budget": 150000000,
                "participants": 50,
            }
        ],
        "objectives": ["Menilai manfaat"],
        "instruments": {
            "survei_peserta": {"kind": "survei_peserta"},
            "pretest": {"kind": "tes_awal", "test": "pengetahuan"},
            "posttest": {"kind": "tes_akhir", "test": "pengetahuan"},
            "skm": {"kind": "skm", "unit": "unit"},
            "observasi": {"kind": "observasi", "compare_by": "sudah_pelatihan"},
        },
    }
    forms = {
        "survei_peserta": survey,
        "pretest": pre,
        "posttest": post,
        "skm": skm,
        "observasi": obs,
    }
    return write_bundle(root, meta, forms, rows, [], roster)


@pytest.fixture(scope="module")
def hasil(tmp_path_factory):
    bundle = read_bundle(make_bundle(tmp_path_factory.mktemp("b")), hash_key=b"k")
    return build_hasil(bundle)


def test_it_validates_against_the_schema(hasil):
    jsonschema.validate(hasil, load_schema())
    jsonschema.Draft202012Validator.check_schema(load_schema())


def test_it_contains_no_nan(hasil):
    json.dumps(hasil, allow_nan=False)


def test_it_counts_responses_and_response_rate(hasil):
    inst = hasil["instruments"]["survei_peserta"]
    assert inst["n_responses"] == 40
    assert inst["response_rate"] == pytest.approx(40 / 50)


def test_it_reports_constructs_with_alpha_and_items(hasil):
    manfaat = hasil["constructs"]["survei_peserta"]["manfaat"]
    assert manfaat["alpha"] > 0.5 and len(manfaat["alpha_ci"]) == 2
    assert manfaat["items"]["manfaat_3"]["reverse"] is True
    assert manfaat["level"] == "reaksi"


def test_it_pairs_pre_and_post_and_counts_the_unpaired(hasil):
    pp = hasil["prepost"]["pengetahuan"]
    assert pp["n_pairs"] == 36 and pp["n_pre_only"] == 4
    assert pp["mean_post"] > pp["mean_pre"]


def test_it_withholds_small_group_cells(hasil):
    cells = hasil["groups"]["survei_peserta"]["manfaat"]["by"]["organisation"]["cells"]
    assert cells["bpkad"] == {"n": 2, "withheld": True}
    assert cells["rsud"]["withheld"] is False


def test_it_compares_trained_and_untrained_observations(hasil):
    comp = hasil["groups"]["observasi"]["perilaku_layanan"]["by"]["sudah_pelatihan"]
    assert set(comp["cells"]) == {"ya", "tidak"}
    assert hasil["kirkpatrick"]["perilaku"]["has_evidence"]


def test_it_computes_ikm_overall_and_per_unit(hasil):
    assert hasil["ikm"]["_all"]["n"] == 29
    assert hasil["ikm"]["_all"]["mutu"] in "ABCD"
    assert set(hasil["ikm"]) == {"_all", "disdukcapil", "rsud"}


def test_it_reports_jp_per_year(hasil):
    assert hasil["jp"]["2025"]["n_asn"] == 40
    assert hasil["jp"]["2025"]["share_meeting_20"] == pytest.approx(26 / 40)


def test_it_ranks_closed_question_challenges(hasil):
    shares = [c["share"] for c in hasil["challenges"]]
    assert shares == sorted(shares, reverse=True)
    top = {c["code"] for c in hasil["challenges"][:3]}
    assert top == {"waktu_beban_kerja", "jadwal", "anggaran"}
    assert hasil["challenges"][0]["sources"]["survei"]["question"] == "hambatan"


def test_it_merges_extra_sections():
    base = {
        "themes": {},
        "challenges": [{"code": "jadwal", "share": 0.2, "sources": {"survei": {}}}],
    }
    merged = merge_extra(
        base,
        {
            "themes": {"jadwal": {"n_segments": 3}},
            "challenges": [
                {"code": "jadwal", "share": 0.5, "sources": {"wawancara": {}}},
                {"code": "anggaran", "share": 0.3, "sources": {}},
            ],
        },
    )
    assert [c["code"] for c in merged["challenges"]] == ["jadwal", "anggaran"]
    assert set(merged["challenges"][0]["sources"]) == {"survei", "wawancara"}
    assert merged["themes"]["jadwal"]["n_segments"] == 3


def test_it_builds_a_valid_hasil_for_the_kupang_demo():
    hasil = build_hasil(read_bundle(DEMO, hash_key=b"k"))
    jsonschema.validate(hasil, load_schema())
    json.dumps(hasil, allow_nan=False)
    assert hasil["ikm"]["_all"]["mutu"] in "ABCD"
    assert hasil["prepost"] and all(v["has_evidence"] for v in hasil["kirkpatrick"].values())


def test_it_stays_valid_for_a_tiny_bundle(tmp_path):
    from tests.builders import write_bundle as write_small_bundle

    hasil = build_hasil(read_bundle(write_small_bundle(tmp_path), hash_key=b"k"))
    jsonschema.validate(hasil, load_schema())
    json.dumps(hasil, allow_nan=False)
    assert hasil["prepost"] == {} and hasil["ikm"] == {} and hasil["jp"] == {}
    assert not hasil["kirkpatrick"]["hasil"]["has_evidence"]
