"""The method as this evaluation's data used it: sources, Kirkpatrick levels, techniques.

The report's method section and the public summary describe only what was done: an
evaluation with one survey does not claim triangulation, tests, interviews or an IKM. Every
function reads ``hasil`` and names a source, level or technique only when its data are there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tilik.core import labels

__all__ = [
    "analysis_notes",
    "collection_sentence",
    "has_binary_constructs",
    "has_likert_constructs",
    "kirkpatrick_sentences",
    "levels_used",
    "sources_used",
    "summary_sentence",
]

_SOURCE_ORDER = ("survei", "tes", "wawancara", "observasi", "skm")
_SOURCE_WORDS = {
    "survei": ("survei", "surveys"),
    "tes": ("tes awal/akhir", "pre-/post-tests"),
    "wawancara": ("wawancara", "interviews"),
    "observasi": ("observasi layanan", "service observation"),
    "skm": ("survei kepuasan masyarakat", "the community satisfaction survey"),
}
_COUNT_WORDS = {
    2: ("dua", "two"),
    3: ("tiga", "three"),
    4: ("empat", "four"),
    5: ("lima", "five"),
}
_LEVEL_WORDS = {
    "reaksi": ("reaksi (Level 1)", "reaction (Level 1)"),
    "pembelajaran": ("pembelajaran (Level 2)", "learning (Level 2)"),
    "perilaku": ("perilaku di tempat kerja (Level 3)", "behaviour on the job (Level 3)"),
    "hasil": (
        "hasil bagi organisasi dan pelayanan publik (Level 4)",
        "results for the organisation and public service (Level 4)",
    ),
}
_SURVEY_KINDS = ("survei_peserta", "survei_atasan", "lainnya")


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _w(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "id" else pair[1]


def _join(parts: Sequence[str], lang: str) -> str:
    """``a``, ``a dan b``, ``a, b, dan c`` (English: ``a, b, and c``)."""
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return parts[0] + _t(lang, " dan ", " and ") + parts[1]
    return ", ".join(parts[:-1]) + _t(lang, ", dan ", ", and ") + parts[-1]


def _instruments(hasil: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Instruments that received at least one response."""
    return {
        form_id: info
        for form_id, info in (hasil.get("instruments") or {}).items()
        if isinstance(info, Mapping) and (info.get("n_responses") or 0) > 0
    }


def text_sources(hasil: Mapping[str, Any]) -> set[str]:
    """Kinds of coded text (``survey``, ``interview``, ``observation``) that had segments."""
    out: set[str] = set()
    for theme in (hasil.get("themes") or {}).values():
        for source, stats in ((theme or {}).get("by_source") or {}).items():
            if isinstance(stats, Mapping) and (stats.get("n_segments") or stats.get("n")):
                out.add(str(source))
    return out


def sources_used(hasil: Mapping[str, Any]) -> list[str]:
    """Source families with data, in a fixed order (survei, tes, wawancara, observasi, skm)."""
    found: set[str] = set()
    for info in _instruments(hasil).values():
        kind = str(info.get("kind") or "lainnya")
        if kind in ("tes_awal", "tes_akhir"):
            found.add("tes")
        elif kind in ("observasi", "skm"):
            found.add(kind)
        else:
            found.add("survei")
    if any("interview" in s or "wawancara" in s for s in text_sources(hasil)):
        found.add("wawancara")
    return [s for s in _SOURCE_ORDER if s in found]


def levels_used(hasil: Mapping[str, Any]) -> list[str]:
    """Kirkpatrick levels this evaluation has evidence for."""
    summary = hasil.get("kirkpatrick") or {}
    used = [
        level
        for level in _LEVEL_WORDS
        if isinstance(summary.get(level), Mapping) and summary[level].get("has_evidence")
    ]
    if used or summary:
        return used
    levels = {str(f.get("level")) for f in hasil.get("findings") or []}
    if "kualitas_layanan" in levels:
        levels.add("hasil")
    return [level for level in _LEVEL_WORDS if level in levels]


def _constructs(hasil: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    out = []
    for form_id, constructs in (hasil.get("constructs") or {}).items():
        for stats in (constructs or {}).values():
            if isinstance(stats, Mapping) and stats.get("n"):
                out.append((form_id, stats))
    return out


def has_binary_constructs(hasil: Mapping[str, Any]) -> bool:
    return any(labels.is_binary_construct(s) for _, s in _constructs(hasil))


def has_likert_constructs(hasil: Mapping[str, Any]) -> bool:
    kinds = {f: str(i.get("kind")) for f, i in _instruments(hasil).items()}
    return any(
        kinds.get(form_id) in _SURVEY_KINDS
        and not labels.is_binary_construct(s)
        and s.get("top2box") is not None
        for form_id, s in _constructs(hasil)
    )


def _has_group_tests(hasil: Mapping[str, Any]) -> bool:
    for constructs in (hasil.get("groups") or {}).values():
        for block in (constructs or {}).values():
            for by_block in ((block or {}).get("by") or {}).values():
                if isinstance(by_block, Mapping) and (
                    isinstance(by_block.get("test"), Mapping) or by_block.get("p") is not None
                ):
                    return True
    return False


def kirkpatrick_sentences(hasil: Mapping[str, Any], lang: str) -> list[str]:
    """The model, and which of its levels this evaluation's data reach."""
    used = levels_used(hasil)
    relevance = any(
        "relevansi" in (constructs or {}) for constructs in (hasil.get("constructs") or {}).values()
    )
    if not used:
        return [
            _t(
                lang,
                "Evaluasi disusun menurut model empat level Kirkpatrick, tetapi data yang "
                "terkumpul belum mencakup satu level pun.",
                "The evaluation is framed by Kirkpatrick's four levels, but the data collected "
                "do not yet reach any of them.",
            )
        ]
    words = [_w(_LEVEL_WORDS[level], lang) for level in used]
    extra = _t(lang, ", ditambah penilaian relevansi materi", ", plus an assessment of relevance")
    if len(used) == len(_LEVEL_WORDS):
        first = _t(
            lang,
            f"Evaluasi menggunakan model empat level Kirkpatrick: {_join(words, lang)}",
            f"The evaluation follows Kirkpatrick's four levels: {_join(words, lang)}",
        )
        return [first + (extra if relevance else "") + "."]
    missing = [_w(_LEVEL_WORDS[level], lang) for level in _LEVEL_WORDS if level not in used]
    first = _t(
        lang,
        f"Evaluasi menggunakan model empat level Kirkpatrick; data evaluasi ini mencakup "
        f"{_join(words, lang)}",
        f"The evaluation uses Kirkpatrick's four-level model; this evaluation's data cover "
        f"{_join(words, lang)}",
    )
    second = _t(
        lang,
        f"Level {_join(missing, lang)} tidak diukur karena datanya tidak dikumpulkan.",
        f"{labels.capitalise(_join(missing, lang))} "
        f"{'was' if len(missing) == 1 else 'were'} not measured: no data were collected for "
        f"{'it' if len(missing) == 1 else 'them'}.",
    )
    return [first + (extra if relevance else "") + ".", second]


def collection_sentence(hasil: Mapping[str, Any], lang: str) -> str:
    """How the data were collected; triangulation is claimed only across two or more sources."""
    sources = sources_used(hasil)
    words = [_w(_SOURCE_WORDS[s], lang) for s in sources]
    if not sources:
        return _t(
            lang,
            "Belum ada data yang terkumpul untuk dianalisis.",
            "No data have been collected for analysis yet.",
        )
    if len(sources) == 1:
        return _t(
            lang,
            f"Data dikumpulkan dari satu sumber, yaitu {words[0]}; karena itu temuan tidak "
            "dapat dibandingkan antarsumber.",
            f"Data come from one source, {words[0]}; findings therefore cannot be checked "
            "against other sources.",
        )
    count = _w(_COUNT_WORDS.get(len(sources), (str(len(sources)), str(len(sources)))), lang)
    qualitative = "wawancara" in sources or bool(text_sources(hasil))
    mixed = _t(lang, "dengan metode campuran ", "with mixed methods ") if qualitative else ""
    return _t(
        lang,
        f"Data dikumpulkan {mixed}dari {count} sumber ({_join(words, lang)}) dan temuan "
        "dibandingkan antarsumber (triangulasi).",
        f"Data were collected {mixed}from {count} sources ({_join(words, lang)}) and findings "
        "were compared across them (triangulation).",
    )


def summary_sentence(hasil: Mapping[str, Any], lang: str) -> str:
    """One sentence of method for the public summary."""
    words = [_w(_SOURCE_WORDS[s], lang) for s in sources_used(hasil)]
    if not words:
        return _t(
            lang,
            "Evaluasi menggunakan model Kirkpatrick; datanya belum terkumpul.",
            "The evaluation follows Kirkpatrick's model; its data are not yet collected.",
        )
    return _t(
        lang,
        f"Evaluasi menggunakan model Kirkpatrick dengan data dari {_join(words, lang)}.",
        f"The evaluation follows Kirkpatrick's model, with data from {_join(words, lang)}.",
    )


def analysis_notes(hasil: Mapping[str, Any], lang: str) -> list[str]:
    """The analysis techniques used on this evaluation's data, one sentence each."""
    notes: list[str] = []
    if has_likert_constructs(hasil):
        notes.append(
            _t(
                lang,
                "Butir skala Likert diringkas dengan rata-rata, median, sebaran jawaban, dan "
                "persentase jawaban setuju/sangat setuju (top-2-box) beserta interval "
                "kepercayaan 95% Wilson.",
                "Likert items are summarised by mean, median, distribution and the share "
                "agreeing or strongly agreeing (top-2-box) with a 95% Wilson confidence interval.",
            )
        )
    if has_binary_constructs(hasil):
        notes.append(
            _t(
                lang,
                "Daftar periksa ya/tidak (misalnya lembar observasi) diringkas dengan persentase "
                "jawaban “ya” per butir dan per konstruk.",
                "Yes/no checklists (such as observation sheets) are summarised by the share of "
                "“yes” answers per item and per construct.",
            )
        )
    if any(s.get("alpha") is not None for _, s in _constructs(hasil)):
        notes.append(
            _t(
                lang,
                "Reliabilitas setiap konstruk diukur dengan koefisien alfa Cronbach; nilai di "
                "bawah 0,70 ditandai.",
                "Reliability of each construct is Cronbach's alpha; values under 0.70 are flagged.",
            )
        )
    if hasil.get("prepost"):
        notes.append(
            _t(
                lang,
                "Perubahan pengetahuan diuji dengan uji-t berpasangan dan uji peringkat bertanda "
                "Wilcoxon. Besarnya perubahan dinyatakan dengan ukuran efek dz (d Cohen untuk "
                "data berpasangan: rata-rata selisih nilai dibagi simpangan baku selisih; "
                "sekitar 0,2 kecil, 0,5 sedang, 0,8 besar) dan gain ternormalisasi (kenaikan "
                "nilai dibagi ruang kenaikan yang tersisa).",
                "Change in knowledge is tested with the paired t-test and the Wilcoxon "
                "signed-rank test. Its size is given as the effect size dz (Cohen's d for "
                "paired data: the mean difference divided by the standard deviation of the "
                "differences; about 0.2 small, 0.5 medium, 0.8 large) and the normalised gain "
                "(the rise divided by the room left to rise).",
            )
        )
    if _has_group_tests(hasil):
        notes.append(
            _t(
                lang,
                "Perbandingan antarkelompok menggunakan uji Kruskal–Wallis; kelompok dengan "
                "kurang dari lima responden tidak ditampilkan (n < 5).",
                "Groups are compared with the Kruskal–Wallis test; groups with fewer than five "
                "respondents are not shown (n < 5).",
            )
        )
    if hasil.get("ikm"):
        notes.append(
            _t(
                lang,
                "Indeks Kepuasan Masyarakat dihitung menurut Peraturan Menteri PANRB Nomor 14 "
                "Tahun 2017.",
                "The community satisfaction index follows Ministerial Regulation No. 14 of 2017.",
            )
        )
    texts = text_sources(hasil)
    kinds = [
        _w(pair, lang)
        for key, pair in (
            ("survey", ("jawaban terbuka", "open answers")),
            ("interview", ("transkrip wawancara", "interview transcripts")),
            ("observation", ("catatan observasi", "observation notes")),
        )
        if key in texts
    ]
    if kinds:
        joined = _join(kinds, lang)
        notes.append(
            _t(
                lang,
                f"{labels.capitalise(joined)} dikodekan ke dalam tema; kutipan ditampilkan "
                "tanpa nama, NIP, atau nomor telepon.",
                f"{labels.capitalise(joined)} are coded into themes; quotes are shown without "
                "names, NIPs or phone numbers.",
            )
        )
    return notes
