"""The conclusion and the method section follow the data, on small evaluations analysed by
the real pipeline (bundle → analyse → report model), in Indonesian and English."""

from __future__ import annotations

import pytest

from tests.report.bundles import write_evaluation
from tilik.core.bundle import read_bundle
from tilik.report.narrative import build_report
from tilik.report.pipeline import analyse
from tilik.report.public import public_summary

PRE = [i % 3 for i in range(40)]  # 0–2 right answers of 5
POST = [min(5, p + 2 + i % 2) for i, p in enumerate(PRE)]  # 2–4 right answers


def report(tmp_path, ratings, lang, **options):
    hasil = analyse(read_bundle(write_evaluation(tmp_path, ratings, **options)))
    return hasil, build_report(hasil, lang)


def section_text(report_model, section_id):
    section = next(s for s in report_model.sections if s.id == section_id)
    texts = []

    def walk(s):
        for block in s.blocks:
            if hasattr(block, "items"):
                texts.extend(item.text for item in block.items)
            elif hasattr(block, "sentences"):
                texts.append(block.text)
        for child in s.children:
            walk(child)

    walk(section)
    return " ".join(texts)


def overall(report_model):
    section = next(s for s in report_model.sections if s.id == "kesimpulan")
    return section.blocks[0].text


@pytest.mark.parametrize(
    ("lang", "said", "never"),
    [
        (
            "id",
            "tidak ada peserta yang memberi penilaian positif terhadap manfaat program",
            "tetapi",
        ),
        ("en", "none of the participants rated usefulness of the program positively", "but"),
    ],
)
def test_it_says_a_negative_rating_negatively(tmp_path, lang, said, never):
    _, model = report(tmp_path, [1] * 9, lang)
    text = overall(model)
    assert said in text
    assert never not in text
    assert "seluruh peserta memberi" not in text and "all of the participants" not in text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("id", "Secara keseluruhan, seluruh peserta memberi penilaian positif terhadap manfaat"),
        ("en", "Overall, all of the participants rated usefulness of the program positively"),
    ],
)
def test_it_joins_positive_findings_with_and(tmp_path, lang, said):
    _, model = report(tmp_path, [5] * 40, lang)
    text = overall(model)
    assert text.startswith(said)
    assert (" dan " if lang == "id" else " and ") in text
    assert "tetapi" not in text and " but " not in text


@pytest.mark.parametrize(
    ("lang", "positive", "but", "negative"),
    [
        (
            "id",
            "nilai tes pengetahuan layanan peserta naik secara bermakna",
            ", tetapi ",
            "tidak ada peserta yang memberi penilaian positif terhadap manfaat program",
        ),
        (
            "en",
            "participants' pengetahuan layanan test scores rose significantly",
            ", but ",
            "none of the participants rated usefulness of the program positively",
        ),
    ],
)
def test_it_sets_a_negative_finding_against_a_positive_one(tmp_path, lang, positive, but, negative):
    _, model = report(tmp_path, [1] * 40, lang, knowledge=[1] * 40, tests=(PRE, POST))
    text = overall(model)
    assert positive in text and negative in text
    assert text.index(positive) < text.index(but) < text.index(negative)


@pytest.mark.parametrize(
    ("lang", "fell"),
    [
        ("id", "nilai tes pengetahuan layanan peserta justru turun secara bermakna"),
        ("en", "participants' pengetahuan layanan test scores fell significantly"),
    ],
)
def test_it_says_a_falling_test_score_as_a_fall(tmp_path, lang, fell):
    _, model = report(tmp_path, [5] * 40, lang, tests=(POST, PRE))
    text = overall(model)
    assert fell in text
    assert "naik secara bermakna" not in text and "rose" not in text
    result = section_text(model, "hasil")
    assert ("justru turun" if lang == "id" else "fell from") in result


@pytest.mark.parametrize(
    ("lang", "unclear"),
    [("id", "terbagi di sekitar separuh sehingga belum dapat disimpulkan"), ("en", "split around")],
)
def test_it_says_an_inconclusive_finding_as_inconclusive(tmp_path, lang, unclear):
    split = [5, 1] * 20  # half agree, half disagree
    _, model = report(tmp_path, split, lang, knowledge=[5] * 40)
    text = overall(model)
    assert unclear in text
    assert ("Sementara itu" if lang == "id" else "Meanwhile") in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_concludes_without_test_data_from_the_ratings_alone(tmp_path, lang):
    _, model = report(tmp_path, [5] * 40, lang, knowledge=[1] * 40)
    text = overall(model)
    assert ("tes" not in text.split()) and ("test" not in text)
    assert ("peningkatan pengetahuan" if lang == "id" else "knowledge gained") in text
    assert (", tetapi " if lang == "id" else ", but ") in text
    method = section_text(model, "metode")
    assert "uji-t" not in method and "t-test" not in method


@pytest.mark.parametrize(
    ("lang", "claims"),
    [
        (
            "id",
            [
                "triangulasi",
                "uji-t",
                "Wilcoxon",
                "Indeks Kepuasan",
                "wawancara",
                "observasi",
                "Kruskal",
            ],
        ),
        (
            "en",
            [
                "triangulat",
                "t-test",
                "Wilcoxon",
                "satisfaction index",
                "interview",
                "observation",
                "Kruskal",
            ],
        ),
    ],
)
def test_one_small_survey_claims_no_method_it_did_not_use(tmp_path, lang, claims):
    hasil, model = report(tmp_path, [1] * 9, lang)
    method = section_text(model, "metode")
    for claim in claims:
        assert claim not in method, claim
    assert ("satu sumber" if lang == "id" else "one source") in method
    assert ("Level 3" in method) and ("tidak diukur" in method or "not measured" in method)
    summary = public_summary(hasil, lang)
    for claim in claims:
        assert claim not in summary, claim


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_method_names_tests_and_triangulation_when_the_data_have_them(tmp_path, lang):
    _, model = report(tmp_path, [5] * 40, lang, tests=(PRE, POST))
    method = section_text(model, "metode")
    assert ("triangulasi" if lang == "id" else "triangulation") in method
    assert ("uji-t" if lang == "id" else "t-test") in method
    assert "dz" in method and "d_z" not in method
    assert ("Indeks Kepuasan" if lang == "id" else "satisfaction index") not in method


def test_the_public_summary_uses_the_conclusion_built_from_the_data(tmp_path):
    hasil, _ = report(tmp_path, [1] * 9, "id")
    summary = public_summary(hasil, "id")
    assert "tidak ada peserta yang memberi penilaian positif terhadap manfaat program" in summary
