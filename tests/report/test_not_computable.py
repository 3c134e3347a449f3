"""The report says why a statistic is missing ("data belum cukup") instead of a number."""

from __future__ import annotations

import pytest

from tilik.core import labels
from tilik.core.findings import format_value, resolve_path
from tilik.report.narrative import Table, build_report

TEST = "pengetahuan_pelayanan_prima"


def _edge_hasil(hasil):
    sikap = hasil["constructs"]["survei_peserta"]["sikap"]
    sikap.update(alpha=None, alpha_ci=[None, None], alpha_flagged=False)
    sikap["not_computable"] = {"alpha": "too_few", "alpha_ci": "too_few"}
    test = hasil["prepost"][TEST]
    test.update(t=None, p=None, d_z=None, wilcoxon_p=0.0078125)
    test["not_computable"] = {"t": "no_spread", "p": "no_spread", "d_z": "no_spread"}
    hasil["ikm"]["_all"].update(ikm=88.30499999999999, ikm_rounded=88.31, mutu="A")
    return hasil


def _table(report, section_id):
    lampiran = next(s for s in report.sections if s.id == "lampiran")
    section = next(c for c in lampiran.children if c.id == section_id)
    return next(b for b in section.blocks if isinstance(b, Table))


@pytest.mark.parametrize(
    ("lang", "few", "flat"),
    [("id", "data belum cukup", "tanpa variasi"), ("en", "not enough data", "no variation")],
)
def test_it_prints_the_reason_where_the_number_would_be(hasil, lang, few, flat):
    report = build_report(_edge_hasil(hasil), lang)
    reliability = {row[1]: row for row in _table(report, "lampiran-reliabilitas").rows}
    sikap = reliability[labels.construct_name("sikap", lang, capital=True)]
    assert sikap[2:4] == [few, few] and sikap[5] == few
    prepost = _table(report, "lampiran-prepost").rows[0]
    assert prepost[4:6] == [flat, flat] and prepost[7] == flat
    assert prepost[6] == format_value(0.0078125, "p", lang)


def test_it_prints_the_ikm_the_grade_was_read_from(hasil):
    row = _table(build_report(_edge_hasil(hasil)), "lampiran-ikm").rows[0]
    assert row[-2:] == ["88,31", "A"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_reports_an_equal_gain_by_the_wilcoxon_test(hasil, lang):
    hasil = {**_edge_hasil(hasil), "findings": []}  # findings built from these numbers
    sentences = [
        s for s in build_report(hasil, lang).sentences() if "0,008" in s.text or "0.008" in s.text
    ]
    assert sentences and any(
        ("sama besar" if lang == "id" else "same amount") in s.text for s in sentences
    )
    for sentence in sentences:
        for number in sentence.numbers:
            assert number.text == format_value(resolve_path(hasil, number.path), number.fmt, lang)


def test_it_states_each_method_setting_in_the_method_notes(hasil):
    for lang, words in (
        (
            "id",
            [
                "selisih nol dibuang",
                "koreksi Hedges",
                "penghapusan listwise",
                "rank-biserial",
                "“data belum cukup”",
            ],
        ),
        (
            "en",
            [
                "zero differences are dropped",
                "Hedges' correction",
                "listwise deletion",
                "rank-biserial",
                "“not enough data”",
            ],
        ),
    ):
        lampiran = next(s for s in build_report(hasil, lang).sections if s.id == "lampiran")
        notes = next(c for c in lampiran.children if c.id == "lampiran-metode")
        text = " ".join(p.text for b in notes.blocks for p in b.items)
        for word in words:
            assert text.count(word) == 1, word
