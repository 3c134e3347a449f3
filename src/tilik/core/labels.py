"""Display names: the one place where a code of Tilik becomes words a person reads.

Codes (instrument kinds such as ``tes_akhir``, construct codes such as ``perilaku_layanan``,
theme codes, rule ids, statistic keys) are stable identifiers of ``hasil.json`` and the bundle;
people read names. Every screen, report, chart and summary asks this module, in Indonesian
(``"id"``, the default) or English (``"en"``)::

    >>> kind_name("tes_akhir", "id")
    'Tes akhir (post-test)'
    >>> construct_name("perilaku_layanan", "en")
    'service behaviour'

A code that no table knows (an evaluator's own construct or theme) is shown with its
underscores as spaces, so no screen ever prints a raw identifier; ``known_codes()`` lists
every code the tables name, for tests that scan rendered pages for leaked codes.

Names are phrases that fit inside a sentence (lower case unless a proper name);
``capital=True`` gives the form for a heading, a table row or a chart label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "CHALLENGE_SOURCES",
    "COMPARISON_REASONS",
    "FOLLOW_UP",
    "HEADLINES",
    "CONSTRUCTS",
    "KINDS",
    "LEVELS",
    "PRIORITIES",
    "QUESTION_TYPES",
    "ROLES",
    "RULES",
    "SKM_UNSUR",
    "SOURCES",
    "STATISTICS",
    "STRENGTHS",
    "THEMES",
    "Names",
    "capitalise",
    "challenge_base",
    "challenge_source_name",
    "comparison_reason",
    "expression_words",
    "follow_up_name",
    "headline_name",
    "construct_name",
    "group_name",
    "humanise",
    "instrument_name",
    "is_binary_construct",
    "kind_name",
    "known_codes",
    "level_name",
    "name",
    "priority_name",
    "question_type_name",
    "role_name",
    "rule_title",
    "source_name",
    "statistic_name",
    "statistic_symbol",
    "strength_name",
    "theme_name",
    "unsur_name",
]

Names = Mapping[str, Mapping[str, str]]
"""``{code: {"id": ..., "en": ...}}``."""

KINDS: Names = {
    "survei_peserta": {"id": "Survei peserta", "en": "Participant survey"},
    "survei_atasan": {"id": "Survei atasan langsung", "en": "Supervisor survey"},
    "tes_awal": {"id": "Tes awal (pre-test)", "en": "Pre-test"},
    "tes_akhir": {"id": "Tes akhir (post-test)", "en": "Post-test"},
    "observasi": {"id": "Observasi layanan", "en": "Service observation"},
    "skm": {
        "id": "Survei Kepuasan Masyarakat (SKM)",
        "en": "Community Satisfaction Survey (SKM)",
    },
    "lainnya": {"id": "Instrumen lain", "en": "Other instrument"},
}

LEVELS: Names = {
    "reaksi": {"id": "Reaksi (Level 1)", "en": "Reaction (Level 1)"},
    "pembelajaran": {"id": "Pembelajaran (Level 2)", "en": "Learning (Level 2)"},
    "perilaku": {"id": "Perilaku (Level 3)", "en": "Behaviour (Level 3)"},
    "hasil": {"id": "Hasil (Level 4)", "en": "Results (Level 4)"},
    "relevansi": {"id": "Relevansi", "en": "Relevance"},
    "tantangan": {"id": "Tantangan", "en": "Challenges"},
    "kualitas_layanan": {"id": "Kualitas Layanan", "en": "Service quality"},
}

# Source families of triangulation (``findings[*].sources``).
SOURCES: Names = {
    "survei": {"id": "survei", "en": "surveys"},
    "tes": {"id": "tes", "en": "tests"},
    "wawancara": {"id": "wawancara", "en": "interviews"},
    "observasi": {"id": "observasi", "en": "observation"},
    "skm": {"id": "SKM", "en": "SKM"},
}

# Sources of a challenge (``challenges[*].sources``) and who their denominator counts.
CHALLENGE_SOURCES: Names = {
    "survei": {"id": "butir hambatan survei", "en": "survey obstacle items"},
    "teks_survey": {"id": "jawaban terbuka", "en": "open answers"},
    "teks_interview": {"id": "wawancara", "en": "interviews"},
    "teks_observation": {"id": "catatan observasi", "en": "observation notes"},
}

CONSTRUCTS: Names = {
    "reaksi": {"id": "penyelenggaraan program secara umum", "en": "the program overall"},
    "manfaat": {"id": "manfaat program", "en": "usefulness of the program"},
    "perubahan_perilaku": {"id": "perubahan perilaku kerja", "en": "change in work behaviour"},
    "perilaku_layanan": {"id": "perilaku pelayanan", "en": "service behaviour"},
    "kepuasan": {"id": "kepuasan terhadap penyelenggaraan", "en": "satisfaction"},
    "relevansi": {"id": "relevansi materi dengan tugas", "en": "relevance to daily tasks"},
    "pengetahuan": {"id": "peningkatan pengetahuan", "en": "knowledge gained"},
    "keterampilan": {"id": "peningkatan keterampilan", "en": "skills gained"},
    "sikap": {"id": "sikap dan etika pelayanan", "en": "service attitude and ethic"},
    "penerapan": {"id": "penerapan hasil pelatihan di tempat kerja", "en": "use on the job"},
    "perilaku": {"id": "perubahan perilaku kerja", "en": "change in work behaviour"},
    "dukungan": {"id": "dukungan organisasi", "en": "organisational support"},
    "dukungan_atasan": {"id": "dukungan atasan", "en": "supervisor support"},
    "kinerja": {"id": "kinerja pelayanan", "en": "service performance"},
    "fasilitator": {"id": "kualitas fasilitator", "en": "quality of trainers"},
    "materi": {"id": "kualitas materi", "en": "quality of materials"},
    "waktu_layanan": {"id": "waktu layanan", "en": "service time"},
    "skm": {"id": "unsur kepuasan masyarakat", "en": "community satisfaction elements"},
}

THEMES: Names = {
    "manfaat": {"id": "program bermanfaat", "en": "the program was useful"},
    "pengetahuan": {"id": "pengetahuan bertambah", "en": "knowledge gained"},
    "keterampilan": {"id": "keterampilan praktis bertambah", "en": "practical skills gained"},
    "sikap": {"id": "sikap dan etika pelayanan", "en": "professional attitude and service ethic"},
    "dampak_layanan": {"id": "dampak pada layanan publik", "en": "visible effect on service"},
    "relevansi_rendah": {
        "id": "materi kurang sesuai dengan tugas sehari-hari",
        "en": "material does not match daily tasks",
    },
    "waktu_beban_kerja": {
        "id": "keterbatasan waktu karena beban kerja atau kekurangan pegawai",
        "en": "no time because of workload or staff shortage",
    },
    "jadwal": {
        "id": "jadwal bertabrakan dengan tugas rutin",
        "en": "schedule clashes with routine duties",
    },
    "anggaran": {"id": "keterbatasan anggaran", "en": "budget limits"},
    "kualitas_materi": {"id": "kualitas modul dan materi", "en": "quality of materials"},
    "fasilitator": {"id": "kualitas fasilitator", "en": "quality of trainers"},
    "sarana_akses": {
        "id": "sarana, akses internet dan jarak tempuh",
        "en": "venue, internet access and travel distance",
    },
    "metode": {"id": "metode pelatihan", "en": "training method"},
    "dukungan_atasan": {
        "id": "kurangnya dukungan atasan dan organisasi",
        "en": "lack of supervisor and organisational support",
    },
}

SKM_UNSUR: Names = {
    "u1": {"id": "persyaratan", "en": "requirements"},
    "u2": {"id": "sistem, mekanisme dan prosedur", "en": "system, mechanism and procedure"},
    "u3": {"id": "waktu penyelesaian", "en": "completion time"},
    "u4": {"id": "biaya/tarif", "en": "cost/fee"},
    "u5": {"id": "produk spesifikasi jenis pelayanan", "en": "service products"},
    "u6": {"id": "kompetensi pelaksana", "en": "staff competence"},
    "u7": {"id": "perilaku pelaksana", "en": "staff behaviour"},
    "u8": {"id": "penanganan pengaduan, saran dan masukan", "en": "complaint handling"},
    "u9": {"id": "sarana dan prasarana", "en": "facilities"},
}

ROLES: Names = {
    "peserta": {"id": "peserta", "en": "participant"},
    "atasan": {"id": "atasan", "en": "supervisor"},
    "pejabat": {"id": "pejabat", "en": "official"},
    "penyelenggara": {"id": "penyelenggara", "en": "organiser"},
    "observer": {"id": "pengamat", "en": "observer"},
    "warga": {"id": "warga", "en": "citizen"},
}

STRENGTHS: Names = {
    "kuat": {"id": "kuat", "en": "strong"},
    "sedang": {"id": "sedang", "en": "moderate"},
    "lemah": {"id": "lemah", "en": "weak"},
}

PRIORITIES: Names = {
    "tinggi": {"id": "Tinggi", "en": "High"},
    "sedang": {"id": "Sedang", "en": "Medium"},
    "rendah": {"id": "Rendah", "en": "Low"},
}

# Titles of the recommendation rules of ``rules/rekomendasi.yaml`` (and evaluator-added ones).
RULES: Names = {
    "jadwal_fleksibel": {
        "id": "Penjadwalan pelatihan yang fleksibel",
        "en": "Flexible training schedules",
    },
    "akp_sektor": {
        "id": "Analisis kebutuhan pelatihan per sektor",
        "en": "Training-needs analysis by sector",
    },
    "relevansi_umum": {"id": "Penyelarasan kurikulum", "en": "Curriculum alignment"},
    "efisiensi_anggaran": {
        "id": "Efisiensi anggaran pelatihan",
        "en": "Training budget efficiency",
    },
    "transfer_kerja": {
        "id": "Penguatan penerapan di tempat kerja",
        "en": "Stronger transfer to the job",
    },
    "revisi_instrumen": {"id": "Revisi instrumen evaluasi", "en": "Instrument revision"},
    "tindak_lanjut_pengumpulan": {
        "id": "Tindak lanjut pengumpulan data",
        "en": "Data collection follow-up",
    },
    "pelatihan_unsur_skm": {"id": "Pelatihan layanan terarah", "en": "Targeted service training"},
    "target_jp": {"id": "Pemenuhan 20 JP per ASN", "en": "Meeting 20 JP per ASN"},
    "manual": {"id": "Rekomendasi tim evaluasi", "en": "Evaluation team recommendation"},
}

# Statistics of hasil.json: a name to say in words and the symbol printed beside a value.
STATISTICS: Mapping[str, Mapping[str, str]] = {
    "n": {"id": "jumlah responden", "en": "number of respondents", "symbol": "n"},
    "mean": {"id": "rata-rata", "en": "mean", "symbol": "rata-rata"},
    "top2box": {
        "id": "persentase setuju atau sangat setuju",
        "en": "share agreeing or strongly agreeing",
        "symbol": "setuju",
    },
    "alpha": {"id": "alfa Cronbach", "en": "Cronbach's alpha", "symbol": "α"},
    "t": {"id": "statistik uji-t berpasangan", "en": "paired t statistic", "symbol": "t"},
    "p": {"id": "nilai p", "en": "p-value", "symbol": "p"},
    "wilcoxon_p": {
        "id": "nilai p uji peringkat bertanda Wilcoxon",
        "en": "Wilcoxon signed-rank p-value",
        "symbol": "p Wilcoxon",
    },
    "d_z": {
        "id": "ukuran efek untuk data berpasangan (d Cohen)",
        "en": "effect size for paired data (Cohen's d)",
        "symbol": "dz",
    },
    "g_av": {
        "id": "ukuran efek terkoreksi (g Hedges)",
        "en": "bias-corrected effect size (Hedges' g)",
        "symbol": "gav",
    },
    "normalized_gain": {
        "id": "gain ternormalisasi",
        "en": "normalised gain",
        "symbol": "gain",
    },
    "epsilon2": {
        "id": "ukuran efek Kruskal–Wallis (epsilon kuadrat)",
        "en": "Kruskal–Wallis effect size (epsilon squared)",
        "symbol": "ε²",
    },
    "ikm": {
        "id": "Indeks Kepuasan Masyarakat",
        "en": "Community Satisfaction Index",
        "symbol": "IKM",
    },
}


FOLLOW_UP: Names = {
    "belum": {"id": "belum ditindaklanjuti", "en": "not started"},
    "proses": {"id": "dalam proses", "en": "in progress"},
    "selesai": {"id": "selesai", "en": "done"},
    "tidak": {"id": "tidak dilaksanakan", "en": "not carried out"},
    "": {"id": "status belum dicatat", "en": "status not recorded"},
}

#: Why a part of two cycles is not compared (``tilik.core.cycles.REASONS``).
COMPARISON_REASONS: Names = {
    "instrument_added": {"id": "instrumen baru pada siklus ini", "en": "new instrument"},
    "instrument_removed": {
        "id": "instrumen tidak dipakai lagi pada siklus ini",
        "en": "instrument not used in this cycle",
    },
    "kind_changed": {"id": "jenis instrumen berubah", "en": "the instrument changed kind"},
    "construct_added": {"id": "konstruk baru pada siklus ini", "en": "construct added"},
    "construct_removed": {
        "id": "konstruk tidak ditanyakan lagi pada siklus ini",
        "en": "construct no longer asked",
    },
    "items_changed": {
        "id": "butir konstruk berubah (ditambah, dihapus, diubah redaksinya atau arahnya)",
        "en": "the construct's items changed (added, removed, reworded or re-keyed)",
    },
    "scale_changed": {"id": "skala jawaban berubah", "en": "the answer scale changed"},
    "test_added": {"id": "tes baru pada siklus ini", "en": "new test"},
    "test_removed": {"id": "tes tidak diberikan lagi", "en": "test no longer given"},
    "test_changed": {
        "id": "soal atau kunci jawaban tes berubah",
        "en": "the test's items or keys changed",
    },
    "unit_added": {"id": "unit layanan baru dalam SKM", "en": "service unit new in the SKM"},
    "unit_removed": {
        "id": "unit layanan tidak disurvei lagi",
        "en": "service unit no longer surveyed",
    },
    "regime_changed": {
        "id": "IKM dihitung menurut peraturan yang lain",
        "en": "IKM computed under another regulation",
    },
    "withheld": {
        "id": "kurang dari lima responden pada salah satu siklus",
        "en": "fewer than five respondents in one of the cycles",
    },
    "challenge_new": {
        "id": "tantangan ini belum diukur pada siklus sebelumnya",
        "en": "not measured in the previous cycle",
    },
    "challenge_gone": {
        "id": "tantangan ini tidak muncul lagi pada siklus ini",
        "en": "not found in this cycle",
    },
    "source_changed": {
        "id": "diukur dari sumber yang berbeda",
        "en": "measured from different sources",
    },
    "no_data": {"id": "tidak ada data pada salah satu siklus", "en": "no data in one cycle"},
}

#: The headline figures followed across cycles (``tilik.core.cycles.HEADLINES``).
HEADLINES: Names = {
    "manfaat": {"id": "Peserta menilai program bermanfaat", "en": "Participants finding it useful"},
    "relevansi": {"id": "Peserta menilai materi relevan", "en": "Participants finding it relevant"},
    "gain": {"id": "Kenaikan skor tes (poin)", "en": "Test score gain (points)"},
    "penerapan": {
        "id": "Atasan menilai hasil pelatihan diterapkan",
        "en": "Supervisors seeing it applied",
    },
    "ikm": {"id": "IKM keseluruhan", "en": "Overall IKM"},
    "jp": {"id": "ASN yang memenuhi 20 JP", "en": "ASN meeting 20 JP"},
}


#: XLSForm question types as the instrument page names them.
QUESTION_TYPES: Names = {
    "text": {"id": "Teks", "en": "Text"},
    "integer": {"id": "Bilangan bulat", "en": "Whole number"},
    "decimal": {"id": "Bilangan desimal", "en": "Decimal number"},
    "range": {"id": "Rentang angka", "en": "Number range"},
    "select_one": {"id": "Pilih satu", "en": "Choose one"},
    "select_multiple": {"id": "Pilih beberapa", "en": "Choose several"},
    "select_one_from_file": {"id": "Pilih satu (dari berkas)", "en": "Choose one (from a file)"},
    "select_multiple_from_file": {
        "id": "Pilih beberapa (dari berkas)",
        "en": "Choose several (from a file)",
    },
    "rank": {"id": "Urutan", "en": "Ranking"},
    "date": {"id": "Tanggal", "en": "Date"},
    "time": {"id": "Jam", "en": "Time"},
    "datetime": {"id": "Tanggal dan jam", "en": "Date and time"},
    "geopoint": {"id": "Titik lokasi", "en": "Location"},
    "geotrace": {"id": "Garis lokasi", "en": "Location line"},
    "geoshape": {"id": "Area lokasi", "en": "Location area"},
    "note": {"id": "Catatan (tanpa jawaban)", "en": "Note (no answer)"},
    "acknowledge": {"id": "Persetujuan", "en": "Acknowledgement"},
    "calculate": {"id": "Hitungan", "en": "Calculation"},
    "hidden": {"id": "Tersembunyi", "en": "Hidden"},
    "image": {"id": "Foto", "en": "Photo"},
    "audio": {"id": "Rekaman suara", "en": "Audio"},
    "video": {"id": "Video", "en": "Video"},
    "file": {"id": "Berkas", "en": "File"},
    "barcode": {"id": "Kode batang", "en": "Barcode"},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


def question_type_name(kind: str, lang: str = "id") -> str:
    """An XLSForm type (``select_one``, ``integer``…) in words; an unknown one as it is."""
    entry = QUESTION_TYPES.get(str(kind).split(" ")[0])
    return (entry.get(_lang(lang)) or entry["id"]) if entry else str(kind)


_FIELD_REF = re.compile(r"\$\{([^}]+)\}")
_EXPRESSION_WORDS = {
    "id": ((" and ", " dan "), (" or ", " atau "), ("!=", "≠"), (">=", "≥"), ("<=", "≤")),
    "en": ((" and ", " and "), (" or ", " or "), ("!=", "≠"), (">=", "≥"), ("<=", "≤")),
}


def expression_words(expression: str, names: Mapping[str, str], lang: str = "id") -> str:
    """An XLSForm expression (``${persetujuan} = 'ya' and ${umur} >= 18``) with each
    ``${question}`` as its label in «», and its connectives in words; ``.`` (the
    answer itself) as "jawaban"/"the answer". The expression stays an expression: this
    only spares the reader the field names."""
    text = _FIELD_REF.sub(lambda m: f"«{names.get(m.group(1), m.group(1))}»", expression)
    text = re.sub(r"(?<![\w.'\"])\.(?![\w.'\"])", "jawaban" if lang != "en" else "the answer", text)
    for old, new in _EXPRESSION_WORDS[_lang(lang)]:
        text = text.replace(old, new)
    return " ".join(text.split())


def humanise(code: str) -> str:
    """An unknown code as words: underscores and slashes become spaces."""
    return " ".join(str(code).replace("/", " ").replace("_", " ").split())


def capitalise(text: str) -> str:
    """Upper-case the first letter only (``"relevansi materi"`` -> ``"Relevansi materi"``)."""
    return text[:1].upper() + text[1:]


def name(table: Names, code: str, lang: str = "id", *, capital: bool = False) -> str:
    """``code``'s name in ``lang`` from ``table``; an unknown code humanised."""
    entry = table.get(str(code))
    text = (entry.get(_lang(lang)) or entry.get("id")) if entry else None
    text = text or humanise(code)
    return capitalise(text) if capital else text


def kind_name(kind: str, lang: str = "id") -> str:
    return name(KINDS, kind, lang)


def level_name(level: str, lang: str = "id") -> str:
    return name(LEVELS, level, lang)


def source_name(source: str, lang: str = "id") -> str:
    return name(SOURCES, source, lang)


def challenge_source_name(source: str, lang: str = "id") -> str:
    return name(CHALLENGE_SOURCES, source, lang)


def construct_name(code: str, lang: str = "id", *, capital: bool = False) -> str:
    """A construct's name; ``<repeat>/<construct>`` (asked in each instance of a repeat
    group) says so: ``kegunaan (per kegiatan)``."""
    if "/" in code:
        repeat, construct = code.split("/", 1)
        each = "per" if _lang(lang) == "id" else "each"
        return f"{name(CONSTRUCTS, construct, lang, capital=capital)} ({each} {humanise(repeat)})"
    return name(CONSTRUCTS, code, lang, capital=capital)


def theme_name(
    code: str,
    lang: str = "id",
    *,
    capital: bool = False,
    hasil: Mapping[str, Any] | None = None,
) -> str:
    """A theme's name; an evaluator's own code takes the label its codebook gave it."""
    if code not in THEMES and hasil is not None:
        label = ((hasil.get("themes") or {}).get(code) or {}).get("label")
        if isinstance(label, Mapping):
            label = label.get(_lang(lang)) or label.get("id")
        if isinstance(label, str) and label.strip():
            return capitalise(label) if capital else label
    return name(THEMES, code, lang, capital=capital)


def unsur_name(code: str, lang: str = "id", *, capital: bool = False) -> str:
    return name(SKM_UNSUR, code, lang, capital=capital)


def role_name(role: str, lang: str = "id") -> str:
    return name(ROLES, role, lang)


def strength_name(strength: str, lang: str = "id") -> str:
    return name(STRENGTHS, strength, lang)


def priority_name(priority: str, lang: str = "id") -> str:
    return name(PRIORITIES, priority, lang)


def rule_title(rule: str, lang: str = "id") -> str:
    """The title of a recommendation rule (``akp_sektor:...`` keys give their rule's title)."""
    return name(RULES, str(rule).split(":", 1)[0], lang, capital=True)


def statistic_name(key: str, lang: str = "id") -> str:
    return name(STATISTICS, key, lang)


def statistic_symbol(key: str) -> str:
    """The symbol printed beside a value (``d_z`` -> ``dz``)."""
    entry = STATISTICS.get(key)
    return entry["symbol"] if entry else humanise(key)


def group_name(hasil: Mapping[str, Any], dim: str, code: str, lang: str = "id") -> str:
    """A group code (sector, organisation, unit) by the name its form's choices give it."""
    names = ((hasil.get("labels") or {}).get(dim) or {}).get(code) or {}
    return str(names.get(_lang(lang)) or names.get("id") or humanise(code))


def instrument_name(hasil: Mapping[str, Any], form_id: str, lang: str = "id") -> str:
    """An instrument by its kind when that names it alone, else by its form's title."""
    instruments = hasil.get("instruments") or {}
    info = instruments.get(form_id) or {}
    kind = info.get("kind") if isinstance(info, Mapping) else None
    kinds = [i.get("kind") for i in instruments.values() if isinstance(i, Mapping)]
    if kind in KINDS and kind != "lainnya" and kinds.count(kind) == 1:
        return kind_name(str(kind), lang)
    title = info.get("title") if isinstance(info, Mapping) else None
    return str(title) if title else capitalise(humanise(form_id))


def is_binary_construct(stats: Mapping[str, Any]) -> bool:
    """True for a construct of yes/no (0/1) items, such as an observation checklist.

    Such a construct has a share of "ya" answers, not a top-2-box or a Likert spread.
    """
    items = stats.get("items") or {}
    seen = False
    for item in items.values():
        dist = item.get("distribution") if isinstance(item, Mapping) else None
        if not isinstance(dist, Mapping) or not dist:
            return False
        if not {str(k) for k in dist} <= {"0", "1", "0.0", "1.0"}:
            return False
        seen = True
    return seen


def challenge_base(item: Mapping[str, Any], lang: str = "id") -> str:
    """Whom a challenge's headline share counts, as words after the percentage.

    ``hasil["challenges"][i]["share"]`` is the larger of the survey items' share (over survey
    respondents) and the coded texts' share (over people who wrote or said anything).
    """
    survey = (item.get("sources") or {}).get("survei")
    share = survey.get("share") if isinstance(survey, Mapping) else None
    if share is not None and share == item.get("share"):
        return "responden survei" if _lang(lang) == "id" else "of survey respondents"
    if _lang(lang) == "id":
        return "orang yang menulis jawaban terbuka atau diwawancarai"
    return "of people who wrote open answers or were interviewed"


def follow_up_name(status: str | None, lang: str = "id") -> str:
    """A follow-up status (``belum`` … ``tidak``; none recorded as such)."""
    return name(FOLLOW_UP, status or "", lang)


def comparison_reason(reason: str, lang: str = "id") -> str:
    return name(COMPARISON_REASONS, reason, lang)


def headline_name(headline: str, lang: str = "id") -> str:
    """A headline figure; ``challenge_<code>`` is the share citing that challenge."""
    if headline.startswith("challenge_"):
        theme = theme_name(headline[len("challenge_") :], lang)
        return ("Menyebut " if _lang(lang) == "id" else "Citing ") + theme
    return name(HEADLINES, headline, lang)


def known_codes() -> set[str]:
    """Every code the tables of this module name (kinds, constructs, themes, rules, statistics)."""
    codes: set[str] = set()
    for table in (
        KINDS,
        LEVELS,
        CHALLENGE_SOURCES,
        CONSTRUCTS,
        THEMES,
        RULES,
        STATISTICS,
        COMPARISON_REASONS,
    ):
        codes.update(table)
    return codes
