"""Normalisation of Indonesian open text: SMS style, Kupang Malay, reduplication,
stemming and negation scope.

The word lists live in ``data/normalisasi.tsv`` and ``data/lexicon.yaml`` so that an
evaluator (or a linguist) can extend them without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "Lexicon",
    "Normalized",
    "lexicon",
    "normalize",
    "normalize_tokens",
    "stem",
    "tokenize",
]

NEG_PREFIX = "NEG_"

_TOKEN_RE = re.compile(r"[a-z]+(?:-[a-z]+)*2?|\d+(?:[.,]\d+)*|[.!?;:,()]")
_REDUP_DIGIT_RE = re.compile(r"^([a-z]{2,})2$")
_SENTENCE_PUNCT = frozenset(".!?;:,()")


@dataclass(frozen=True)
class Lexicon:
    """Word lists that drive normalisation and sentiment.

    Attributes
    ----------
    replacements
        Token -> replacement words (SMS abbreviations and Kupang Malay).
    negators
        Words that open a negation scope ("tidak", "belum", "kurang"...).
    scope_breakers
        Words that close a negation scope early ("tapi", "dan"...).
    negation_window
        Number of tokens after a negator that are marked ``NEG_``.
    raw
        The whole YAML mapping, for the other lists (sentiment words...).
    """

    replacements: dict[str, tuple[str, ...]]
    negators: frozenset[str]
    scope_breakers: frozenset[str]
    negation_window: int
    raw: dict[str, Any]

    def words(self, key: str) -> frozenset[str]:
        """Return a word list of ``lexicon.yaml`` as a set (empty when absent)."""
        cached = _WORDS.get((id(self), key))
        if cached is None:
            cached = frozenset(str(w) for w in self.raw.get(key, []) or [])
            _WORDS[(id(self), key)] = cached
        return cached


_WORDS: dict[tuple[int, str], frozenset[str]] = {}


def _data_text(name: str) -> str:
    return resources.files("tilik.core.themes").joinpath("data", name).read_text("utf-8")


@cache
def lexicon() -> Lexicon:
    """Load (once) the packaged normalisation and sentiment lexicon."""
    replacements: dict[str, tuple[str, ...]] = {}
    for line in _data_text("normalisasi.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        token, replacement = parts[0].strip(), parts[1].strip()
        if token and token not in replacements:
            replacements[token] = tuple(replacement.split())
    raw = yaml.safe_load(_data_text("lexicon.yaml")) or {}
    return Lexicon(
        replacements=replacements,
        negators=frozenset(raw.get("negators", [])),
        scope_breakers=frozenset(raw.get("scope_breakers", [])),
        negation_window=int(raw.get("negation_window", 3)),
        raw=raw,
    )


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one Indonesian word with PySastrawi (cached: stemming is the slow part).

    Words of three letters or fewer and tokens with digits are returned unchanged. The
    words of the coder's training texts come stemmed with the package
    (``data/kata_dasar.tsv``, written by ``tools/fit_theme_calibration.py`` with PySastrawi
    and checked against it by the tests): the first fit does not stem 4,000 words again.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    known = shipped_stems().get(word)
    if known is not None:
        return known
    return sastrawi_stem(word)


def sastrawi_stem(word: str) -> str:
    """``word`` stemmed by PySastrawi itself (the word when it gives nothing)."""
    return str(_stemmer().stem(word)) or word


@cache
def shipped_stems() -> dict[str, str]:
    """The stems shipped with the package: word, tab, stem on each line."""
    path = resources.files("tilik.core.themes").joinpath("data", STEMS_FILE)
    if not path.is_file():
        return {}
    pairs = (line.split("\t") for line in path.read_text("utf-8").splitlines() if line)
    return {word: found for word, found in pairs}


STEMS_FILE = "kata_dasar.tsv"


def tokenize(text: str) -> list[str]:
    """Lower-case ``text`` and split it into word, number and punctuation tokens."""
    return _TOKEN_RE.findall(text.lower())


def _expand(token: str, lex: Lexicon) -> tuple[str, ...]:
    if token in lex.replacements:
        return lex.replacements[token]
    match = _REDUP_DIGIT_RE.match(token)
    if match:  # "pelan2" -> "pelan"; "marah2" -> "marah"
        return _expand(match.group(1), lex)
    if "-" in token:
        parts = token.split("-")
        if len(parts) == 2 and parts[0] == parts[1]:  # "teman-teman" -> "teman"
            return _expand(parts[0], lex)
        if len(parts) == 2 and parts[1].startswith(parts[0]) and len(parts[0]) > 2:
            return _expand(parts[1], lex)  # "sayur-sayuran", "marah-marahan"
        out: list[str] = []
        for part in parts:
            if part:
                out.extend(_expand(part, lex))
        return tuple(out)
    return (token,)


@lru_cache(maxsize=100_000)
def _expand_cached(token: str) -> tuple[str, ...]:
    return _expand(token, lexicon())


def normalize_tokens(text: str, *, mark_negation: bool = True) -> list[str]:
    """Normalise ``text`` into tokens, keeping punctuation tokens as scope boundaries.

    SMS abbreviations and Kupang Malay words are expanded to standard Indonesian,
    reduplication is collapsed ("pelan2", "teman-teman") and, when ``mark_negation``
    is true, the up to ``negation_window`` words after a negator are prefixed with
    ``NEG_`` so that "tidak relevan" and "sangat relevan" give different features.

    Examples
    --------
    >>> normalize_tokens("beta sonde relevan")
    ['saya', 'tidak', 'NEG_relevan']
    """
    lex = lexicon()
    tokens: list[str] = []
    for raw in tokenize(text):
        if raw in _SENTENCE_PUNCT or raw[0].isdigit():
            tokens.append(raw if not raw[0].isdigit() else "NUM")
            continue
        tokens.extend(_expand_cached(raw))
    if not mark_negation:
        return tokens
    out: list[str] = []
    remaining = 0
    for tok in tokens:
        if tok in _SENTENCE_PUNCT or tok in lex.scope_breakers:
            remaining = 0
            out.append(tok)
        elif tok in lex.negators:
            remaining = lex.negation_window
            out.append(tok)
        elif remaining > 0 and tok != "NUM":
            out.append(NEG_PREFIX + tok)
            remaining -= 1
        else:
            out.append(tok)
    return out


@dataclass(frozen=True)
class Normalized:
    """A text in the forms the coder needs.

    Attributes
    ----------
    tokens
        Normalised word tokens with ``NEG_`` marks (punctuation removed).
    stems
        Stems of ``tokens`` (the ``NEG_`` mark kept in front of the stem).
    surface
        ``tokens`` joined by single spaces, padded with a space on both sides so that
        rule patterns can match whole words with ``" word "``.
    """

    tokens: tuple[str, ...]
    stems: tuple[str, ...]
    surface: str


def _stem_marked(token: str) -> str:
    if token.startswith(NEG_PREFIX):
        return NEG_PREFIX + stem(token[len(NEG_PREFIX) :])
    return stem(token)


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for rules and the classifier (see :func:`normalize_tokens`)."""
    marked = [t for t in normalize_tokens(text) if t not in _SENTENCE_PUNCT]
    stems = tuple(_stem_marked(t) for t in marked)
    return Normalized(tokens=tuple(marked), stems=stems, surface=" " + " ".join(marked) + " ")
