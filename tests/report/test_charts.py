import io
import xml.etree.ElementTree as ET

from PIL import Image

from tilik.report.charts import LIKERT_FILLS, report_charts, to_png, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def luminance(hex_colour):
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_it_draws_every_report_chart(hasil):
    assert set(report_charts(hasil)) == {
        "likert-survei_peserta",
        "likert-survei_atasan",
        "prepost",
        "relevansi-sektor",
        "tantangan",
        "ikm-unsur",
    }


def test_it_writes_valid_svg_with_title_and_description(hasil):
    for chart in report_charts(hasil).values():
        root = ET.fromstring(to_svg(chart))
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == chart.title
        assert root.find(f"{SVG}desc").text == chart.alt


def test_it_puts_values_in_the_alt_text(hasil):
    alt = report_charts(hasil)["tantangan"].alt
    assert "46,0%" in alt and alt.startswith("Tantangan")


def test_it_labels_charts_in_english_on_request(hasil):
    alt = report_charts(hasil, "en")["tantangan"].alt
    assert "46.0%" in alt and "Challenges" in alt


def test_it_draws_the_same_chart_as_png(hasil):
    chart = report_charts(hasil)["ikm-unsur"]
    image = Image.open(io.BytesIO(to_png(chart, scale=1)))
    assert image.size == (round(chart.width), round(chart.height))


def test_it_keeps_likert_fills_apart_in_greyscale():
    # diverging scale: the two negative fills are hatched, so compare within each side
    neutral_and_positive = sorted(luminance(c) for c in LIKERT_FILLS[2:])
    assert all(b - a > 40 for a, b in zip(neutral_and_positive, neutral_and_positive[1:]))
    assert abs(luminance(LIKERT_FILLS[0]) - luminance(LIKERT_FILLS[1])) > 40


def test_it_hides_sector_cells_under_five(hasil):
    sectors = hasil["groups"]["survei_peserta"]["relevansi"]["by"]["sector"]["cells"]
    sectors["Kelautan"] = {"n": 4, "top2box": 0.25}
    assert "Kelautan" not in to_svg(report_charts(hasil)["relevansi-sektor"])


def test_the_public_summary_chart_is_laid_out_for_a_phone(hasil):
    from tilik.report.charts import Text, challenges_chart
    from tilik.report.public import public_summary

    wide = challenges_chart(hasil, "id")
    narrow = challenges_chart(hasil, "id", narrow=True)
    assert wide is not None and narrow is not None
    assert narrow.width <= 360 < wide.width
    # type no smaller than 13 px at 360 px wide: legible on a phone without zooming
    assert min(s.size for s in narrow.shapes if isinstance(s, Text)) >= 13
    assert all(s.x >= 0 and s.x < narrow.width for s in narrow.shapes if isinstance(s, Text))
    assert narrow.alt == wide.alt  # the same values, told the same way
    ET.fromstring(to_svg(narrow))
    page = public_summary(hasil, "id")
    assert f'viewBox="0 0 {narrow.width:.0f} ' in page
