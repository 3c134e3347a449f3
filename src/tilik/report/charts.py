"""Charts of the report, drawn by hand as SVG (web, HTML, PDF) and PNG (DOCX).

Each chart is built once as a list of simple shapes (``Chart``); ``to_svg`` and ``to_png``
draw the same shapes, so web, print and Word show the same picture. Charts stay legible in
greyscale: fills are separated by luminance, the negative side of a Likert scale is hatched,
and every bar carries its value as a direct label. Each chart has a title and an alt text
(``<title>``/``<desc>`` in SVG, ``Chart.alt`` for HTML ``alt`` and DOCX descriptions).

PNG is drawn with Pillow (already a WeasyPrint dependency) because neither WeasyPrint nor
python-docx can rasterise SVG, and cairosvg would add a native dependency.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from tilik.core import labels
from tilik.core.findings import cells, format_value

__all__ = [
    "Chart",
    "challenges_chart",
    "ikm_chart",
    "likert_chart",
    "prepost_chart",
    "relevance_chart",
    "report_charts",
    "to_png",
    "to_svg",
]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
INK = "#1a1a1a"
MUTED = "#5c5c5c"
# Luminance steps (dark to light) that stay apart in greyscale.
LIKERT_FILLS = ["#7f2704", "#d94801", "#d9d9d9", "#6baed6", "#08306b"]
LIKERT_HATCH = [True, True, False, False, False]
BAR = "#2b5c8a"
BAR_LIGHT = "#9ecae1"


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    hatch: bool = False


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = INK
    width: float = 1.0
    dash: bool = False


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float = 11
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    fill: str = INK


@dataclass
class Chart:
    """A chart: an id (file name), title, alt text, size in px and its shapes."""

    id: str
    title: str
    alt: str
    width: float
    height: float
    shapes: list[Rect | Line | Text] = field(default_factory=list)


# --------------------------------------------------------------------------- text metrics


@cache
def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size=max(1, round(size)))
    except OSError:
        return ImageFont.load_default()


def _text_width(text: str, size: float, bold: bool = False) -> float:
    font = _font(size * 4, bold)  # measure big, then scale: better sub-pixel accuracy
    return float(font.getlength(text)) / 4 if hasattr(font, "getlength") else len(text) * size


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and _text_width(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


def _label_lines(texts: Sequence[str], size: float, max_width: float) -> list[list[str]]:
    return [_wrap(label, max_width, size)[:2] for label in texts]


# --------------------------------------------------------------------------- backends


def to_svg(chart: Chart) -> str:
    """Render a chart as a standalone, accessible SVG document."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} '
        f'{chart.height:.0f}" width="{chart.width:.0f}" height="{chart.height:.0f}" '
        f'role="img" aria-labelledby="{chart.id}-t {chart.id}-d" '
        f'font-family="{FONT_FAMILY}">',
        f'<title id="{chart.id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart.id}-d">{escape(chart.alt)}</desc>',
    ]
    hatched = sorted({s.fill for s in chart.shapes if isinstance(s, Rect) and s.hatch})
    if hatched:
        out.append("<defs>")
        for index, fill in enumerate(hatched):
            out.append(
                f'<pattern id="{chart.id}-h{index}" width="6" height="6" '
                f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="{fill}"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>'
                "</pattern>"
            )
        out.append("</defs>")
    out.append(f'<rect width="{chart.width:.0f}" height="{chart.height:.0f}" fill="#ffffff"/>')
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            fill = f"url(#{chart.id}-h{hatched.index(shape.fill)})" if shape.hatch else shape.fill
            out.append(
                f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{max(shape.w, 0):.1f}" '
                f'height="{shape.h:.1f}" fill="{fill}"/>'
            )
        elif isinstance(shape, Line):
            dash = ' stroke-dasharray="4 3"' if shape.dash else ""
            out.append(
                f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" '
                f'y2="{shape.y2:.1f}" stroke="{shape.stroke}" '
                f'stroke-width="{shape.width}"{dash}/>'
            )
        else:
            weight = ' font-weight="bold"' if shape.bold else ""
            out.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}>'
                f"{escape(shape.text)}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    """Render a chart as PNG bytes (same shapes as the SVG), ``scale`` px per SVG unit."""
    width, height = round(chart.width * scale), round(chart.height * scale)
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            box = (
                round(shape.x * scale),
                round(shape.y * scale),
                round((shape.x + max(shape.w, 0)) * scale),
                round((shape.y + shape.h) * scale),
            )
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=shape.fill)
            if shape.hatch:
                _hatch(image, box, scale)
        elif isinstance(shape, Line):
            points = [shape.x1 * scale, shape.y1 * scale, shape.x2 * scale, shape.y2 * scale]
            if shape.dash:
                _dashed(draw, points, shape.stroke, max(1, round(shape.width * scale)), scale)
            else:
                draw.line(points, fill=shape.stroke, width=max(1, round(shape.width * scale)))
        else:
            font = _font(shape.size * scale, shape.bold)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text(
                (shape.x * scale, shape.y * scale),
                shape.text,
                fill=shape.fill,
                font=font,
                anchor=anchor,
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _hatch(image: Image.Image, box: tuple[int, int, int, int], scale: float) -> None:
    w, h = box[2] - box[0], box[3] - box[1]
    tile = image.crop(box)
    draw = ImageDraw.Draw(tile)
    step = max(3, round(6 * scale * 1.414))
    for offset in range(-h, w + h, step):
        draw.line([(offset, h), (offset + h, 0)], fill="#ffffff", width=max(1, round(2 * scale)))
    image.paste(tile, box[:2])


def _dashed(
    draw: ImageDraw.ImageDraw, pts: list[float], fill: str, width: int, scale: float
) -> None:
    x1, y1, x2, y2 = pts
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
    on, off = 4 * scale, 3 * scale
    pos = 0.0
    while pos < length:
        end = min(pos + on, length)
        draw.line(
            [
                (x1 + (x2 - x1) * pos / length, y1 + (y2 - y1) * pos / length),
                (x1 + (x2 - x1) * end / length, y1 + (y2 - y1) * end / length),
            ],
            fill=fill,
            width=width,
        )
        pos = end + off


# --------------------------------------------------------------------------- helpers


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _hbars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float, str, tuple[float, float] | None]],
    max_value: float,
    lang: str,
    reference: tuple[float, str] | None = None,
    note: str | None = None,
    narrow: bool = False,
) -> Chart:
    """Horizontal bars: rows of (label, value, value label, optional CI).

    ``narrow``: for a phone's width (a web page read on a phone), each label on its own
    lines above its bar, in larger type, so the chart stays legible scaled to ~360 px.
    """
    if narrow:
        return _hbars_narrow(chart_id, title, rows, max_value, reference, note)
    width, size = 640.0, 11.0
    label_w = min(230.0, max(_text_width(r[0], size) for r in rows) + 12) if rows else 100
    lines = _label_lines([r[0] for r in rows], size, label_w - 12)
    row_h = [max(26.0, 14.0 * len(ls) + 10) for ls in lines]
    top, left, right = 34.0, label_w, width - 70
    height = top + sum(row_h) + (44 if note else 26)
    chart = Chart(chart_id, title, "", width, height)
    chart.shapes.append(Text(0, 18, title, 13, bold=True))
    scale = (right - left) / max_value
    y = top
    for (_name, value, shown, ci), ls, h in zip(rows, lines, row_h):
        bar_h = min(18.0, h - 8)
        by = y + (h - bar_h) / 2
        for i, line in enumerate(ls):
            chart.shapes.append(
                Text(left - 8, by + bar_h / 2 + 4 - 7 * (len(ls) - 1) + 14 * i, line, size, "end")
            )
        chart.shapes.append(Rect(left, by, value * scale, bar_h, BAR))
        end = left + value * scale
        if ci:
            end = max(
                end, _ci_marks(chart, left + ci[0] * scale, left + ci[1] * scale, by, bar_h, 1.2)
            )
        chart.shapes.append(Text(end + 5, by + bar_h / 2 + 4, shown, size, bold=True))
        y += h
    chart.shapes.append(Line(left, top - 4, left, y + 2, MUTED, 1))
    if reference:
        rx = left + reference[0] * scale
        # Drawn first so bars and value labels sit on top of it.
        chart.shapes.insert(1, Line(rx, top - 4, rx, y + 2, MUTED, 1, dash=True))
        chart.shapes.append(Text(rx, y + 16, reference[1], 9.5, "middle", fill=MUTED))
    if note:
        chart.shapes.append(Text(0, height - 8, note, 9.5, fill=MUTED))
    chart.alt = title + ". " + "; ".join(f"{label}: {shown}" for label, _, shown, _ in rows) + "."
    return chart


def _ci_marks(chart: Chart, lo: float, hi: float, by: float, bar_h: float, width: float) -> float:
    """A confidence interval drawn across a bar (a line with end ticks); returns its end."""
    middle = by + bar_h / 2
    chart.shapes.append(Line(lo, middle, hi, middle, INK, width))
    chart.shapes.append(Line(lo, by + 3, lo, by + bar_h - 3, INK, width))
    chart.shapes.append(Line(hi, by + 3, hi, by + bar_h - 3, INK, width))
    return hi


def _hbars_narrow(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float, str, tuple[float, float] | None]],
    max_value: float,
    reference: tuple[float, str] | None,
    note: str | None,
) -> Chart:
    width, size, bar_h = 340.0, 15.0, 16.0
    left, right = 2.0, width - 64
    title_lines = _wrap(title, width - 24, 16.0)
    top = 8.0 + 20.0 * len(title_lines)
    chart = Chart(chart_id, title, "", width, 0)
    for i, line in enumerate(title_lines):
        chart.shapes.append(Text(0, 18 + 20.0 * i, line, 16.0, bold=True))
    scale = (right - left) / max_value
    y = top
    for label, value, shown, ci in rows:
        lines = _wrap(label, width - 24, size)  # a margin: browsers' fonts differ a little
        for i, line in enumerate(lines):
            chart.shapes.append(Text(left, y + 17 + 18.0 * i, line, size))
        by = y + 9 + 18.0 * len(lines)
        chart.shapes.append(Rect(left, by, value * scale, bar_h, BAR))
        end = left + value * scale
        if ci:
            end = max(
                end, _ci_marks(chart, left + ci[0] * scale, left + ci[1] * scale, by, bar_h, 1.4)
            )
        chart.shapes.append(Text(end + 6, by + bar_h / 2 + 5, shown, size, bold=True))
        y = by + bar_h + 6
    if reference:
        rx = left + reference[0] * scale
        chart.shapes.insert(len(title_lines), Line(rx, top, rx, y, MUTED, 1, dash=True))
        chart.shapes.append(Text(rx, y + 16, reference[1], 12.0, "middle", fill=MUTED))
        y += 20
    if note:
        for line in _wrap(note, width, 13.0):
            chart.shapes.append(Text(0, y + 18, line, 13.0, fill=MUTED))
            y += 17
    chart.height = y + 10
    chart.alt = title + ". " + "; ".join(f"{label}: {shown}" for label, _, shown, _ in rows) + "."
    return chart


# --------------------------------------------------------------------------- charts


def _distribution(stats: Mapping[str, Any]) -> list[float] | None:
    dist = stats.get("distribution")
    if not isinstance(dist, Mapping):
        items = [
            i.get("distribution")
            for i in (stats.get("items") or {}).values()
            if isinstance(i, Mapping)
        ]
        items = [d for d in items if isinstance(d, Mapping)]
        if not items:
            return None
        keys = sorted({k for d in items for k in d}, key=lambda k: float(k))
        dist = {k: sum(float(d.get(k, 0)) for d in items) / len(items) for k in keys}
    keys = sorted(dist, key=lambda k: float(k))
    values = [float(dist[k]) for k in keys]
    total = sum(values)
    if total <= 0 or len(values) != 5:
        return None
    return [v / total for v in values]


def likert_chart(hasil: Mapping[str, Any], form_id: str, lang: str = "id") -> Chart | None:
    """Stacked 100% bars of the Likert answers per construct of one form."""
    constructs = (hasil.get("constructs") or {}).get(form_id) or {}
    rows = []
    for name, stats in constructs.items():
        if not isinstance(stats, Mapping) or stats.get("top2box") is None:
            continue
        if labels.is_binary_construct(stats):  # a yes/no checklist has no Likert spread
            continue
        dist = _distribution(stats)
        if dist is None:
            top = float(stats["top2box"])
            dist = [0.0, 0.0, 1 - top, top, 0.0]
        rows.append(
            (labels.construct_name(name, lang, capital=True), dist, float(stats["top2box"]))
        )
    if not rows:
        return None
    width, size = 640.0, 11.0
    label_w = min(200.0, max(_text_width(r[0], size) for r in rows) + 12)
    lines = _label_lines([r[0] for r in rows], size, label_w - 12)
    top, left, right = 58.0, label_w, width - 60
    row_h = 30.0
    height = top + row_h * len(rows) + 30
    title = _t(
        lang,
        f"Sebaran jawaban per konstruk — {labels.instrument_name(hasil, form_id, lang).lower()}",
        f"Answers per construct — {labels.instrument_name(hasil, form_id, lang).lower()}",
    )
    chart = Chart(f"likert-{form_id}", title, "", width, height)
    chart.shapes.append(Text(0, 18, title, 13, bold=True))
    names = ["STS", "TS", "N", "S", "SS"] if lang == "id" else ["SD", "D", "N", "A", "SA"]
    legend = _t(
        lang,
        "STS sangat tidak setuju · TS tidak setuju · N netral · S setuju · SS sangat setuju",
        "SD strongly disagree · D disagree · N neutral · A agree · SA strongly agree",
    )
    lx = left
    for i, name in enumerate(names):
        chart.shapes.append(Rect(lx, 28, 12, 12, LIKERT_FILLS[i], LIKERT_HATCH[i]))
        chart.shapes.append(Text(lx + 16, 38.5, name, 10))
        lx += 22 + _text_width(name, 10) + 10
    chart.shapes.append(Text(0, height - 8, legend, 9.5, fill=MUTED))
    y = top
    alt_parts = []
    for (label, dist, top2), ls in zip(rows, lines):
        for i, line in enumerate(ls):
            chart.shapes.append(
                Text(left - 8, y + 15 - 7 * (len(ls) - 1) + 14 * i, line, size, "end")
            )
        x = left
        for i, share in enumerate(dist):
            w = share * (right - left)
            chart.shapes.append(Rect(x, y + 2, w, 18, LIKERT_FILLS[i], LIKERT_HATCH[i]))
            if share >= 0.08:
                colour = "#ffffff" if i == 4 else INK
                if LIKERT_HATCH[i]:
                    text_w = _text_width(format_value(share, "pct0", lang), 9.5, True)
                    chart.shapes.append(
                        Rect(x + w / 2 - text_w / 2 - 2, y + 6, text_w + 4, 12, "#ffffff")
                    )
                chart.shapes.append(
                    Text(
                        x + w / 2,
                        y + 15,
                        format_value(share, "pct0", lang),
                        9.5,
                        "middle",
                        bold=True,
                        fill=colour,
                    )
                )
            x += w
        shown = format_value(top2, "pct", lang)
        chart.shapes.append(Text(right + 6, y + 15, shown, size, bold=True))
        alt_parts.append(f"{label}: {shown} " + _t(lang, "setuju/sangat setuju", "agree"))
        y += row_h
    chart.alt = title + ". " + "; ".join(alt_parts) + "."
    return chart


def prepost_chart(hasil: Mapping[str, Any], lang: str = "id") -> Chart | None:
    """Test scores before and after training: mean, with ± 1 SD whiskers for the spread."""
    prepost = hasil.get("prepost") or {}
    rows = []
    has_sd = False
    top = 0.0
    for name, stats in prepost.items():
        if not isinstance(stats, Mapping) or stats.get("mean_post") is None:
            continue
        label = labels.capitalise(labels.humanise(name))
        top = max(top, float(stats.get("max_score") or 0))
        for when, word in (
            ("pre", _t(lang, "sebelum", "before")),
            ("post", _t(lang, "sesudah", "after")),
        ):
            mean = float(stats[f"mean_{when}"])
            sd = stats.get(f"sd_{when}")
            spread = None
            if isinstance(sd, int | float):
                has_sd = True
                spread = (max(0.0, mean - sd), mean + sd)
            rows.append((f"{label} — {word}", mean, format_value(mean, "num1", lang), spread))
    if not rows:
        return None
    top = max(top or 100.0, max((r[3] or (0, r[1]))[1] for r in rows))
    chart = _hbars(
        "prepost",
        _t(
            lang,
            "Nilai tes sebelum dan sesudah pelatihan",
            "Test scores before and after training",
        ),
        rows,
        top,
        lang,
        note=_t(
            lang,
            "Batang: rata-rata; garis hitam: ± 1 simpangan baku.",
            "Bars: mean; black lines: ± 1 standard deviation.",
        )
        if has_sd
        else None,
    )
    bars = [s for s in chart.shapes if isinstance(s, Rect)]
    for index, shape in enumerate(bars):
        if index % 2 == 0:
            shape.fill = BAR_LIGHT
    return chart


def challenges_chart(
    hasil: Mapping[str, Any], lang: str = "id", *, narrow: bool = False
) -> Chart | None:
    """Challenges ranked by the share of people citing them, with 95% CIs
    (``narrow``: laid out for a phone, see :func:`_hbars`).

    Bars share one denominator: the survey respondents who answered the obstacle items when
    the surveys had them (challenges that only open answers or interviews raised are left to
    the challenges table), otherwise the people who wrote open answers or were interviewed.
    """
    challenges = [c for c in hasil.get("challenges") or [] if isinstance(c, Mapping)]
    surveyed = [
        (c, c["sources"]["survei"])
        for c in challenges
        if isinstance((c.get("sources") or {}).get("survei"), Mapping)
        and c["sources"]["survei"].get("share") is not None
    ]
    if surveyed:
        picked = sorted(surveyed, key=lambda cs: -float(cs[1]["share"]))
        ns = {int(s["n"]) for _, s in picked if isinstance(s.get("n"), int | float)}
        n_text = format_value(next(iter(ns)), "int", lang) if len(ns) == 1 else ""
        title = _t(
            lang,
            "Hambatan yang dipilih responden survei",
            "Obstacles chosen by survey respondents",
        )
        note = _t(
            lang,
            f"Persentase dari {n_text} responden survei. " if n_text else "",
            f"Share of {n_text} survey respondents. " if n_text else "",
        ) + _t(
            lang, "Garis hitam: interval kepercayaan 95%.", "Black lines: 95% confidence interval."
        )
    else:
        picked = [(c, c) for c in challenges]
        title = _t(
            lang,
            "Tantangan menurut persentase orang yang menyebutkannya dalam jawaban terbuka "
            "atau wawancara",
            "Challenges by share of people raising them in open answers or interviews",
        )
        note = _t(
            lang, "Garis hitam: interval kepercayaan 95%.", "Black lines: 95% confidence interval."
        )
    rows = []
    for item, stats in picked:
        ci = stats.get("share_ci") or (item.get("share_ci") if stats is item else None)
        if stats is not item and ci is None and stats.get("share") == item.get("share"):
            ci = item.get("share_ci")
        rows.append(
            (
                labels.theme_name(str(item["code"]), lang, capital=True, hasil=hasil),
                float(stats["share"]),
                format_value(stats["share"], "pct", lang),
                (float(ci[0]), float(ci[1])) if ci else None,
            )
        )
    if not rows:
        return None
    return _hbars(
        "tantangan",
        title,
        rows,
        max(0.5, max(max(r[1], (r[3] or (0, 0))[1]) for r in rows) * 1.1),
        lang,
        note=note,
        narrow=narrow,
    )


def group_name(hasil: Mapping[str, Any], dim: str, code: str, lang: str) -> str:
    """The display name of a group code (``hasil["labels"]``); see ``labels.group_name``."""
    return labels.group_name(hasil, dim, code, lang)


def relevance_chart(hasil: Mapping[str, Any], lang: str = "id", min_cell: int = 5) -> Chart | None:
    """Share rating the material relevant, per sector (cells under ``min_cell`` hidden)."""
    for groups in (hasil.get("groups") or {}).values():
        by = ((groups or {}).get("relevansi") or {}).get("by") or {}
        block = by.get("sector") or by.get("sektor")
        if not isinstance(block, Mapping):
            continue
        rows = [
            (
                f"{group_name(hasil, 'sector', name, lang)} "
                f"(n = {format_value(cell['n'], 'int', lang)})",
                float(cell["top2box"]),
                format_value(cell["top2box"], "pct", lang),
                None,
            )
            for name, cell in sorted(cells(block).items(), key=lambda kv: -kv[1].get("top2box", 0))
            if cell["n"] >= min_cell and cell.get("top2box") is not None
        ]
        if rows:
            return _hbars(
                "relevansi-sektor",
                _t(
                    lang,
                    "Persentase peserta yang menilai materi relevan, per sektor",
                    "Share of participants rating the material relevant, by sector",
                ),
                rows,
                1.0,
                lang,
                reference=(0.5, "50%"),
            )
    return None


def ikm_chart(hasil: Mapping[str, Any], lang: str = "id", unit: str = "_all") -> Chart | None:
    """Mean score (NRR, 1–4) of each of the nine SKM elements."""
    stats = (hasil.get("ikm") or {}).get(unit)
    if not isinstance(stats, Mapping) or not stats.get("nrr"):
        return None
    rows = [
        (
            f"{code.upper()} {labels.unsur_name(code, lang, capital=True)}",
            float(value),
            format_value(value, "num2", lang),
            None,
        )
        for code, value in stats["nrr"].items()
        if value is not None
    ]
    return _hbars(
        "ikm-unsur",
        _t(
            lang,
            "Nilai rata-rata per unsur SKM (skala 1–4)",
            "Mean score per SKM element (scale 1–4)",
        ),
        rows,
        4.0,
        lang,
        reference=(3.0644, _t(lang, "batas mutu B", "grade B")),
    )


def report_charts(hasil: Mapping[str, Any], lang: str = "id") -> dict[str, Chart]:
    """Every chart the report uses, keyed by chart id."""
    instruments = hasil.get("instruments") or {}
    charts: list[Chart | None] = [
        likert_chart(hasil, form_id, lang)
        for form_id in (hasil.get("constructs") or {})
        # checklists and tests are not Likert scales
        if (instruments.get(form_id) or {}).get("kind")
        not in ("observasi", "skm", "tes_awal", "tes_akhir")
    ]
    charts += [
        prepost_chart(hasil, lang),
        relevance_chart(hasil, lang),
        challenges_chart(hasil, lang),
        ikm_chart(hasil, lang),
    ]
    return {c.id: c for c in charts if c is not None}
