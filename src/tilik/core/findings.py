"""Findings: what the evaluation shows, per Kirkpatrick level, with evidence and triangulation.

``build_findings(hasil)`` reads the analysed results (the ``hasil.json`` contract in
DESIGN.md) and returns one dict per finding::

    {"id": "reaksi:survei_peserta/manfaat",     # stable key (rule + instance)
     "level": "reaksi",                         # reaksi | pembelajaran | perilaku | hasil |
                                                # relevansi | tantangan | kualitas_layanan
     "key": "construct_share",                  # template key in ``TEMPLATES``
     "params": {"share": {"value": 0.86, "path": "constructs/survei_peserta/manfaat/top2box",
                          "fmt": "pct"}, ...},
     "statement": {"id": "...", "en": "..."},   # rendered once for readers of hasil.json
     "strength": "kuat" | "sedang" | "lemah",
     "evidence": ["constructs/survei_peserta/manfaat/top2box", ...],
     "sources": ["survei", "wawancara"],
     "triangulation": {"agree": [...], "disagree": [...]}}

Every number of a statement is a parameter that carries the path of the hasil field it
comes from, so a report can print it and a test can check it (see ``resolve_path``).

Strength rule (one rule for every finding)
------------------------------------------
* **kuat** (strong): the main estimate rests on n >= 30 with a 95% CI no wider than 0.25
  (for a proportion; other estimates: n >= 30 and, where a test is involved, p < 0.05), at
  least one other source agrees and no source disagrees.
* **lemah** (weak): n < 10, or a CI wider than 0.40, or the sources that disagree are at
  least as many as those that agree (counting the main source as agreeing).
* **sedang** (moderate): everything else.

Proportions in words (used by the report, documented here once)
---------------------------------------------------------------
``proportion_words``: 1 -> "seluruh"/"all"; >= 0.90 -> "hampir seluruh"/"almost all";
>= 0.70 -> "sebagian besar"/"most"; > 0.50 -> "lebih dari separuh"/"more than half";
= 0.50 -> "separuh"/"half"; >= 0.25 -> "kurang dari separuh"/"less than half";
> 0 -> "sebagian kecil"/"a small share"; 0 -> "tidak ada"/"none".
Shares are compared as stored in hasil (not rounded), so 0.899 reads "sebagian besar".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, TypedDict

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from tilik.core import labels

__all__ = [
    "CONSTRUCT_LABELS",
    "add_challenge_breakdown",
    "LEVELS",
    "SOURCE_LABELS",
    "TEMPLATES",
    "THEME_LABELS",
    "Param",
    "build_findings",
    "challenge_breakdown",
    "format_value",
    "proportion_words",
    "render_template",
    "resolve_path",
    "source_of_kind",
]

Lang = Literal["id", "en"]


class Param(TypedDict):
    """A value printed in a sentence, with the hasil path it comes from."""

    value: Any
    path: str | None
    fmt: str


# Display names live in one place (``tilik.core.labels``); kept here under their old names.
LEVELS: Mapping[str, Mapping[str, str]] = labels.LEVELS
SOURCE_LABELS: Mapping[str, Mapping[str, str]] = labels.SOURCES
CONSTRUCT_LABELS: Mapping[str, Mapping[str, str]] = labels.CONSTRUCTS
THEME_LABELS: Mapping[str, Mapping[str, str]] = labels.THEMES

# A construct's Kirkpatrick level when the instrument does not say (XLSForm `level` wins).
_DEFAULT_LEVEL = {
    "manfaat": "reaksi",
    "kepuasan": "reaksi",
    "fasilitator": "reaksi",
    "materi": "reaksi",
    "relevansi": "relevansi",
    "pengetahuan": "pembelajaran",
    "keterampilan": "pembelajaran",
    "sikap": "perilaku",
    "penerapan": "perilaku",
    "perilaku": "perilaku",
    "dukungan": "perilaku",
    "dukungan_atasan": "perilaku",
    "kinerja": "hasil",
    "waktu_layanan": "hasil",
}
# Theme codes that echo (agree) or contradict (disagree) a construct in open text.
_THEME_AGREES = {
    "manfaat": "manfaat",
    "pengetahuan": "pengetahuan",
    "keterampilan": "keterampilan",
    "sikap": "sikap",
    "penerapan": "dampak_layanan",
    "perilaku": "dampak_layanan",
    "kinerja": "dampak_layanan",
}
# Constructs measured so that less is better (minutes of service time).
_LOWER_IS_BETTER = {"waktu_layanan"}
_THEME_DISAGREES = {"relevansi": "relevansi_rendah", "penerapan": "dukungan_atasan"}

_RESPONDENT = {
    "survei_peserta": {"id": "peserta", "en": "participants"},
    "survei_atasan": {"id": "atasan", "en": "supervisors"},
    "observasi": {"id": "pengamatan", "en": "observations"},
}

TEMPLATES: dict[str, dict[str, str]] = {
    "construct_share": {
        "id": "{share|Words} {resp} ({share}; IK 95% {lo}–{hi}; n = {n}) memberikan "
        "penilaian positif (setuju atau sangat setuju) terhadap {label}.",
        "en": "{share|Words} of the {resp} ({share}; 95% CI {lo}–{hi}; n = {n}) rated {label} "
        "positively (agree or strongly agree).",
    },
    "relevance_sector_low": {
        "id": "Relevansi dinilai paling rendah di sektor {sector}: hanya {share} peserta "
        "sektor ini menilai materi sesuai dengan tugasnya (n = {n}).",
        "en": "Relevance was rated lowest in the {sector} sector: only {share} of its "
        "participants found the material matched their tasks (n = {n}).",
    },
    "prepost_gain": {
        "id": "Nilai rata-rata tes {test} naik dari {pre} sebelum pelatihan menjadi {post} "
        "sesudahnya ({n} pasang; ukuran efek dz = {dz}; p {p}).",
        "en": "The mean score of the {test} test rose from {pre} before training to {post} "
        "after it ({n} pairs; effect size dz = {dz}; p {p}).",
    },
    "prepost_loss": {
        "id": "Nilai rata-rata tes {test} justru turun dari {pre} sebelum pelatihan menjadi "
        "{post} sesudahnya ({n} pasang; ukuran efek dz = {dz}; p {p}).",
        "en": "The mean score of the {test} test fell from {pre} before training to {post} "
        "after it ({n} pairs; effect size dz = {dz}; p {p}).",
    },
    "prepost_gain_uniform": {
        "id": "Nilai rata-rata tes {test} naik dari {pre} sebelum pelatihan menjadi {post} "
        "sesudahnya, dan setiap peserta naik sama besar ({n} pasang; uji Wilcoxon p {p}).",
        "en": "The mean score of the {test} test rose from {pre} before training to {post} "
        "after it, every participant by the same amount ({n} pairs; Wilcoxon test p {p}).",
    },
    "prepost_identical": {
        "id": "Nilai tes {test} tidak berubah: setiap peserta memperoleh skor yang sama "
        "sebelum dan sesudah pelatihan (rata-rata {pre}; {n} pasang).",
        "en": "Scores on the {test} test did not change: every participant scored the same "
        "before and after training (mean {pre}; {n} pairs).",
    },
    "prepost_untested": {
        "id": "Nilai rata-rata tes {test} adalah {pre} sebelum dan {post} sesudah pelatihan "
        "({n} pasang); data belum cukup untuk menguji perubahannya.",
        "en": "The mean score of the {test} test was {pre} before and {post} after training "
        "({n} pairs); there are not enough data to test the change.",
    },
    "prepost_nochange": {
        "id": "Nilai rata-rata tes {test} tidak berubah secara bermakna: {pre} sebelum dan "
        "{post} sesudah pelatihan ({n} pasang; p {p}).",
        "en": "The mean score of the {test} test did not change significantly: {pre} before "
        "and {post} after training ({n} pairs; p {p}).",
    },
    "observation_nodiff": {
        "id": "Observasi layanan tidak menunjukkan perbedaan {label} yang bermakna "
        "antara petugas yang sudah dan belum mengikuti pelatihan ({a} berbanding {b}; p {p}).",
        "en": "Field observation showed no significant difference in {label} between staff "
        "who had and had not been trained ({a} versus {b}; p {p}).",
    },
    "observation_diff": {
        "id": "Observasi layanan menunjukkan {label} yang lebih baik secara bermakna pada "
        "petugas yang sudah mengikuti pelatihan daripada yang belum ({a} berbanding {b}; p {p}).",
        "en": "Field observation showed significantly better {label} among staff who had been "
        "trained than among those who had not ({a} versus {b}; p {p}).",
    },
    "observation_diff_worse": {
        "id": "Observasi layanan menunjukkan {label} yang justru lebih buruk secara bermakna "
        "pada petugas yang sudah mengikuti pelatihan daripada yang belum ({a} berbanding {b}; "
        "p {p}).",
        "en": "Field observation showed significantly worse {label} among staff who had been "
        "trained than among those who had not ({a} versus {b}; p {p}).",
    },
    "triangulation_skills_vs_observation": {
        "id": "Sumber data tidak sejalan: {share} peserta melaporkan peningkatan "
        "keterampilan, tetapi observasi tidak menemukan perbedaan {label} antara petugas "
        "yang sudah dan belum dilatih (p {p}). Peningkatan yang dirasakan peserta belum "
        "terlihat pada layanan.",
        "en": "Sources disagree: {share} of participants report new skills, but observation "
        "found no difference in {label} between trained and untrained staff (p {p}). The "
        "gain participants feel is not yet visible in service.",
    },
    "triangulation_self_vs_supervisor": {
        "id": "Penilaian diri peserta ({share}) lebih tinggi daripada penilaian atasan "
        "tentang penerapan di tempat kerja ({share_b}); penerapan hasil pelatihan perlu "
        "dikonfirmasi dengan bukti kinerja.",
        "en": "Participants' self-rating ({share}) is higher than supervisors' rating of use "
        "on the job ({share_b}); transfer to the job needs confirming with performance data.",
    },
    "ikm_overall": {
        "id": "Indeks Kepuasan Masyarakat (IKM) keseluruhan sebesar {ikm} dengan mutu "
        "pelayanan {mutu} ({kinerja}), berdasarkan {n} responden.",
        "en": "The overall Community Satisfaction Index (IKM) is {ikm}, service quality "
        "grade {mutu} ({kinerja}), from {n} respondents.",
    },
    "ikm_weak_unsur": {
        "id": "Unsur layanan dengan nilai terendah adalah {unsur} (nilai rata-rata {nrr} "
        "dari skala 4).",
        "en": "The weakest service element is {unsur} (mean {nrr} on a 4-point scale).",
    },
    "challenge_top": {
        "id": "Tantangan yang paling banyak disebut adalah {theme}, yang dikemukakan oleh "
        "{share} {who} (IK 95% {lo}–{hi}).",
        "en": "The most frequently cited challenge is {theme}, raised by {share} {who} "
        "(95% CI {lo}–{hi}).",
    },
    "jp_share": {
        "id": "Pada tahun {year}, {share|words} ASN ({share}; n = {n}) telah memenuhi "
        "target 20 JP pengembangan kompetensi, dengan rata-rata {mean} JP per ASN.",
        "en": "In {year}, {share|words} of the ASN ({share}; n = {n}) met the target of 20 JP "
        "of competence development, with a mean of {mean} JP per ASN.",
    },
}

SKM_UNSUR: Mapping[str, Mapping[str, str]] = labels.SKM_UNSUR


# --------------------------------------------------------------------------- formatting


def resolve_path(hasil: Mapping[str, Any], path: str) -> Any:
    """Return the value at a slash-separated path (JSON-pointer-like) of ``hasil``.

    List elements are addressed by index (``challenges/0/share``). Raises ``KeyError``
    when a step does not exist.
    """
    node: Any = hasil
    for raw in path.strip("/").split("/"):
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            if step not in node:
                raise KeyError(path)
            node = node[step]
        elif isinstance(node, Sequence) and not isinstance(node, str):
            try:
                node = node[int(step)]
            except (ValueError, IndexError) as exc:
                raise KeyError(path) from exc
        else:
            raise KeyError(path)
    return node


def escape_step(step: str) -> str:
    """Escape one path step as JSON Pointer does (``/`` and ``~`` in keys)."""
    return step.replace("~", "~0").replace("/", "~1")


def proportion_words(share: float, lang: str = "id") -> str:
    """Put a proportion 0–1 into words by the one mapping documented in this module."""
    scale = [
        (lambda p: p >= 1.0, "seluruh", "all"),
        (lambda p: p >= 0.90, "hampir seluruh", "almost all"),
        (lambda p: p >= 0.70, "sebagian besar", "most"),
        (lambda p: p > 0.50, "lebih dari separuh", "more than half"),
        (lambda p: p == 0.50, "separuh", "half"),
        (lambda p: p >= 0.25, "kurang dari separuh", "less than half"),
        (lambda p: p > 0.0, "sebagian kecil", "a small share"),
    ]
    for test, word_id, word_en in scale:
        if test(share):
            return word_id if lang == "id" else word_en
    return "tidak ada" if lang == "id" else "none"


def format_value(value: Any, fmt: str, lang: str = "id") -> str:
    """Format one value for the report's locale.

    ``fmt``: ``key`` (a key of hasil, e.g. a year, printed as is), ``pct`` (0–1 as
    78,5%), ``pct0`` (79%), ``num1``, ``num2``, ``num3``, ``int``,
    ``p`` (p-value: ``= 0,041`` or ``< 0,001``), ``idr`` (Rp150.000.000), ``text``,
    ``pp`` (a difference of proportions in percentage points, signed: ``−10,6 poin persen``;
    ``ppn`` the number alone), ``snum1``/``snum2`` (a signed difference: ``+0,20``),
    ``date`` (an ISO date as ``31 Maret 2025``),
    ``words`` (proportion in words; ``Words`` capitalised), ``unsur`` (SKM unsur code to
    its name), ``kinerja`` (an IKM performance label, in English when asked),
    ``i18n`` (a ``{"id": ..., "en": ...}`` text).
    """
    locale = "id" if lang == "id" else "en"
    if value is None:
        return "–"
    if fmt in ("text", "key"):  # "key": the value is the last step of its path
        return str(value)
    if fmt == "i18n":
        return str(value.get(locale) or value.get("id") or next(iter(value.values()), ""))
    if fmt == "unsur":
        return SKM_UNSUR.get(str(value), {}).get(locale, str(value))
    if fmt == "kinerja":  # the regulation's service-performance words
        return str(value) if locale == "id" else KINERJA_EN.get(str(value), str(value))
    if fmt == "words":
        return proportion_words(float(value), locale)
    if fmt == "Words":
        words = proportion_words(float(value), locale)
        return words[:1].upper() + words[1:]
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if fmt == "pct":
        return str(format_percent(value, "#,##0.0%", locale=locale))
    if fmt == "pct0":
        return str(format_percent(value, "#,##0%", locale=locale))
    if fmt == "num1":
        return str(format_decimal(value, "#,##0.0", locale=locale))
    if fmt == "num2":
        return str(format_decimal(value, "#,##0.00", locale=locale))
    if fmt == "num3":
        return str(format_decimal(value, "#,##0.000", locale=locale))
    if fmt == "int":
        return str(format_decimal(round(float(value)), "#,##0", locale=locale))
    if fmt in ("pp", "ppn", "snum1", "snum2"):
        # a difference between cycles: signed; "pp" is a difference of proportions in points
        digits = "#,##0.00" if fmt == "snum2" else "#,##0.0"
        number = value * 100 if fmt in ("pp", "ppn") else value
        text = str(format_decimal(abs(number), digits, locale=locale))
        sign = "" if text.strip("0,.") == "" else ("+" if number > 0 else "\u2212")
        unit = {"id": " poin persen", "en": " percentage points"}[locale] if fmt == "pp" else ""
        return sign + text + unit
    if fmt == "date":
        return str(format_date(date.fromisoformat(str(value)[:10]), "d MMMM yyyy", locale=locale))
    if fmt == "p":
        if value < 0.001:
            return "< " + str(format_decimal(0.001, "0.000", locale=locale))
        return "= " + str(format_decimal(value, "0.000", locale=locale))
    if fmt == "idr":
        return "Rp" + str(format_decimal(round(float(value)), "#,##0", locale=locale))
    raise ValueError(f"unknown format {fmt!r}")


#: English for the kinerja labels of PermenPANRB 14/2017 (IKM grades A–D).
KINERJA_EN = {
    "Sangat Baik": "Very good",
    "Baik": "Good",
    "Kurang Baik": "Poor",
    "Tidak Baik": "Very poor",
}

_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|(\w+))?\}")


def render_template(template: str, params: Mapping[str, Param], lang: str = "id") -> str:
    """Fill ``{name}`` / ``{name|words}`` placeholders with formatted parameters."""

    def fill(match: re.Match[str]) -> str:
        param = params[match.group(1)]
        fmt = match.group(2) or param["fmt"]
        return format_value(param["value"], fmt, lang)

    return _PLACEHOLDER.sub(fill, template)


def source_of_kind(kind: str) -> str:
    """Map an instrument kind to the source family used in triangulation."""
    if kind in ("tes_awal", "tes_akhir"):
        return "tes"
    if kind in ("observasi", "skm"):
        return kind
    return "survei"


# --------------------------------------------------------------------------- helpers


def _p(hasil: Mapping[str, Any], path: str, fmt: str) -> Param:
    return {"value": resolve_path(hasil, path), "path": path, "fmt": fmt}


def _text(value: str) -> Param:
    return {"value": value, "path": None, "fmt": "text"}


def _label(table: Mapping[str, Mapping[str, str]], code: str) -> Param:
    entry = table.get(code) or {"id": code.replace("_", " "), "en": code.replace("_", " ")}
    return {"value": dict(entry), "path": None, "fmt": "i18n"}


def _kind(hasil: Mapping[str, Any], form_id: str) -> str:
    info = hasil.get("instruments", {}).get(form_id, {})
    kind = info.get("kind") if isinstance(info, Mapping) else None
    return str(kind or form_id)


def _theme_in_interviews(hasil: Mapping[str, Any], code: str) -> bool:
    theme = hasil.get("themes", {}).get(code)
    if not isinstance(theme, Mapping):
        return False
    by_source = theme.get("by_source") or {}
    for source, stats in by_source.items():
        if source.startswith("wawancara") or source in ("transkrip", "interview"):
            n = stats.get("n_segments", stats.get("n", 0)) if isinstance(stats, Mapping) else 0
            if n:
                return True
    return False


def _theme_share(hasil: Mapping[str, Any], code: str) -> float:
    theme = hasil.get("themes", {}).get(code)
    if isinstance(theme, Mapping):
        share = theme.get("share_respondents")
        if isinstance(share, int | float):
            return float(share)
    return 0.0


def cells(by_block: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The group cells of a ``groups/.../by/<dimension>`` block (dicts carrying ``n``).

    Cells sit under ``cells`` (or directly in the block); withheld cells are left out.
    """
    source = by_block.get("cells", by_block) if isinstance(by_block, Mapping) else {}
    return {
        name: cell
        for name, cell in source.items()
        if isinstance(cell, Mapping)
        and isinstance(cell.get("n"), int | float)
        and not cell.get("withheld")
    }


def _strength(
    n: float | None,
    ci: Sequence[float] | None,
    agree: Sequence[str],
    disagree: Sequence[str],
    significant: bool | None = None,
) -> str:
    width = (ci[1] - ci[0]) if ci and len(ci) == 2 and None not in ci else None
    if (n is not None and n < 10) or (width is not None and width > 0.40):
        return "lemah"
    if len(disagree) >= len(agree) + 1 and disagree:
        return "lemah"
    precise = (n is not None and n >= 30) and (width is None or width <= 0.25)
    if significant is False:
        precise = False
    if precise and agree and not disagree:
        return "kuat"
    return "sedang"


def _finding(
    fid: str,
    level: str,
    key: str,
    params: dict[str, Param],
    strength: str,
    sources: list[str],
    agree: list[str],
    disagree: list[str],
    extra_evidence: Sequence[str] = (),
) -> dict[str, Any]:
    evidence = [p["path"] for p in params.values() if p["path"]]
    evidence += [e for e in extra_evidence if e not in evidence]
    template = TEMPLATES[key]
    return {
        "id": fid,
        "level": level,
        "key": key,
        "params": params,
        "statement": {lang: render_template(template[lang], params, lang) for lang in template},
        "strength": strength,
        "evidence": evidence,
        "sources": sorted(set(sources)),
        "triangulation": {"agree": sorted(set(agree)), "disagree": sorted(set(disagree))},
    }


# --------------------------------------------------------------------------- builders


def _construct_findings(hasil: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for form_id, constructs in (hasil.get("constructs") or {}).items():
        kind = _kind(hasil, form_id)
        if kind not in ("survei_peserta", "survei_atasan") or not isinstance(constructs, Mapping):
            continue
        for name, stats in constructs.items():
            if not isinstance(stats, Mapping) or stats.get("top2box") is None:
                continue
            if stats.get("unit_of_analysis") == "instance":  # a repeat's instances, not people
                continue
            base = f"constructs/{escape_step(form_id)}/{escape_step(name)}"
            level = str(stats.get("level") or _DEFAULT_LEVEL.get(name, "reaksi"))
            if name == "relevansi":  # the report gives relevance its own section
                level = "relevansi"
            if kind == "survei_atasan" and level in ("reaksi", "pembelajaran"):
                level = "perilaku"
            resp = _RESPONDENT.get(kind, _RESPONDENT["survei_peserta"])
            params: dict[str, Param] = {
                "share": _p(hasil, f"{base}/top2box", "pct"),
                "n": _p(hasil, f"{base}/n", "int"),
                "resp": {"value": dict(resp), "path": None, "fmt": "i18n"},
                "label": _label(CONSTRUCT_LABELS, name),
            }
            ci = stats.get("top2box_ci")
            if ci and len(ci) == 2:
                params["lo"] = _p(hasil, f"{base}/top2box_ci/0", "pct")
                params["hi"] = _p(hasil, f"{base}/top2box_ci/1", "pct")
            else:
                params["lo"] = params["hi"] = {"value": None, "path": None, "fmt": "text"}
            agree: list[str] = []
            disagree: list[str] = []
            theme = _THEME_AGREES.get(name)
            positive = float(stats["top2box"]) >= 0.5
            if theme and _theme_in_interviews(hasil, theme):
                (agree if positive else disagree).append("wawancara")
            contra = _THEME_DISAGREES.get(name)
            if contra and _theme_share(hasil, contra) >= 0.20:
                (disagree if positive else agree).append("wawancara")
            strength = _strength(stats.get("n"), ci, agree, disagree)
            out.append(
                _finding(
                    f"{level}:{form_id}/{name}",
                    level,
                    "construct_share",
                    params,
                    strength,
                    ["survei", *agree, *disagree],
                    ["survei", *agree],
                    disagree,
                )
            )
    return out


def _relevance_by_sector(hasil: Mapping[str, Any], min_cell: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for form_id, constructs in (hasil.get("groups") or {}).items():
        block = (constructs or {}).get("relevansi", {}).get("by", {})
        for dim in ("sector", "sektor"):
            if dim not in block:
                continue
            sector_cells = {
                k: v
                for k, v in cells(block[dim]).items()
                if v["n"] >= min_cell and v.get("top2box") is not None
            }
            if len(sector_cells) < 2:
                continue
            lowest = min(sector_cells, key=lambda k: sector_cells[k]["top2box"])
            sub = "cells/" if "cells" in block[dim] else ""
            base = f"groups/{escape_step(form_id)}/relevansi/by/{dim}/{sub}{escape_step(lowest)}"
            params = {
                "sector": _text(lowest),
                "share": _p(hasil, f"{base}/top2box", "pct"),
                "n": _p(hasil, f"{base}/n", "int"),
            }
            agree = ["wawancara"] if _theme_share(hasil, "relevansi_rendah") > 0 else []
            strength = _strength(
                sector_cells[lowest]["n"], sector_cells[lowest].get("top2box_ci"), agree, []
            )
            out.append(
                _finding(
                    f"relevansi:{form_id}/{dim}/{lowest}",
                    "relevansi",
                    "relevance_sector_low",
                    params,
                    strength,
                    ["survei", *agree],
                    ["survei", *agree],
                    [],
                )
            )
    return out


def _prepost_findings(hasil: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, stats in (hasil.get("prepost") or {}).items():
        if not isinstance(stats, Mapping) or stats.get("mean_post") is None:
            continue
        base = f"prepost/{escape_step(name)}"
        # Every gain equal: no t-test (no spread), the signed-rank test decides.
        uniform = (stats.get("not_computable") or {}).get("t") == "no_spread"
        p_step = "wilcoxon_p" if uniform else "p"
        p_value = stats.get(p_step)
        significant = p_value is not None and p_value < 0.05
        params = {
            "test": _text(name.replace("_", " ")),  # a test id, not translated
            "pre": _p(hasil, f"{base}/mean_pre", "num1"),
            "post": _p(hasil, f"{base}/mean_post", "num1"),
            "n": _p(hasil, f"{base}/n_pairs", "int"),
            "p": _p(hasil, f"{base}/{p_step}", "p"),
        }
        agree: list[str] = []
        if significant:
            params["dz"] = _p(hasil, f"{base}/d_z", "num2")
            if _theme_in_interviews(hasil, "pengetahuan"):
                agree.append("wawancara")
            for constructs in (hasil.get("constructs") or {}).values():
                for construct in ("pengetahuan", "keterampilan"):
                    know = (constructs or {}).get(construct)
                    if isinstance(know, Mapping) and (know.get("top2box") or 0) >= 0.5:
                        agree.append("survei")
        key = "prepost_nochange"
        if significant and stats["mean_post"] > stats["mean_pre"]:
            key = "prepost_gain"
        elif significant and stats["mean_post"] < stats["mean_pre"]:
            key = "prepost_loss"
            agree = []  # what agrees with a gain does not agree with a loss
        if key == "prepost_gain" and uniform:
            key = "prepost_gain_uniform"
        elif (stats.get("not_computable") or {}).get("wilcoxon_p") == "no_difference":
            key = "prepost_identical"
            params.pop("p")
            params.pop("post")
        elif p_value is None:
            key = "prepost_untested"
            params.pop("p")
        if key not in ("prepost_gain", "prepost_loss"):
            params.pop("dz", None)
        out.append(
            _finding(
                f"pembelajaran:{name}",
                "pembelajaran",
                key,
                params,
                _strength(stats.get("n_pairs"), None, agree, [], significant),
                ["tes", *agree],
                ["tes", *agree],
                [],
            )
        )
    return out


def _observation(hasil: Mapping[str, Any]) -> tuple[str, dict[str, Param], bool] | None:
    """The first observation comparison (trained vs not) found in ``groups``."""
    for form_id, constructs in (hasil.get("groups") or {}).items():
        if _kind(hasil, form_id) != "observasi" or not isinstance(constructs, Mapping):
            continue
        for name, block in constructs.items():
            for dim, by_block in (block or {}).get("by", {}).items():
                group_cells = cells(by_block)
                test = by_block.get("test") if isinstance(by_block.get("test"), Mapping) else {}
                p_value = by_block.get("p", test.get("p"))
                p_step = "p" if "p" in by_block else "test/p"
                if len(group_cells) != 2 or p_value is None:
                    continue
                names = sorted(group_cells, key=lambda k: k not in ("ya", "yes", "sudah", "1"))
                sub = "cells/" if "cells" in by_block else ""
                base = f"groups/{escape_step(form_id)}/{escape_step(name)}/by/{escape_step(dim)}"
                construct = ((hasil.get("constructs") or {}).get(form_id) or {}).get(name) or {}
                if labels.is_binary_construct(construct):
                    fmt = "pct"  # a yes/no checklist: the mean is the share of "ya"
                elif max(abs(c.get("mean") or 0) for c in group_cells.values()) < 10:
                    fmt = "num2"
                else:
                    fmt = "num1"
                params = {
                    "a": _p(hasil, f"{base}/{sub}{escape_step(names[0])}/mean", fmt),
                    "b": _p(hasil, f"{base}/{sub}{escape_step(names[1])}/mean", fmt),
                    "p": _p(hasil, f"{base}/{p_step}", "p"),
                }
                return name, params, p_value < 0.05
    return None


def _behaviour_and_result_findings(hasil: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    obs = _observation(hasil)
    skills_path = None
    supervisor_path = None
    for form_id, constructs in (hasil.get("constructs") or {}).items():
        kind = _kind(hasil, form_id)
        for name, stats in (constructs or {}).items():
            if not isinstance(stats, Mapping) or stats.get("top2box") is None:
                continue
            path = f"constructs/{escape_step(form_id)}/{escape_step(name)}/top2box"
            if kind == "survei_peserta" and name == "keterampilan":
                skills_path = path
            if kind == "survei_atasan" and name in ("penerapan", "perilaku", "keterampilan"):
                supervisor_path = supervisor_path or path
    if obs:
        name, params, significant = obs
        key = "observation_diff" if significant else "observation_nodiff"
        trained, untrained = params["a"]["value"] or 0, params["b"]["value"] or 0
        worse = trained > untrained if name in _LOWER_IS_BETTER else trained < untrained
        if significant and worse:
            key = "observation_diff_worse"
        labelled = {**params, "label": _label(CONSTRUCT_LABELS, name)}
        finding = _finding(
            f"hasil:observasi/{name}",
            "hasil",
            key,
            labelled,
            "sedang",
            ["observasi"],
            ["observasi"],
            [],
        )
        out.append(finding)
        if skills_path and not significant and resolve_path(hasil, skills_path) >= 0.6:
            tri = {
                "share": _p(hasil, skills_path, "pct"),
                "p": params["p"],
                "label": _label(CONSTRUCT_LABELS, name),
            }
            finding = _finding(
                "triangulasi:keterampilan/observasi",
                "perilaku",
                "triangulation_skills_vs_observation",
                tri,
                "sedang",
                ["survei", "observasi"],
                ["survei"],
                ["observasi"],
            )
            out.append(finding)
    if skills_path and supervisor_path:
        self_share = resolve_path(hasil, skills_path)
        sup_share = resolve_path(hasil, supervisor_path)
        if self_share - sup_share >= 0.15:
            params = {
                "share": _p(hasil, skills_path, "pct"),
                "share_b": _p(hasil, supervisor_path, "pct"),
            }
            out.append(
                _finding(
                    "triangulasi:peserta/atasan",
                    "perilaku",
                    "triangulation_self_vs_supervisor",
                    params,
                    "sedang",
                    ["survei"],
                    ["survei"],
                    ["survei"],
                )
            )
    return out


def _ikm_findings(hasil: Mapping[str, Any]) -> list[dict[str, Any]]:
    ikm = hasil.get("ikm") or {}
    overall = ikm.get("_all")
    if not isinstance(overall, Mapping) or overall.get("ikm") is None:
        return []
    # The regulation's 2-decimal value: the one the grade is read from (88.305 → 88,31 → A).
    shown = "ikm_rounded" if overall.get("ikm_rounded") is not None else "ikm"
    params = {
        "ikm": _p(hasil, f"ikm/_all/{shown}", "num2"),
        "mutu": _p(hasil, "ikm/_all/mutu", "text"),
        "kinerja": _p(hasil, "ikm/_all/kinerja", "kinerja"),
        "n": _p(hasil, "ikm/_all/n", "int"),
    }
    strength = _strength(overall.get("n"), None, [], [])
    out = [
        _finding(
            "kualitas_layanan:ikm",
            "kualitas_layanan",
            "ikm_overall",
            params,
            strength,
            ["skm"],
            ["skm"],
            [],
        )
    ]
    nrr = overall.get("nrr") or {}
    if nrr:
        weakest = min(nrr, key=lambda k: nrr[k])
        unsur_params: dict[str, Param] = {
            "unsur": {"value": weakest, "path": None, "fmt": "unsur"},
            "nrr": _p(hasil, f"ikm/_all/nrr/{escape_step(weakest)}", "num2"),
        }
        out.append(
            _finding(
                f"kualitas_layanan:unsur/{weakest}",
                "kualitas_layanan",
                "ikm_weak_unsur",
                unsur_params,
                strength,
                ["skm"],
                ["skm"],
                [],
            )
        )
    return out


def _family(source: str) -> str:
    """Source family of a challenge/theme source key (``teks_interview`` -> wawancara)."""
    lowered = source.lower()
    if "wawancara" in lowered or "interview" in lowered or "transkrip" in lowered:
        return "wawancara"
    if "observasi" in lowered or "observation" in lowered:
        return "observasi"
    return "survei"


def _challenge_findings(hasil: Mapping[str, Any]) -> list[dict[str, Any]]:
    challenges = hasil.get("challenges") or []
    if not challenges:
        return []
    top = challenges[0]
    params: dict[str, Param] = {
        "theme": _label(THEME_LABELS, top["code"]),
        "share": _p(hasil, "challenges/0/share", "pct"),
        "who": {
            "value": {lang: labels.challenge_base(top, lang) for lang in ("id", "en")},
            "path": None,
            "fmt": "i18n",
        },
    }
    ci = top.get("share_ci")
    params["lo"] = _p(hasil, "challenges/0/share_ci/0", "pct") if ci else _text("–")
    params["hi"] = _p(hasil, "challenges/0/share_ci/1", "pct") if ci else _text("–")
    source_names = list((top.get("sources") or {}).keys())
    families = sorted({_family(s) for s in source_names})
    finding = _finding(
        "tantangan:" + top["code"],
        "tantangan",
        "challenge_top",
        params,
        _strength(None, ci, families[1:], []),
        families or ["survei"],
        families,
        [],
    )
    return [finding]


def _jp_findings(hasil: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for year, stats in sorted((hasil.get("jp") or {}).items()):
        if not isinstance(stats, Mapping) or stats.get("share_meeting_20") is None:
            continue
        base = f"jp/{escape_step(str(year))}"
        params: dict[str, Param] = {
            "year": {"value": str(year), "path": base, "fmt": "key"},
            "share": _p(hasil, f"{base}/share_meeting_20", "pct"),
            "mean": _p(hasil, f"{base}/mean_jp", "num1"),
            "n": _p(hasil, f"{base}/n_asn", "int"),
        }
        out.append(
            _finding(
                f"hasil:jp/{year}",
                "hasil",
                "jp_share",
                params,
                _strength(stats.get("n_asn"), None, [], []),
                ["survei"],
                ["survei"],
                [],
            )
        )
    return out


_LEVEL_ORDER = list(LEVELS)


def build_findings(hasil: Mapping[str, Any], min_cell: int = 5) -> list[dict[str, Any]]:
    """Build the findings of an evaluation from its results.

    Parameters
    ----------
    hasil
        The results dict (``hasil.json`` contract); missing sections are skipped.
    min_cell
        Smallest group shown (privacy and noise); smaller cells are never named.

    Returns
    -------
    list of dict
        Findings ordered by level (reaksi, pembelajaran, perilaku, hasil, relevansi,
        tantangan, kualitas_layanan); see the module docstring for the shape and the
        strength rule.
    """
    findings = (
        _construct_findings(hasil)
        + _relevance_by_sector(hasil, min_cell)
        + _prepost_findings(hasil)
        + _behaviour_and_result_findings(hasil)
        + _jp_findings(hasil)
        + _challenge_findings(hasil)
        + _ikm_findings(hasil)
    )
    findings.sort(key=lambda f: _LEVEL_ORDER.index(f["level"]))
    return findings


# --------------------------------------------------------------------------- challenges by group

_BREAKDOWN_COLUMNS = {"sektor": "sector", "instansi": "organisation"}
_OBSTACLE_KINDS = ("survei_peserta", "survei_atasan", "lainnya")


def challenge_breakdown(bundle: Any, min_cell: int = 5) -> dict[str, dict[str, Any]]:
    """Share of respondents citing each closed-question obstacle, per sector and organisation.

    Uses the same questions as ``hasil["challenges"]``: select_multiple questions of the
    surveys whose choices carry an obstacle theme code. A respondent cites a theme when
    they chose any option of it; the share is over those who answered the question, with
    a Wilson 95% CI (``tilik.core.stats.wilson_ci``). A group with fewer than ``min_cell``
    respondents keeps only ``{"n": ..., "withheld": True}``.

    Parameters
    ----------
    bundle
        A ``tilik.core.bundle.Bundle`` (forms, data frames and instrument kinds).
    min_cell
        Smallest group shown.

    Returns
    -------
    dict
        ``{code: {"sector": {name: {n, n_mentions, share, share_ci}}, "organisation": ...}}``
    """
    import polars as pl

    from tilik.core.hasil import POSITIVE_THEMES, chosen_lists
    from tilik.core.stats import wilson_ci

    counts: dict[str, dict[str, dict[str, list[int]]]] = {}
    for form_id, form in bundle.forms.items():
        dataset = bundle.data.get(form_id)
        if dataset is None or bundle.spec(form_id).kind not in _OBSTACLE_KINDS:
            continue
        frame = dataset.frame()
        group_columns = [c for c in _BREAKDOWN_COLUMNS if c in frame.columns]
        for question in form.questions:
            if question.type != "select_multiple" or question.name not in frame.columns:
                continue
            themes: dict[str, set[str]] = {}
            for choice in form.choices.get(question.list_name, []):
                if choice.theme and choice.theme not in POSITIVE_THEMES:
                    themes.setdefault(choice.theme, set()).add(choice.name)
            if not themes or not group_columns:
                continue
            answered = frame.select(
                chosen_lists(frame.get_column(question.name)).alias("_chosen"),
                *[pl.col(c).cast(pl.Utf8) for c in group_columns],
            ).filter(pl.col("_chosen").is_not_null())
            # a group name that is empty or white space counts nowhere
            valid = {c: _named(answered.get_column(c)) for c in group_columns}
            first: dict[str, int] = {}
            for c in group_columns:
                named = valid[c].arg_true()
                if named.len():
                    first[c] = int(named[0])
            # dimensions in the order rows first name them (as counting row by row would)
            for column in sorted(first, key=lambda c: first[c]):
                dim = _BREAKDOWN_COLUMNS[column]
                chose = [
                    pl.col("_chosen").list.eval(pl.element().is_in(sorted(names))).list.any()
                    for names in themes.values()
                ]
                tallies = (
                    answered.filter(valid[column])
                    .group_by(pl.col(column).alias("_group"))
                    .agg(
                        pl.len().alias("_n"),
                        *[h.sum().alias(code) for h, code in zip(chose, themes, strict=True)],
                    )
                )
                for row in tallies.iter_rows(named=True):
                    for code in themes:
                        cell = counts.setdefault(code, {}).setdefault(dim, {})
                        tally = cell.setdefault(row["_group"], [0, 0])
                        tally[0] += row["_n"]
                        tally[1] += int(row[code])
    out: dict[str, dict[str, Any]] = {}
    for code, dims in counts.items():
        out[code] = {}
        for dim, groups in dims.items():
            cells_out: dict[str, Any] = {}
            for group, (n, hits) in sorted(groups.items()):
                if n < min_cell:
                    cells_out[group] = {"n": n, "withheld": True}
                    continue
                lo, hi = wilson_ci(hits, n)
                cells_out[group] = {
                    "n": n,
                    "n_mentions": hits,
                    "share": hits / n,
                    "share_ci": [float(lo[0]), float(hi[0])],
                }
            out[code][dim] = cells_out
    return out


def _named(groups: Any) -> Any:
    """Whether each group name is one (not null, not empty or white space)."""
    import polars as pl

    names = groups.drop_nulls().unique().to_list()
    mapping = {name: name.strip() != "" for name in names}
    return groups.replace_strict(mapping, default=False, return_dtype=pl.Boolean).fill_null(False)


def add_challenge_breakdown(hasil: dict[str, Any], bundle: Any, min_cell: int = 5) -> None:
    """Put ``by: {sector: ..., organisation: ...}`` on each challenge of ``hasil``."""
    breakdown = challenge_breakdown(bundle, min_cell)
    for challenge in hasil.get("challenges") or []:
        by = breakdown.get(str(challenge.get("code")))
        if by:
            challenge["by"] = by
