import re

import pytest
from docx import Document
from pypdf import PdfReader

from tilik.report import render, render_public_summary
from tilik.report.sample import sample_hasil

SECTIONS_ID = [
    "Pendahuluan",
    "Tujuan Evaluasi",
    "Metode Evaluasi",
    "Hasil Evaluasi",
    "Tantangan yang Dihadapi",
    "Rekomendasi untuk Perbaikan",
    "Kesimpulan",
    "Lampiran",
]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One full render for the whole module: PDF printing takes a few seconds."""
    out = tmp_path_factory.mktemp("laporan")
    return render(sample_hasil(), out)


def pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_it_writes_every_format_and_the_charts(written):
    assert {"html", "pdf", "docx", "grafik"} <= set(written)
    assert (written["grafik"] / "tantangan.svg").exists()
    assert len(list(written["grafik"].glob("*.svg"))) == 6


def test_it_prints_sections_and_numbers_in_the_pdf(written):
    text = pdf_text(written["pdf"])
    for title in SECTIONS_ID:
        assert title in text
    assert "86,6%" in text and "80,08" in text


def test_it_numbers_pdf_pages_and_starts_with_a_cover(written):
    reader = PdfReader(written["pdf"])
    assert len(reader.pages) > 8
    assert "LAPORAN EVALUASI" in reader.pages[0].extract_text()
    assert "Daftar Isi" in reader.pages[1].extract_text()
    assert re.search(r"\b3\s*$", reader.pages[2].extract_text().strip())


def test_it_writes_real_headings_tables_and_figures_in_the_docx(written):
    document = Document(written["docx"])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [re.sub(r"^\d+ ", "", h) for h in headings] == SECTIONS_ID
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert len(document.tables) >= 8
    assert len(document.inline_shapes) == 6
    text = "\n".join(p.text for p in document.paragraphs)
    assert "86,6%" in text


def test_it_gives_docx_figures_alt_text(written):
    document = Document(written["docx"])
    for shape in document.inline_shapes:
        assert shape._inline.docPr.get("descr")


def test_it_leaves_no_phone_number_in_any_format(written):
    html = written["html"].read_text()
    assert "0812" not in html and "[telepon]" in html
    assert "0812" not in pdf_text(written["pdf"])


def test_it_traces_html_sentences_to_hasil_paths(written):
    html = written["html"].read_text()
    assert 'data-paths="constructs/survei_peserta/manfaat/top2box' in html


def test_it_renders_english_html_only_when_asked(tmp_path):
    paths = render(sample_hasil(), tmp_path, lang="en", formats=("html",))
    assert set(paths) == {"html", "grafik"}
    html = paths["html"].read_text()
    assert 'lang="en"' in html and "Recommendations for Improvement" in html


def test_it_rejects_an_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        render(sample_hasil(), tmp_path, formats=("odt",))


def test_it_writes_a_public_summary_for_phones(hasil):
    html = render_public_summary(hasil)
    assert 'name="viewport"' in html
    assert "<h1>Evaluasi Program Pembinaan ASN di Kota Kupang</h1>" in html
    for heading in (
        "Pendahuluan",
        "Tujuan",
        "Metode",
        "Hasil",
        "Tantangan",
        "Rekomendasi",
        "Kesimpulan",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "0812" not in html and "Jejak" not in html


def test_it_embeds_the_public_summary_without_a_page(hasil):
    html = render_public_summary(hasil, "en", standalone=False)
    assert html.lstrip().startswith("<article") and "<html" not in html
    assert "<h2>Recommendations</h2>" in html
