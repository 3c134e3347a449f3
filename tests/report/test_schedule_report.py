from __future__ import annotations

import pytest

from tests.report.test_narrative import untraced_digits
from tests.schedule_builders import plan_of, small_plan
from tilik.core.findings import format_value, resolve_path
from tilik.core.schedule import rigid_plan, solve, summary
from tilik.report import render
from tilik.report.narrative import build_report
from tilik.report.pipeline import validate_hasil


@pytest.fixture(scope="module")
def jadwal():
    plan = plan_of(small_plan())
    result = solve(plan)
    return summary(plan, result.schedule, rigid_plan(plan), result.stats)


@pytest.fixture
def with_schedule(hasil, jadwal):
    return {**hasil, "jadwal": jadwal}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_adds_a_schedule_chapter_whose_numbers_trace_to_hasil(with_schedule, lang):
    report = build_report(with_schedule, lang)
    section = next(s for s in report.sections if s.id == "jadwal")
    assert section.title == (
        "Usulan Jadwal Pelatihan Fleksibel"
        if lang == "id"
        else "Proposed Flexible Training Schedule"
    )
    sentences = [s for b in section.blocks if hasattr(b, "sentences") for s in b.sentences]
    assert len(sentences) == 4
    for sentence in sentences:
        assert untraced_digits(sentence) == [], sentence.text
        for number in sentence.numbers:
            assert number.path.startswith("jadwal/")
            assert number.text == format_value(
                resolve_path(with_schedule, number.path), number.fmt, lang
            )


def test_it_leaves_the_chapter_out_without_a_schedule(hasil):
    assert "jadwal" not in [s.id for s in build_report(hasil).sections]


def test_it_draws_a_greyscale_legible_chart_with_words_for_alt_text(with_schedule, tmp_path):
    report = build_report(with_schedule)
    chart = report.charts["jadwal"]
    assert "Puskesmas Oesapa — satu blok" in chart.alt and "jam" in chart.alt
    bars = [s for s in chart.shapes if type(s).__name__ == "Rect"]
    assert {b.hatch for b in bars[0::2]} == {True} and {b.hatch for b in bars[1::2]} == {False}
    render(with_schedule, tmp_path, formats=("html",))
    svg = (tmp_path / "grafik" / "jadwal.svg").read_text()
    assert "<desc" in svg and "<title" in svg
    assert 'id="jadwal"' in (tmp_path / "laporan.html").read_text()


def test_it_keeps_hasil_valid_against_the_schema(with_schedule):
    validate_hasil(with_schedule)
