"""The theme coder: one calibrated classifier per code over words, characters and cues.

Every text is normalised once (:func:`tilik.core.themes.normalize.normalize`). Its
features are

- TF-IDF of words, stems and word pairs, and of character n-grams (spelling variants,
  SMS style and Kupang Malay share character n-grams with standard Indonesian);
- the codebook's cue patterns (``data/codebook.yaml``): one feature per pattern, so the
  classifier learns how much each cue is worth, and for every code whose cues matched,
  that code crossed with the text's source and role (a conduct cue in an observer's note
  is stronger evidence of ``sikap`` than in a survey answer; an act of a superior told by
  an ``atasan`` is evidence of ``dukungan_atasan``);
- the source (survey, interview, observation) and role of the writer.

A logistic regression per code is trained at first use on the packaged training texts
(``data/seed.jsonl``, ``data/seed_voices.jsonl`` and ``data/seed_field.jsonl``), the
codebook's examples and the evaluator's corrections (weighted above the rest: they are
this evaluation's voice).
Its score is turned into a probability by Platt scaling, and a code is assigned when
the probability passes the code's threshold; both were fitted by cross-validation on the
training texts (``tools/fit_theme_calibration.py`` writes ``data/kalibrasi.json``). Codes
are decided independently, so co-occurring themes (``jadwal`` and ``waktu_beban_kerja``)
come out together (at most :data:`MAX_THEMES`).

A correction retrains the classifiers, so texts that share its words and cues change
too; a manual code always wins for its own text. The corrections also re-tune the
decisions for their evaluation (:meth:`Coder._adapt`): scored out of sample, they show
how this evaluation's way of writing scores each code, and each code's threshold moves
towards the one that fits them best (by as much as the corrections with that code can
say), as does the rule for texts no code passes.

Typical use::

    coder = Coder.default()
    coding = coder.code("materinya tdk sesuai dgn tugas sy")
    coding.codes          # ['relevansi_rendah']
    coding.sentiment      # 'negatif'
    coding.confidence     # probability that the whole set of codes is right
    coder2 = coder.with_corrections([("jadwal kunjungan ke desa rutin", ["sikap"])])
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from scipy.special import expit

if TYPE_CHECKING:  # scikit-learn is imported when a model is first fitted (start-up stays light)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

from .codebook import Codebook, default_codebook
from .normalize import NEG_PREFIX, Normalized, normalize
from .segment import clean_text, split_sentences
from .sentiment import SENTIMENTS, SentimentCues, cues, decide

__all__ = [
    "Calibration",
    "Coder",
    "Coding",
    "Context",
    "Correction",
    "Span",
    "ThemeScore",
    "as_context",
    "best_threshold",
    "load_seed",
]

MAX_THEMES = 3
SOURCES = ("survey", "interview", "observation")
ROLES = ("peserta", "atasan", "pejabat", "penyelenggara", "observer", "warga")
#: How much one correction counts against one packaged training text.
CORRECTION_WEIGHT = 2.0
#: Adapting the decisions to the evaluation (see :func:`_adapt`): folds of the
#: out-of-sample scores of the corrections, and how many corrections with a code weigh as
#: much as the packaged threshold of that code (shrinkage of the re-tuned thresholds).
ADAPT_FOLDS = 5
THRESHOLD_PRIOR = 10.0
#: The fold classifiers only rank the corrections: a looser tolerance, same figures.
ADAPT_TOL = 1e-2
#: A text no code passes gets its most probable code when, among the corrections that
#: would be left without a code, that code was right at least this often (Beta(1, 2)
#: prior: with no such correction the packaged fallback stays).
FALLBACK_HIT_RATE = 0.4
#: Scales of the feature blocks (the TF-IDF blocks have unit length). Chosen, with the
#: regularisation and n-gram range below, by cross-validation on the training texts,
#: including across their two sets of authors (seed.jsonl vs. seed_voices.jsonl).
RULE_SCALE = 0.25
CONTEXT_SCALE = 0.25
META_SCALE = 0.25
THEME_C = 32.0
CHAR_NGRAMS = (3, 4)
CLASS_WEIGHT: str | None = "balanced"
_DEFAULT: dict[str, Coder] = {}


@dataclass(frozen=True)
class ThemeScore:
    """One theme assigned to a text.

    Attributes
    ----------
    code
        The theme code.
    confidence
        The calibrated probability that the code applies (0-1); 1.0 for a manual code.
    source
        ``"model"``, ``"rule+model"`` (a codebook cue of this code matched) or ``"manual"``.
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
    """The result of coding one text.

    ``probabilities`` holds the calibrated probability of every code of the codebook
    (chosen or not); ``confidence`` is the probability that the chosen set is exactly
    right, treating the codes as independent — low values ask for a human look first.
    """

    text: str
    themes: tuple[ThemeScore, ...]
    sentiment: str
    sentiment_confidence: float
    spans: tuple[Span, ...] = ()
    probabilities: Mapping[str, float] = field(default_factory=dict)
    manual: bool = False

    @property
    def codes(self) -> list[str]:
        """The theme codes, most confident first."""
        return [t.code for t in self.themes]

    @property
    def confidence(self) -> float:
        """Probability that the set of codes is right (1.0 for a manual coding)."""
        if self.manual or not self.probabilities:
            return 1.0 if self.manual else min((t.confidence for t in self.themes), default=0.0)
        chosen = set(self.codes)
        log = sum(
            math.log(max(p if code in chosen else 1.0 - p, 1e-9))
            for code, p in self.probabilities.items()
        )
        return math.exp(log)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for a web view or an API)."""
        return {
            "text": self.text,
            "themes": [t.__dict__ for t in self.themes],
            "sentiment": self.sentiment,
            "sentiment_confidence": self.sentiment_confidence,
            "confidence": round(self.confidence, 3),
            "probabilities": {k: round(v, 3) for k, v in self.probabilities.items()},
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
class Context:
    """Who wrote a text: ``source`` (survey, interview, observation), ``role``, ``sector``."""

    source: str = "survey"
    role: str = ""
    sector: str = ""


def as_context(value: Any) -> Context:
    """A :class:`Context` from ``None``, a mapping, or anything with ``source``/``role``
    attributes (such as :class:`tilik.core.themes.results.TextItem`)."""
    if value is None:
        return Context()
    if isinstance(value, Context):
        return value
    if isinstance(value, Mapping):
        get = value.get
    else:

        def get(key: str, default: Any = None) -> Any:
            return getattr(value, key, default)

    return Context(str(get("source") or "survey"), str(get("role") or ""), str(get("sector") or ""))


@dataclass(frozen=True)
class Correction:
    """An evaluator's manual coding of a text: it wins over the automatic coding of the
    same text and retrains the coder, so that similar texts change too."""

    text: str
    themes: tuple[str, ...]
    sentiment: str | None = None
    source: str = ""
    role: str = ""


@dataclass(frozen=True)
class _Example:
    text: str
    themes: tuple[str, ...]
    sentiment: str | None
    context: Context
    weight: float = 1.0


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    text = resources.files("tilik.core.themes").joinpath("data", name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@cache
def _seed_rows() -> tuple[dict[str, Any], ...]:
    names = ("seed.jsonl", "seed_voices.jsonl", "seed_field.jsonl")
    return tuple(row for name in names for row in _read_jsonl(name))


def load_seed() -> list[dict[str, Any]]:
    """The packaged training texts, written for Tilik (never the dev corpus).

    ``seed.jsonl`` holds short participant answers; ``seed_voices.jsonl`` holds texts in
    many voices (officials, supervisors, organisers, observers, citizens; every sector)
    with their ``source``, ``role`` and ``sector``; ``seed_field.jsonl``, by three more
    hands, long interview turns, observers' field notes and phone answers (SMS spelling,
    Kupang Malay) from 30-odd sectors, with the same fields.
    """
    return [dict(r) for r in _seed_rows()]


# ------------------------------------------------------------------- calibration
@dataclass(frozen=True)
class Calibration:
    """Platt scaling and decision threshold per code (fitted by cross-validation).

    A code missing from the mapping (one the evaluator added) keeps the classifier's own
    probability and the threshold ``default_threshold``.
    """

    platt: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    default_threshold: float = 0.5
    fallback: float = 0.25

    def logit(self, code: str, score: np.ndarray) -> np.ndarray:
        a, b = self.platt.get(code, (1.0, 0.0))
        return np.asarray(a * score + b)

    def probability(self, code: str, score: np.ndarray) -> np.ndarray:
        return np.asarray(expit(self.logit(code, score)))

    def threshold(self, code: str) -> float:
        return float(self.thresholds.get(code, self.default_threshold))

    @classmethod
    def load(cls) -> Calibration:
        """The packaged calibration (``data/kalibrasi.json``), or none if absent."""
        path = resources.files("tilik.core.themes").joinpath("data", "kalibrasi.json")
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text("utf-8"))
        codes = data.get("codes", {})
        return cls(
            platt={c: (float(v["a"]), float(v["b"])) for c, v in codes.items()},
            thresholds={c: float(v["threshold"]) for c, v in codes.items()},
            default_threshold=float(data.get("default_threshold", 0.5)),
            fallback=float(data.get("fallback", 0.25)),
        )


#: Thresholds tried when tuning a code's decision (here and in ``calibrate.py``).
THRESHOLD_GRID = np.round(np.arange(0.10, 0.801, 0.025), 3)


def best_threshold(p: np.ndarray, y: np.ndarray, prefer: float = 0.5) -> float:
    """The threshold of :data:`THRESHOLD_GRID` giving the best F1 of ``p >= t`` against
    ``y``; ties go to the threshold nearest ``prefer`` (the less extreme decision)."""
    best, best_f1 = prefer, -1.0
    truth = np.asarray(y).astype(bool)
    for t in THRESHOLD_GRID:
        pred = np.asarray(p) >= t
        tp = float(np.sum(pred & truth))
        fp = float(np.sum(pred & ~truth))
        fn = float(np.sum(~pred & truth))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1 + 1e-9 or (
            abs(f1 - best_f1) <= 1e-9 and abs(t - prefer) < abs(best - prefer)
        ):
            best, best_f1 = float(t), f1
    return best


@cache
def _packaged_calibration() -> Calibration:
    return Calibration.load()


# ---------------------------------------------------------------------- features
def _word_features(norm: Normalized) -> list[str]:
    toks = norm.tokens
    feats = list(toks)
    feats.extend("S:" + s for s in norm.stems)
    feats.extend(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return feats


def _as_words(feature: str, norm: Normalized) -> str:
    """A feature as the text's own word(s): a word or word pair of the text as it is, a stem
    as the word it is the stem of, a piece of a word as that word; "" when none fits."""
    tokens = [t.removeprefix(NEG_PREFIX) for t in norm.tokens]
    if feature.startswith("S:"):
        stem = feature[2:].removeprefix(NEG_PREFIX)
        for token, token_stem in zip(tokens, norm.stems, strict=False):
            if token_stem.removeprefix(NEG_PREFIX) == stem:
                return token
        return ""
    plain = " ".join(part.removeprefix(NEG_PREFIX) for part in feature.split())
    if not plain:
        return ""
    if f" {plain} " in f" {' '.join(tokens)} ":
        return plain
    piece = plain.replace(" ", "")
    return next((token for token in tokens if len(piece) >= 3 and piece in token), "")


def _identity(doc: Any) -> Any:
    return doc


def _key(text: str) -> str:
    return " ".join(clean_text(text).lower().split())


@dataclass(frozen=True)
class _Cues:
    """The codebook cues found in one text: per code, the matched pattern indices, the
    strongest weight and its phrase."""

    hits: tuple[tuple[int, ...], ...]
    best: tuple[float, ...]
    phrases: tuple[str, ...]


def _find_cues(codebook: Codebook, norm: Normalized) -> _Cues:
    hits: list[tuple[int, ...]] = []
    best: list[float] = []
    phrases: list[str] = []
    surface = norm.surface
    maybe = codebook.cue_set.candidates(surface)
    wanted: Sequence[int]
    for k, code in enumerate(codebook):
        if maybe is not None:
            wanted = maybe[k]
        elif code.any_pattern is not None and code.any_pattern.search(surface):
            wanted = range(len(code.patterns))
        else:
            wanted = ()
        if not wanted:
            hits.append(())
            best.append(0.0)
            phrases.append("")
            continue
        found: list[int] = []
        top, phrase = 0.0, ""
        for j in wanted:
            pattern = code.patterns[j]
            match = pattern.regex.search(surface)
            if match:
                found.append(j)
                if pattern.weight > top:
                    top, phrase = pattern.weight, match.group(0).strip()
        hits.append(tuple(found))
        best.append(top)
        phrases.append(phrase)
    return _Cues(tuple(hits), tuple(best), tuple(phrases))


class _CueCache:
    """The cues of texts already searched, per codebook.

    A retrain after each correction searches only the new texts, not the ~1,700 training
    texts again, and the coding screen's recoding of the same texts searches none. At
    most ``books`` codebooks and ``size`` texts per codebook are kept (a full table is
    emptied and filled again)."""

    def __init__(self, size: int = 50_000, books: int = 4) -> None:
        self._size = size
        self._books = books
        self._tables: dict[int, tuple[Codebook, dict[str, _Cues]]] = {}
        self._lock = threading.Lock()

    def _table(self, codebook: Codebook) -> dict[str, _Cues]:
        with self._lock:
            entry = self._tables.get(id(codebook))
            if entry is None or entry[0] is not codebook:
                if len(self._tables) >= self._books:
                    self._tables.pop(next(iter(self._tables)))
                entry = self._tables[id(codebook)] = (codebook, {})
            return entry[1]

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()

    def find(self, codebook: Codebook, norms: Sequence[Normalized]) -> list[_Cues]:
        table = self._table(codebook)
        out: list[_Cues] = []
        for norm in norms:
            found = table.get(norm.surface)
            if found is None:
                found = _find_cues(codebook, norm)
                if len(table) >= self._size:
                    table.clear()
                table[norm.surface] = found
            out.append(found)
        return out


_CUE_CACHE = _CueCache()


class _CueSpace:
    """Column layout of the cue and context features for one codebook."""

    def __init__(self, codebook: Codebook) -> None:
        self.names: list[str] = []
        self.pattern_col: list[list[int]] = []
        for code in codebook:
            cols = []
            for j in range(len(code.patterns)):
                cols.append(len(self.names))
                self.names.append(f"R:{code.code}:{j}")
            self.pattern_col.append(cols)
        self.context_col: dict[tuple[int, str], int] = {}
        for k, code in enumerate(codebook):
            for value in SOURCES + ROLES:
                self.context_col[(k, value)] = len(self.names)
                self.names.append(f"C:{code.code}|{value}")
        self.meta_col: dict[str, int] = {}
        for value in SOURCES:
            self.meta_col["src:" + value] = len(self.names)
            self.names.append("src:" + value)
        for value in ROLES:
            self.meta_col["role:" + value] = len(self.names)
            self.names.append("role:" + value)

    def matrix(self, cues: Sequence[_Cues], contexts: Sequence[Context]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, (c, ctx) in enumerate(zip(cues, contexts)):
            for k, found in enumerate(c.hits):
                if not found:
                    continue
                for j in found:
                    rows.append(i)
                    cols.append(self.pattern_col[k][j])
                    vals.append(RULE_SCALE)
                for value in (ctx.source, ctx.role):
                    col = self.context_col.get((k, value))
                    if col is not None:
                        rows.append(i)
                        cols.append(col)
                        vals.append(CONTEXT_SCALE * c.best[k])
            for key in ("src:" + ctx.source, "role:" + ctx.role):
                col = self.meta_col.get(key)
                if col is not None:
                    rows.append(i)
                    cols.append(col)
                    vals.append(META_SCALE)
        return sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(cues), len(self.names)), dtype=float
        )


def _stacked_scores(classifiers: Sequence[Any], x: sparse.csr_matrix) -> np.ndarray:
    """Decision values of binary logistic regressions, all at once."""
    coef = np.vstack([c.coef_[0] for c in classifiers])
    intercept = np.array([c.intercept_[0] for c in classifiers])
    return np.asarray(x @ coef.T + intercept)


@dataclass
class _Model:
    """The fitted vectorisers and classifiers (built once per Coder)."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    space: _CueSpace
    themes: list[LogisticRegression | None]
    sentiment: list[tuple[str, LogisticRegression]]
    feature_names: np.ndarray
    #: Thresholds and fallback re-tuned on the evaluator's corrections (None: packaged).
    adapted: Calibration | None = None

    def text_matrix(self, norms: Sequence[Normalized]) -> sparse.csr_matrix:
        return sparse.hstack(
            [
                self.words.transform([_word_features(n) for n in norms]),
                self.chars.transform([n.surface for n in norms]),
            ],
            format="csr",
        )

    def matrix(
        self,
        norms: Sequence[Normalized],
        cues: Sequence[_Cues],
        contexts: Sequence[Context],
        text_x: sparse.csr_matrix | None = None,
    ) -> sparse.csr_matrix:
        """All features: words, characters, cues and context."""
        tx = text_x if text_x is not None else self.text_matrix(norms)
        return sparse.hstack([tx, self.space.matrix(cues, contexts)], format="csr")

    def theme_scores(self, x: sparse.csr_matrix) -> np.ndarray:
        """Decision values per code (codes without a classifier get -inf)."""
        fitted = [k for k, clf in enumerate(self.themes) if clf is not None]
        out = np.full((x.shape[0], len(self.themes)), -np.inf)
        if fitted:
            out[:, fitted] = _stacked_scores([self.themes[k] for k in fitted], x)
        return out

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


def _correction(c: Correction | tuple[str, Iterable[str]] | Mapping[str, Any]) -> Correction:
    if isinstance(c, Correction):
        return c
    if isinstance(c, Mapping):
        return Correction(
            str(c["text"]),
            tuple(c["themes"]),
            c.get("sentiment") or None,
            str(c.get("source") or ""),
            str(c.get("role") or ""),
        )
    return Correction(str(c[0]), tuple(c[1]))


@dataclass
class Coder:
    """Codes texts into the themes of a codebook, with sentiment and explanations.

    Parameters
    ----------
    codebook
        The codes to use (default: the 14 codes of DESIGN.md).
    corrections
        Manual codings by the evaluator; they are training data (weighted
        :data:`CORRECTION_WEIGHT`, so similar texts change too), re-tune the thresholds
        for this evaluation and, for the same text, override the automatic result.
    use_model
        False gives a rule-only coder (codebook cues alone; a baseline for benchmarks).
    training
        Training texts instead of the packaged ones (rows with ``text``, ``themes``,
        ``sentiment`` and optionally ``source``/``role``): for honest evaluations.
    calibration
        Platt scaling and thresholds per code (default: the packaged ones).
    """

    codebook: Codebook = field(default_factory=default_codebook)
    corrections: tuple[Correction, ...] = ()
    use_model: bool = True
    training: tuple[Mapping[str, Any], ...] | None = None
    calibration: Calibration | None = None
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

    @property
    def _base_calibration(self) -> Calibration:
        return self.calibration if self.calibration is not None else _packaged_calibration()

    @property
    def calibrated(self) -> Calibration:
        """The calibration in use: the packaged one (or the one given), with thresholds
        re-tuned on the evaluator's corrections (:meth:`_adapt`) once there are some."""
        if self.corrections and self.use_model and self.model.adapted is not None:
            return self.model.adapted
        return self._base_calibration

    # ----------------------------------------------------------------- training
    def _examples(self) -> list[_Example]:
        names = set(self.codebook.names)
        out: list[_Example] = []
        rows = self.training if self.training is not None else _seed_rows()
        for row in rows:
            themes = tuple(t for t in row["themes"] if t in names)
            out.append(_Example(row["text"], themes, row.get("sentiment"), as_context(row)))
        for code in self.codebook:
            out.extend(_Example(e, (code.code,), None, Context()) for e in code.examples)
        # Corrections count more than the packaged texts: they are this evaluation's voice.
        out.extend(
            _Example(
                c.text,
                c.themes,
                c.sentiment,
                Context(c.source or "survey", c.role),
                CORRECTION_WEIGHT,
            )
            for c in self.corrections
        )
        return out

    def _fit(self) -> _Model:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = self._examples()
        norms = [normalize(clean_text(e.text)) for e in examples]
        contexts = [e.context for e in examples]
        words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1)
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_NGRAMS,
            sublinear_tf=True,
            min_df=2,
            max_features=60000,
        )
        space = _CueSpace(self.codebook)
        model = _Model(words, chars, space, [], [], np.array([]))
        text_x = sparse.hstack(
            [
                words.fit_transform([_word_features(n) for n in norms]),
                chars.fit_transform([n.surface for n in norms]),
            ],
            format="csr",
        )
        found = _CUE_CACHE.find(self.codebook, norms)
        x = model.matrix(norms, found, contexts, text_x)
        weights = np.array([e.weight for e in examples])
        labels = [e.themes for e in examples]
        model.themes.extend(self._theme_classifiers(x, labels, weights))
        if self.corrections:
            model.adapted = self._adapt(x, labels, weights)
        labelled = [i for i, e in enumerate(examples) if e.sentiment in SENTIMENTS]
        xs = model.with_cues(x, norms)[labelled]
        ys = np.array([examples[i].sentiment for i in labelled])
        for label in SENTIMENTS:
            y = (ys == label).astype(int)
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(
                    C=4.0, class_weight="balanced", solver="liblinear", dual=True, random_state=0
                )
                clf.fit(xs, y, sample_weight=weights[labelled])
                model.sentiment.append((label, clf))
        model.feature_names = np.concatenate(
            [words.get_feature_names_out(), chars.get_feature_names_out(), space.names]
        )
        return model

    def _theme_classifiers(
        self,
        x: sparse.csr_matrix,
        labels: Sequence[tuple[str, ...]],
        weights: np.ndarray,
        tol: float = 1e-4,
    ) -> list[LogisticRegression | None]:
        """One logistic regression per code (None for a code all or none of the texts have).

        One after the other: liblinear draws from the C library's one random generator,
        so fits in threads would not give the same model twice."""
        from sklearn.linear_model import LogisticRegression

        def fit(code: str) -> LogisticRegression | None:
            y = np.array([code in themes for themes in labels], dtype=int)
            if y.sum() == 0 or y.sum() == len(y):
                return None
            clf = LogisticRegression(
                C=THEME_C,
                class_weight=CLASS_WEIGHT,
                solver="liblinear",
                dual=True,
                random_state=0,
                tol=tol,
            )
            return clf.fit(x, y, sample_weight=weights)

        return [fit(code) for code in self.codebook.names]

    def _adapt(
        self, x: sparse.csr_matrix, labels: Sequence[tuple[str, ...]], weights: np.ndarray
    ) -> Calibration | None:
        """Decisions re-tuned to the evaluation: how the evaluator's texts score.

        The corrections (the last rows of ``x``) are scored out of sample — in
        :data:`ADAPT_FOLDS` folds, each by classifiers retrained without that fold's
        corrections — so their probabilities are what a new text of this evaluation would
        get. Then, per code, the threshold that gives the best F1 on them is taken,
        shrunk towards the packaged threshold by the number of corrections having the
        code (``n / (n + THRESHOLD_PRIOR)``): a style that systematically scores a code
        lower or higher moves that code's threshold, a few corrections move it little.
        And a text no code passes gets its most probable code when that was mostly right
        for such corrections (:data:`FALLBACK_HIT_RATE`).
        """
        n = len(self.corrections)
        if n < 2 or ADAPT_FOLDS < 2:
            return None
        base = self._base_calibration
        names = self.codebook.names
        start = len(labels) - n
        folds = np.random.default_rng(0).permutation(n) % min(ADAPT_FOLDS, n)
        scores = np.zeros((n, len(names)))
        for f in range(min(ADAPT_FOLDS, n)):
            held = np.flatnonzero(folds == f)
            keep = np.ones(len(labels), dtype=bool)
            keep[start + held] = False
            kept = [labels[int(i)] for i in np.flatnonzero(keep)]
            fitted = self._theme_classifiers(x[keep], kept, weights[keep], ADAPT_TOL)
            for k, clf in enumerate(fitted):
                scores[held, k] = clf.decision_function(x[start + held]) if clf else -np.inf
        gold = np.array([[c in corr.themes for c in names] for corr in self.corrections])
        probs = np.column_stack([base.probability(c, scores[:, k]) for k, c in enumerate(names)])
        thresholds = dict(base.thresholds)
        for k, code in enumerate(names):
            positives = int(gold[:, k].sum())
            if positives:
                prior = base.threshold(code)
                best = best_threshold(probs[:, k], gold[:, k], prefer=prior)
                share = positives / (positives + THRESHOLD_PRIOR)
                thresholds[code] = round((1 - share) * prior + share * best, 4)
        limits = np.array([thresholds.get(c, base.default_threshold) for c in names])
        empty = ~(probs >= limits).any(axis=1)
        top_right = gold[np.arange(n), probs.argmax(axis=1)]
        hits = int(top_right[empty].sum())
        fallback = base.fallback
        if (hits + 1) / (int(empty.sum()) + 3) >= FALLBACK_HIT_RATE:
            fallback = 0.0
        return Calibration(base.platt, thresholds, base.default_threshold, fallback)

    @property
    def model(self) -> _Model:
        """The fitted model (trained on first access, then kept in memory)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._fit()
        return self._model

    def _replace(self, **changes: Any) -> Coder:
        """A new coder with ``changes`` (fitted afresh on first use)."""
        return replace(self, **changes)

    def with_corrections(
        self, corrections: Iterable[Correction | tuple[str, Iterable[str]] | Mapping[str, Any]]
    ) -> Coder:
        """Return a coder retrained with the evaluator's manual codings added.

        Each correction is a :class:`Correction`, a ``(text, themes)`` pair or a mapping
        with ``text``, ``themes`` and optionally ``sentiment``, ``source``, ``role``.
        Unknown codes are refused; a later correction of the same text replaces an
        earlier one.
        """
        new: list[Correction] = list(self.corrections)
        for c in corrections:
            corr = _correction(c)
            unknown = [t for t in corr.themes if t not in self.codebook]
            if unknown:
                raise ValueError(f"Kode tema tidak dikenal: {', '.join(unknown)}")
            key = _key(corr.text)
            new = [old for old in new if _key(old.text) != key]
            new.append(corr)
        return self._replace(corrections=tuple(new))

    def with_codebook(self, codebook: Codebook) -> Coder:
        """Return a coder for another codebook (e.g. after adding or merging codes)."""
        return self._replace(codebook=codebook)

    # ------------------------------------------------------------------ coding
    @cached_property
    def _negative_only(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codebook if c.negative_only)

    def _explain(self, x: sparse.csr_matrix, i: int, k: int, norm: Normalized | None = None) -> str:
        """Up to three words of text ``i`` behind the features that pushed it towards code
        ``k``: a stem or a piece of a word is shown as the word of the text it came from
        (never "dit" or "beri"); a feature no word of the text shows is left out."""
        clf = self.model.themes[k]
        if clf is None:
            return ""
        start, end = x.indptr[i], x.indptr[i + 1]
        indices = x.indices[start:end]
        contrib = x.data[start:end] * clf.coef_[0][indices]
        names = self.model.feature_names
        out: list[str] = []
        for j in np.argsort(-contrib):
            if contrib[j] <= 0 or len(out) == 3:
                break
            name = str(names[indices[j]]).strip()
            if name.startswith(("R:", "C:", "src:", "role:")):
                continue
            word = _as_words(name, norm) if norm is not None else name.removeprefix("S:")
            if word and word not in out:
                out.append(word)
        return ", ".join(out)

    def decision_scores(
        self, texts: Sequence[str], contexts: Sequence[Any] | None = None
    ) -> np.ndarray:
        """The classifiers' uncalibrated decision values (for fitting the calibration)."""
        norms = [normalize(clean_text(t)) for t in texts]
        ctx = (
            [as_context(c) for c in contexts] if contexts is not None else [Context()] * len(texts)
        )
        found = _CUE_CACHE.find(self.codebook, norms)
        return self.model.theme_scores(self.model.matrix(norms, found, ctx))

    def _scored(
        self, norms: Sequence[Normalized], contexts: Sequence[Context]
    ) -> tuple[np.ndarray, list[_Cues], sparse.csr_matrix | None]:
        found = _CUE_CACHE.find(self.codebook, norms)
        names = self.codebook.names
        if not self.use_model or not norms:
            probs = np.array([c.best for c in found], dtype=float).reshape(len(norms), len(names))
            return probs, found, None
        model = self.model
        text_x = model.text_matrix(norms)
        x = model.matrix(norms, found, contexts, text_x)
        scores = model.theme_scores(x)
        cal = self.calibrated
        probs = np.zeros_like(scores)
        for k, code in enumerate(names):
            if model.themes[k] is not None:
                probs[:, k] = cal.probability(code, scores[:, k])
        return probs, found, x

    def _code_norms(
        self, texts: Sequence[str], norms: Sequence[Normalized], contexts: Sequence[Context]
    ) -> list[Coding]:
        names = self.codebook.names
        probs, found, x = self._scored(norms, contexts)
        text_cues = [cues(n) for n in norms]
        sentiment_probs: list[dict[str, float]] = [{"netral": 0.5} for _ in norms]
        if x is not None and self.model.sentiment:
            model = self.model
            xs = model.with_cues(x, norms, text_cues)
            columns = expit(_stacked_scores([clf for _, clf in model.sentiment], xs))
            columns = columns / np.maximum(columns.sum(axis=1, keepdims=True), 1e-9)
            labels = [label for label, _ in model.sentiment]
            sentiment_probs = [dict(zip(labels, map(float, r))) for r in columns]
        cal = self.calibrated
        overrides = {_key(c.text): c for c in self.corrections}
        results: list[Coding] = []
        for i in range(len(norms)):
            sentiment, s_conf = decide(sentiment_probs[i], text_cues[i])
            manual = overrides.get(_key(texts[i])) if overrides else None
            if manual is not None:
                scores = tuple(
                    ThemeScore(c, 1.0, "manual", "kode manual evaluator") for c in manual.themes
                )
                results.append(
                    Coding(
                        texts[i],
                        scores,
                        manual.sentiment or sentiment,
                        1.0 if manual.sentiment else round(s_conf, 3),
                        probabilities={c: float(c in manual.themes) for c in names},
                        manual=True,
                    )
                )
                continue
            row = probs[i]
            threshold = [cal.threshold(c) for c in names] if self.use_model else [0.5] * len(names)
            order = [int(k) for k in np.argsort(-row)]
            chosen = [k for k in order if row[k] >= threshold[k]]
            if not chosen and order and row[order[0]] >= cal.fallback:
                chosen = order[:1]
            if sentiment in ("positif", "netral"):
                # A negative-only code in a positive or neutral text needs a clear case.
                chosen = [k for k in chosen if names[k] not in self._negative_only or row[k] >= 0.8]
            themes = []
            for k in chosen[:MAX_THEMES]:
                phrase = found[i].phrases[k]
                if phrase:
                    source, why = ("rule+model" if self.use_model else "rule"), phrase
                else:
                    source, why = (
                        "model",
                        self._explain(x, i, k, norms[i]) if x is not None else "",
                    )
                themes.append(ThemeScore(names[k], round(float(row[k]), 3), source, why))
            if any(t.code in self._negative_only for t in themes):
                sentiment = {"positif": "campuran", "netral": "negatif"}.get(sentiment, sentiment)
            results.append(
                Coding(
                    texts[i],
                    tuple(themes),
                    sentiment,
                    round(s_conf, 3),
                    probabilities={c: round(float(row[k]), 4) for k, c in enumerate(names)},
                )
            )
        return results

    def code_many(
        self,
        texts: Sequence[str],
        *,
        spans: bool = False,
        contexts: Sequence[Any] | None = None,
    ) -> list[Coding]:
        """Code many texts at once (vectorised: much faster than one by one).

        ``contexts`` gives, per text, who wrote it (a :class:`Context`, a mapping or an
        object with ``source`` and ``role``, such as a ``TextItem``). With ``spans=True``
        each text is also split into sentences and every sentence coded on its own.
        """
        ctx = (
            [as_context(c) for c in contexts] if contexts is not None else [Context()] * len(texts)
        )
        if len(ctx) != len(texts):
            raise ValueError("contexts must give one context per text")
        cleaned = [clean_text(t) for t in texts]
        norms = [normalize(t) for t in cleaned]
        coded = self._code_norms(texts, norms, ctx)
        if not spans:
            return coded
        return [
            Coding(
                c.text,
                c.themes,
                c.sentiment,
                c.sentiment_confidence,
                self._spans(clean, context),
                c.probabilities,
                c.manual,
            )
            for c, clean, context in zip(coded, cleaned, ctx)
        ]

    def _spans(self, text: str, context: Context) -> tuple[Span, ...]:
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
        coded = self._code_norms(
            sentences, [normalize(s) for s in sentences], [context] * len(sentences)
        )
        return tuple(
            Span(a, b, s, c.themes, c.sentiment)
            for (a, b), s, c in zip(positions, sentences, coded)
        )

    def code(self, text: str, *, spans: bool = True, context: Any = None) -> Coding:
        """Code one text: themes with confidence and explanation, sentiment, sentence spans."""
        return self.code_many([text], spans=spans, contexts=[context])[0]
