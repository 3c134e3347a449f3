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
_SARCASM_RE = re.compile(r"(luar biasa|hebat|mantap|keren|bagus sekali|salut)\s*$")


@dataclass(frozen=True)
class SentimentCues:
    """Counts of polar words and structural cues in one normalised text."""

    positive: int
    negative: int
    contrast: bool
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
        ]


def cues(norm: Normalized) -> SentimentCues:
    """Count positive and negative words (a negated positive word counts as negative)."""
    lex = lexicon()
    positive_words = lex.words("positive")
    negative_words = lex.words("negative")
    pos = neg = 0
    for tok in norm.tokens:
        if tok.startswith(NEG_PREFIX):
            word = tok[len(NEG_PREFIX) :]
            if word in positive_words:
                neg += 1
            continue
        if tok in positive_words:
            pos += 1
        elif tok in negative_words:
            neg += 1
    sarcasm = bool(_SARCASM_RE.search(norm.surface.rstrip())) and neg > 0
    return SentimentCues(
        positive=pos,
        negative=neg,
        contrast=bool(_CONTRAST_RE.search(norm.surface)),
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
    if c.contrast and c.positive > 0 and c.negative > 0:
        probs["campuran"] = probs.get("campuran", 0.0) + 0.35
    if c.suggestion and c.negative == 0:
        probs["netral"] = probs.get("netral", 0.0) + 0.3
    label = max(probs, key=lambda k: probs[k])
    return label, min(1.0, probs[label])
