"""The report's chapter comparing cycles: traced numbers, plain words, its chart."""

from __future__ import annotations

import copy
import json
import re

import pytest
from click.testing import CliRunner

from tests.report.bundles import write_evaluation
from tests.report.test_narrative import untraced_digits
from tilik.cli.main import cli
from tilik.core.cycles import Cycle, compare_cycles
from tilik.core.findings import format_value, resolve_path
from tilik.core.recommend import build_recommendations
from tilik.report.charts import INK, MUTED, Line, Rect, Text
from tilik.report.cycles import cycles_chart
from tilik.report.narrative import build_report


@pytest.fixture
def compared(hasil):
    then = copy.deepcopy(hasil)
    then["evaluation"]["period"] = 2024
    then["evaluation"]["title"] = "Evaluasi 2024"
    then["constructs"]["survei_peserta"]["manfaat"]["top2box"] = 0.66
    for challenge in [*then["challenges"], *hasil["challenges"]]:
        challenge["n"] = 142
    then["challenges"][0]["share"] = 0.61
    del then["constructs"]["survei_peserta"]["relevansi"]
    then["recommendations"] = build_recommendations(then)
    keys = [r["key"] for r in then["recommendations"]]
    follow_ups = {
        keys[0]: {"status": "selesai"},
        keys[1]: {"status": "proses", "due": "2025-03-31"},
    }
    hasil["comparison"] = json.loads(
        json.dumps(compare_cycles(hasil, [Cycle(then, follow_ups, "uji-2024")]))
    )
    return hasil


def _chapter(report):
    return next(s for s in report.sections if s.id == "perbandingan")


def _sentences(section):
    out = []
    for block in section.blocks:
        out.extend(getattr(block, "sentences", []))
        for item in getattr(block, "items", []):
            out.extend(item.sentences)
    for child in section.children:
        out.extend(_sentences(child))
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_traces_every_number_of_the_comparison(compared, lang):
    sentences = _sentences(_chapter(build_report(compared, lang)))
    assert sum(len(s.numbers) for s in sentences) > 15
    for sentence in sentences:
        for number in sentence.numbers:
            expected = format_value(resolve_path(compared, number.path), number.fmt, lang)
            assert number.text == expected and expected in sentence.text
        if not sentence.fixed:
            assert untraced_digits(sentence) == [], sentence.text


def test_it_says_what_became_of_the_previous_recommendations(compared):
    text = " ".join(s.text for s in _sentences(_chapter(build_report(compared, "id"))))
    assert "Rekomendasi 2024: penjadwalan pelatihan yang fleksibel — selesai" in text
    assert re.search(r"turun dari 61,0% menjadi 46,0% \(selisih −15,0 poin persen; IK 95%", text)
    assert "(tenggat 31 Maret 2025 terlampaui)" in text


def test_it_names_what_cannot_be_compared(compared):
    chapter = _chapter(build_report(compared, "id"))
    missing = next(c for c in chapter.children if c.id == "perbandingan-tidak-dapat")
    lines = [item.text for block in missing.blocks for item in block.items]
    assert "Survei peserta: relevansi materi dengan tugas: konstruk baru pada siklus ini." in lines


def test_it_draws_the_headline_figures_of_every_cycle_legibly_without_colour(compared):
    chart = cycles_chart(compared, "id")
    assert chart.id == "siklus"
    assert "2024" in chart.alt and "2025" in chart.alt and "IKM keseluruhan" in chart.alt
    colours = {s.fill for s in chart.shapes if isinstance(s, Rect | Text)}
    colours |= {s.stroke for s in chart.shapes if isinstance(s, Line)}
    assert colours <= {INK, MUTED}
    labels = {s.text for s in chart.shapes if isinstance(s, Text)}
    assert {"66,0%", "86,6%"} <= labels


def test_the_report_has_no_comparison_chapter_without_a_previous_cycle(hasil):
    assert not [s for s in build_report(hasil, "id").sections if s.id == "perbandingan"]


def _pair(tmp_path):
    cycles = tmp_path / "siklus"
    then = write_evaluation(cycles / "uji-2024", [3, 3, 4, 2, 3, 4, 3, 2, 4, 3])
    meta = then / "evaluasi.yaml"
    meta.write_text(meta.read_text("utf-8").replace("period: 2025", "period: 2024"), "utf-8")
    now = write_evaluation(cycles / "uji-2025", [5, 4, 4, 5, 3, 4, 5, 5, 4, 4])
    meta = now / "evaluasi.yaml"
    meta.write_text(meta.read_text("utf-8") + "previous: ../uji-2024\n", "utf-8")
    return then, now


def test_tilik_report_compares_a_bundle_with_the_bundle_it_names(tmp_path):
    _, now = _pair(tmp_path)
    result = CliRunner().invoke(
        cli, ["report", str(now), "--out", str(tmp_path / "out"), "--lang", "id"]
    )
    assert result.exit_code == 0, result.output
    hasil = json.loads((tmp_path / "out" / "hasil.json").read_text("utf-8"))
    manfaat = hasil["comparison"]["constructs"]["survei_peserta"]["manfaat"]
    assert manfaat["previous"]["n"] == 10 and manfaat["mean_diff"] > 0
    html = (tmp_path / "out" / "laporan.html").read_text("utf-8")
    assert "Perbandingan dengan Evaluasi 2024" in html
    assert (tmp_path / "out" / "grafik" / "siklus.svg").exists()


def test_a_chain_that_loops_stops_and_says_so(tmp_path):
    then, now = _pair(tmp_path)
    meta = then / "evaluasi.yaml"
    meta.write_text(meta.read_text("utf-8") + "previous: ../uji-2025\n", "utf-8")
    result = CliRunner().invoke(cli, ["report", str(now), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    hasil = json.loads((tmp_path / "out" / "hasil.json").read_text("utf-8"))
    assert [c["period"] for c in hasil["comparison"]["history"]["cycles"]] == [2024, 2025]
    assert any("berputar" in note for note in hasil["data_quality"]["notes"])
