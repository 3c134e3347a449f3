"""Theme results for ``hasil.json``: the ``themes`` section and open-text challenges.

Texts come from a bundle (:func:`bundle_texts`): open answers (XLSForm ``text``
questions) of survey forms, interview transcripts split into turns (respondent turns
only) and observation notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from tilik.core.repeats import instances
from tilik.core.xlsform import Question

from .codebook import Codebook
from .coder import Coder, Coding
from .quotes import QuoteCandidate, select_quotes
from .segment import split_sentences, split_turns

__all__ = [
    "CHALLENGE_CODES",
    "SOURCES",
    "TextItem",
    "as_item",
    "bundle_texts",
    "code_items",
    "summary_counts",
    "text_challenges",
    "themes_section",
]

SOURCES = ("survey", "interview", "observation")
#: Obstacle codes reported as challenges (DESIGN.md codebook).
CHALLENGE_CODES = (
    "relevansi_rendah",
    "waktu_beban_kerja",
    "jadwal",
    "anggaran",
    "kualitas_materi",
    "fasilitator",
    "sarana_akses",
    "metode",
    "dukungan_atasan",
)
_ROLE_BY_KIND = {
    "survei_peserta": "peserta",
    "survei_atasan": "atasan",
    "observasi": "observer",
    "skm": "warga",
    "lainnya": "peserta",
}
_PERSONAL_RE = re.compile(
    r"^(nip|nip_.*|.*_nip|nik|nama|nama_.*|kode_responden|telepon|telp|hp|no_hp|wa|email|e_mail)$"
)
# Answers that carry no content ("-", "tidak ada", "cukup").
_EMPTY_RE = re.compile(
    r"^\W*(-+|\.+|tidak ada|tdk ada|gak ada|ga ada|nihil|cukup|sudah|ok|oke|belum ada|n/?a|"
    r"sonde ada|tidak|none|kosong)?\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TextItem:
    """One text to code, with who said it (never their name).

    Attributes
    ----------
    text
        The answer, the interview turn or the observation note.
    source
        ``survey``, ``interview`` or ``observation``.
    role
        ``peserta``, ``atasan``, ``pejabat``, ``penyelenggara``, ``observer``, ``warga``.
    sector
        Sector of the respondent (``kesehatan``...), may be "".
    respondent
        A respondent key (keyed hash, instance id or transcript file): shares are per
        respondent, and quotes come from different respondents.
    origin
        Where the text is from (``survei_peserta/saran``, ``wawancara/02.txt``).
    """

    text: str
    source: str = "survey"
    role: str = "peserta"
    sector: str = ""
    respondent: str = ""
    origin: str = ""


def _spec_kind(bundle: Any, form_id: str) -> str:
    spec = getattr(bundle, "spec", None)
    if callable(spec):
        return str(spec(form_id).kind)
    instrument = getattr(bundle.meta, "instruments", {}).get(form_id)
    return str(getattr(instrument, "kind", "lainnya"))


def bundle_texts(bundle: Any) -> list[TextItem]:
    """Collect the texts of a bundle to code (see :class:`TextItem`).

    Survey forms give their open-answer (``text``) questions, except personal fields
    (NIP, names, phone numbers) and content-free answers; observation forms give their
    notes; tests give nothing. Transcripts are split into speaker turns and only the
    respondent's turns are kept.
    """
    items: list[TextItem] = []
    for form_id, dataset in bundle.data.items():
        kind = _spec_kind(bundle, form_id)
        if kind not in _ROLE_BY_KIND:
            continue
        source = "observation" if kind == "observasi" else "survey"
        questions = [
            q
            for q in dataset.form.questions
            if q.type == "text" and not _PERSONAL_RE.match(q.name.lower())
        ]
        if not questions:
            continue
        for sector, respondent, holders in _text_holders(dataset, questions):
            for q, value in holders:
                if not isinstance(value, str) or _EMPTY_RE.match(value):
                    continue
                items.append(
                    TextItem(
                        value.strip(),
                        source,
                        _ROLE_BY_KIND[kind],
                        sector,
                        str(respondent),
                        f"{form_id}/{q.name}",
                    )
                )
    for interview in bundle.interviews:
        turns = split_turns(interview.text or "")
        labelled = any(t.speaker for t in turns)
        for turn in turns:
            if turn.interviewer or (labelled and not turn.speaker):
                continue
            if _EMPTY_RE.match(turn.text):
                continue
            for chunk in _chunks(turn.text):
                items.append(
                    TextItem(
                        chunk,
                        "interview",
                        interview.role or "pejabat",
                        interview.sector or "",
                        f"wawancara/{interview.file}",
                        f"wawancara/{interview.file}",
                    )
                )
    return items


def _text_holders(
    dataset: Any, questions: list[Question]
) -> Iterator[tuple[str, str, list[tuple[Question, Any]]]]:
    """Per response: its sector, its respondent key (or instance id) and its open answers
    (those inside repeats after the top-level ones, one per instance). Read from the frame's
    columns when the form has no repeats (the frame holds every top-level answer)."""
    if dataset.form.repeats:
        for response in dataset.responses:
            answers = response.answers
            sector = str(answers.get("sektor") or answers.get("sector") or "")
            holders: list[tuple[Question, Any]] = [
                (q, answers.get(q.name)) for q in questions if not q.repeat
            ]
            for repeat, _scope, instance in instances(dataset.form, answers):
                holders += [(q, instance.get(q.name)) for q in questions if q.repeat == repeat.name]
            yield sector, response.key or response.instance_id, holders
        return
    frame = dataset.frame()
    top = [q for q in questions if not q.repeat and q.name in frame.columns]
    sectors = [pl.col(c).cast(pl.Utf8) for c in ("sektor", "sector") if c in frame.columns]
    table = frame.select(
        pl.coalesce(*sectors, pl.lit(None, dtype=pl.Utf8)).alias("_sector"),
        pl.coalesce("_key", "_instance_id").alias("_respondent"),
        *[pl.col(q.name) for q in top],
    )
    for sector, respondent, *values in table.iter_rows():
        yield str(sector or ""), respondent, list(zip(top, values, strict=True))


def _chunks(text: str, size: int = 3) -> list[str]:
    """Long turns are cut into segments of up to ``size`` sentences (one idea each, roughly)."""
    sentences = split_sentences(text)
    if len(sentences) <= size:
        return [text]
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def as_item(item: TextItem | Mapping[str, Any]) -> TextItem:
    """Accept a :class:`TextItem` or a mapping with ``text`` (and ``source``, ``role``,
    ``sector``, ``respondent`` or ``respondent_id``)."""
    if isinstance(item, TextItem):
        return item
    return TextItem(
        text=str(item["text"]),
        source=str(item.get("source") or "survey"),
        role=str(item.get("role") or "peserta"),
        sector=str(item.get("sector") or ""),
        respondent=str(item.get("respondent") or item.get("respondent_id") or ""),
        origin=str(item.get("origin") or ""),
    )


def code_items(
    items: Sequence[TextItem | Mapping[str, Any]], coder: Coder | None = None
) -> list[tuple[TextItem, Coding]]:
    """Code every item once (vectorised); pass the result to the section functions."""
    coder = coder or Coder.default()
    converted = [as_item(i) for i in items]
    codings = coder.code_many([i.text for i in converted], contexts=converted)
    return list(zip(converted, codings))


def _coded(
    items: Sequence[TextItem | Mapping[str, Any]],
    coded: Sequence[tuple[TextItem, Coding]] | None,
    coder: Coder | None,
) -> Sequence[tuple[TextItem, Coding]]:
    return coded if coded is not None else code_items(items, coder)


def themes_section(
    items: Sequence[TextItem | Mapping[str, Any]],
    *,
    coded: Sequence[tuple[TextItem, Coding]] | None = None,
    coder: Coder | None = None,
    lang: str = "id",
    names: Iterable[str] = (),
    n_quotes: int = 3,
) -> dict[str, dict[str, Any]]:
    """The ``themes`` section of ``hasil.json``.

    Returns ``{code: {label, n_segments, share_respondents, by_source: {source:
    {n_segments, n_respondents}}, sentiment: {...}, quotes: [{text, role, sector,
    source, attribution}]}}`` for every code that occurs. ``share_respondents`` is the
    share of respondents with any text who have at least one segment with the code;
    quotes are masked (:func:`tilik.core.themes.quotes.mask_personal`, plus ``names``).
    """
    pairs = _coded(items, coded, coder)
    codebook: Codebook = (coder or Coder.default()).codebook
    respondents = {_respondent(item, i) for i, (item, _) in enumerate(pairs)}
    segments: dict[str, list[tuple[int, TextItem, Coding, float]]] = defaultdict(list)
    for i, (item, coding) in enumerate(pairs):
        for theme in coding.themes:
            segments[theme.code].append((i, item, coding, theme.confidence))
    out: dict[str, dict[str, Any]] = {}
    for code in codebook.names + sorted(set(segments) - set(codebook.names)):
        hits = segments.get(code)
        if not hits:
            continue
        by_source: dict[str, dict[str, int]] = {}
        for source in SOURCES:
            src = [h for h in hits if h[1].source == source]
            if src:
                by_source[source] = {
                    "n_segments": len(src),
                    "n_respondents": len({_respondent(h[1], h[0]) for h in src}),
                }
        sentiment: dict[str, int] = defaultdict(int)
        for _, _, coding, _ in hits:
            sentiment[coding.sentiment] += 1
        candidates = [
            QuoteCandidate(
                item.text,
                item.role,
                item.sector,
                item.source,
                _respondent(item, i),
                conf,
                len(coding.themes),
            )
            for i, item, coding, conf in hits
        ]
        quotes = select_quotes(candidates, n_quotes, lang=lang, names=names)
        n_with = len({_respondent(h[1], h[0]) for h in hits})
        out[code] = {
            "label": codebook[code].label(lang) if code in codebook else code,
            "n_segments": len(hits),
            "share_respondents": n_with / len(respondents) if respondents else 0.0,
            "by_source": by_source,
            "sentiment": dict(sentiment),
            "quotes": [q.as_dict() for q in quotes],
        }
    return out


def _respondent(item: TextItem, index: int) -> str:
    return item.respondent or f"#{index}"


def text_challenges(
    items: Sequence[TextItem | Mapping[str, Any]],
    *,
    coded: Sequence[tuple[TextItem, Coding]] | None = None,
    coder: Coder | None = None,
    codes: Sequence[str] = CHALLENGE_CODES,
) -> list[dict[str, Any]]:
    """The open-text part of ``challenges``: obstacle codes, largest share first.

    A respondent mentions a challenge when one of their segments carries the code with
    negative or mixed sentiment (``relevansi_rendah`` is negative by definition; praise
    of a trainer is not a challenge). ``share`` is over respondents who wrote or said
    anything, with a Wilson 95% CI; ``sources`` gives the same per source.
    """
    from tilik.core.stats import wilson_ci

    pairs = _coded(items, coded, coder)
    all_resp: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for i, (item, coding) in enumerate(pairs):
        resp = _respondent(item, i)
        all_resp[item.source].add(resp)
        negative = coding.sentiment in ("negatif", "campuran")
        for code in coding.codes:
            if code in codes and (negative or code == "relevansi_rendah"):
                mentions[code][item.source].add(resp)
    everyone: set[str] = set().union(*all_resp.values()) if all_resp else set()
    n = len(everyone)
    out: list[dict[str, Any]] = []
    for code in codes:
        by_source = mentions.get(code)
        if not by_source:
            continue
        who: set[str] = set().union(*by_source.values())
        lo, hi = wilson_ci(len(who), n)
        sources: dict[str, Any] = {}
        for source, said in by_source.items():
            base = len(all_resp[source])
            s_lo, s_hi = wilson_ci(len(said), base)
            sources[f"teks_{source}"] = {
                "n": base,
                "n_mentions": len(said),
                "share": len(said) / base if base else None,
                "share_ci": [float(s_lo[0]), float(s_hi[0])],
            }
        out.append(
            {
                "code": code,
                "share": len(who) / n if n else 0.0,
                "share_ci": [float(lo[0]), float(hi[0])],
                "n": n,
                "n_mentions": len(who),
                "sources": sources,
            }
        )
    out.sort(key=lambda c: (-c["share"], c["code"]))
    return out


def summary_counts(pairs: Sequence[tuple[TextItem, Coding]]) -> Mapping[str, int]:
    """Number of coded segments per source (for the method notes of a report)."""
    counts: dict[str, int] = defaultdict(int)
    for item, _ in pairs:
        counts[item.source] += 1
    return dict(counts)
