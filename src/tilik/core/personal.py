"""Personal data in Indonesian free text: person names, NIPs, NIKs, phone numbers, e-mail.

Open answers and interview transcripts mention people ("Menurut Maria Goreti Seran, …",
"kata Pak Yohanes", "sa su WA ke 0812 3456 7890"). Whatever leaves the evaluator's own view
(reports, quotes, charts, the public page, pseudonymised exports, the coding screen of
leaders and viewers) goes through :func:`mask_text` first (UU 27/2022 on personal data).

Names are found by evidence that adds up, not by one list:

- an honorific or title before the name: ``Pak``, ``Ibu``, ``Om``, ``Mama``, ``dr.``,
  ``Drs.``, ``Romo``, ``Pastor``, ``Haji``… ("Pak Camat" is a position and stays);
- a "said" cue: ``menurut X``, ``kata X``, ``X bilang``, ``X mengatakan``;
- an academic degree after it: ``Yohanes Ndun, S.Pd.``;
- a capitalised sequence with a word from the lexicon (``data/nama.yaml``: common given names
  and the family and clan names of Nusa Tenggara Timur), or a roster name;
- two or more capitalised words in mid-sentence that are not Indonesian words (checked
  against Sastrawi's dictionary), not institutions and not places.

Names that are also everyday words ("Bagus", "Indah", "Mau") need more than the lexicon.
The detector prefers masking a place by mistake to leaving a person's name in a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = [
    "PLACEHOLDERS",
    "PersonalSpan",
    "find_personal",
    "has_personal",
    "mask_text",
]

PLACEHOLDERS = {
    "email": "[email]",
    "nip": "[NIP]",
    "nik": "[NIK]",
    "phone": "[telepon]",
    "name": "[nama]",
}

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# NIP: 18 digits, often written 8-6-1-3 with spaces, dots or dashes.
_NIP_RE = re.compile(r"(?<!\d)\d{8}[ .-]?\d{6}[ .-]?\d[ .-]?\d{3}(?!\d)")
_NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+62|62|0)[ .-]?8\d{1,3}(?:[ .-]?\d{2,4}){2,3}(?!\d)"  # mobile
    r"|(?<![\w+])\(?(?:\+62[ .-]?|0)\d{2,3}\)?[ .-]?\d{5,8}(?!\d)"  # land line (0380) 821234
)
_WORD_RE = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
# Titles written with a dot: dr. Drs. H. Hj. Pdt. …
_TITLE_RE = re.compile(
    r"\b(?:dr|drg|Dr|Drs|Dra|Ir|Prof|H|Hj|Pdt|Rm|Sr|Br|Fr|Ny|Nn|Sdr|Sdri|Bpk|Ns|KH|St|Tn)\."
)
_DEGREE_RE = re.compile(
    r"(?:,?\s*(?:(?:S|M|A|D)\.\s?[A-Z][A-Za-z]{0,5}\.?(?:\s?[A-Z][A-Za-z]{0,4}\.?)?"
    r"|Sp\.\s?[A-Z]{1,3}\.?|Ph\.?\s?D\.?|SKM|MPH|MPA|MBA|Amd\.?\s?\w{0,4}\.?))+"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n\"“”'‘(\[•*-])\s*$")
_NAME = PLACEHOLDERS["name"]


@dataclass(frozen=True)
class PersonalSpan:
    """A piece of text that is personal data: ``text[start:end]`` of ``kind``."""

    start: int
    end: int
    kind: str  # email, nip, nik, phone, name


@dataclass(frozen=True)
class _Lexicon:
    strong: frozenset[str]
    ambiguous: frozenset[str]
    positions: frozenset[str]
    institutions: frozenset[str]
    places: frozenset[str]
    honorifics: frozenset[str]
    capital_honorifics: frozenset[str]
    said_before: frozenset[str]
    said_after: frozenset[str]
    connectors: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = yaml.safe_load((Path(__file__).parent / "data" / "nama.yaml").read_text("utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or [] if " " not in str(w))

    return _Lexicon(
        strong=words("given") | words("family"),
        ambiguous=words("ambiguous"),
        positions=words("positions"),
        institutions=words("institutions"),
        places=words("places"),
        honorifics=words("honorifics"),
        capital_honorifics=words("capital_honorifics"),
        said_before=words("said_before"),
        said_after=words("said_after"),
        connectors=words("connectors"),
    )


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Sastrawi's Indonesian root words (about 30,000)."""
    try:
        import Sastrawi

        file = Path(Sastrawi.__file__).parent / "Stemmer" / "data" / "kata-dasar.txt"
        return frozenset(file.read_text("utf-8").split())
    except (ImportError, OSError):  # pragma: no cover - Sastrawi is a dependency
        return frozenset()


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def _common(word: str) -> bool:
    """Whether ``word`` (lower case) is an Indonesian word: in the dictionary as it is or
    once its affixes are stripped ("Menurut" → turut, "Pelatihan" → latih)."""
    words = _dictionary()
    if word in words:
        return True
    if len(word) <= 3 or not word.isalpha():
        return False
    try:
        root = str(_stemmer().stem(word))
    except Exception:  # pragma: no cover - a stemmer failure must not stop masking
        return False
    return bool(root) and root != word and root in words


@dataclass
class _Token:
    start: int
    end: int
    word: str
    lower: str
    capital: bool
    initial: bool  # first word of a sentence


def _tokens(text: str) -> list[_Token]:
    out = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        before = text[max(0, match.start() - 3) : match.start()]
        initial = match.start() == 0 or bool(_SENTENCE_END.search(before))
        out.append(
            _Token(
                match.start(),
                match.end(),
                word,
                word.lower().replace("’", "'"),
                word[0].isupper(),
                initial,
            )
        )
    return out


def _gap(text: str, a: _Token, b: _Token) -> str:
    return text[a.end : b.start]


def _adjacent(text: str, a: _Token, b: _Token) -> bool:
    return _gap(text, a, b) in (" ", "\u00a0", "  ")


class _Finder:
    def __init__(self, text: str, roster: frozenset[str]) -> None:
        self.text = text
        self.lex = _lexicon()
        self.roster = roster
        self.tokens = _tokens(text)

    def strong(self, tok: _Token) -> bool:
        return tok.lower in self.lex.strong or tok.lower in self.roster

    def ambiguous(self, tok: _Token) -> bool:
        return tok.lower in self.lex.ambiguous

    def not_a_name(self, tok: _Token) -> bool:
        lex = self.lex
        return (
            tok.lower in lex.positions
            or tok.lower in lex.institutions
            or (tok.lower in lex.places and not self.strong(tok))
        )

    def honorific(self, tok: _Token) -> bool:
        """An honorific or a title ("Pak", "Romo", "Drs."): a cue, never part of a name."""
        if tok.lower in self.lex.honorifics or tok.lower in self.lex.capital_honorifics:
            return True
        return self.text[tok.end : tok.end + 1] == "." and bool(
            _TITLE_RE.match(self.text, tok.start)
        )

    def capable(self, tok: _Token) -> bool:
        """A capitalised word that may be part of a name."""
        if not tok.capital or self.not_a_name(tok) or self.honorific(tok):
            return False
        if tok.word.isupper() and len(tok.word) > 1 and not self.strong(tok):
            return False  # an acronym: ASN, OPD, BKPSDM
        if self.strong(tok) or self.ambiguous(tok):
            return True
        return not _common(tok.lower)

    def cue_before(self, index: int) -> bool:
        if index == 0:
            return False
        prev = self.tokens[index - 1]
        gap = _gap(self.text, prev, self.tokens[index])
        if gap.strip(" ,:") or "\n" in gap:
            return _TITLE_RE.search(self.text, prev.start, self.tokens[index].start) is not None
        if prev.lower in self.lex.honorifics or prev.lower in self.lex.said_before:
            return True
        if prev.capital and prev.lower in self.lex.capital_honorifics:
            return True
        return self.title_before(index)

    def title_before(self, index: int) -> bool:
        start = self.tokens[index - 1].start if index else 0
        return _TITLE_RE.search(self.text, start, self.tokens[index].start) is not None

    def cue_after(self, index: int) -> bool:
        if index + 1 >= len(self.tokens):
            return False
        nxt = self.tokens[index + 1]
        gap = _gap(self.text, self.tokens[index], nxt)
        if gap.strip(" ,") or "\n" in gap:
            return False
        if nxt.lower in ("su", "sudah", "juga", "pernah", "yang") and index + 2 < len(self.tokens):
            nxt = self.tokens[index + 2]  # "Maria su bilang", "Yohanes juga mengatakan"
        return nxt.lower in self.lex.said_after

    def after_institution(self, index: int) -> bool:
        if index == 0:
            return False
        prev = self.tokens[index - 1]
        return prev.lower in self.lex.institutions and _adjacent(
            self.text, prev, self.tokens[index]
        )

    def runs(self) -> list[tuple[int, int]]:
        """Index ranges ``[i, j)`` of adjacent name-capable words (with connectors)."""
        runs, i, tokens = [], 0, self.tokens
        while i < len(tokens):
            if not self.capable(tokens[i]):
                i += 1
                continue
            j = i + 1
            while j < len(tokens):
                if self.capable(tokens[j]) and _adjacent(self.text, tokens[j - 1], tokens[j]):
                    j += 1
                elif (
                    tokens[j].lower in self.lex.connectors
                    and j + 1 < len(tokens)
                    and self.capable(tokens[j + 1])
                    and _adjacent(self.text, tokens[j - 1], tokens[j])
                    and _adjacent(self.text, tokens[j], tokens[j + 1])
                ):
                    j += 2
                else:
                    break
            runs.append((i, j))
            i = j
        return runs

    def degree_end(self, j: int) -> int:
        """Where a degree after word ``j - 1`` ends (the word's own end when there is none)."""
        end = self.tokens[j - 1].end
        match = _DEGREE_RE.match(self.text, end)
        return match.end() if match and match.end() > end else end

    def lowercase_cued(self, index: int) -> bool:
        tok = self.tokens[index]
        if tok.capital or not (self.strong(tok) or self.ambiguous(tok)):
            return False
        if not self.strong(tok):  # "bu sari" is a name, "bilang bagus" is not
            return index > 0 and self.tokens[index - 1].lower in self.lex.honorifics
        return self.cue_before(index) or self.cue_after(index)

    def name_spans(self) -> list[PersonalSpan]:
        spans: list[PersonalSpan] = []
        tokens = self.tokens
        taken: set[int] = set()
        for i, j in self.runs():
            words = tokens[i:j]
            names = [t for t in words if t.lower not in self.lex.connectors]
            strong = any(self.strong(t) for t in names)
            ambiguous = any(self.ambiguous(t) for t in names)
            cued = self.cue_before(i) or self.cue_after(j - 1)
            end = self.degree_end(j)
            degree = end > tokens[j - 1].end
            if len(names) == 1:
                tok = names[0]
                if self.strong(tok):
                    mask = True
                elif self.ambiguous(tok):
                    mask = cued or degree or not tok.initial
                else:
                    mask = cued or degree
            else:
                initial_common = words[0].initial and _common(words[0].lower)
                mask = strong or ambiguous or cued or degree
                if not mask and not self.after_institution(i):
                    # Unknown capitalised words in mid-sentence: a person or a place we do
                    # not know; a sentence's first word may just be a word.
                    mask = len(names) - int(initial_common) >= 2
            if mask and self.after_institution(i) and not strong:
                mask = False  # "Puskesmas Oesapa", "Desa Oelnasi"
            if mask:
                spans.append(PersonalSpan(tokens[i].start, end, "name"))
                taken.update(range(i, j))
        for index in range(len(tokens)):
            if index not in taken and self.lowercase_cued(index):
                spans.append(PersonalSpan(tokens[index].start, tokens[index].end, "name"))
        return spans


def _roster_words(names: Iterable[str]) -> tuple[frozenset[str], list[str]]:
    full = sorted({n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True)
    words = frozenset(
        w.lower()
        for n in full
        for w in _WORD_RE.findall(n)
        if len(w) > 3 and not _common(w.lower())
    )
    return words, full


def find_personal(text: str, names: Iterable[str] = ()) -> list[PersonalSpan]:
    """Every piece of personal data in ``text``, in order, without overlaps.

    ``names`` are names known to be in the data (e.g. the participant roster): matched
    whole, and their parts count as names wherever they appear capitalised.
    """
    spans: list[PersonalSpan] = []
    for kind, pattern in (
        ("email", _EMAIL_RE),
        ("nip", _NIP_RE),
        ("nik", _NIK_RE),
        ("phone", _PHONE_RE),
    ):
        spans += [PersonalSpan(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    roster_words, full_names = _roster_words(names)
    for name in full_names:
        spans += [
            PersonalSpan(m.start(), m.end(), "name")
            for m in re.finditer(rf"\b{re.escape(name)}\b", text, flags=re.IGNORECASE)
        ]
    spans += _Finder(text, roster_words).name_spans()
    spans.sort(key=lambda s: (s.start, -s.end))
    merged: list[PersonalSpan] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = PersonalSpan(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return merged


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with its personal data replaced by ``[nama]``, ``[NIP]``, ``[NIK]``,
    ``[telepon]`` and ``[email]``; honorifics and titles stay ("Pak [nama]").

    Examples
    --------
    >>> mask_text("Menurut Maria Goreti Seran, jadwalnya padat. Hubungi 0812-3456-7890.")
    'Menurut [nama], jadwalnya padat. Hubungi [telepon].'
    >>> mask_text("Pak Camat mendukung.")
    'Pak Camat mendukung.'
    """
    if not text:
        return text
    out, cursor = [], 0
    for span in find_personal(text, names):
        out.append(text[cursor : span.start])
        out.append(PLACEHOLDERS[span.kind])
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def has_personal(text: str, names: Iterable[str] = ()) -> bool:
    """Whether ``text`` holds anything :func:`mask_text` would mask."""
    return bool(text) and bool(find_personal(text, names))
