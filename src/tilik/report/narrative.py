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

from tilik.core.findings import (
    LEVELS,
    SKM_UNSUR,
    SOURCE_LABELS,
    TEMPLATES,
    THEME_LABELS,
    Param,
    build_findings,
    cells,
    format_value,
    render_template,
    resolve_path,
)
from tilik.core.recommend import build_recommendations, render_text
from tilik.report.charts import Chart, group_name, report_charts

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
class Number:
    """A number printed in a sentence and the hasil field it comes from."""

    path: str
    fmt: str
    text: str


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


@dataclass
class Figure:
    chart: Chart
    caption: str
    number: int = 0


@dataclass
class Quote:
    text: str
    attribution: str


@dataclass
class RecommendationItem:
    sentence: Sentence
    title: str
    priority: str
    owner: str
    indicator: str
    key: str


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


_STRENGTH_WORDS = {
    "kuat": ("kuat", "strong"),
    "sedang": ("sedang", "moderate"),
    "lemah": ("lemah", "weak"),
}
ROLE_LABELS = {
    "peserta": ("peserta", "participant"),
    "atasan": ("atasan", "supervisor"),
    "pejabat": ("pejabat", "official"),
    "penyelenggara": ("penyelenggara", "organiser"),
    "observer": ("pengamat", "observer"),
    "warga": ("warga", "citizen"),
}


def _word(table: Mapping[str, tuple[str, str]], code: str, lang: str) -> str:
    """``code``'s word in ``lang`` from a ``{code: (id, en)}`` table; the code if unknown."""
    pair = table.get(code)
    return pair[0 if lang == "id" else 1] if pair else code


def _strength_badge(finding: Mapping[str, Any], lang: str) -> str:
    strength = _word(_STRENGTH_WORDS, str(finding.get("strength")), lang)
    sources = ", ".join(SOURCE_LABELS.get(s, {}).get(lang, s) for s in finding.get("sources") or [])
    label = _t(lang, "Kekuatan bukti", "Strength of evidence")
    via = _t(lang, "sumber", "sources")
    return f"{label}: {strength} · {via}: {sources}"


# --------------------------------------------------------------------------- labels

KIND_LABELS = {
    "survei_peserta": ("Survei peserta", "Participant survey"),
    "survei_atasan": ("Survei atasan langsung", "Supervisor survey"),
    "tes_awal": ("Tes awal (pre-test)", "Pre-test"),
    "tes_akhir": ("Tes akhir (post-test)", "Post-test"),
    "observasi": ("Observasi layanan", "Service observation"),
    "skm": ("Survei Kepuasan Masyarakat (SKM)", "Community Satisfaction Survey (SKM)"),
    "lainnya": ("Instrumen lain", "Other instrument"),
}
PRIORITY_LABELS = {
    "tinggi": ("Tinggi", "High"),
    "sedang": ("Sedang", "Medium"),
    "rendah": ("Rendah", "Low"),
}
RULE_TITLES = {
    "jadwal_fleksibel": ("Penjadwalan pelatihan yang fleksibel", "Flexible training schedules"),
    "akp_sektor": ("Analisis kebutuhan pelatihan per sektor", "Training-needs analysis by sector"),
    "relevansi_umum": ("Penyelarasan kurikulum", "Curriculum alignment"),
    "efisiensi_anggaran": ("Efisiensi anggaran pelatihan", "Training budget efficiency"),
    "transfer_kerja": (
        "Penguatan penerapan di tempat kerja",
        "Stronger transfer to the job",
    ),
    "revisi_instrumen": ("Revisi instrumen evaluasi", "Instrument revision"),
    "tindak_lanjut_pengumpulan": ("Tindak lanjut pengumpulan data", "Data collection follow-up"),
    "pelatihan_unsur_skm": ("Pelatihan layanan terarah", "Targeted service training"),
    "target_jp": ("Pemenuhan 20 JP per ASN", "Meeting 20 JP per ASN"),
    "manual": ("Rekomendasi tim evaluasi", "Evaluation team recommendation"),
}
# Which themes' quotes illustrate which results subsection.
QUOTE_THEMES = {
    "reaksi": ["manfaat"],
    "pembelajaran": ["pengetahuan", "keterampilan"],
    "perilaku": ["sikap", "dukungan_atasan"],
    "hasil": ["dampak_layanan"],
    "relevansi": ["relevansi_rendah"],
}


def _label(pair: tuple[str, str] | None, lang: str, fallback: str) -> str:
    if not pair:
        return fallback
    return pair[0] if lang == "id" else pair[1]


def _theme(code: str, lang: str) -> str:
    text = THEME_LABELS.get(code, {}).get(lang, code.replace("_", " "))
    return text[:1].upper() + text[1:]


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


def _method(hasil: Mapping[str, Any], lang: str) -> Section:
    section = Section("metode", _t(lang, "Metode Evaluasi", "Evaluation Method"))
    section.blocks.append(
        Paragraph(
            [
                _plain(
                    _t(
                        lang,
                        "Evaluasi menggunakan model empat level Kirkpatrick: reaksi (Level 1), "
                        "pembelajaran (Level 2), perilaku di tempat kerja (Level 3), dan hasil "
                        "bagi "
                        "organisasi dan pelayanan publik (Level 4), ditambah penilaian relevansi "
                        "materi.",
                        "The evaluation follows Kirkpatrick's four levels: reaction (Level 1), "
                        "learning "
                        "(Level 2), behaviour on the job (Level 3) and results for the "
                        "organisation and "
                        "public service (Level 4), plus an assessment of relevance.",
                    )
                ),
                _plain(
                    _t(
                        lang,
                        "Data dikumpulkan dengan metode campuran dan ditriangulasi antarsumber: "
                        "survei, "
                        "tes, wawancara, observasi layanan, dan survei kepuasan masyarakat.",
                        "Data were collected with mixed methods and triangulated across sources: "
                        "surveys, "
                        "tests, interviews, service observation and the community satisfaction "
                        "survey.",
                    )
                ),
            ]
        )
    )
    rows = []
    for form_id, info in (hasil.get("instruments") or {}).items():
        kind = str(info.get("kind", "lainnya"))
        rr = info.get("response_rate")
        rows.append(
            [
                _label(KIND_LABELS.get(kind), lang, kind),
                form_id,
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
                            _t(lang, "Instrumen", "Instrument"),
                            _t(lang, "Kode formulir", "Form id"),
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
                    )
                ],
            )
        )
    section.children.append(
        Section(
            "analisis",
            _t(lang, "Teknik Analisis", "Analysis"),
            [Bullets([Paragraph([Sentence(t, fixed=True)]) for t in _analysis_notes(lang)])],
        )
    )
    return section


def _analysis_notes(lang: str) -> list[str]:
    return [
        _t(
            lang,
            "Butir skala Likert diringkas dengan rata-rata, median, sebaran jawaban, dan "
            "persentase jawaban setuju/sangat setuju (top-2-box) beserta interval kepercayaan "
            "95% Wilson.",
            "Likert items are summarised by mean, median, distribution and the share agreeing "
            "or strongly agreeing (top-2-box) with a 95% Wilson confidence interval.",
        ),
        _t(
            lang,
            "Reliabilitas setiap konstruk diukur dengan koefisien alfa Cronbach; nilai di "
            "bawah 0,70 ditandai.",
            "Reliability of each construct is Cronbach's alpha; values under 0.70 are flagged.",
        ),
        _t(
            lang,
            "Perubahan pengetahuan diuji dengan uji-t berpasangan dan uji peringkat bertanda "
            "Wilcoxon, dengan ukuran efek d_z Cohen dan gain ternormalisasi.",
            "Change in knowledge is tested with the paired t-test and the Wilcoxon "
            "signed-rank test, with Cohen's d_z and the normalised gain.",
        ),
        _t(
            lang,
            "Perbandingan antarkelompok (sektor, instansi) menggunakan uji Kruskal–Wallis; "
            "kelompok dengan kurang dari lima responden tidak ditampilkan (n < 5).",
            "Groups (sector, agency) are compared with the Kruskal–Wallis test; groups with "
            "fewer than five respondents are not shown (n < 5).",
        ),
        _t(
            lang,
            "Indeks Kepuasan Masyarakat dihitung menurut Peraturan Menteri PANRB Nomor 14 "
            "Tahun 2017.",
            "The community satisfaction index follows Ministerial Regulation No. 14 of 2017.",
        ),
        _t(
            lang,
            "Jawaban terbuka dan transkrip wawancara dikodekan ke dalam tema; kutipan "
            "ditampilkan tanpa nama, NIP, atau nomor telepon.",
            "Open answers and interview transcripts are coded into themes; quotes are shown "
            "without names, NIPs or phone numbers.",
        ),
    ]


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
            who = [_word(ROLE_LABELS, str(quote["role"]), lang)] if quote.get("role") else []
            if quote.get("sector"):
                sector = group_name(hasil, "sector", str(quote["sector"]), lang)
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
                        "Tantangan diurutkan menurut persentase responden yang menyebutkannya, "
                        "dengan "
                        "menggabungkan butir hambatan pada survei dan jawaban terbuka serta "
                        "transkrip "
                        "wawancara yang telah dikodekan.",
                        "Challenges are ranked by the share of respondents citing them, combining "
                        "the "
                        "closed obstacle items of the surveys with coded open answers and "
                        "interview "
                        "transcripts.",
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
                "value": {"id": _theme(item["code"], "id"), "en": _theme(item["code"], "en")},
                "path": None,
                "fmt": "i18n",
            },
            "share": _p(hasil, f"{base}/share", "pct"),
        }
        template = _t(
            lang,
            "{theme}: {share} responden ({share|words}).",
            "{theme}: {share} of respondents ({share|words}).",
        )
        if item.get("share_ci"):
            params["lo"] = _p(hasil, f"{base}/share_ci/0", "pct")
            params["hi"] = _p(hasil, f"{base}/share_ci/1", "pct")
            template = _t(
                lang,
                "{theme}: {share} responden ({share|words}; IK 95% {lo}–{hi}).",
                "{theme}: {share} of respondents ({share|words}; 95% CI {lo}–{hi}).",
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
    rows = []
    for item in challenges:
        ci = item.get("share_ci")
        sources = ", ".join(
            f"{_source_name(name, lang)} {format_value(s.get('share'), 'pct', lang)}"
            for name, s in (item.get("sources") or {}).items()
            if isinstance(s, Mapping) and s.get("share") is not None
        )
        rows.append(
            [
                _theme(item["code"], lang),
                format_value(item["share"], "pct", lang),
                f"{format_value(ci[0], 'pct', lang)}–{format_value(ci[1], 'pct', lang)}"
                if ci
                else "–",
                sources or "–",
            ]
        )
    section.blocks.append(
        Table(
            _t(lang, "Peringkat tantangan", "Ranking of challenges"),
            [
                _t(lang, "Tantangan", "Challenge"),
                _t(lang, "Persentase", "Share"),
                _t(lang, "IK 95%", "95% CI"),
                _t(lang, "Menurut sumber", "By source"),
            ],
            rows,
            [False, True, True, False],
        )
    )
    section.blocks.extend(_challenge_breakdown(challenges, lang, min_cell, hasil=hasil))
    section.blocks.extend(_quotes(hasil, [c["code"] for c in challenges[:3]], lang, limit=1))
    return section


_CHALLENGE_SOURCES = {
    "survei": ("butir hambatan survei", "survey obstacle items"),
    "teks_survey": ("jawaban terbuka", "open answers"),
    "teks_interview": ("wawancara", "interviews"),
    "teks_observation": ("catatan observasi", "observation notes"),
}


def _source_name(name: str, lang: str) -> str:
    pair = _CHALLENGE_SOURCES.get(name)
    if pair:
        return pair[0] if lang == "id" else pair[1]
    return name.replace("_", " ")


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
        for name in sorted(groups, key=lambda g: group_name(hasil, dim, g, lang)):
            shown_name = group_name(hasil, dim, name, lang)
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


def _recommendations(recommendations: Sequence[Mapping[str, Any]], lang: str) -> Section:
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
                        "prioritas. Setiap rekomendasi menyebutkan penanggung jawab dan indikator "
                        "tindak "
                        "lanjut; rujukan buktinya tercantum pada lampiran.",
                        "The recommendations below come from documented rules and are ordered by "
                        "priority. "
                        "Each names an owner and a follow-up indicator; its evidence is listed in "
                        "the "
                        "appendix.",
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
                _label(RULE_TITLES.get(str(rec.get("rule"))), lang, str(rec.get("rule", ""))),
                _label(
                    PRIORITY_LABELS.get(str(rec.get("priority"))),
                    lang,
                    str(rec.get("priority", "")),
                ),
                str(owner.get(lang) or owner.get("id") or "–")
                if isinstance(owner, Mapping)
                else str(owner),
                str(indicator.get(lang) or indicator.get("id") or "–")
                if isinstance(indicator, Mapping)
                else str(indicator),
                str(rec.get("key", rec.get("rule", ""))),
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
    section.blocks.append(Paragraph([_overall(hasil, findings, lang)]))
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
                _label(RULE_TITLES.get(str(r.get("rule"))), lang, str(r.get("rule"))).lower()
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


def _overall(
    hasil: Mapping[str, Any], findings: Sequence[Mapping[str, Any]], lang: str
) -> Sentence:
    """One synthesis sentence, in words only (the numbers are in the findings)."""
    by_id = {str(f.get("id")): f for f in findings}
    useful = any(
        f.get("level") == "reaksi"
        and (f.get("params") or {}).get("share", {}).get("value", 0) >= 0.7
        for f in findings
    )
    learned = any(f.get("key") == "prepost_gain" for f in findings)
    gap = "triangulasi:keterampilan/observasi" in by_id or "triangulasi:peserta/atasan" in by_id
    good, weak = [], []
    (good if useful else weak).append(
        _t(lang, "dinilai bermanfaat oleh peserta", "was found useful by participants")
    )
    if any(f.get("level") == "pembelajaran" for f in findings):
        (good if learned else weak).append(
            _t(lang, "meningkatkan pengetahuan peserta", "raised participants' knowledge")
        )
    if gap:
        weak.append(
            _t(
                lang,
                "penerapannya di tempat kerja dan dampaknya pada layanan belum terlihat kuat",
                "its use on the job and effect on service are not yet clearly visible",
            )
        )
    subject = _t(lang, "Secara keseluruhan, program ", "Overall, the program ")
    if good and weak:
        text = subject + _join(good, lang) + _t(lang, ", tetapi ", ", but ") + _join(weak, lang)
    else:
        text = subject + _join(good or weak, lang)
    return _plain(text + ".")


def _join(parts: Sequence[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + _t(lang, " dan ", " and ") + parts[-1]


def _range(ci: Sequence[Any], fmt: str, lang: str) -> str:
    return f"{format_value(ci[0], fmt, lang)}–{format_value(ci[1], fmt, lang)}"


def _appendix(
    hasil: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
    recommendations: Sequence[Mapping[str, Any]],
    lang: str,
) -> Section:
    section = Section("lampiran", _t(lang, "Lampiran", "Appendix"))
    rows, rel_rows = [], []
    for form_id, constructs in (hasil.get("constructs") or {}).items():
        for name, s in (constructs or {}).items():
            if not isinstance(s, Mapping):
                continue
            ci = s.get("top2box_ci") or [None, None]
            mci = s.get("mean_ci") or [None, None]
            rows.append(
                [
                    form_id,
                    name,
                    format_value(s.get("n"), "int", lang),
                    format_value(s.get("mean"), "num2", lang),
                    f"{format_value(mci[0], 'num2', lang)}–{format_value(mci[1], 'num2', lang)}",
                    format_value(s.get("top2box"), "pct", lang),
                    f"{format_value(ci[0], 'pct', lang)}–{format_value(ci[1], 'pct', lang)}",
                ]
            )
            if s.get("alpha") is not None:
                aci = s.get("alpha_ci") or [None, None]
                flag = (
                    _t(lang, "di bawah 0,70", "below 0.70")
                    if s["alpha"] < 0.70
                    else (_t(lang, "memadai", "adequate"))
                )
                rel_rows.append(
                    [
                        form_id,
                        name,
                        format_value(s.get("alpha"), "num2", lang),
                        _range(aci, "num2", lang),
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
                        _t(lang, "Statistik konstruk skala Likert", "Likert construct statistics"),
                        [
                            _t(lang, "Instrumen", "Instrument"),
                            _t(lang, "Konstruk", "Construct"),
                            "n",
                            _t(lang, "Rata-rata", "Mean"),
                            _t(lang, "IK 95%", "95% CI"),
                            "Top-2-box",
                            _t(lang, "IK 95%", "95% CI"),
                        ],
                        rows,
                        [False, False, True, True, True, True, True],
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
                    )
                ],
            )
        )
    pre_rows = [
        [
            name.replace("_", " "),
            format_value(s.get("n_pairs"), "int", lang),
            format_value(s.get("mean_pre"), "num1", lang),
            format_value(s.get("mean_post"), "num1", lang),
            format_value(s.get("t"), "num2", lang),
            format_value(s.get("p"), "p", lang),
            format_value(s.get("wilcoxon_p"), "p", lang),
            format_value(s.get("d_z"), "num2", lang),
            format_value(s.get("g_av"), "num2", lang),
            format_value(s.get("normalized_gain"), "num2", lang),
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
                            "d_z",
                            "g_av",
                            "Gain",
                        ],
                        pre_rows,
                        [False] + [True] * 9,
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
                    _t(lang, "Keseluruhan", "Overall") if unit == "_all" else unit,
                    format_value(s.get("n"), "int", lang),
                ]
                + [format_value(nrr.get(c), "num2", lang) for c in codes]
                + [format_value(s.get("ikm"), "num2", lang), str(s.get("mutu", "–"))]
            )
        legend = "; ".join(f"{c.upper()} {SKM_UNSUR[c][lang]}" for c in codes)
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
                    )
                ],
            )
        )
    dq_rows = [
        [
            form_id,
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
            str(f.get("id", "")),
            _word(_STRENGTH_WORDS, str(f.get("strength", "")), lang),
            "; ".join(f.get("evidence") or []),
        ]
        for f in findings
    ] + [
        [
            str(r.get("key", "")),
            _word(PRIORITY_LABELS, str(r.get("priority", "")), lang).lower(),
            "; ".join(r.get("evidence") or []),
        ]
        for r in recommendations
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
                            "Temuan dan rekomendasi beserta rujukan bukti pada hasil.json",
                            "Findings and recommendations with their evidence in hasil.json",
                        ),
                        [
                            _t(lang, "Kode", "Key"),
                            _t(lang, "Kekuatan/prioritas", "Strength/priority"),
                            _t(lang, "Rujukan bukti", "Evidence"),
                        ],
                        trace_rows,
                        [False, False, False],
                    )
                ],
            )
        )
    return section


# --------------------------------------------------------------------------- public


_CHAPTER_BREAKS = {"pendahuluan", "hasil", "tantangan", "rekomendasi", "lampiran"}


def _number(sections: Sequence[Section]) -> None:
    """Number chapters (1, 1.1), tables and figures in reading order."""
    counters = {"table": 0, "figure": 0}

    def walk(section: Section) -> None:
        for block in section.blocks:
            if isinstance(block, Table):
                counters["table"] += 1
                block.number = counters["table"]
            elif isinstance(block, Figure):
                counters["figure"] += 1
                block.number = counters["figure"]
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
    from tilik.report.schedule import schedule_section  # imports this module: imported late

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
        _recommendations(recommendations, lang),
        *schedule_section(hasil, charts, lang),  # only when hasil has a "jadwal" section
        _conclusion(hasil, findings, recommendations, lang),
        _appendix(hasil, findings, recommendations, lang),
    ]
    _number(sections)
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
