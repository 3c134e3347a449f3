"""The theme coder: codebook rules plus a small scikit-learn classifier.

Every text is normalised once (:func:`tilik.core.themes.normalize.normalize`). Rules
(regular expressions of the codebook, negation-aware through ``NEG_`` marks) give a
confidence per code; a one-vs-rest logistic regression over TF-IDF word, stem and
character n-grams, trained at first use on the packaged seed set (``data/seed.jsonl``),
the codebook's examples and the evaluator's corrections, gives another. The two are
combined per code; a manual code always wins over an automatic one.

Typical use::

    coder = Coder.default()
    coding = coder.code("materinya tdk sesuai dgn tugas sy")
    coding.codes          # ['relevansi_rendah']
    coding.sentiment      # 'negatif'
    coder2 = coder.with_corrections([("jadwal kunjungan ke desa rutin", ["sikap"])])
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from scipy.special import expit

if TYPE_CHECKING:  # scikit-learn is imported when a model is first fitted (start-up stays light)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

from .codebook import Codebook, default_codebook
from .normalize import Normalized, normalize
from .segment import clean_text, split_sentences
from .sentiment import SENTIMENTS, SentimentCues, cues, decide

__all__ = [
    "Coder",
    "Coding",
    "Correction",
    "Span",
    "ThemeScore",
    "load_seed",
]

MAX_THEMES = 3
_DEFAULT: dict[str, Coder] = {}


@dataclass(frozen=True)
class ThemeScore:
    """One theme assigned to a text.

    Attributes
    ----------
    code
        The theme code.
    confidence
        0-1; 1.0 for a manual code.
    source
        ``"rule"``, ``"model"``, ``"rule+model"`` or ``"manual"``.
    explanation
        The matched phrase, or the strongest classifier features.
    """

    code: str
    confidence: float
    source: str
    explanation: str


@dataclass(frozen=True)
class Span:
    """A sentence of a coded text with its own themes (for a review screen)."""

    start: int
    end: int
    text: str
    themes: tuple[ThemeScore, ...]
    sentiment: str


@dataclass(frozen=True)
class Coding:
    """The result of coding one text."""

    text: str
    themes: tuple[ThemeScore, ...]
    sentiment: str
    sentiment_confidence: float
    spans: tuple[Span, ...] = ()

    @property
    def codes(self) -> list[str]:
        """The theme codes, most confident first."""
        return [t.code for t in self.themes]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for a web view or an API)."""
        return {
            "text": self.text,
            "themes": [t.__dict__ for t in self.themes],
            "sentiment": self.sentiment,
            "sentiment_confidence": self.sentiment_confidence,
            "spans": [
                {
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "themes": [t.__dict__ for t in s.themes],
                    "sentiment": s.sentiment,
                }
                for s in self.spans
            ],
        }


@dataclass(frozen=True)
class Correction:
    """An evaluator's manual coding of a text: it wins over the automatic coding."""

    text: str
    themes: tuple[str, ...]
    sentiment: str | None = None


@dataclass(frozen=True)
class _Example:
    text: str
    themes: tuple[str, ...]
    sentiment: str | None
    weight: float = 1.0


def load_seed() -> list[dict[str, Any]]:
    """The packaged seed set: short labelled texts written for Tilik (not the dev corpus)."""
    text = resources.files("tilik.core.themes").joinpath("data", "seed.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _word_features(norm: Normalized) -> list[str]:
    toks = norm.tokens
    feats = list(toks)
    feats.extend("S:" + s for s in norm.stems)
    feats.extend(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return feats


RULE_SHARE = 0.6


def _combine(rule: float, prob: float) -> float:
    """Blend a rule confidence with a classifier probability.

    A rule alone cannot pass the default threshold unless it is strong; a rule that the
    model agrees with comes out high; the model alone needs a clear probability.
    """
    if rule <= 0:
        return prob
    # Divided by its maximum (1.25) so that the confidence stays within 0-1.
    return (RULE_SHARE * rule + (1 - RULE_SHARE) * prob + 0.25 * rule * prob) / 1.25


def _stacked_proba(classifiers: Sequence[Any], x: sparse.csr_matrix) -> np.ndarray:
    """Positive-class probabilities of binary logistic regressions, all at once."""
    coef = np.vstack([c.coef_[0] for c in classifiers])
    intercept = np.array([c.intercept_[0] for c in classifiers])
    return np.asarray(expit(x @ coef.T + intercept))


def _identity(doc: Any) -> Any:
    return doc


def _key(text: str) -> str:
    return " ".join(clean_text(text).lower().split())


@dataclass
class _Model:
    """The fitted vectorisers and classifiers (built once per Coder)."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    themes: list[LogisticRegression | None]
    sentiment: list[tuple[str, LogisticRegression]]
    feature_names: np.ndarray

    def theme_probabilities(self, x: sparse.csr_matrix) -> np.ndarray:
        """P(code | text) for every code, in one sparse product (codes without a
        classifier get 0)."""
        fitted = [k for k, clf in enumerate(self.themes) if clf is not None]
        out = np.zeros((x.shape[0], len(self.themes)))
        if fitted:
            out[:, fitted] = _stacked_proba([self.themes[k] for k in fitted], x)
        return out

    def matrix(self, norms: Sequence[Normalized]) -> sparse.csr_matrix:
        """Text features: TF-IDF of words, stems and bigrams, and of character n-grams."""
        return sparse.hstack(
            [
                self.words.transform([_word_features(n) for n in norms]),
                self.chars.transform([n.surface for n in norms]),
            ],
            format="csr",
        )

    @staticmethod
    def with_cues(
        x: sparse.csr_matrix,
        norms: Sequence[Normalized],
        known: Sequence[SentimentCues] | None = None,
    ) -> sparse.csr_matrix:
        """Add the lexicon cues (for the sentiment classifier only)."""
        found = known if known is not None else [cues(n) for n in norms]
        extra = sparse.csr_matrix(np.array([c.as_features() for c in found], dtype=float))
        return sparse.hstack([x, extra], format="csr")


@dataclass
class Coder:
    """Codes texts into the themes of a codebook, with sentiment and explanations.

    Parameters
    ----------
    codebook
        The codes to use (default: the 14 codes of DESIGN.md).
    corrections
        Manual codings by the evaluator; they are training data and, for the same
        text, override the automatic result.
    threshold
        Minimum combined confidence for a theme found by a rule (besides the best one).
    model_threshold
        Minimum classifier probability for a theme that no rule supports.
    """

    codebook: Codebook = field(default_factory=default_codebook)
    corrections: tuple[Correction, ...] = ()
    threshold: float = 0.4
    model_threshold: float = 0.6
    use_model: bool = True
    _model: _Model | None = field(default=None, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    @classmethod
    def default(cls) -> Coder:
        """A shared coder with the default codebook (fitted once, on first use)."""
        if "coder" not in _DEFAULT:
            _DEFAULT["coder"] = cls()
        return _DEFAULT["coder"]

    # ----------------------------------------------------------------- training
    def _examples(self) -> list[_Example]:
        names = set(self.codebook.names)
        out: list[_Example] = []
        for row in load_seed():
            themes = tuple(t for t in row["themes"] if t in names)
            out.append(_Example(row["text"], themes, row.get("sentiment")))
        for code in self.codebook:
            out.extend(_Example(e, (code.code,), None) for e in code.examples)
        # Corrections count more than the generic seed: they are this evaluation's voice.
        out.extend(_Example(c.text, c.themes, c.sentiment, 3.0) for c in self.corrections)
        return out

    def _fit(self) -> _Model:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = self._examples()
        norms = [normalize(clean_text(e.text)) for e in examples]
        words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1)
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, min_df=2, max_features=40000
        )
        words.fit([_word_features(n) for n in norms])
        chars.fit([n.surface for n in norms])
        model = _Model(words, chars, [], [], np.array([]))
        x = model.matrix(norms)
        weights = np.array([e.weight for e in examples])
        for code in self.codebook.names:
            y = np.array([code in e.themes for e in examples], dtype=int)
            if y.sum() == 0 or y.sum() == len(y):
                model.themes.append(None)
                continue
            clf = LogisticRegression(C=8.0, class_weight="balanced", solver="liblinear", dual=True)
            clf.fit(x, y, sample_weight=weights)
            model.themes.append(clf)
        labelled = [i for i, e in enumerate(examples) if e.sentiment in SENTIMENTS]
        xs = model.with_cues(x, norms)[labelled]
        ys = np.array([examples[i].sentiment for i in labelled])
        for label in SENTIMENTS:
            y = (ys == label).astype(int)
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(
                    C=4.0, class_weight="balanced", solver="liblinear", dual=True
                )
                clf.fit(xs, y, sample_weight=weights[labelled])
                model.sentiment.append((label, clf))
        model.feature_names = np.concatenate(
            [words.get_feature_names_out(), chars.get_feature_names_out()]
        )
        return model

    @property
    def model(self) -> _Model:
        """The fitted model (trained on first access, then kept in memory)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._fit()
        return self._model

    def with_corrections(
        self, corrections: Iterable[Correction | tuple[str, Iterable[str]] | Mapping[str, Any]]
    ) -> Coder:
        """Return a coder retrained with the evaluator's manual codings added.

        Each correction is a :class:`Correction`, a ``(text, themes)`` pair or a mapping
        with ``text``, ``themes`` and optionally ``sentiment``. Unknown codes are refused.
        """
        new: list[Correction] = list(self.corrections)
        for c in corrections:
            if isinstance(c, Correction):
                corr = c
            elif isinstance(c, Mapping):
                corr = Correction(str(c["text"]), tuple(c["themes"]), c.get("sentiment"))
            else:
                corr = Correction(str(c[0]), tuple(c[1]))
            unknown = [t for t in corr.themes if t not in self.codebook]
            if unknown:
                raise ValueError(f"Kode tema tidak dikenal: {', '.join(unknown)}")
            key = _key(corr.text)
            new = [old for old in new if _key(old.text) != key]
            new.append(corr)
        return Coder(
            self.codebook, tuple(new), self.threshold, self.model_threshold, self.use_model
        )

    def with_codebook(self, codebook: Codebook) -> Coder:
        """Return a coder for another codebook (e.g. after adding or merging codes)."""
        return Coder(
            codebook, self.corrections, self.threshold, self.model_threshold, self.use_model
        )

    # ------------------------------------------------------------------ coding
    def _rule_scores(self, norm: Normalized) -> list[tuple[float, str]]:
        out: list[tuple[float, str]] = []
        for code in self.codebook:
            best, phrase = 0.0, ""
            quick = code.any_pattern
            if quick is None or not quick.search(norm.surface):
                out.append((best, phrase))
                continue
            for pattern in code.patterns_by_weight:
                match = pattern.regex.search(norm.surface)
                if match:  # the strongest matching pattern decides
                    best, phrase = pattern.weight, match.group(0).strip()
                    break
            out.append((best, phrase))
        return out

    @cached_property
    def _negative_only(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codebook if c.negative_only)

    def _polarity_check(
        self, candidates: list[ThemeScore], rules: list[tuple[float, str]], sentiment: str
    ) -> list[ThemeScore]:
        """Drop a negative-only code from a positive or neutral text unless a strong rule
        (an explicit "tidak relevan") found it; then the sentiment is what was wrong."""
        if sentiment not in ("positif", "netral"):
            return candidates
        names = self.codebook.names
        return [
            t
            for t in candidates
            if t.code not in self._negative_only or rules[names.index(t.code)][0] >= 0.7
        ]

    def _explain(self, x: sparse.csr_matrix, i: int, k: int) -> str:
        """The three features that pushed text ``i`` towards code ``k`` the most."""
        clf = self.model.themes[k]
        if clf is None:
            return ""
        start, end = x.indptr[i], x.indptr[i + 1]
        indices = x.indices[start:end]
        contrib = x.data[start:end] * clf.coef_[0][indices]
        order = np.argsort(-contrib)[:3]
        names = [str(self.model.feature_names[indices[j]]).strip() for j in order if contrib[j] > 0]
        return ", ".join(n.removeprefix("S:") for n in names)

    def _code_norms(
        self, texts: Sequence[str], norms: Sequence[Normalized]
    ) -> list[tuple[tuple[ThemeScore, ...], str, float]]:
        n_codes = len(self.codebook)
        probs = np.zeros((len(norms), n_codes))
        sentiment_probs: list[dict[str, float]] = [{"netral": 0.5} for _ in norms]
        x = None
        text_cues = [cues(n) for n in norms]
        if self.use_model and norms:
            model = self.model
            x = model.matrix(norms)
            probs = model.theme_probabilities(x)
            if model.sentiment:
                xs = model.with_cues(x, norms, text_cues)
                columns = _stacked_proba([clf for _, clf in model.sentiment], xs)
                columns = columns / np.maximum(columns.sum(axis=1, keepdims=True), 1e-9)
                labels = [label for label, _ in model.sentiment]
                sentiment_probs = [dict(zip(labels, map(float, r))) for r in columns]
        names = self.codebook.names
        overrides = {_key(c.text): c for c in self.corrections}
        results: list[tuple[tuple[ThemeScore, ...], str, float]] = []
        for i, norm in enumerate(norms):
            sentiment, s_conf = decide(sentiment_probs[i], text_cues[i])
            manual = overrides.get(_key(texts[i])) if overrides else None
            if manual is not None:
                scores = tuple(
                    ThemeScore(c, 1.0, "manual", "kode manual evaluator") for c in manual.themes
                )
                results.append(
                    (scores, manual.sentiment or sentiment, 1.0 if manual.sentiment else s_conf)
                )
                continue
            rules = self._rule_scores(norm)
            candidates: list[ThemeScore] = []
            for k, code in enumerate(names):
                r, phrase = rules[k]
                p = float(probs[i, k])
                combined = _combine(r, p) if self.use_model else r
                if combined <= 0:
                    continue
                source = "rule+model" if r > 0 and p >= 0.5 else ("rule" if r > 0 else "model")
                explanation = phrase if phrase else ""
                candidates.append(ThemeScore(code, round(combined, 3), source, explanation))
            candidates = self._polarity_check(candidates, rules, sentiment)
            candidates.sort(key=lambda t: -t.confidence)
            chosen = [
                t
                for t in candidates
                if t.confidence >= (self.threshold if t.source != "model" else self.model_threshold)
            ][:MAX_THEMES]
            if not chosen and candidates and candidates[0].confidence >= 0.16:
                chosen = candidates[:1]
            if x is not None:
                chosen = [
                    t
                    if t.explanation
                    else ThemeScore(
                        t.code, t.confidence, t.source, self._explain(x, i, names.index(t.code))
                    )
                    for t in chosen
                ]
            if any(t.code in self._negative_only for t in chosen):
                sentiment = {"positif": "campuran", "netral": "negatif"}.get(sentiment, sentiment)
            results.append((tuple(chosen), sentiment, round(s_conf, 3)))
        return results

    def code_many(self, texts: Sequence[str], *, spans: bool = False) -> list[Coding]:
        """Code many texts at once (vectorised: much faster than one by one).

        With ``spans=True`` each text is also split into sentences and every sentence
        coded on its own, for a review screen.
        """
        cleaned = [clean_text(t) for t in texts]
        norms = [normalize(t) for t in cleaned]
        coded = self._code_norms(texts, norms)
        out: list[Coding] = []
        for text, clean, (themes, sentiment, s_conf) in zip(texts, cleaned, coded):
            span_list: tuple[Span, ...] = ()
            if spans:
                span_list = self._spans(clean)
            out.append(Coding(text, themes, sentiment, s_conf, span_list))
        return out

    def _spans(self, text: str) -> tuple[Span, ...]:
        sentences = split_sentences(text)
        if len(sentences) <= 1:
            return ()
        positions: list[tuple[int, int]] = []
        cursor = 0
        for s in sentences:
            start = text.find(s, cursor)
            start = cursor if start < 0 else start
            positions.append((start, start + len(s)))
            cursor = start + len(s)
        coded = self._code_norms(sentences, [normalize(s) for s in sentences])
        return tuple(
            Span(a, b, s, themes, sentiment)
            for (a, b), s, (themes, sentiment, _) in zip(positions, sentences, coded)
        )

    def code(self, text: str, *, spans: bool = True) -> Coding:
        """Code one text: themes with confidence and explanation, sentiment, sentence spans."""
        return self.code_many([text], spans=spans)[0]
