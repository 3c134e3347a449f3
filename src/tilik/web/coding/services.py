"""The review screen's data: the evaluation's texts, its retrained coder, and their codings.

Three things are slow enough to keep in memory, each under a fingerprint of what it
depends on, so a change anywhere gives a fresh value and nothing needs invalidating by
hand (and several app processes stay correct on their own):

- the texts to code (rebuilt from a bundle export) — keyed by the stored data;
- the coder (default codebook with the evaluation's changes, retrained with its manual
  codes) — keyed by the codebook changes and the manual codes;
- the automatic coding of every text — keyed by both.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from tilik.core.themes import Codebook, Coder, Coding, clean_text
from tilik.core.themes.quotes import mask_personal
from tilik.core.themes.results import TextItem, bundle_texts
from tilik.web.coding.models import (
    CodeChange,
    ManualCode,
    codebook_for,
    manual_corrections,
    text_key,
)
from tilik.web.collection.models import FormVersion, Interview, Submission
from tilik.web.evaluations.bundles import read_evaluation
from tilik.web.evaluations.models import Enrolment, Evaluation

#: Keys that toggle the themes, in codebook order (j, k, a, s and n are taken).
HOTKEYS = "1234567890qwertyuiopzxcvbm"
#: Below this probability that its whole set of codes is right, an automatic coding asks
#: for a look (``Coding.confidence``; calibrated on the coder's training texts).
LOW_CONFIDENCE = 0.5
#: Colour classes (7 hues that stay apart for colour-blind readers × 2 line styles).
N_COLOURS = 14

T = TypeVar("T")


class _Memo:
    """A small thread-safe LRU cache of values keyed by fingerprints."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_texts = _Memo(8)
_coders = _Memo(8)
_codings = _Memo(8)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# ----------------------------------------------------------------------------- texts
@dataclass(frozen=True)
class Text:
    """A text of the evaluation with its stable key (``ManualCode.key``)."""

    key: str
    item: TextItem


@dataclass(frozen=True)
class Texts:
    fingerprint: str
    texts: tuple[Text, ...]
    names: tuple[str, ...]  # roster names, masked wherever a text is shown

    def find(self, key: str) -> Text | None:
        return next((t for t in self.texts if t.key == key), None)


def data_fingerprint(evaluation: Evaluation) -> str:
    """What the text list depends on: submissions, transcripts, form versions, roster."""
    subs = Submission.objects.filter(instrument__evaluation=evaluation).aggregate(
        n=Count("id"), last=Max("id"), at=Max("received_at")
    )
    interviews = Interview.objects.filter(evaluation=evaluation).aggregate(
        n=Count("id"), last=Max("id"), at=Max("created_at"), size=Sum(Length("transcript"))
    )
    forms = FormVersion.objects.filter(instrument__evaluation=evaluation).aggregate(
        n=Count("id"), at=Max("created_at")
    )
    instruments = list(
        evaluation.instruments.order_by("form_id").values_list("form_id", "kind", "current_id")
    )
    roster = Enrolment.objects.filter(cohort__program__evaluation=evaluation).count()
    return _digest(evaluation.pk, subs, interviews, forms, instruments, roster)


def _build_texts(evaluation: Evaluation, fingerprint: str) -> Texts:
    bundle = read_evaluation(evaluation, link_previous=False)
    items = bundle_texts(bundle)
    names = tuple(sorted({p.nama for p in bundle.roster if p.nama}))
    texts = tuple(Text(text_key(i.text, i.source), i) for i in items)
    return Texts(fingerprint, texts, names)


def texts_for(evaluation: Evaluation) -> Texts:
    """The open texts of the evaluation (:func:`tilik.core.themes.results.bundle_texts`)."""
    fingerprint = data_fingerprint(evaluation)
    return _texts.get(fingerprint, lambda: _build_texts(evaluation, fingerprint))


# ----------------------------------------------------------------------------- coder
@dataclass(frozen=True)
class CoderState:
    fingerprint: str
    codebook: Codebook
    coder: Coder
    manual: dict[str, ManualCode]  # by text key

    @property
    def n_corrections(self) -> int:
        return len(self.coder.corrections)


def coder_for(evaluation: Evaluation) -> CoderState:
    """The evaluation's coder: its codebook, retrained with its manual codes (cached)."""
    changes = list(
        evaluation.code_changes.order_by("id").values_list(
            "id", "action", "code", "sources", "label_id", "label_en", "definition"
        )
    )
    manual = {m.key: m for m in evaluation.manual_codes.order_by("id")}
    fingerprint = _digest(
        evaluation.pk,
        changes,
        [(m.key, m.text, m.themes, m.sentiment, m.source, m.role) for m in manual.values()],
    )

    def make() -> tuple[Codebook, Coder]:
        codebook = codebook_for(evaluation)
        coder = Coder.default()
        if changes:
            coder = coder.with_codebook(codebook)
        known = manual_corrections(evaluation, codebook)
        if known:
            coder = coder.with_corrections(known)
        return codebook, coder

    codebook, coder = _coders.get(fingerprint, make)
    return CoderState(fingerprint, codebook, coder, manual)


# ---------------------------------------------------------------------------- review
@dataclass(frozen=True)
class Theme:
    """A code as the screen shows it: label, key to toggle it, colour class."""

    code: str
    label: str
    definition: str
    hotkey: str
    colour: int


def themes_of(codebook: Codebook, lang: str = "id") -> list[Theme]:
    return [
        Theme(
            c.code,
            c.label(lang),
            c.definitions.get(lang) or c.definitions.get("id", ""),
            HOTKEYS[i] if i < len(HOTKEYS) else "",
            i % N_COLOURS,
        )
        for i, c in enumerate(codebook)
    ]


@dataclass
class Row:
    """One text on the review screen: its automatic coding and the evaluator's, if any."""

    text: Text
    auto: Coding
    manual: ManualCode | None

    @property
    def key(self) -> str:
        return self.text.key

    @property
    def themes(self) -> list[str]:
        """The codes that count: the manual ones when the evaluator reviewed the text."""
        return list(self.manual.themes) if self.manual is not None else self.auto.codes

    @property
    def sentiment(self) -> str:
        if self.manual is not None and self.manual.sentiment:
            return self.manual.sentiment
        return self.auto.sentiment

    @property
    def confidence(self) -> float:
        """Probability that the codes shown are right (1.0 once the evaluator reviewed)."""
        return 1.0 if self.manual is not None else self.auto.confidence

    @property
    def low_confidence(self) -> bool:
        if self.manual is not None:
            return False
        return not self.auto.themes or self.auto.confidence < LOW_CONFIDENCE


@dataclass
class Review:
    """Every text of the evaluation, coded, and the counts for the summary."""

    codebook: Codebook
    themes: list[Theme]
    rows: list[Row]
    n_corrections: int
    names: tuple[str, ...]
    coder: Coder
    theme_counts: Counter[str] = field(default_factory=Counter)

    @property
    def n_texts(self) -> int:
        return len(self.rows)

    @property
    def n_coded(self) -> int:
        return sum(1 for r in self.rows if r.themes)

    @property
    def n_reviewed(self) -> int:
        return sum(1 for r in self.rows if r.manual is not None)

    def filtered(
        self,
        *,
        source: str = "",
        theme: str = "",
        status: str = "",
        query: str = "",
        order: str = "",
    ) -> list[Row]:
        """The rows that pass the filters. By default the low-confidence codings come
        first, least certain first, then the other unreviewed texts in the order of the
        data, then the reviewed ones; ``order="asal"`` keeps the order of the data."""
        rows: Iterable[Row] = self.rows
        if source:
            rows = (r for r in rows if r.text.item.source == source)
        if theme:
            rows = (r for r in rows if theme in r.themes)
        if status == "uncoded":
            rows = (r for r in rows if not r.themes)
        elif status == "low":
            rows = (r for r in rows if r.low_confidence)
        elif status == "reviewed":
            rows = (r for r in rows if r.manual is not None)
        elif status == "unreviewed":
            rows = (r for r in rows if r.manual is None)
        if query:
            needle = query.casefold()
            rows = (r for r in rows if needle in r.text.item.text.casefold())
        if order == "asal":
            return list(rows)
        return sorted(
            rows,
            key=lambda r: (
                r.manual is not None,
                not r.low_confidence,
                r.low_confidence * r.confidence,
            ),
        )


def review_for(evaluation: Evaluation, lang: str = "id") -> Review:
    """The review state of every text: cached automatic codings, live manual codes."""
    texts = texts_for(evaluation)
    state = coder_for(evaluation)
    codings = _codings.get(
        (texts.fingerprint, state.fingerprint),
        lambda: state.coder.code_many(
            [t.item.text for t in texts.texts], contexts=[t.item for t in texts.texts]
        ),
    )
    rows = [Row(t, c, state.manual.get(t.key)) for t, c in zip(texts.texts, codings)]
    counts: Counter[str] = Counter(code for r in rows for code in r.themes)
    return Review(
        state.codebook,
        themes_of(state.codebook, lang),
        rows,
        state.n_corrections,
        texts.names,
        state.coder,
        counts,
    )


def recoded(before: Review, after: Review, exclude: str = "") -> list[str]:
    """Keys of the texts whose automatic coding (themes or sentiment) changed between two
    reviews of the same texts — what a correction changed beyond the text it named.
    Texts the evaluator coded by hand are left out: their codes did not move."""
    changed: list[str] = []
    for old, new in zip(before.rows, after.rows):
        if new.key == exclude or new.manual is not None or old.key != new.key:
            continue
        if set(old.auto.codes) != set(new.auto.codes) or old.auto.sentiment != new.auto.sentiment:
            changed.append(new.key)
    return changed


# ------------------------------------------------------------------- display helpers
@dataclass(frozen=True)
class Segment:
    """A piece of a shown text; coded pieces carry the themes found in them."""

    text: str
    themes: tuple[Theme, ...] = ()


def segments(
    row: Row, coding: Coding, by_code: dict[str, Theme], names: Sequence[str]
) -> list[Segment]:
    """The masked text of ``row`` cut into sentences, each with the themes that count.

    ``coding`` is the same text coded with ``spans=True``. Only themes that the row
    carries are highlighted, so a manual code is never contradicted by a sentence.
    """
    keep = set(row.themes)

    def mark(text: str, codes: Iterable[str]) -> Segment:
        found = tuple(by_code[c] for c in codes if c in keep and c in by_code)
        return Segment(mask_personal(text, names), found)

    if not coding.spans:
        return [mark(row.text.item.text, row.themes)]
    out: list[Segment] = []
    cursor = 0
    source = clean_text(coding.text)  # span offsets are into the cleaned text
    for span in coding.spans:
        if span.start > cursor:
            out.append(Segment(mask_personal(source[cursor : span.start], names)))
        out.append(mark(span.text, (t.code for t in span.themes)))
        cursor = span.end
    if cursor < len(source):
        out.append(Segment(mask_personal(source[cursor:], names)))
    return out


def spans_for(review: Review, rows: Sequence[Row]) -> list[list[Segment]]:
    """Sentence segments of the rows of one page (coded with spans, page by page)."""
    coded = review.coder.code_many(
        [r.text.item.text for r in rows], spans=True, contexts=[r.text.item for r in rows]
    )
    by_code = {t.code: t for t in review.themes}
    return [segments(r, c, by_code, review.names) for r, c in zip(rows, coded)]


# ------------------------------------------------------------------------- changing
def save_code(
    evaluation: Evaluation,
    text: Text,
    themes: Sequence[str],
    sentiment: str,
    user: Any = None,
) -> ManualCode:
    """Store the evaluator's codes for ``text``: they win over the automatic ones."""
    manual, _ = ManualCode.objects.update_or_create(
        evaluation=evaluation,
        key=text.key,
        defaults={
            "source": text.item.source,
            "role": text.item.role,
            "origin": text.item.origin[:255],
            "text": text.item.text,
            "themes": list(dict.fromkeys(themes)),
            "sentiment": sentiment,
            "updated_by": user,
        },
    )
    return manual


@transaction.atomic
def change_codebook(evaluation: Evaluation, change: CodeChange) -> None:
    """Apply ``change`` (already checked against the codebook); manual codes follow it."""
    change.evaluation = evaluation
    change.apply(codebook_for(evaluation))
    change.save()
    if change.action == CodeChange.Action.ADD:
        return
    for manual in evaluation.manual_codes.select_for_update():
        themes = change.relabel(list(manual.themes))
        if themes != manual.themes:
            manual.themes = themes
            manual.save(update_fields=["themes", "updated_at"])


def clear_caches() -> None:
    """Forget every cached text list, coder and coding (tests, memory pressure)."""
    for memo in (_texts, _coders, _codings):
        memo.clear()
