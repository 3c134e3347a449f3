"""The report chapter comparing this cycle with the previous one, and its chart.

``comparison_section(hasil, charts, lang)`` is empty unless ``hasil`` has a ``comparison``
section (:mod:`tilik.core.cycles`); it adds the chart of the headline figures across all
cycles (``siklus``) to ``charts``. Every number in a sentence is traced to its field of
``hasil`` like the rest of the report; the tables carry the detail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tilik.core import labels
from tilik.core.findings import Param, escape_step, format_value
from tilik.report.charts import INK, MUTED, Chart, Line, Rect, Text, _text_width, _wrap

__all__ = [
    "comparison_section",
    "cycles_chart",
    "headline_changes",
    "indicator_name",
    "recommendation_title",
]


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _p(value: Any, path: str, fmt: str) -> Param:
    return {"value": value, "path": path, "fmt": fmt}


def _i18n(id_text: str, en_text: str) -> Param:
    return {"value": {"id": id_text, "en": en_text}, "path": None, "fmt": "i18n"}


# --------------------------------------------------------------------------- chart


def cycles_chart(hasil: Mapping[str, Any], lang: str = "id") -> Chart | None:
    """Each headline figure across all cycles: one small panel per figure, the cycles from
    left to right, every point labelled with its value (legible without colour)."""
    history = (hasil.get("comparison") or {}).get("history") or {}
    cycles = history.get("cycles") or []
    headlines = [
        h
        for h in history.get("headlines") or []
        if sum((c.get("values") or {}).get(h["id"]) is not None for c in cycles) >= 1
    ]
    if len(cycles) < 2 or not headlines:
        return None
    title = _t(lang, "Angka utama per siklus evaluasi", "Headline figures by evaluation cycle")
    columns, width, panel_h, gap = 2, 640.0, 150.0, 16.0
    panel_w = (width - gap) / columns
    rows = (len(headlines) + columns - 1) // columns
    top = 30.0
    chart = Chart("siklus", title, "", width, top + rows * (panel_h + gap))
    chart.shapes.append(Text(0, 18, title, 13, bold=True))
    periods = [str(c.get("period") or "–") for c in cycles]
    described = []
    for index, headline in enumerate(headlines):
        x0 = (index % columns) * (panel_w + gap)
        y0 = top + (index // columns) * (panel_h + gap)
        name = labels.headline_name(headline["id"], lang)
        values = [(c.get("values") or {}).get(headline["id"]) for c in cycles]
        shown = [format_value(v, headline["fmt"], lang) for v in values]
        _panel(chart, (x0, y0, panel_w, panel_h), name, periods, values, shown, headline["fmt"])
        described.append(
            f"{name}: " + ", ".join(f"{p} {s}" for p, s in zip(periods, shown, strict=True))
        )
    chart.alt = title + ". " + "; ".join(described) + "."
    return chart


def _panel(
    chart: Chart,
    box: tuple[float, float, float, float],
    name: str,
    periods: Sequence[str],
    values: Sequence[float | None],
    shown: Sequence[str],
    fmt: str,
) -> None:
    """One figure across the cycles, on a scale from zero (0–100% for shares), so the
    slope of a line is as large as the change, not as large as the panel."""
    x0, y0, w, h = box
    for i, line in enumerate(_wrap(name, w - 8, 11)[:2]):
        chart.shapes.append(Text(x0, y0 + 12 + 13 * i, line, 11, bold=True))
    plot_top, plot_bottom = y0 + 44, y0 + h - 22
    left, right = x0 + 24, x0 + w - 24
    chart.shapes.append(Line(left - 8, plot_bottom, right + 8, plot_bottom, MUTED, 1))
    known = [v for v in values if v is not None]
    lo = min(0.0, *known)
    hi = 1.0 if fmt in ("pct", "pct0") and max(known) <= 1.0 else max(0.0, *known)
    if hi - lo <= 0:
        hi = lo + 1.0
    step = (right - left) / max(len(values) - 1, 1)
    points: list[tuple[float, float] | None] = []
    for i, value in enumerate(values):
        x = left + step * i if len(values) > 1 else (left + right) / 2
        chart.shapes.append(Text(x, plot_bottom + 14, periods[i], 10, "middle", fill=MUTED))
        if value is None:
            chart.shapes.append(Text(x, plot_bottom - 6, "–", 10, "middle", fill=MUTED))
            points.append(None)
            continue
        y = plot_bottom - 6 - (value - lo) / (hi - lo) * (plot_bottom - plot_top - 12)
        points.append((x, y))
    for a, b in zip(points, points[1:]):
        if a is not None and b is not None:
            chart.shapes.append(Line(a[0], a[1], b[0], b[1], INK, 1.6))
    last = len(points) - 1
    for i, point in enumerate(points):
        if point is None:
            continue
        x, y = point
        chart.shapes.append(Rect(x - 3.5, y - 3.5, 7, 7, INK))
        label = shown[i]
        anchor = "middle"
        if _text_width(label, 10.5, i == last) / 2 > x - chart.shapes[0].x and i == 0:
            anchor = "start"
        chart.shapes.append(Text(x, y - 8, label, 10.5, anchor, bold=i == last))


# --------------------------------------------------------------------------- words


def indicator_name(metric: str, hasil: Mapping[str, Any], lang: str = "id") -> str:
    """What a metric path of a previous recommendation measures, in words."""
    if metric.startswith("challenges[code="):
        code = metric[len("challenges[code=") :].split("]", 1)[0]
        theme = labels.theme_name(code, lang, hasil=hasil)
        return _t(lang, f"responden yang menyebut {theme}", f"respondents citing {theme}")
    parts = [p.replace("~1", "/").replace("~0", "~") for p in metric.split("/")]
    stat = parts[-1]
    if parts[0] == "constructs" and len(parts) >= 4:
        construct = labels.construct_name(parts[2], lang)
        if stat == "alpha":
            return _t(lang, f"alfa Cronbach {construct}", f"Cronbach's alpha of {construct}")
        return _t(lang, f"penilaian positif {construct}", f"positive rating of {construct}")
    if parts[0] == "groups" and len(parts) >= 6:
        construct = labels.construct_name(parts[2], lang)
        dim, group = parts[4], parts[-2]
        group_label = labels.group_name(hasil, dim, group, lang)
        return _t(
            lang,
            f"penilaian positif {construct} di {group_label}",
            f"positive rating of {construct} in {group_label}",
        )
    if parts[0] == "ikm" and len(parts) >= 4:
        unsur = labels.unsur_name(stat, lang)
        return _t(lang, f"nilai unsur {unsur}", f"score of the element {unsur}")
    if parts[0] == "jp":
        return _t(lang, "ASN yang memenuhi 20 JP", "ASN meeting 20 JP")
    if parts[0] == "instruments" and len(parts) >= 3:
        instrument = labels.instrument_name(hasil, parts[1], lang)
        return _t(lang, f"tingkat respons {instrument}", f"response rate of {instrument}")
    return _t(lang, "indikator", "indicator")


def _diff_fmt(fmt: str) -> tuple[str, str]:
    """(difference format, interval-bound format) for values of ``fmt``."""
    if fmt in ("pct", "pct0"):
        return "pp", "ppn"
    return ("snum2", "snum2") if fmt in ("num2", "num3") else ("snum1", "snum1")


def _change(
    what: Param, values: Mapping[str, Any], paths: Mapping[str, str], fmt: str, lang: str
) -> tuple[str, dict[str, Param]]:
    """A template and its parameters saying what a figure did between the cycles.

    ``values``: ``then``, ``now``, ``diff``, ``ci`` (two bounds or None), ``moved``;
    ``paths``: the hasil paths of ``then``, ``now``, ``diff`` and ``ci``.
    """
    diff_fmt, bound_fmt = _diff_fmt(fmt)
    params: dict[str, Param] = {
        "what": what,
        "then": _p(values.get("then"), paths["then"], fmt),
        "now": _p(values.get("now"), paths["now"], fmt),
    }
    if values.get("then") is None or values.get("now") is None or values.get("diff") is None:
        return _t(lang, "{what}: tidak dapat dibandingkan", "{what}: cannot be compared"), params
    params["diff"] = _p(values["diff"], paths["diff"], diff_fmt)
    if not any(ch in "123456789" for ch in format_value(values["diff"], diff_fmt, lang)):
        return _t(lang, "{what} tetap {now}", "{what} unchanged at {now}"), params
    verb = _t(lang, "turun", "fell") if values["diff"] < 0 else _t(lang, "naik", "rose")
    template = _t(
        lang,
        f"{{what}} {verb} dari {{then}} menjadi {{now}} (selisih {{diff}}",
        f"{{what}} {verb} from {{then}} to {{now}} (a difference of {{diff}}",
    )
    ci = values.get("ci") or [None, None]
    if ci[0] is not None and ci[1] is not None and paths.get("ci"):
        params["lo"] = _p(ci[0], f"{paths['ci']}/0", bound_fmt)
        params["hi"] = _p(ci[1], f"{paths['ci']}/1", bound_fmt)
        template += _t(lang, "; IK 95% {lo} sampai {hi}", "; 95% CI {lo} to {hi}")
        if values.get("moved") is False:
            template += _t(lang, ": belum bermakna", ": not a clear change")
    return template + ")", params


def _indicator_change(
    base: str, indicator: Mapping[str, Any], hasil: Mapping[str, Any], lang: str
) -> tuple[str, dict[str, Param]]:
    metric = str(indicator.get("metric"))
    what = _i18n(indicator_name(metric, hasil, "id"), indicator_name(metric, hasil, "en"))
    values = {
        "then": indicator.get("previous"),
        "now": indicator.get("current"),
        "diff": indicator.get("diff"),
        "ci": indicator.get("diff_ci"),
        "moved": indicator.get("moved"),
    }
    paths = {
        "then": f"{base}/previous",
        "now": f"{base}/current",
        "diff": f"{base}/diff",
        "ci": f"{base}/diff_ci",
    }
    return _change(what, values, paths, str(indicator.get("fmt") or "pct"), lang)


# --------------------------------------------------------------------------- chapter


def comparison_section(
    hasil: Mapping[str, Any], charts: dict[str, Chart], lang: str = "id"
) -> list:
    """The chapter comparing the cycles (empty without ``hasil["comparison"]``)."""
    from tilik.report.narrative import Bullets, Figure, Paragraph, Section, Sentence, say

    comparison = hasil.get("comparison")
    if not isinstance(comparison, Mapping) or not comparison.get("previous"):
        return []
    previous = comparison["previous"]
    then = str(previous.get("period") or "")
    section = Section(
        "perbandingan",
        _t(lang, f"Perbandingan dengan Evaluasi {then}", f"Comparison with the {then} Evaluation"),
    )
    intro = say(
        _t(
            lang,
            "Bab ini membandingkan evaluasi {now} dengan evaluasi sebelumnya atas program yang "
            "sama: {title}. Selisih adalah nilai siklus ini dikurangi nilai siklus "
            "sebelumnya, dengan interval kepercayaan 95%.",
            "This chapter compares the {now} evaluation with the previous evaluation of the "
            "same programs: {title}. A difference is this cycle's value minus the "
            "previous cycle's, with its 95% confidence interval.",
        ),
        {
            "now": _p((hasil.get("evaluation") or {}).get("period"), "evaluation/period", "text"),
            "title": _p(previous.get("title"), "comparison/previous/title", "text"),
        },
        lang,
    )
    section.blocks.append(Paragraph([intro]))
    section.blocks.append(Paragraph([Sentence(n, fixed=True) for n in _method(lang)], "note"))
    chart = cycles_chart(hasil, lang)
    if chart is not None:
        charts[chart.id] = chart
        section.blocks.append(Figure(chart, chart.title))
    headline_items = _headline_sentences(hasil, lang)
    if headline_items:
        section.blocks.append(Paragraph([Sentence(_t(lang, "Perubahan utama:", "Main changes:"))]))
        section.blocks.append(Bullets([Paragraph([s]) for s in headline_items]))
    section.children.extend(
        s
        for s in (
            _constructs_table(hasil, lang),
            _prepost_table(hasil, lang),
            _ikm_table(hasil, lang),
            _challenges_table(hasil, lang),
            _jp_part(hasil, lang),
        )
        if s is not None
    )
    section.children.append(_follow_up_section(hasil, lang))
    not_comparable = _not_comparable(hasil, lang)
    if not_comparable is not None:
        section.children.append(not_comparable)
    return [section]


def _method(lang: str) -> list[str]:
    return [
        _t(
            lang,
            "Interval selisih persentase memakai metode skor hibrida Newcombe untuk dua "
            "proporsi independen; interval selisih rata-rata memakai uji t Welch (varians "
            "tidak diasumsikan sama). Perubahan disebut bermakna bila intervalnya tidak "
            "memuat nol. IKM dibandingkan sebagaimana dipublikasikan (dibulatkan dua desimal) "
            "beserta jumlah respondennya, tanpa interval.",
            "Intervals of differences in percentages use Newcombe's hybrid score method for "
            "two independent proportions; intervals of differences in means use Welch's t "
            "(variances not assumed equal). A change is called clear when its interval "
            "excludes zero. The IKM is compared as published (rounded to two decimals) with "
            "its respondent counts, without an interval.",
        ),
        _t(
            lang,
            "Hanya instrumen dan konstruk yang ada pada kedua siklus dengan butir dan skala "
            "yang sama yang dibandingkan; bagian akhir bab ini menyebut yang tidak dapat "
            "dibandingkan dan alasannya.",
            "Only instruments and constructs present in both cycles with the same items and "
            "scale are compared; the end of this chapter names what cannot be compared and "
            "why.",
        ),
    ]


def _headline_sentences(hasil: Mapping[str, Any], lang: str) -> list:
    """One sentence per headline figure compared, from the detailed blocks."""
    from tilik.report.narrative import say

    out = []
    for kind, block in _headline_blocks(hasil):
        what = _i18n(labels.headline_name(kind, "id"), labels.headline_name(kind, "en"))
        template, params = _change(what, block, block["paths"], block["fmt"], lang)
        out.append(say(template + ".", params, lang))
    return out


def _block(fmt: str, values: Sequence[Any], base: str, **keys: str) -> dict[str, Any]:
    """Values (then, now, difference) and paths of one compared figure: ``keys`` name the
    fields under ``base`` (``then``, ``now``, ``diff``, optionally ``ci``)."""
    comparison_ci = keys.get("ci")
    return {
        "fmt": fmt,
        "then": values[0],
        "now": values[1],
        "diff": values[2],
        "paths": {
            "then": f"{base}/{keys['then']}",
            "now": f"{base}/{keys['now']}",
            "diff": f"{base}/{keys['diff']}",
            "ci": f"{base}/{comparison_ci}" if comparison_ci else "",
        },
    }


def headline_changes(hasil: Mapping[str, Any], lang: str = "id") -> list[str]:
    """The headline figures' changes since the previous cycle, one sentence each (the same
    sentences as the report's); empty without a comparison."""
    if not (hasil.get("comparison") or {}).get("previous"):
        return []
    return [sentence.text for sentence in _headline_sentences(hasil, lang)]


def _headline_blocks(hasil: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(headline id, values with their paths) of the headline figures compared."""
    comparison = hasil["comparison"]
    instruments = hasil.get("instruments") or {}
    blocks: list[tuple[str, dict[str, Any]]] = []
    for kind, construct, source in (
        ("manfaat", "manfaat", "survei_peserta"),
        ("relevansi", "relevansi", "survei_peserta"),
        ("penerapan", "penerapan", "survei_atasan"),
    ):
        for form_id, constructs in (comparison.get("constructs") or {}).items():
            entry = constructs.get(construct)
            if not entry or (instruments.get(form_id) or {}).get("kind") != source:
                continue
            if entry["current"].get("top2box") is None:
                continue
            block = _block(
                "pct",
                (
                    entry["previous"].get("top2box"),
                    entry["current"].get("top2box"),
                    entry.get("top2box_diff"),
                ),
                f"comparison/constructs/{escape_step(form_id)}/{escape_step(construct)}",
                then="previous/top2box",
                now="current/top2box",
                diff="top2box_diff",
                ci="top2box_diff_ci",
            )
            block.update(ci=entry.get("top2box_diff_ci"), moved=entry.get("top2box_moved"))
            blocks.append((kind, block))
            break
    for name, entry in list((comparison.get("prepost") or {}).items())[:1]:
        block = _block(
            "num1",
            (
                entry["previous"].get("mean_diff"),
                entry["current"].get("mean_diff"),
                entry.get("gain_diff"),
            ),
            f"comparison/prepost/{escape_step(name)}",
            then="previous/mean_diff",
            now="current/mean_diff",
            diff="gain_diff",
            ci="gain_diff_ci",
        )
        block.update(ci=entry.get("gain_diff_ci"), moved=entry.get("gain_moved"))
        blocks.append(("gain", block))
    overall = (comparison.get("ikm") or {}).get("_all")
    if overall and overall.get("diff") is not None:
        blocks.append(
            (
                "ikm",
                _block(
                    "num2",
                    (
                        overall["previous"].get("ikm_rounded"),
                        overall["current"].get("ikm_rounded"),
                        overall.get("diff"),
                    ),
                    "comparison/ikm/_all",
                    then="previous/ikm_rounded",
                    now="current/ikm_rounded",
                    diff="diff",
                ),
            )
        )
    jp = comparison.get("jp") or {}
    if jp.get("share_diff") is not None:
        block = _block(
            "pct",
            (
                jp["previous"].get("share_meeting_20"),
                jp["current"].get("share_meeting_20"),
                jp.get("share_diff"),
            ),
            "comparison/jp",
            then="previous/share_meeting_20",
            now="current/share_meeting_20",
            diff="share_diff",
            ci="share_diff_ci",
        )
        block.update(ci=jp.get("share_diff_ci"), moved=jp.get("share_moved"))
        blocks.append(("jp", block))
    return blocks


def _fmt(value: Any, fmt: str, lang: str) -> str:
    return format_value(value, fmt, lang)


def _with_ci(diff: Any, ci: Sequence[Any] | None, fmt: str, bound: str, lang: str) -> str:
    if diff is None:
        return "–"
    text = _fmt(diff, fmt, lang)
    if ci and ci[0] is not None and ci[1] is not None:
        text += f" ({_fmt(ci[0], bound, lang)} {_t(lang, 's.d.', 'to')} {_fmt(ci[1], bound, lang)})"
    return text


def _with_n(
    side: Mapping[str, Any], key: str, fmt: str, lang: str, n: str = "n", extra: str = ""
) -> str:
    """``75,5% (n = 298)``: a value of one cycle with its count (and ``extra`` before it)."""
    inside = f"{extra}; {_n(side.get(n), lang)}" if extra else _n(side.get(n), lang)
    return f"{_fmt(side.get(key), fmt, lang)} ({inside})"


def _n(value: Any, lang: str) -> str:
    return f"n = {format_value(value, 'int', lang)}" if value is not None else "n = –"


def _table_section(
    anchor: str, title: str, caption: str, header: list[str], rows: list[list[str]], note: str
) -> Any:
    from tilik.report.narrative import Section, Table

    numeric = [False] + [True] * (len(header) - 1)
    return Section(
        anchor, title, [Table(caption, header, rows, numeric, note, anchor=f"tabel-{anchor}")]
    )


def _arrow(then: Mapping[str, Any], now: Mapping[str, Any], key: str, fmt: str, lang: str) -> str:
    """``3,70 → 3,92``: one figure of both cycles."""
    return f"{_fmt(then.get(key), fmt, lang)} → {_fmt(now.get(key), fmt, lang)}"


def _constructs_table(hasil: Mapping[str, Any], lang: str) -> Any:
    comparison = hasil["comparison"]
    rows = []
    for form_id, constructs in (comparison.get("constructs") or {}).items():
        instrument = labels.instrument_name(hasil, form_id, lang)
        for name, entry in constructs.items():
            then, now = entry["previous"], entry["current"]
            stats = ((hasil.get("constructs") or {}).get(form_id) or {}).get(name) or {}
            binary = labels.is_binary_construct(stats)  # a yes/no checklist: a share of "ya"
            mean_fmt, diff_fmt = ("pct", "ppn") if binary else ("num2", "snum2")
            top = (
                ["–", "–"]
                if binary
                else [
                    _arrow(then, now, "top2box", "pct", lang),
                    _with_ci(
                        entry.get("top2box_diff"), entry.get("top2box_diff_ci"), "ppn", "ppn", lang
                    ),
                ]
            )
            rows.append(
                [
                    f"{instrument}: {labels.construct_name(name, lang)}",
                    f"{_fmt(then.get('n'), 'int', lang)} / {_fmt(now.get('n'), 'int', lang)}",
                    _arrow(then, now, "mean", mean_fmt, lang),
                    _with_ci(
                        entry.get("mean_diff"), entry.get("mean_diff_ci"), diff_fmt, diff_fmt, lang
                    ),
                    *top,
                ]
            )
    if not rows:
        return None
    then, now = _periods(hasil)
    return _table_section(
        "perbandingan-konstruk",
        _t(lang, "Konstruk survei", "Survey constructs"),
        _t(lang, f"Konstruk survei, {then} dan {now}", f"Survey constructs, {then} and {now}"),
        [
            _t(lang, "Instrumen: konstruk", "Instrument: construct"),
            f"n {then} / {now}",
            _t(lang, f"Rata-rata {then} → {now}", f"Mean {then} → {now}"),
            _t(lang, "Selisih (IK 95%)", "Difference (95% CI)"),
            f"Top-2-box {then} → {now}",
            _t(lang, "Selisih, poin persen (IK 95%)", "Difference, points (95% CI)"),
        ],
        rows,
        _t(
            lang,
            "Selisih rata-rata dengan interval Welch; selisih top-2-box dalam poin persen "
            "dengan interval Newcombe. Untuk daftar periksa ya/tidak, rata-rata adalah "
            "persentase jawaban “ya” dan selisihnya dalam poin persen.",
            "Differences of means with Welch intervals; differences of top-2-box shares in "
            "percentage points with Newcombe intervals. For yes/no checklists the mean is the "
            "share of “yes” answers and its difference is in percentage points.",
        ),
    )


def _periods(hasil: Mapping[str, Any]) -> tuple[str, str]:
    then = str(((hasil.get("comparison") or {}).get("previous") or {}).get("period") or "")
    now = str((hasil.get("evaluation") or {}).get("period") or "")
    return then, now


def _scores(side: Mapping[str, Any], lang: str) -> str:
    """``44,3 → 66,4 (n = 334)``: a cycle's mean pre- and post-test scores."""
    pre, post = _fmt(side.get("mean_pre"), "num1", lang), _fmt(side.get("mean_post"), "num1", lang)
    return f"{pre} → {post} ({_n(side.get('n_pairs'), lang)})"


def _prepost_table(hasil: Mapping[str, Any], lang: str) -> Any:
    rows = []
    for name, entry in (hasil["comparison"].get("prepost") or {}).items():
        then, now = entry["previous"], entry["current"]
        rows.append(
            [
                labels.humanise(name).capitalize(),
                _scores(then, lang),
                _scores(now, lang),
                _fmt(then.get("mean_diff"), "num1", lang),
                _fmt(now.get("mean_diff"), "num1", lang),
                _with_ci(entry.get("gain_diff"), entry.get("gain_diff_ci"), "snum1", "snum1", lang),
            ]
        )
    if not rows:
        return None
    then, now = _periods(hasil)
    return _table_section(
        "perbandingan-prepost",
        _t(lang, "Kenaikan skor tes", "Test score gains"),
        _t(
            lang,
            f"Skor tes awal dan akhir, {then} dan {now}",
            f"Pre- and post-test scores, {then} and {now}",
        ),
        [
            _t(lang, "Tes", "Test"),
            f"{then} ({_t(lang, 'awal → akhir', 'pre → post')})",
            f"{now} ({_t(lang, 'awal → akhir', 'pre → post')})",
            _t(lang, f"Kenaikan {then}", f"Gain {then}"),
            _t(lang, f"Kenaikan {now}", f"Gain {now}"),
            _t(lang, "Selisih kenaikan (IK 95%)", "Difference in gain (95% CI)"),
        ],
        rows,
        _t(
            lang,
            "Skor dalam persen benar (0–100); kenaikan adalah rata-rata selisih pasangan tes "
            "awal–akhir; interval Welch.",
            "Scores in percent correct (0–100); the gain is the mean paired post − pre "
            "difference; Welch interval.",
        ),
    )


def _ikm_table(hasil: Mapping[str, Any], lang: str) -> Any:
    rows = []
    entries = hasil["comparison"].get("ikm") or {}
    for unit in sorted(
        entries, key=lambda u: (u != "_all", labels.group_name(hasil, "unit", u, lang))
    ):
        entry = entries[unit]
        then, now = entry["previous"], entry["current"]
        name = (
            _t(lang, "Keseluruhan", "Overall")
            if unit == "_all"
            else labels.group_name(hasil, "unit", unit, lang)
        )
        rows.append(
            [
                name,
                _with_n(then, "ikm_rounded", "num2", lang, extra=then.get("mutu") or "–"),
                _with_n(now, "ikm_rounded", "num2", lang, extra=now.get("mutu") or "–"),
                _fmt(entry.get("diff"), "snum2", lang),
            ]
        )
    if not rows:
        return None
    then, now = _periods(hasil)
    return _table_section(
        "perbandingan-ikm",
        _t(lang, "IKM per unit layanan", "IKM per service unit"),
        _t(
            lang,
            f"IKM per unit layanan, {then} dan {now}",
            f"IKM per service unit, {then} and {now}",
        ),
        [
            _t(lang, "Unit layanan", "Service unit"),
            f"IKM {then} ({_t(lang, 'mutu', 'grade')}; n)",
            f"IKM {now} ({_t(lang, 'mutu', 'grade')}; n)",
            _t(lang, "Selisih", "Difference"),
        ],
        rows,
        _t(
            lang,
            "IKM sebagaimana dipublikasikan (PermenPANRB 14/2017), dengan jumlah responden SKM.",
            "IKM as published (PermenPANRB 14/2017), with the number of SKM respondents.",
        ),
    )


def _challenges_table(hasil: Mapping[str, Any], lang: str) -> Any:
    rows = []
    for code, entry in (hasil["comparison"].get("challenges") or {}).items():
        then, now = entry["previous"], entry["current"]
        rows.append(
            [
                labels.theme_name(code, lang, capital=True, hasil=hasil),
                labels.challenge_source_name(str(entry.get("source")), lang),
                _with_n(then, "share", "pct", lang),
                _with_n(now, "share", "pct", lang),
                _with_ci(entry.get("diff"), entry.get("diff_ci"), "ppn", "ppn", lang),
            ]
        )
    if not rows:
        return None
    then, now = _periods(hasil)
    return _table_section(
        "perbandingan-tantangan",
        _t(lang, "Tantangan", "Challenges"),
        _t(lang, f"Tantangan, {then} dan {now}", f"Challenges, {then} and {now}"),
        [
            _t(lang, "Tantangan", "Challenge"),
            _t(lang, "Sumber", "Source"),
            str(then),
            str(now),
            _t(lang, "Selisih, poin persen (IK 95%)", "Difference, points (95% CI)"),
        ],
        rows,
        _t(
            lang,
            "Persentase orang yang menyebut tantangan pada sumber yang sama di kedua siklus "
            "(butir hambatan survei, atau jawaban terbuka dan wawancara yang dikodekan); "
            "interval Newcombe.",
            "Share of people citing the challenge in the same source in both cycles (the "
            "survey's obstacle item, or coded open answers and interviews); Newcombe "
            "interval.",
        ),
    )


def _jp_part(hasil: Mapping[str, Any], lang: str) -> Any:
    jp = hasil["comparison"].get("jp") or {}
    if not jp.get("current"):
        return None
    rows = [
        [
            _t(lang, "Seluruh peserta", "All participants"),
            _with_n(jp["previous"], "share_meeting_20", "pct", lang, "n_asn"),
            _with_n(jp["current"], "share_meeting_20", "pct", lang, "n_asn"),
            _with_ci(jp.get("share_diff"), jp.get("share_diff_ci"), "ppn", "ppn", lang),
            _with_ci(jp.get("mean_diff"), jp.get("mean_diff_ci"), "snum1", "snum1", lang),
        ]
    ]
    for name, entry in sorted((jp.get("by_organisation") or {}).items()):
        rows.append(
            [
                name,
                _with_n(entry["previous"], "share_meeting_20", "pct", lang, "n_asn"),
                _with_n(entry["current"], "share_meeting_20", "pct", lang, "n_asn"),
                _with_ci(entry.get("share_diff"), entry.get("share_diff_ci"), "ppn", "ppn", lang),
                _with_ci(entry.get("mean_diff"), entry.get("mean_diff_ci"), "snum1", "snum1", lang),
            ]
        )
    then, now = str(jp.get("previous_year") or ""), str(jp.get("year") or "")
    return _table_section(
        "perbandingan-jp",
        _t(lang, "Pemenuhan 20 JP", "The 20 JP target"),
        _t(
            lang,
            f"ASN yang memenuhi 20 JP per tahun, {then} dan {now}",
            f"ASN meeting 20 JP a year, {then} and {now}",
        ),
        [
            _t(lang, "Instansi", "Agency"),
            str(then),
            str(now),
            _t(lang, "Selisih, poin persen (IK 95%)", "Difference, points (95% CI)"),
            _t(lang, "Selisih rata-rata JP (IK 95%)", "Difference in mean JP (95% CI)"),
        ],
        rows,
        _t(
            lang,
            "Instansi dengan kurang dari lima ASN pada salah satu tahun tidak ditampilkan.",
            "Agencies with fewer than five ASN in either year are not shown.",
        ),
    )


def _follow_up_section(hasil: Mapping[str, Any], lang: str) -> Any:
    from tilik.report.narrative import Paragraph, Section, Sentence, say

    comparison = hasil["comparison"]
    then = str((comparison.get("previous") or {}).get("period") or "")
    section = Section(
        "perbandingan-tindak-lanjut",
        _t(lang, f"Tindak lanjut rekomendasi {then}", f"Follow-up of the {then} recommendations"),
    )
    recommendations = comparison.get("recommendations") or []
    if not recommendations:
        section.blocks.append(
            Paragraph(
                [
                    Sentence(
                        _t(
                            lang,
                            "Evaluasi sebelumnya tidak memuat rekomendasi.",
                            "The previous evaluation made no recommendations.",
                        )
                    )
                ]
            )
        )
        return section
    period = _p(
        (comparison.get("previous") or {}).get("period"), "comparison/previous/period", "text"
    )
    for index, rec in enumerate(recommendations):
        base = f"comparison/recommendations/{index}"
        rule = str(rec.get("rule") or rec.get("key") or "")
        params: dict[str, Param] = {
            "then": period,
            "title": _i18n(
                _lower(labels.rule_title(rule, "id")) + _instance(rec, hasil, "id"),
                _lower(labels.rule_title(rule, "en")) + _instance(rec, hasil, "en"),
            ),
            "status": _i18n(
                labels.follow_up_name(rec.get("status"), "id"),
                labels.follow_up_name(rec.get("status"), "en"),
            ),
        }
        template = _t(
            lang,
            "Rekomendasi {then}: {title} — {status}",
            "{then} recommendation: {title} — {status}",
        )
        if rec.get("due") and rec.get("status") not in ("selesai", "tidak"):
            params["due"] = _p(rec.get("due"), f"{base}/due", "date")
            if str(rec["due"]) < date.today().isoformat():  # as of the report's date
                template += _t(lang, " (tenggat {due} terlampaui)", " (due {due}, overdue)")
            else:
                template += _t(lang, " (tenggat {due})", " (due {due})")
        for j, indicator in enumerate(rec.get("indicators") or []):
            part, part_params = _indicator_change(f"{base}/indicators/{j}", indicator, hasil, lang)
            for key, param in part_params.items():
                part = part.replace("{" + key + "}", "{" + f"{key}_{j}" + "}")
                params[f"{key}_{j}"] = param
            template += "; " + part
        section.blocks.append(Paragraph([say(template + ".", params, lang)]))
    return section


def _instance(rec: Mapping[str, Any], hasil: Mapping[str, Any], lang: str) -> str:
    """What a per-instance recommendation was about (a sector, a construct), as words."""
    instance = rec.get("instance") or {}
    names = []
    for key, dim in (("sector", "sector"), ("construct", None), ("form", None)):
        value = instance.get(key)
        if not isinstance(value, str) or not value:
            continue
        if dim:
            names.append(labels.group_name(hasil, dim, value, lang))
        elif key == "construct":
            names.append(labels.construct_name(value, lang))
        elif len(instance) == 1:
            names.append(labels.instrument_name(hasil, value, lang))
    return f" ({', '.join(names)})" if names else ""


def recommendation_title(rec: Mapping[str, Any], hasil: Mapping[str, Any], lang: str = "id") -> str:
    """A recommendation's title with what it was about: ``Analisis … per sektor (Keuangan)``."""
    rule = str(rec.get("rule") or rec.get("key") or "")
    return labels.rule_title(rule, lang) + _instance(rec, hasil, lang)


def _lower(title: str) -> str:
    """A title inside a sentence: its first letter lower case, acronyms (``JP``) kept."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _not_comparable(hasil: Mapping[str, Any], lang: str) -> Any:
    from tilik.report.narrative import Bullets, Paragraph, Section, Sentence

    items = hasil["comparison"].get("not_comparable") or []
    if not items:
        return None
    lines = []
    for item in items:
        what = _subject(item, hasil, lang)
        lines.append(
            Paragraph([Sentence(f"{what}: {labels.comparison_reason(item['reason'], lang)}.")])
        )
    return Section(
        "perbandingan-tidak-dapat",
        _t(lang, "Yang tidak dapat dibandingkan", "What cannot be compared"),
        [Bullets(lines)],
    )


def _subject(item: Mapping[str, Any], hasil: Mapping[str, Any], lang: str) -> str:
    section = item.get("section")
    if section == "constructs":
        instrument = labels.instrument_name(hasil, str(item.get("form_id")), lang)
        construct = labels.construct_name(str(item.get("construct")), lang)
        return f"{instrument}: {construct}"
    if section == "instruments":
        return labels.instrument_name(hasil, str(item.get("form_id")), lang)
    if section == "prepost":
        return _t(lang, "Tes ", "Test ") + labels.humanise(str(item.get("test")))
    if section == "ikm":
        return "IKM " + labels.group_name(hasil, "unit", str(item.get("unit")), lang)
    if section == "challenges":
        return labels.theme_name(str(item.get("code")), lang, capital=True, hasil=hasil)
    if section == "jp":
        org = item.get("organisation")
        return "JP" + (f" {org}" if org else "")
    return labels.capitalise(str(section))
