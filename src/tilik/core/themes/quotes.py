"""Representative quotes: masking of personal data, attribution, diverse selection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .normalize import normalize

__all__ = ["Quote", "QuoteCandidate", "attribution", "mask_personal", "select_quotes"]

_SECTORS = {
    "kesehatan": ("kesehatan", "health"),
    "pendidikan": ("pendidikan", "education"),
    "kependudukan": ("administrasi kependudukan", "civil registration"),
    "perizinan": ("perizinan", "licensing"),
    "keuangan": ("keuangan", "finance"),
    "pertanian": ("pertanian", "agriculture"),
    "perikanan": ("kelautan dan perikanan", "fisheries"),
    "perhubungan": ("perhubungan", "transport"),
    "sosial": ("sosial", "social affairs"),
    "pariwisata": ("pariwisata", "tourism"),
    "lingkungan": ("lingkungan hidup", "environment"),
    "kepegawaian": ("kepegawaian", "civil service management"),
    "umum": ("pemerintahan umum", "general administration"),
}
_ROLES = {
    "peserta": ("seorang ASN", "a civil servant"),
    "atasan": ("seorang atasan langsung", "a direct supervisor"),
    "pejabat": ("seorang pejabat", "a senior official"),
    "penyelenggara": ("seorang penyelenggara pelatihan", "a training organiser"),
    "observer": ("catatan observasi", "an observation note"),
    "warga": ("seorang warga", "a citizen"),
}


def mask_personal(text: str, names: Iterable[str] = ()) -> str:
    """Mask e-mail addresses, NIPs, NIKs, phone numbers and person names.

    The detection lives in :mod:`tilik.core.personal` (honorifics and titles, "menurut X",
    capitalised name sequences, a lexicon of Indonesian and NTT names, and ``names``, e.g.
    the participant roster). Positions such as "Pak Camat" are kept.

    Examples
    --------
    >>> mask_personal("Hubungi Pak Yohanes di 0812-3456-7890")
    'Hubungi Pak [nama] di [telepon]'
    """
    from tilik.core.personal import mask_text

    return mask_text(text, names)


def attribution(role: str | None, sector: str | None, lang: str = "id") -> str:
    """Describe a speaker by role and sector only ("seorang ASN di bidang kesehatan")."""
    i = 0 if lang == "id" else 1
    who = _ROLES.get((role or "").lower(), _ROLES["peserta"])[i]
    if not sector:
        return who
    field = _SECTORS.get(sector.lower(), (sector, sector))[i]
    if lang == "id":
        return f"{who} di bidang {field}"
    return f"{who} in the {field} sector"


@dataclass(frozen=True)
class QuoteCandidate:
    """A coded text that may be quoted for a theme."""

    text: str
    role: str
    sector: str
    source: str
    respondent: str
    confidence: float
    n_themes: int


@dataclass(frozen=True)
class Quote:
    """A quote ready for the report (already masked)."""

    text: str
    role: str
    sector: str
    source: str
    attribution: str

    def as_dict(self) -> dict[str, str]:
        """The quote as the ``hasil.json`` fields plus the attribution."""
        return {
            "text": self.text,
            "role": self.role,
            "sector": self.sector,
            "source": self.source,
            "attribution": self.attribution,
        }


def _content(text: str) -> frozenset[str]:
    return frozenset(s for s in normalize(text).stems if len(s) > 3)


def _informativeness(c: QuoteCandidate, words: int) -> float:
    # Short answers ("bagus") say little; very long turns are hard to quote.
    if words < 5:
        length = 0.2
    elif words <= 45:
        length = 1.0
    else:
        length = max(0.3, 1.0 - (words - 45) / 80)
    focus = 1.0 / (1 + 0.25 * max(0, c.n_themes - 1))
    return c.confidence * length * focus


def select_quotes(
    candidates: Sequence[QuoteCandidate],
    k: int = 3,
    *,
    lang: str = "id",
    names: Iterable[str] = (),
    max_similarity: float = 0.5,
) -> list[Quote]:
    """Pick up to ``k`` informative, mutually different quotes (greedy MMR).

    Each step takes the candidate with the best informativeness minus its similarity
    (Jaccard of stems) to the quotes already taken; near-duplicates (similarity above
    ``max_similarity``) and a second quote of the same respondent are skipped.
    """
    pool = []
    seen_texts: set[str] = set()
    for c in candidates:
        key = " ".join(c.text.lower().split())
        if key in seen_texts or not c.text.strip():
            continue
        seen_texts.add(key)
        pool.append((c, _content(c.text), _informativeness(c, len(c.text.split()))))
    chosen: list[tuple[QuoteCandidate, frozenset[str]]] = []
    while pool and len(chosen) < k:
        best_i, best_score = -1, float("-inf")
        for i, (c, content, info) in enumerate(pool):
            sims = [_jaccard(content, other) for _, other in chosen]
            if sims and max(sims) > max_similarity:
                continue
            if any(_overlap(content, other) > 0.75 for _, other in chosen):
                continue  # one quote repeats the other ("Bagus." inside a longer answer)
            if any(c.respondent and c.respondent == o.respondent for o, _ in chosen):
                continue
            same_source = sum(1 for o, _ in chosen if o.source == c.source)
            score = info - 0.7 * (max(sims) if sims else 0.0) - 0.05 * same_source
            if score > best_score:
                best_i, best_score = i, score
        if best_i < 0:
            break
        c, content, _ = pool.pop(best_i)
        chosen.append((c, content))
    return [
        Quote(
            text=mask_personal(c.text, names),
            role=c.role,
            sector=c.sector,
            source=c.source,
            attribution=attribution(c.role, c.sector, lang),
        )
        for c, _ in chosen
    ]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
