"""The report as a model: sections of sentences, tables, figures and quotes.

``build_report(hasil, lang)`` turns results into a ``Report`` that the HTML, PDF and DOCX
writers all draw from, so the three formats say the same thing. Indonesian by default,
English with ``lang="en"``.

Traceability: every number printed in a sentence is a ``Number`` holding the hasil path it
comes from and its format (``tilik.core.findings.format_value``), so a test can check that
each printed number equals the formatted value at its path. Fixed numbers of the text
itself (legal references, "20 JP", "95%") are listed in ``CONSTANT_NUMBERS``.

Proportions in words follow the one mapping of ``tilik.core.findings.proportion_words``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date

from tilik.core import labels
from tilik.core.findings import (
    LEVELS,
    TEMPLATES,
    Param,
    build_findings,
    cells,
    format_value,
    render_template,
    resolve_path,
)
from tilik.core.recommend import build_recommendations, render_text
from tilik.core.stats import MIN_N, MIN_N_ALPHA
from tilik.report.challenges import challenge_table
from tilik.report.charts import Chart, report_charts
from tilik.report.conclusion import overall_sentences
from tilik.report.evidence import Number, evidence_lines
from tilik.report.method import analysis_notes, collection_sentence, kirkpatrick_sentences
from tilik.report.repeats import repeat_appendix

__all__ = [
    "CONSTANT_NUMBERS",
    "Bullets",
    "Figure",
    "Number",
    "Paragraph",
    "Quote",
    "RecommendationItem",
    "Report",
    "Section",
    "Sentence",
    "Table",
    "build_report",
    "mask_personal",
]

# Numbers that belong to the report's fixed wording, not to the data.
CONSTANT_NUMBERS = [
    "Nomor 20 Tahun 2023",
    "Law No. 20 of 2023",
    "Nomor 17 Tahun 2020",
    "Regulation No. 17 of 2020",
    "Nomor 14 Tahun 2017",
    "Regulation No. 14 of 2017",
    "20 JP",
    "95%",
    "skala 4",
    "4-point",
    "0,70",
    "0.70",
    "Level 1",
    "Level 2",
    "Level 3",
    "Level 4",
    "n = 5",
    "n < 5",
    "d_z",
    "top-2-box",
]


@dataclass
class Sentence:
    text: str
    numbers: list[Number] = field(default_factory=list)
    fixed: bool = False  # documentation wording (method notes), not a statement about data


@dataclass
class Paragraph:
    sentences: list[Sentence]
    style: str = ""  # "" | "note" | "finding"
    badge: str = ""  # e.g. strength of evidence

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass
class Bullets:
    items: list[Paragraph]
    ordered: bool = False


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)
    note: str = ""
    number: int = 0
    anchor: str = ""  # the id a link to this table uses (``tabel-tantangan``)


@dataclass
class Figure:
    chart: Chart
    caption: str
    number: int = 0

    @property
    def anchor(self) -> str:
        return f"gambar-{self.chart.id}"


@dataclass
class Quote:
    text: str
    attribution: str


@dataclass
class Evidence:
    """One line of a recommendation's evidence, linked to the table or figure that shows it."""

    sentence: Sentence
    anchor: str
    target: str = ""  # "Tabel 3" / "Gambar 6", filled in once tables and figures are numbered


@dataclass
class RecommendationItem:
    sentence: Sentence
    title: str
    priority: str
    owner: str
    indicator: str
    key: str
    evidence: list[Evidence] = field(default_factory=list)


Block = Paragraph | Bullets | Table | Figure | Quote | RecommendationItem


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    number: str = ""
    page_break: bool = False


@dataclass
class Report:
    lang: str
    title: str
    organisation: str
    period: str
    doc_label: str
    generated: str
    sections: list[Section]
    charts: dict[str, Chart]

    def sentences(self) -> list[Sentence]:
        """Every sentence of the report, in order (for tests and checks)."""
        out: list[Sentence] = []

        def walk(section: Section) -> None:
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    out.extend(block.sentences)
                elif isinstance(block, Bullets):
                    for item in block.items:
                        out.extend(item.sentences)
                elif isinstance(block, RecommendationItem):
                    out.append(block.sentence)
                    out.extend(e.sentence for e in block.evidence)
            for child in section.children:
                walk(child)

        for section in self.sections:
            walk(section)
        return out


# --------------------------------------------------------------------------- privacy

_NIP = re.compile(r"\b\d{8}\s?\d{6}\s?\d\s?\d{3}\b")
_PHONE = re.compile(r"(?:\+62[\s.-]?|\b0)8\d{1,3}[\s.-]?\d{3,4}[\s.-]?\d{3,5}\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_NAMED = re.compile(
    r"\b(Bapak|Pak|Ibu|Bu|Sdr\.?|Sdri\.?|Kak|Kaka|Om|Tanta|Mama|Bapa)\s+"
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)*"
)


_POSITIONS = {
    "Camat",
    "Lurah",
    "Kepala",
    "Kadis",
    "Sekda",
    "Wali",
    "Bupati",
    "Gubernur",
    "Dokter",
    "Bidan",
    "Guru",
    "Direktur",
    "Kabid",
    "Kasubag",
    "Sekretaris",
    "Kapus",
    "Kades",
}


def _local_mask(text: str, names: bool = True) -> str:
    text = _NIP.sub("[NIP]", text)
    text = _PHONE.sub("[telepon]", text)
    text = _EMAIL.sub("[email]", text)
    if not names:
        return text

    def name(match: re.Match[str]) -> str:
        first = match.group(0).split()[1]
        return match.group(0) if first in _POSITIONS else f"{match.group(1)} [nama]"

    return _NAMED.sub(name, text)


def mask_personal(text: str) -> str:
    """Mask NIPs, phone numbers, e-mail addresses and addressed names in a quote.

    Quotes arrive masked in hasil; this runs again in case they did not, with
    ``tilik.core.themes.quotes.mask_personal`` when it can be imported (it knows more
    forms, e.g. NIK) and the local rules in any case.
    """
    try:
        from tilik.core.themes.quotes import mask_personal as core_mask
    except ImportError:  # the report must still mask without the themes package
        return _local_mask(text)
    with contextlib.suppress(Exception):  # never let masking break a report
        return _local_mask(str(core_mask(text)), names=False)
    return _local_mask(text)


# --------------------------------------------------------------------------- sentences


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _numbers(template: str, params: Mapping[str, Param], lang: str) -> list[Number]:
    used = dict.fromkeys(re.findall(r"\{\??(\w+)(?:\|(\w+))?\}", template))
    numbers = []
    for name, filt in used:
        param = params.get(name)
        if not param or not param.get("path") or param["fmt"] == "i18n":
            continue
        fmt = filt or param["fmt"]
        if fmt in ("words", "Words"):
            continue
        numbers.append(Number(param["path"], fmt, format_value(param["value"], fmt, lang)))
    return numbers


def say(template: str, params: Mapping[str, Param], lang: str) -> Sentence:
    """A sentence from a template and parameters that carry their hasil paths."""
    return Sentence(render_template(template, params, lang), _numbers(template, params, lang))


def _p(hasil: Mapping[str, Any], path: str, fmt: str) -> Param:
    return {"value": resolve_path(hasil, path), "path": path, "fmt": fmt}


def _plain(text: str) -> Sentence:
    return Sentence(text)


def _finding_sentence(finding: Mapping[str, Any], lang: str) -> Sentence:
    key, params = finding.get("key"), finding.get("params")
    if key in TEMPLATES and isinstance(params, Mapping):
        return say(TEMPLATES[key][lang], params, lang)
    statement = finding.get("statement")
    if isinstance(statement, Mapping):
        return _plain(str(statement.get(lang) or statement.get("id") or ""))
    return _plain(str(statement or ""))


def _strength_badge(finding: Mapping[str, Any], lang: str) -> str:
    strength = labels.strength_name(str(finding.get("strength")), lang)
    sources = ", ".join(labels.source_name(s, lang) for s in finding.get("sources") or [])
    label = _t(lang, "Kekuatan bukti", "Strength of evidence")
    via = _t(lang, "sumber", "sources")
    return f"{label}: {strength} · {via}: {sources}"


# --------------------------------------------------------------------------- labels

# Which themes' quotes illustrate which results subsection.
QUOTE_THEMES = {
    "reaksi": ["manfaat"],
    "pembelajaran": ["pengetahuan", "keterampilan"],
    "perilaku": ["sikap", "dukungan_atasan"],
    "hasil": ["dampak_layanan"],
    "relevansi": ["relevansi_rendah"],
}


def _theme(code: str, lang: str, hasil: Mapping[str, Any] | None = None) -> str:
    return labels.theme_name(code, lang, capital=True, hasil=hasil)


# --------------------------------------------------------------------------- sections


def _intro(hasil: Mapping[str, Any], lang: str) -> Section:
    evaluation = hasil.get("evaluation") or {}
    params: dict[str, Param] = {
        "org": _p(hasil, "evaluation/organisation", "text"),
        "period": _p(hasil, "evaluation/period", "text"),
    }
    background = Paragraph(
        [
            _plain(
                _t(
                    lang,
                    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara menempatkan "
                    "pengembangan kompetensi sebagai hak setiap pegawai ASN, dan Peraturan "
                    "Pemerintah "
                    "Nomor 17 Tahun 2020 menetapkan paling sedikit 20 JP pengembangan kompetensi "
                    "per "
                    "tahun bagi setiap ASN.",
                    "Law No. 20 of 2023 on the State Civil Apparatus makes competence development "
                    "a "
                    "right of every civil servant, and Government Regulation No. 17 of 2020 sets "
                    "at "
                    "least 20 JP of competence development a year for each of them.",
                )
            ),
            _plain(
                _t(
                    lang,
                    "Program pembinaan yang dilaksanakan perlu dievaluasi agar dapat diketahui "
                    "apakah "
                    "program tersebut bermanfaat, relevan dengan tugas, dan berdampak pada "
                    "kualitas "
                    "pelayanan publik.",
                    "Development programs need evaluating to learn whether they are useful, "
                    "relevant "
                    "to the job, and make public service better.",
                )
            ),
            say(
                _t(
                    lang,
                    "Laporan ini menyajikan hasil evaluasi program pembinaan ASN yang "
                    "diselenggarakan oleh {org} pada periode {period}.",
                    "This report presents the evaluation of civil-servant development programs run "
                    "by {org} in the period {period}.",
                ),
                params,
                lang,
            ),
        ]
    )
    section = Section("pendahuluan", _t(lang, "Pendahuluan", "Introduction"))
    section.children.append(
        Section("latar-belakang", _t(lang, "Latar Belakang", "Background"), [background])
    )
    programs = evaluation.get("programs") or []
    if programs:
        rows = []
        for program in programs:
            rows.append(
                [
                    str(program.get("name", "")),
                    str(program.get("kind", "")),
                    format_value(program.get("jp"), "int", lang),
                    _dates(program, lang),
                    format_value(program.get("participants"), "int", lang),
                    format_value(program.get("budget"), "idr", lang)
                    if program.get("budget")
                    else "–",
                ]
            )
        table = Table(
            _t(lang, "Program yang dievaluasi", "Programs evaluated"),
            [
                _t(lang, "Program", "Program"),
                _t(lang, "Jenis", "Kind"),
                "JP",
                _t(lang, "Waktu pelaksanaan", "Dates"),
                _t(lang, "Peserta", "Participants"),
                _t(lang, "Anggaran", "Budget"),
            ],
            rows,
            [False, False, True, False, True, True],
        )
        section.children.append(
            Section(
                "ruang-lingkup",
                _t(lang, "Ruang Lingkup", "Scope"),
                [
                    Paragraph(
                        [
                            _plain(
                                _t(
                                    lang,
                                    "Evaluasi mencakup program-program berikut.",
                                    "The evaluation covers the following programs.",
                                )
                            )
                        ]
                    ),
                    table,
                ],
            )
        )
    return section


def _dates(program: Mapping[str, Any], lang: str) -> str:
    start, end = program.get("start"), program.get("end")
    dates = program.get("dates") or {}
    start, end = start or dates.get("start"), end or dates.get("end")
    out = []
    for value in (start, end):
        if not value:
            continue
        try:
            out.append(format_date(date.fromisoformat(str(value)), "d MMM yyyy", locale=lang))
        except ValueError:
            out.append(str(value))
    return " – ".join(out) if out else "–"


def _objectives(hasil: Mapping[str, Any], lang: str) -> Section:
    # Objectives are the evaluator's own words (evaluasi.yaml): shown as written.
    items = [str(o) for o in (hasil.get("evaluation") or {}).get("objectives") or []]
    if not items:
        items = [
            _t(
                lang,
                "Menilai reaksi peserta terhadap program, termasuk manfaat dan relevansinya.",
                "Assess participants' reaction to the program, including usefulness and relevance.",
            ),
            _t(
                lang,
                "Mengukur peningkatan pengetahuan dan keterampilan peserta.",
                "Measure gains in participants' knowledge and skills.",
            ),
            _t(
                lang,
                "Menilai penerapan hasil pelatihan di tempat kerja dan dampaknya pada layanan.",
                "Assess use on the job and the effect on public service.",
            ),
            _t(
                lang,
                "Mengidentifikasi tantangan dan menyusun rekomendasi perbaikan.",
                "Identify challenges and recommend improvements.",
            ),
        ]
    intro = Paragraph(
        [
            _plain(
                _t(
                    lang,
                    "Evaluasi ini bertujuan untuk:",
                    "This evaluation aims to:",
                )
            )
        ]
    )
    return Section(
        "tujuan",
        _t(lang, "Tujuan Evaluasi", "Objectives of the Evaluation"),
        [intro, Bullets([Paragraph([Sentence(i, fixed=True)]) for i in items], ordered=True)],
    )


def response_rate_warnings(hasil: Mapping[str, Any], lang: str) -> list[Sentence]:
    """A sentence for each instrument whose response rate is above 100 %: more respondents
    than enrolled participants means the enrolment figures or the responses are wrong."""
    out = []
    for form_id, info in (hasil.get("instruments") or {}).items():
        rate = info.get("response_rate") if isinstance(info, Mapping) else None
        if rate is None or rate <= 1:
            continue
        name = str(info.get("title") or labels.instrument_name(hasil, form_id, lang))
        shown = format_value(rate, "pct", lang)
        text = _t(
            lang,
            f"Tingkat respons «{name}» {shown}: responden lebih banyak daripada peserta "
            "terdaftar. Periksa jumlah peserta tiap program dan daftar peserta; tanggapan "
            "yang menyebut program yang tidak lagi terdaftar ikut terhitung.",
            f"The response rate of «{name}» is {shown}: more respondents than enrolled "
            "participants. Check each program's number of participants and the participant "
            "list; responses naming a program no longer enrolled are counted too.",
        )
        out.append(Sentence(text, [Number(f"instruments/{form_id}/response_rate", "pct", shown)]))
    return out


def _method(hasil: Mapping[str, Any], lang: str) -> Section:
    section = Section("metode", _t(lang, "Metode Evaluasi", "Evaluation Method"))
    sentences = [*kirkpatrick_sentences(hasil, lang), collection_sentence(hasil, lang)]
    section.blocks.append(Paragraph([_plain(text) for text in sentences]))
    rows = []
    for form_id, info in (hasil.get("instruments") or {}).items():
        kind = str(info.get("kind", "lainnya"))
        rr = info.get("response_rate")
        rows.append(
            [
                labels.kind_name(kind, lang),
                str(info.get("title") or labels.instrument_name(hasil, form_id, lang)),
                format_value(info.get("n_responses"), "int", lang),
                format_value(info.get("n_quarantined", 0), "int", lang),
                format_value(rr, "pct", lang) if rr is not None else "–",
            ]
        )
    if rows:
        section.children.append(
            Section(
                "instrumen",
                _t(lang, "Instrumen dan Responden", "Instruments and Respondents"),
                [
                    Table(
                        _t(
                            lang,
                            "Instrumen, jumlah tanggapan, dan tingkat respons",
                            "Instruments, responses and response rates",
                        ),
                        [
                            _t(lang, "Jenis instrumen", "Kind"),
                            _t(lang, "Judul formulir", "Form title"),
                            _t(lang, "Tanggapan", "Responses"),
                            _t(lang, "Dikarantina", "Quarantined"),
                            _t(lang, "Tingkat respons", "Response rate"),
                        ],
                        rows,
                        [False, False, True, True, True],
                        _t(
                            lang,
                            "Tanggapan yang dikarantina tidak dianalisis; alasannya tercatat "
                            "pada lampiran kualitas data.",
                            "Quarantined responses are not analysed; their reasons are listed in "
                            "the "
                            "data quality appendix.",
                        ),
                        anchor="tabel-instrumen",
                    ),
                    *[Paragraph([warning]) for warning in response_rate_warnings(hasil, lang)],
                ],
            )
        )
    notes = analysis_notes(hasil, lang)
    if notes:
        section.children.append(
            Section(
                "analisis",
                _t(lang, "Teknik Analisis", "Analysis"),
                [Bullets([Paragraph([Sentence(t, fixed=True)]) for t in notes])],
            )
        )
    return section


def _quotes(
    hasil: Mapping[str, Any], codes: Sequence[str], lang: str, limit: int = 2
) -> list[Quote]:
    out = []
    for code in codes:
        theme = (hasil.get("themes") or {}).get(code) or {}
        for quote in (theme.get("quotes") or [])[:limit]:
            text = mask_personal(str(quote.get("text", ""))).strip()
            if not text:
                continue
            if quote.get("attribution") and lang == "id":
                out.append(Quote(text, mask_personal(str(quote["attribution"]))))
                continue
            who = [labels.role_name(str(quote["role"]), lang)] if quote.get("role") else []
            if quote.get("sector"):
                sector = labels.group_name(hasil, "sector", str(quote["sector"]), lang)
                who.append(_t(lang, f"sektor {sector}", f"{sector} sector"))
            out.append(Quote(text, ", ".join(who)))
    return out


def _results(
    hasil: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
    charts: Mapping[str, Chart],
    lang: str,
) -> Section:
    section = Section("hasil", _t(lang, "Hasil Evaluasi", "Results"))
    figure_for = {
        "reaksi": [c for c in charts if c == "likert-survei_peserta"],
        "pembelajaran": ["prepost"],
        "perilaku": [c for c in charts if c.startswith("likert-") and c != "likert-survei_peserta"],
        "hasil": ["ikm-unsur"],
        "relevansi": ["relevansi-sektor"],
    }
    for level in ("reaksi", "pembelajaran", "perilaku", "hasil", "relevansi"):
        level_findings = [f for f in findings if f.get("level") == level]
        if level == "hasil":
            level_findings += [f for f in findings if f.get("level") == "kualitas_layanan"]
        blocks: list[Block] = []
        for finding in level_findings:
            blocks.append(
                Paragraph(
                    [_finding_sentence(finding, lang)], "finding", _strength_badge(finding, lang)
                )
            )
        if not blocks:
            blocks.append(
                Paragraph(
                    [
                        _plain(
                            _t(
                                lang,
                                "Data untuk level ini belum tersedia.",
                                "No data are available for this level yet.",
                            )
                        )
                    ],
                    "note",
                )
            )
        for chart_id in figure_for[level]:
            if chart_id in charts:
                blocks.append(Figure(charts[chart_id], charts[chart_id].title))
        blocks.extend(_quotes(hasil, QUOTE_THEMES[level], lang))
        section.children.append(Section(f"hasil-{level}", LEVELS[level][lang], blocks))
    return section


def _challenges(
    hasil: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
    charts: Mapping[str, Chart],
    lang: str,
    min_cell: int = 5,
) -> Section:
    section = Section("tantangan", _t(lang, "Tantangan yang Dihadapi", "Challenges"))
    challenges = hasil.get("challenges") or []
    if not challenges:
        section.blocks.append(
            Paragraph(
                [
                    _plain(
                        _t(
                            lang,
                            "Tidak ada tantangan yang tercatat.",
                            "No challenges were recorded.",
                        )
                    )
                ]
            )
        )
        return section
    section.blocks.append(
        Paragraph(
            [
                _plain(
                    _t(
                        lang,
                        "Tantangan diurutkan menurut persentase orang yang menyebutkannya, dari "
                        "butir hambatan pada survei serta dari jawaban terbuka dan transkrip "
                        "wawancara yang telah dikodekan; setiap persentase menyebut kelompok "
                        "yang dihitungnya.",
                        "Challenges are ranked by the share of people citing them, from the "
                        "surveys' obstacle items and from coded open answers and interview "
                        "transcripts; each share names the group it counts.",
                    )
                )
            ]
        )
    )
    for finding in findings:
        if finding.get("level") == "tantangan":
            section.blocks.append(
                Paragraph(
                    [_finding_sentence(finding, lang)], "finding", _strength_badge(finding, lang)
                )
            )
    items = []
    for index, item in enumerate(challenges[:3]):
        base = f"challenges/{index}"
        params: dict[str, Param] = {
            "theme": {
                "value": {
                    "id": _theme(item["code"], "id", hasil),
                    "en": _theme(item["code"], "en", hasil),
                },
                "path": None,
                "fmt": "i18n",
            },
            "share": _p(hasil, f"{base}/share", "pct"),
        }
        params["who"] = {
            "value": {
                "id": labels.challenge_base(item, "id"),
                "en": labels.challenge_base(item, "en"),
            },
            "path": None,
            "fmt": "i18n",
        }
        template = _t(
            lang,
            "{theme}: {share} {who} ({share|words}).",
            "{theme}: {share} {who} ({share|words}).",
        )
        if item.get("share_ci"):
            params["lo"] = _p(hasil, f"{base}/share_ci/0", "pct")
            params["hi"] = _p(hasil, f"{base}/share_ci/1", "pct")
            template = _t(
                lang,
                "{theme}: {share} {who} ({share|words}; IK 95% {lo}–{hi}).",
                "{theme}: {share} {who} ({share|words}; 95% CI {lo}–{hi}).",
            )
        items.append(Paragraph([say(template, params, lang)]))
    section.blocks.append(
        Paragraph(
            [_plain(_t(lang, "Tiga tantangan utama adalah:", "The three main challenges are:"))]
        )
    )
    section.blocks.append(Bullets(items, ordered=True))
    if "tantangan" in charts:
        section.blocks.append(Figure(charts["tantangan"], charts["tantangan"].title))
    table = challenge_table(hasil, lang)
    section.blocks.append(
        Table(
            _t(lang, "Peringkat tantangan menurut sumber", "Ranking of challenges by source"),
            table.header,
            table.rows,
            table.numeric,
            table.note,
            anchor="tabel-tantangan",
        )
    )
    section.blocks.extend(_challenge_breakdown(challenges, lang, min_cell, hasil=hasil))
    section.blocks.extend(_quotes(hasil, [c["code"] for c in challenges[:3]], lang, limit=1))
    return section


def _challenge_breakdown(
    challenges: Sequence[Mapping[str, Any]],
    lang: str,
    min_cell: int,
    top: int = 5,
    hasil: Mapping[str, Any] | None = None,
) -> list[Table]:
    """One table per grouping: groups as rows, the leading challenges as columns."""
    hasil = hasil or {}
    tables = []
    dims = (("sector", ("sektor", "sector")), ("organisation", ("instansi", "agency")))
    leading = [c for c in challenges if (c.get("by") or {})][:top]
    for dim, label in dims:
        groups: dict[str, float] = {}
        for item in leading:
            for name, cell in cells(((item.get("by") or {}).get(dim)) or {}).items():
                if cell["n"] >= min_cell:
                    groups[name] = max(groups.get(name, 0), cell["n"])
        if not groups:
            continue
        rows = []
        for name in sorted(groups, key=lambda g: labels.group_name(hasil, dim, g, lang)):
            shown_name = labels.group_name(hasil, dim, name, lang)
            row = [f"{shown_name} (n = {format_value(groups[name], 'int', lang)})"]
            for item in leading:
                cell = cells(((item.get("by") or {}).get(dim)) or {}).get(name)
                shown = cell and cell["n"] >= min_cell and cell.get("share") is not None
                row.append(format_value(cell["share"], "pct", lang) if shown else "–")
            rows.append(row)
        tables.append(
            Table(
                _t(lang, f"Tantangan utama menurut {label[0]}", f"Main challenges by {label[1]}"),
                [_t(lang, label[0].capitalize(), label[1].capitalize())]
                + [_theme(c["code"], lang) for c in leading],
                rows,
                [False, *([True] * len(leading))],
                _t(
                    lang,
                    "Persentase responden kelompok yang menyebutkan tantangan pada butir "
                    "hambatan survei. Kelompok dengan kurang dari lima responden tidak "
                    "ditampilkan.",
                    "Share of the group's respondents citing the challenge in the survey's "
                    "obstacle items. Groups with fewer than five respondents are not shown.",
                ),
            )
        )
    return tables


def _recommendation_sentence(rec: Mapping[str, Any], lang: str) -> Sentence:
    template = (rec.get("template") or {}).get(lang)
    params = rec.get("params")
    if template and isinstance(params, Mapping):
        text = render_text(template, params, lang)
        kept = re.sub(
            r"\[\[(.*?)\]\]",
            lambda m: (
                m.group(1)
                if all(n in params for n in re.findall(r"\{\??(\w+)", m.group(1)))
                else ""
            ),
            template,
            flags=re.S,
        )
        return Sentence(text, _numbers(kept, params, lang))
    text = rec.get("text")
    if isinstance(text, Mapping):
        return _plain(str(text.get(lang) or text.get("id") or ""))
    return _plain(str(text or ""))


def _evidence(hasil: Mapping[str, Any], paths: Sequence[str], lang: str) -> list[Evidence]:
    return [
        Evidence(Sentence(line.text, line.numbers), line.anchor)
        for line in evidence_lines(hasil, paths, lang)
    ]


def _recommendations(
    hasil: Mapping[str, Any], recommendations: Sequence[Mapping[str, Any]], lang: str
) -> Section:
    section = Section(
        "rekomendasi", _t(lang, "Rekomendasi untuk Perbaikan", "Recommendations for Improvement")
    )
    if not recommendations:
        section.blocks.append(
            Paragraph(
                [
                    _plain(
                        _t(
                            lang,
                            "Tidak ada rekomendasi yang dihasilkan.",
                            "No recommendations were made.",
                        )
                    )
                ]
            )
        )
        return section
    section.blocks.append(
        Paragraph(
            [
                _plain(
                    _t(
                        lang,
                        "Rekomendasi berikut disusun dari aturan yang terdokumentasi dan "
                        "diurutkan menurut "
                        "prioritas. Setiap rekomendasi menyebutkan penanggung jawab, indikator "
                        "tindak lanjut, dan buktinya beserta tabel atau gambar yang memuatnya.",
                        "The recommendations below come from documented rules and are ordered by "
                        "priority. "
                        "Each names an owner, a follow-up indicator and its evidence, with the "
                        "table or figure that shows it.",
                    )
                )
            ]
        )
    )
    for rec in recommendations:
        if rec.get("stale"):
            continue
        owner = rec.get("owner") or {}
        indicator = rec.get("indicator") or {}
        section.blocks.append(
            RecommendationItem(
                _recommendation_sentence(rec, lang),
                labels.rule_title(str(rec.get("rule") or rec.get("key") or ""), lang),
                labels.priority_name(str(rec.get("priority", "")), lang),
                str(owner.get(lang) or owner.get("id") or "–")
                if isinstance(owner, Mapping)
                else str(owner),
                str(indicator.get(lang) or indicator.get("id") or "–")
                if isinstance(indicator, Mapping)
                else str(indicator),
                str(rec.get("key", rec.get("rule", ""))),
                _evidence(hasil, list(rec.get("evidence") or []), lang),
            )
        )
    return section


def _conclusion(
    hasil: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
    recommendations: Sequence[Mapping[str, Any]],
    lang: str,
) -> Section:
    section = Section("kesimpulan", _t(lang, "Kesimpulan", "Conclusion"))
    section.blocks.append(
        Paragraph([_plain(text) for text in overall_sentences(hasil, findings, lang)])
    )
    items = []
    for level in ("reaksi", "pembelajaran", "perilaku", "hasil", "relevansi", "tantangan"):
        chosen = [f for f in findings if f.get("level") == level]
        if not chosen:
            continue
        rank = {"kuat": 0, "sedang": 1, "lemah": 2}
        best = sorted(chosen, key=lambda f: rank.get(str(f.get("strength")), 3))[0]
        sentence = _finding_sentence(best, lang)
        prefix = LEVELS[level][lang] + ": " if level not in ("relevansi", "tantangan") else ""
        items.append(Paragraph([Sentence(prefix + sentence.text, sentence.numbers)]))
    if items:
        section.blocks.append(Bullets(items))
    high = [r for r in recommendations if r.get("priority") == "tinggi" and not r.get("stale")]
    if high:
        titles = list(
            dict.fromkeys(
                labels.rule_title(str(r.get("rule") or r.get("key") or ""), lang).lower()
                for r in high
            )
        )
        joined = (
            ", ".join(titles[:-1])
            + (_t(lang, ", dan ", ", and ") if len(titles) > 1 else "")
            + titles[-1]
        )
        section.blocks.append(
            Paragraph(
                [
                    _plain(
                        _t(
                            lang,
                            f"Tindak lanjut yang diprioritaskan adalah {joined}.",
                            f"The priorities for follow-up are {joined}.",
                        )
                    )
                ]
            )
        )
    return section


def _finding_title(finding: Mapping[str, Any], lang: str) -> str:
    """A finding named by its level and what it is about (``Reaksi (Level 1): manfaat …``)."""
    level = str(finding.get("level", ""))
    head = labels.level_name(level, lang)
    about = ""
    params = finding.get("params") or {}
    label = params.get("label") or params.get("theme") or params.get("unsur")
    if isinstance(label, Mapping):
        value = label.get("value")
        about = format_value(value, str(label.get("fmt")), lang) if value is not None else ""
    elif params.get("test"):
        about = _t(lang, "tes ", "test ") + str(params["test"].get("value"))
    elif finding.get("key") == "jp_share":
        about = _t(lang, "pemenuhan 20 JP", "20 JP target")
    elif finding.get("key") == "ikm_overall":
        about = "IKM"
    return f"{head}: {about}" if about else head


def _range(ci: Sequence[Any], fmt: str, lang: str) -> str:
    return f"{format_value(ci[0], fmt, lang)}–{format_value(ci[1], fmt, lang)}"


# Words for the reason codes of ``not_computable`` (tilik.core.stats.REASONS), printed in
# an appendix table where the number would be; Lampiran F explains them.
_NOT_COMPUTABLE = {
    "too_few": ("data belum cukup", "not enough data"),
    "no_spread": ("tanpa variasi", "no variation"),
    "no_difference": ("tanpa perubahan", "no change"),
    "one_item": ("satu butir", "single item"),
    "ceiling": ("skor awal maksimum", "pre-test at maximum"),
}


def _why(s: Mapping[str, Any], name: str, lang: str) -> str:
    """The reason a statistic is not given, in words ("–" when none is recorded)."""
    code = (s.get("not_computable") or {}).get(name)
    return _t(lang, *_NOT_COMPUTABLE[code]) if code in _NOT_COMPUTABLE else "–"


def _stat(s: Mapping[str, Any], name: str, fmt: str, lang: str) -> str:
    value = s.get(name)
    return _why(s, name, lang) if value is None else format_value(value, fmt, lang)


def _stat_range(s: Mapping[str, Any], name: str, fmt: str, lang: str) -> str:
    ci = s.get(name) or [None, None]
    return _why(s, name, lang) if None in ci else _range(ci, fmt, lang)


def _method_notes(lang: str) -> list[str]:
    """Lampiran F: how the numbers were made, each setting stated once."""
    return [
        _t(
            lang,
            f"Jumlah data minimum: interval kepercayaan rata-rata, uji sebelum–sesudah dan "
            f"ukuran efek dihitung bila ada sedikitnya {MIN_N} pengamatan, alfa Cronbach bila "
            f"ada sedikitnya {MIN_N_ALPHA} responden yang menjawab semua butir konstruk; di "
            f"bawah itu tabel menulis “data belum cukup”. Bila semua jawaban atau semua "
            f"selisih sama, statistik yang dibagi dengan simpangan baku tidak dapat dihitung "
            f"(“tanpa variasi”); bila semua selisih nol, uji Wilcoxon tidak dapat dihitung "
            f"(“tanpa perubahan”).",
            f"Minimum data: confidence intervals of means, pre/post tests and effect sizes "
            f"need at least {MIN_N} observations, Cronbach's alpha at least {MIN_N_ALPHA} "
            f"respondents who answered every item of the construct; below that the tables "
            f"say “not enough data”. When all answers or all differences are equal, a "
            f"statistic divided by the standard deviation cannot be computed (“no "
            f"variation”); when every difference is zero, the Wilcoxon test cannot be "
            f"computed (“no change”).",
        ),
        _t(
            lang,
            "Skor tes adalah persentase butir yang dijawab benar; butir kosong dihitung "
            "salah, dan butir pilihan jamak benar hanya bila semua pilihan yang benar dan "
            "tidak satu pun pilihan yang salah dipilih. Semua statistik tes dihitung dari "
            "jumlah butir benar, sehingga skor yang sama tetap sama persis.",
            "A test score is the percentage of items answered right; a blank item counts "
            "as wrong, and a multiple-answer item is right only with every right choice and "
            "no wrong one. Every test statistic is computed from the counts of right items, "
            "so equal scores stay exactly equal.",
        ),
        _t(
            lang,
            "Uji peringkat bertanda Wilcoxon: selisih nol dibuang, selisih yang sama diberi "
            "peringkat rata-rata, tanpa koreksi kontinuitas; nilai p eksak bila tidak ada "
            "selisih kembar dan paling banyak 50 selisih, dari semua pola tanda (permutasi "
            "lengkap) bila ada selisih kembar dan paling banyak 13 selisih, dan dari "
            "pendekatan normal dengan koreksi untuk selisih kembar selain itu.",
            "Wilcoxon signed-rank test: zero differences are dropped, tied differences get "
            "mid-ranks, no continuity correction; p is exact when no differences are tied "
            "and there are at most 50, from every sign pattern (a complete permutation "
            "distribution) when some are tied and there are at most 13, and from the normal "
            "approximation with the tie correction otherwise.",
        ),
        _t(
            lang,
            "Ukuran efek: dz = rata-rata selisih dibagi simpangan baku selisih; g (av) = d (av) "
            "dikalikan koreksi Hedges 1 − 3/(4·2n − 9), dengan d (av) = selisih rata-rata "
            "dibagi akar rata-rata varians tes awal dan tes akhir.",
            "Effect sizes: dz = mean difference divided by the standard deviation of the "
            "differences; g (av) = d (av) times Hedges' correction 1 − 3/(4·2n − 9), where "
            "d (av) = mean difference divided by the root mean of the pre- and post-test "
            "variances.",
        ),
        _t(
            lang,
            "Alfa Cronbach, korelasi butir–sisa, dan interval kepercayaan 95% Feldt dihitung "
            "dari responden yang menjawab semua butir konstruk (penghapusan listwise); n "
            "interval itu adalah jumlah responden lengkap tersebut, bukan seluruh responden.",
            "Cronbach's alpha, the item–rest correlations and the 95% Feldt confidence "
            "interval use the respondents who answered every item of the construct "
            "(listwise deletion); the interval's n is the number of those complete "
            "respondents, not of all respondents.",
        ),
        _t(
            lang,
            "Perbandingan berpasangan antarkelompok memakai uji Mann–Whitney dengan koreksi "
            "Holm; korelasi rank-biserial r = 2U/(n_A·n_B) − 1 bernilai positif bila "
            "kelompok pertama (A) cenderung lebih tinggi.",
            "Pairwise group comparisons use the Mann–Whitney test with Holm's correction; "
            "the rank-biserial correlation r = 2U/(n_A·n_B) − 1 is positive when the first "
            "group (A) tends to be higher.",
        ),
        _t(
            lang,
            "Jawaban “tidak tahu” atau “tidak berlaku” yang dinyatakan pada formulir "
            "bukan titik skala: jawaban itu dihitung sebagai data kosong dan jumlahnya "
            "dicatat per butir.",
            "“Don't know” or “not applicable” answers declared in the form are not scale "
            "points: they count as missing, and their number is recorded per item.",
        ),
        _t(
            lang,
            "IKM dihitung dengan pecahan eksak, dibulatkan dua desimal dengan pembulatan "
            "setengah ke atas sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017, lalu mutu "
            "A–D dibaca dari nilai yang telah dibulatkan itu.",
            "The IKM is computed in exact fractions, rounded to two decimals with halves "
            "rounded up as Ministerial Regulation No. 14 of 2017 does, and the grade A–D is "
            "read from that rounded value.",
        ),
    ]


def _appendix(
    hasil: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
    recommendations: Sequence[Mapping[str, Any]],
    lang: str,
) -> Section:
    section = Section("lampiran", _t(lang, "Lampiran", "Appendix"))
    rows, rel_rows = [], []
    binary = False
    for form_id, constructs in (hasil.get("constructs") or {}).items():
        for name, s in (constructs or {}).items():
            if not isinstance(s, Mapping):
                continue
            instrument = labels.instrument_name(hasil, form_id, lang)
            construct = labels.construct_name(name, lang, capital=True)
            if labels.is_binary_construct(s):
                # A yes/no checklist: its mean is the share of "ya"; no top-2-box.
                binary = True
                rows.append(
                    [
                        instrument,
                        construct,
                        format_value(s.get("n"), "int", lang),
                        format_value(s.get("mean"), "pct", lang) + _t(lang, " “ya”", " “yes”"),
                        _stat_range(s, "mean_ci", "pct", lang),
                        "–",
                        "–",
                    ]
                )
            else:
                rows.append(
                    [
                        instrument,
                        construct,
                        format_value(s.get("n"), "int", lang),
                        format_value(s.get("mean"), "num2", lang),
                        _stat_range(s, "mean_ci", "num2", lang),
                        format_value(s.get("top2box"), "pct", lang),
                        _stat_range(s, "top2box_ci", "pct", lang),
                    ]
                )
            alpha_why = (s.get("not_computable") or {}).get("alpha")
            if s.get("alpha") is not None or alpha_why in ("too_few", "no_spread"):
                if s.get("alpha") is None:
                    flag = _why(s, "alpha", lang)
                elif s["alpha"] < 0.70:
                    flag = _t(lang, "di bawah 0,70", "below 0.70")
                else:
                    flag = _t(lang, "memadai", "adequate")
                rel_rows.append(
                    [
                        instrument,
                        construct,
                        _stat(s, "alpha", "num2", lang),
                        _stat_range(s, "alpha_ci", "num2", lang),
                        str(len(s.get("items") or {})),
                        flag,
                    ]
                )
    if rows:
        section.children.append(
            Section(
                "lampiran-konstruk",
                _t(lang, "Lampiran A. Statistik Konstruk", "Appendix A. Construct Statistics"),
                [
                    Table(
                        _t(lang, "Statistik konstruk", "Construct statistics"),
                        [
                            _t(lang, "Instrumen", "Instrument"),
                            _t(lang, "Konstruk", "Construct"),
                            "n",
                            _t(lang, "Rata-rata", "Mean"),
                            _t(lang, "IK 95%", "95% CI"),
                            _t(lang, "Setuju/sangat setuju", "Agree/strongly agree"),
                            _t(lang, "IK 95%", "95% CI"),
                        ],
                        rows,
                        [False, False, True, True, True, True, True],
                        _t(
                            lang,
                            "Daftar periksa ya/tidak tidak memakai skala setuju: rata-ratanya "
                            "adalah persentase jawaban “ya”.",
                            "Yes/no checklists have no agreement scale: their mean is the share "
                            "of “yes” answers.",
                        )
                        if binary
                        else "",
                        anchor="tabel-konstruk",
                    )
                ],
            )
        )
    if rel_rows:
        section.children.append(
            Section(
                "lampiran-reliabilitas",
                _t(lang, "Lampiran B. Reliabilitas Instrumen", "Appendix B. Reliability"),
                [
                    Table(
                        _t(
                            lang,
                            "Koefisien alfa Cronbach per konstruk",
                            "Cronbach's alpha per construct",
                        ),
                        [
                            _t(lang, "Instrumen", "Instrument"),
                            _t(lang, "Konstruk", "Construct"),
                            "α",
                            _t(lang, "IK 95%", "95% CI"),
                            _t(lang, "Butir", "Items"),
                            _t(lang, "Keterangan", "Note"),
                        ],
                        rel_rows,
                        [False, False, True, True, True, False],
                        anchor="tabel-reliabilitas",
                    )
                ],
            )
        )
    pre_rows = [
        [
            labels.capitalise(labels.humanise(name)),
            format_value(s.get("n_pairs"), "int", lang),
            format_value(s.get("mean_pre"), "num1", lang),
            format_value(s.get("mean_post"), "num1", lang),
            _stat(s, "t", "num2", lang),
            _stat(s, "p", "p", lang),
            _stat(s, "wilcoxon_p", "p", lang),
            _stat(s, "d_z", "num2", lang),
            _stat(s, "g_av", "num2", lang),
            _stat(s, "normalized_gain", "num2", lang),
        ]
        for name, s in (hasil.get("prepost") or {}).items()
        if isinstance(s, Mapping)
    ]
    if pre_rows:
        section.children.append(
            Section(
                "lampiran-prepost",
                _t(lang, "Lampiran C. Uji Sebelum–Sesudah", "Appendix C. Pre/Post Tests"),
                [
                    Table(
                        _t(
                            lang,
                            "Hasil tes awal dan tes akhir (berpasangan)",
                            "Paired pre- and post-test",
                        ),
                        [
                            "Tes" if lang == "id" else "Test",
                            _t(lang, "Pasangan", "Pairs"),
                            _t(lang, "Awal", "Pre"),
                            _t(lang, "Akhir", "Post"),
                            "t",
                            "p",
                            "p Wilcoxon",
                            labels.statistic_symbol("d_z"),
                            labels.statistic_symbol("g_av"),
                            "Gain",
                        ],
                        pre_rows,
                        [False] + [True] * 9,
                        _t(
                            lang,
                            "dz dan gav: ukuran efek (d Cohen untuk data berpasangan dan g "
                            "Hedges); gain: gain ternormalisasi. Penjelasannya ada pada bagian "
                            "Teknik Analisis.",
                            "dz and gav: effect sizes (Cohen's d for paired data and Hedges' g); "
                            "gain: normalised gain. They are explained under Analysis.",
                        ),
                        anchor="tabel-prepost",
                    )
                ],
            )
        )
    ikm = hasil.get("ikm") or {}
    if ikm:
        codes = [f"u{i}" for i in range(1, 10)]
        ikm_rows = []
        for unit, s in ikm.items():
            if not isinstance(s, Mapping):
                continue
            nrr = s.get("nrr") or {}
            ikm_rows.append(
                [
                    _t(lang, "Keseluruhan", "Overall")
                    if unit == "_all"
                    else labels.group_name(hasil, "unit", unit, lang),
                    format_value(s.get("n"), "int", lang),
                ]
                + [format_value(nrr.get(c), "num2", lang) for c in codes]
                + [
                    # the regulation's 2-decimal value, the one the grade is read from
                    format_value(s.get("ikm_rounded", s.get("ikm")), "num2", lang),
                    str(s.get("mutu", "–")),
                ]
            )
        legend = "; ".join(f"{c.upper()} {labels.unsur_name(c, lang)}" for c in codes)
        section.children.append(
            Section(
                "lampiran-ikm",
                _t(
                    lang,
                    "Lampiran D. Indeks Kepuasan Masyarakat",
                    "Appendix D. Community Satisfaction",
                ),
                [
                    Table(
                        _t(
                            lang,
                            "Nilai per unsur dan IKM per unit layanan",
                            "Element scores and IKM per service unit",
                        ),
                        [
                            "Unit",
                            "n",
                            *[c.upper() for c in codes],
                            "IKM",
                            _t(lang, "Mutu", "Grade"),
                        ],
                        ikm_rows,
                        [False] + [True] * 11 + [False],
                        legend,
                        anchor="tabel-ikm",
                    )
                ],
            )
        )
    dq_rows = [
        [
            labels.instrument_name(hasil, form_id, lang),
            format_value(info.get("n_responses"), "int", lang),
            format_value(info.get("n_quarantined", 0), "int", lang),
        ]
        for form_id, info in (hasil.get("instruments") or {}).items()
    ]
    dq_blocks: list[Block] = [
        Paragraph(
            [
                _plain(
                    _t(
                        lang,
                        "Setiap baris data yang diterima disimpan atau dikarantina beserta "
                        "alasannya; tidak "
                        "ada data yang hilang tanpa catatan. Pengiriman ulang data yang sama tidak "
                        "menimbulkan duplikasi.",
                        "Every row received is stored or quarantined with its reason; nothing is "
                        "lost "
                        "without a record. Re-submitting the same data creates no duplicates.",
                    )
                )
            ]
        )
    ]
    if dq_rows:
        dq_blocks.append(
            Table(
                _t(lang, "Tanggapan tersimpan dan dikarantina", "Responses stored and quarantined"),
                [
                    _t(lang, "Instrumen", "Instrument"),
                    _t(lang, "Tersimpan", "Stored"),
                    _t(lang, "Dikarantina", "Quarantined"),
                ],
                dq_rows,
                [False, True, True],
            )
        )
    section.children.append(
        Section(
            "lampiran-kualitas",
            _t(lang, "Lampiran E. Kualitas Data", "Appendix E. Data Quality"),
            dq_blocks,
        )
    )
    notes = [
        _t(
            lang,
            "Pemetaan persentase ke kata: 100% seluruh; ≥ 90% hampir seluruh; ≥ 70% sebagian "
            "besar; > 50% lebih dari separuh; tepat 50% separuh; ≥ 25% kurang dari separuh; "
            "> 0% sebagian kecil; 0% tidak ada.",
            "Proportions in words: 100% all; ≥ 90% almost all; ≥ 70% most; > 50% more than "
            "half; exactly 50% half; ≥ 25% less than half; > 0% a small share; 0% none.",
        ),
        _t(
            lang,
            "Kekuatan bukti: kuat bila estimasi utama berdasarkan n ≥ 30 dengan interval "
            "kepercayaan yang sempit dan didukung sumber lain tanpa sumber yang bertentangan; "
            "lemah bila n < 10, interval sangat lebar, atau lebih banyak sumber yang "
            "bertentangan; selain itu sedang.",
            "Strength of evidence: strong when the main estimate rests on n ≥ 30 with a narrow "
            "confidence interval and another source agrees with none disagreeing; weak when "
            "n < 10, the interval is very wide, or more sources disagree; otherwise moderate.",
        ),
        _t(
            lang,
            "Setiap angka dalam narasi laporan ini berasal dari satu kolom pada berkas "
            "hasil.json yang disimpan bersama laporan.",
            "Every number in this report's narrative comes from a field of the hasil.json "
            "file saved with it.",
        ),
        *_method_notes(lang),
    ]
    section.children.append(
        Section(
            "lampiran-metode",
            _t(lang, "Lampiran F. Catatan Metode", "Appendix F. Method Notes"),
            [Bullets([Paragraph([Sentence(n, fixed=True)]) for n in notes])],
        )
    )
    trace_rows = [
        [
            _finding_title(f, lang),
            labels.strength_name(str(f.get("strength", "")), lang),
            "; ".join(
                e.sentence.text.rstrip(".") for e in _evidence(hasil, f.get("evidence") or [], lang)
            ),
        ]
        for f in findings
    ] + [
        [
            labels.rule_title(str(r.get("rule") or r.get("key") or ""), lang),
            labels.priority_name(str(r.get("priority", "")), lang).lower(),
            "; ".join(
                e.sentence.text.rstrip(".") for e in _evidence(hasil, r.get("evidence") or [], lang)
            ),
        ]
        for r in recommendations
        if not r.get("stale")
    ]
    if trace_rows:
        section.children.append(
            Section(
                "lampiran-bukti",
                _t(lang, "Lampiran G. Jejak Bukti", "Appendix G. Evidence Trail"),
                [
                    Table(
                        _t(
                            lang,
                            "Temuan dan rekomendasi beserta buktinya",
                            "Findings and recommendations with their evidence",
                        ),
                        [
                            _t(lang, "Temuan atau rekomendasi", "Finding or recommendation"),
                            _t(lang, "Kekuatan/prioritas", "Strength/priority"),
                            _t(lang, "Bukti", "Evidence"),
                        ],
                        trace_rows,
                        [False, False, False],
                        _t(
                            lang,
                            "Setiap angka berasal dari satu kolom berkas hasil.json yang disimpan "
                            "bersama laporan; versi HTML laporan mencatat rujukannya pada setiap "
                            "kalimat.",
                            "Every number comes from one field of the hasil.json file saved with "
                            "the report; the HTML report records the reference on each sentence.",
                        ),
                        anchor="tabel-bukti",
                    )
                ],
            )
        )
    section.children.extend(repeat_appendix(hasil, lang))  # only when a form has repeats
    return section


# --------------------------------------------------------------------------- public


_CHAPTER_BREAKS = {"pendahuluan", "hasil", "tantangan", "perbandingan", "rekomendasi", "lampiran"}


def _number(sections: Sequence[Section], lang: str = "id") -> None:
    """Number chapters (1, 1.1), tables and figures in reading order, and name the table or
    figure each piece of evidence links to ("Tabel 3")."""
    counters = {"table": 0, "figure": 0}
    targets: dict[str, str] = {}
    evidence: list[Evidence] = []

    def walk(section: Section) -> None:
        if section.number:
            targets.setdefault(section.id, _t(lang, "Bagian ", "Section ") + section.number)
        else:
            targets.setdefault(section.id, section.title)
        for block in section.blocks:
            if isinstance(block, Table):
                counters["table"] += 1
                block.number = counters["table"]
                if block.anchor:
                    targets[block.anchor] = _t(lang, "Tabel ", "Table ") + str(block.number)
            elif isinstance(block, Figure):
                counters["figure"] += 1
                block.number = counters["figure"]
                targets[block.anchor] = _t(lang, "Gambar ", "Figure ") + str(block.number)
            elif isinstance(block, RecommendationItem):
                evidence.extend(block.evidence)
        for child in section.children:
            walk(child)

    chapter = 0
    for section in sections:
        section.page_break = section.id in _CHAPTER_BREAKS
        if section.id != "lampiran":
            chapter += 1
            section.number = str(chapter)
            for index, child in enumerate(section.children, start=1):
                child.number = f"{chapter}.{index}"
        walk(section)
    for item in evidence:
        item.target = targets.get(item.anchor, "")
        if not item.target:
            item.anchor = ""  # nothing in this report shows it: no dead link


def _schedule_chapter(hasil: Mapping[str, Any], charts: Any, lang: str) -> list[Any]:
    """The chapter on a flexible schedule, when ``hasil`` has a ``jadwal`` section."""
    if not hasil.get("jadwal"):
        return []
    from tilik.report.schedule import schedule_section  # imports this module: imported late

    return list(schedule_section(hasil, charts, lang))


def build_report(hasil: Mapping[str, Any], lang: str = "id") -> Report:
    """Build the report model of an evaluation.

    Parameters
    ----------
    hasil
        Results (``hasil.json`` contract). ``findings`` and ``recommendations`` are used
        as they are when present (so evaluator edits show); otherwise they are built here.
    lang
        ``"id"`` (default) or ``"en"``.
    """
    from tilik.report.cycles import comparison_section  # imports this module: imported late

    lang = "en" if lang == "en" else "id"
    findings = hasil.get("findings")
    if not findings:
        findings = build_findings(hasil)
    recommendations = hasil.get("recommendations")
    if recommendations is None:
        recommendations = build_recommendations(hasil, findings=findings)
    charts = report_charts(hasil, lang)
    evaluation = hasil.get("evaluation") or {}
    sections = [
        _intro(hasil, lang),
        _objectives(hasil, lang),
        _method(hasil, lang),
        _results(hasil, findings, charts, lang),
        _challenges(hasil, findings, charts, lang),
        *comparison_section(hasil, charts, lang),  # only when hasil has a "comparison" section
        _recommendations(hasil, recommendations, lang),
        *_schedule_chapter(hasil, charts, lang),
        _conclusion(hasil, findings, recommendations, lang),
        _appendix(hasil, findings, recommendations, lang),
    ]
    _number(sections, lang)
    return Report(
        lang=lang,
        title=str(
            evaluation.get("title")
            or _t(lang, "Evaluasi Program Pembinaan ASN", "Evaluation of ASN Development Programs")
        ),
        organisation=str(evaluation.get("organisation") or ""),
        period=str(evaluation.get("period") or ""),
        doc_label=_t(lang, "Laporan Evaluasi", "Evaluation Report"),
        generated=format_date(date.today(), "d MMMM yyyy", locale=lang),
        sections=sections,
        charts=charts,
    )
