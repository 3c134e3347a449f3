"""Sentiment of a segment: positif, negatif, campuran or netral.

A lexicon scorer (negation-aware, with contrast and suggestion cues) is combined with
the classifier's probabilities in :class:`tilik.core.themes.coder.Coder`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import NEG_PREFIX, Normalized, lexicon

__all__ = ["SENTIMENTS", "SentimentCues", "cues", "decide"]

SENTIMENTS = ("positif", "negatif", "campuran", "netral")

_CONTRAST_RE = re.compile(
    r" (tapi|tetapi|namun|sayangnya|sayang|hanya saja|cuma|meski|meskipun|walaupun|walau|"
    r"padahal|kendati|sedangkan) "
)
_SUGGESTION_START_RE = re.compile(
    r"^ (sebaiknya|seharusnya|harusnya|mohon|usul|usulan|diusulkan|saran|disarankan|perlu|"
    r"semoga|harap|diharapkan|kalau bisa|jika bisa|ke depan|rencana|direncanakan|kami akan|"
    r"akan|minta|tolong|hendaknya|lebih baik|mungkin)\b"
)
# Before/after comparisons and measured gains read as praise even without praise words.
_IMPROVEMENT_RE = re.compile(
    r"\b(dulu|dahulu|sebelumnya|sebelum pelatihan)\b.{0,80}\b(sekarang|kini|jadi|menjadi)\b"
    r"|\b(berkurang|turun|menurun|naik|meningkat)\b( dari| menjadi| jadi| NUM)"
    r"|\blebih (cepat|singkat|baik|tertib|rapi|mudah|lancar|percaya diri|sabar|teliti)\b"
    r"|\bkurang dari NUM|\bhanya (butuh )?NUM (menit|hari)|\bNEG_perlu (lagi |NEG_)?\w+"
)
_SARCASM_RE = re.compile(r"(luar biasa|hebat|mantap|keren|bagus sekali|salut)\s*$")


@dataclass(frozen=True)
class SentimentCues:
    """Counts of polar words and structural cues in one normalised text."""

    positive: int
    negative: int
    contrast: bool
    mixed: bool
    suggestion: bool
    sarcasm: bool

    def as_features(self) -> list[float]:
        """The cues as numbers, for the classifier."""
        return [
            min(self.positive, 4) / 4,
            min(self.negative, 4) / 4,
            float(self.contrast),
            float(self.suggestion),
            float(self.positive > 0 and self.negative > 0),
            float(self.mixed),
        ]


def _polarity(
    tokens: list[str], positive: frozenset[str], negative: frozenset[str]
) -> tuple[int, int]:
    pos = neg = 0
    for tok in tokens:
        if tok.startswith(NEG_PREFIX):
            if tok[len(NEG_PREFIX) :] in positive:
                neg += 1
            continue
        if tok in positive:
            pos += 1
        elif tok in negative:
            neg += 1
    return pos, neg


def cues(norm: Normalized) -> SentimentCues:
    """Count positive and negative words (a negated positive word counts as negative).

    ``mixed`` is true when clear praise and a complaint stand on the two sides of a
    contrast word ("materinya bagus, tapi jadwalnya padat").
    """
    lex = lexicon()
    negative_words = lex.words("negative")
    pos, neg = _polarity(list(norm.tokens), lex.words("positive"), negative_words)
    pos += len(_IMPROVEMENT_RE.findall(norm.surface))
    contrast = _CONTRAST_RE.search(norm.surface)
    mixed = False
    if contrast:
        strong = lex.words("positive_strong")
        before = norm.surface[: contrast.start()].split()
        after = norm.surface[contrast.end() :].split()
        pb, nb = _polarity(before, strong, negative_words)
        pa, na = _polarity(after, strong, negative_words)
        mixed = (pb > 0 and na > 0) or (nb > 0 and pa > 0)
    sarcasm = bool(_SARCASM_RE.search(norm.surface.rstrip())) and neg > 0
    return SentimentCues(
        positive=pos,
        negative=neg,
        contrast=bool(contrast),
        mixed=mixed,
        suggestion=bool(_SUGGESTION_START_RE.search(norm.surface)),
        sarcasm=sarcasm,
    )


def decide(probabilities: dict[str, float], c: SentimentCues) -> tuple[str, float]:
    """Pick the sentiment label from classifier probabilities and lexicon cues.

    Rules that override the model: sarcastic praise after a complaint is negative; a
    contrast ("tapi", "namun") between clearly positive and negative words is mixed.
    """
    if c.sarcasm:
        return "negatif", 0.8
    probs = dict(probabilities)
    if c.mixed:
        probs["campuran"] = probs.get("campuran", 0.0) + 0.35
    if c.suggestion and c.negative == 0:
        probs["netral"] = probs.get("netral", 0.0) + 0.3
    label = max(probs, key=lambda k: probs[k])
    return label, min(1.0, probs[label])
