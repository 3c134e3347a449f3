"""Splitting transcripts into speaker turns and texts into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Turn", "clean_text", "split_sentences", "split_turns"]

# Labels that mark the interviewer's turns. Everything else with a colon is a respondent.
INTERVIEWER_LABELS = frozenset(
    {
        "p",
        "i",
        "q",
        "t",
        "tanya",
        "pewawancara",
        "penanya",
        "pwc",
        "interviewer",
        "evaluator",
        "moderator",
        "fasilitator fgd",
        "tim",
        "tim evaluasi",
        "enumerator",
    }
)
_SPEAKER_RE = re.compile(
    r"^\s*(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?"  # optional [00:12] time stamp
    r"(?P<label>[A-Za-z][\w.'’ -]{0,40}?|\[[^\]]{1,40}\])\s*:\s+(?P<text>.*)$"
)
_ABBREVIATIONS = frozenset(
    [
        "kab",
        "kec",
        "prov",
        "kel",
        "ds",
        "dr",
        "drs",
        "ir",
        "no",
        "jl",
        "dll",
        "dsb",
        "dst",
        "bpk",
        "bp",
        "ibu",
        "sdr",
        "hlm",
        "tgl",
        "rp",
        "st",
        "spd",
        "skm",
        "amd",
        "s.e",
        "s.h",
        "m.si",
        "prof",
        "sdn",
        "smpn",
        "sman",
    ]
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_TRAILING_ATTRIBUTION_RE = re.compile(r"[\"”’']\s*\(([^()]{2,120})\)\s*$")
_QUOTES = "\"'“”‘’«»"


@dataclass(frozen=True)
class Turn:
    """One speaker turn of a transcript.

    Attributes
    ----------
    speaker
        The label before the colon as written ("N", "Bu Maria"), or "" when none.
    text
        What was said.
    interviewer
        True when the label is one of the interviewer's (``P``, ``Pewawancara``...).
    """

    speaker: str
    text: str
    interviewer: bool


def clean_text(text: str) -> str:
    """Strip surrounding quotation marks and a trailing "(role, agency)" attribution.

    Interview excerpts are often written as ``"...." (Kepala Puskesmas X)``; the
    attribution names a position, which must not be coded as a theme.
    """
    text = text.strip()
    match = _TRAILING_ATTRIBUTION_RE.search(text)
    if match:
        text = text[: match.start() + 1]
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1]
    return text.strip()


def _is_label(label: str) -> bool:
    words = label.strip("[] ").split()
    # A label is short: "N", "Pewawancara", "Bu Maria", "Kepala Dinas"
    return 0 < len(words) <= 4 and not label.strip().endswith(("http", "https"))


def split_turns(transcript: str) -> list[Turn]:
    """Split a transcript into speaker turns.

    A line that starts with a short label and a colon ("P:", "N:", "Pewawancara:",
    "Bu Maria:", "[00:12] N:") opens a turn; lines without a label continue the current
    turn. A text without labels is one turn with speaker "".
    """
    turns: list[tuple[str, list[str]]] = []
    for line in transcript.splitlines():
        if not line.strip():
            continue
        match = _SPEAKER_RE.match(line)
        if match and _is_label(match.group("label")):
            turns.append((match.group("label").strip("[] ").strip(), [match.group("text")]))
        elif turns:
            turns[-1][1].append(line.strip())
        else:
            turns.append(("", [line.strip()]))
    out: list[Turn] = []
    for speaker, lines in turns:
        body = " ".join(x.strip() for x in lines if x.strip())
        if body:
            out.append(Turn(speaker, body, speaker.lower().rstrip(".") in INTERVIEWER_LABELS))
    return out


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, keeping abbreviations such as "Kab." together."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        candidate = text[start : match.start()].strip()
        last_word = candidate.rsplit(None, 1)[-1].rstrip(".").lower() if candidate else ""
        if "\n" not in match.group(0) and (last_word in _ABBREVIATIONS or len(last_word) == 1):
            continue
        if candidate:
            pieces.append(candidate)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces
