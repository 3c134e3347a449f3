import re

import pytest

from tilik.core.findings import format_value, resolve_path
from tilik.report.narrative import CONSTANT_NUMBERS, build_report, mask_personal


def untraced_digits(sentence):
    text = sentence.text
    for number in sorted(sentence.numbers, key=lambda n: -len(n.text)):
        text = text.replace(number.text, " ")
    for constant in sorted(CONSTANT_NUMBERS, key=len, reverse=True):
        text = text.replace(constant, " ")
    return re.findall(r"\d+", text)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_prints_each_number_as_the_formatted_value_at_its_path(hasil, lang):
    sentences = build_report(hasil, lang).sentences()
    traced = [n for s in sentences for n in s.numbers]
    assert len(traced) > 40
    for sentence in sentences:
        for number in sentence.numbers:
            if number.fmt == "key":  # a key of hasil (a year, a sector): the path's last step
                resolve_path(hasil, number.path)
                assert number.text == number.path.rsplit("/", 1)[-1]
                continue
            expected = format_value(resolve_path(hasil, number.path), number.fmt, lang)
            assert number.text == expected
            assert expected in sentence.text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_prints_no_number_without_a_path(hasil, lang):
    for sentence in build_report(hasil, lang).sentences():
        if not sentence.fixed:
            assert untraced_digits(sentence) == [], sentence.text


def test_it_writes_indonesian_by_default(hasil):
    report = build_report(hasil)
    titles = [s.title for s in report.sections]
    assert titles == [
        "Pendahuluan",
        "Tujuan Evaluasi",
        "Metode Evaluasi",
        "Hasil Evaluasi",
        "Tantangan yang Dihadapi",
        "Rekomendasi untuk Perbaikan",
        "Kesimpulan",
        "Lampiran",
    ]


def test_it_writes_english_on_request(hasil):
    report = build_report(hasil, "en")
    assert [s.title for s in report.sections][-3:] == [
        "Recommendations for Improvement",
        "Conclusion",
        "Appendix",
    ]
    text = " ".join(s.text for s in report.sentences())
    assert "86.6%" in text and "86,6%" not in text


def test_it_formats_percentages_for_indonesian(hasil):
    text = " ".join(s.text for s in build_report(hasil).sentences())
    assert "86,6%" in text
    assert "Sebagian besar peserta (86,6%" in text


def test_it_structures_results_by_kirkpatrick_level(hasil):
    results = next(s for s in build_report(hasil).sections if s.id == "hasil")
    assert [c.title for c in results.children] == [
        "Reaksi (Level 1)",
        "Pembelajaran (Level 2)",
        "Perilaku (Level 3)",
        "Hasil (Level 4)",
        "Relevansi",
    ]


def test_it_uses_evaluator_edited_recommendations_from_hasil(hasil):
    hasil["recommendations"] = [
        {
            "rule": "manual",
            "key": "manual:1",
            "text": {"id": "Teks tim evaluasi."},
            "priority": "tinggi",
            "owner": {"id": "BKPSDM"},
            "indicator": {"id": "-"},
            "evidence": [],
        }
    ]
    section = next(s for s in build_report(hasil).sections if s.id == "rekomendasi")
    assert [b.sentence.text for b in section.blocks[1:]] == ["Teks tim evaluasi."]


def test_it_masks_personal_data_in_quotes():
    text = mask_personal("Hubungi Pak Yohanes di 0812-3456-7890, NIP 198503122010011002.")
    assert "Yohanes" not in text and "0812" not in text and "1985" not in text


def test_it_masks_phone_numbers_and_names_without_the_themes_package():
    from tilik.report.narrative import _local_mask

    text = _local_mask("Telepon Ibu Maria di +62 812 3456 7890. Pak Camat hadir.")
    assert text == "Telepon Ibu [nama] di [telepon]. Pak Camat hadir."


def test_it_masks_quotes_again_in_the_report(hasil):
    report = build_report(hasil)
    quotes = [
        b.text
        for s in report.sections
        for c in [s, *s.children]
        for b in c.blocks
        if type(b).__name__ == "Quote"
    ]
    assert quotes and not any("0812" in q for q in quotes)


def test_the_english_report_speaks_english_about_roles_grades_and_strength(hasil):
    import html

    from tilik.report.html import render_html

    page = render_html(build_report(hasil, "en"))
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert not re.search(r"— (atasan|peserta|pejabat|warga)\b", text)
    assert not re.search(r"\b(sektor|sedang|tinggi|kuat|lemah|Sangat Baik|Kurang Baik)\b", text)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_warns_of_a_response_rate_above_100_percent(hasil, lang):
    form_id = next(k for k, v in hasil["instruments"].items() if v.get("response_rate"))
    assert not any("100 %" in s.text for s in build_report(hasil, lang).sentences())
    hasil["instruments"][form_id]["response_rate"] = 1.13
    warned = [s for s in build_report(hasil, lang).sentences() if "113" in s.text]
    assert len(warned) == 1
    assert warned[0].numbers[0].path == f"instruments/{form_id}/response_rate"
    assert format_value(1.13, "pct", lang) in warned[0].text
