"""Cue patterns searched in one pass by RE2 find exactly what Python's re finds."""

from __future__ import annotations

import re

import pytest

from tilik.core.themes import default_codebook
from tilik.core.themes.codebook import load_codebook
from tilik.core.themes.coder import _find_cues, load_seed
from tilik.core.themes.cueset import CueSet, widened
from tilik.core.themes.normalize import normalize
from tilik.core.themes.segment import clean_text


class _PatternByPattern:
    def candidates(self, surface):
        return None


def _both(codebook, texts):
    norms = [normalize(clean_text(t)) for t in texts]
    fast = [_find_cues(codebook, n) for n in norms]
    codebook.__dict__["cue_set"] = _PatternByPattern()
    try:
        slow = [_find_cues(codebook, n) for n in norms]
    finally:
        del codebook.__dict__["cue_set"]
    return fast, slow


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?<!rapat )(NEG_)?anggaran\b", r"\b(NEG_)?anggaran\b"),
        (r"modul(?! ajar)\w*", r"modul\w*"),
        (r"a(?! (b|c(?=d)))x", r"ax"),
        (r"[(?!]x\(?!y", r"[(?!]x\(?!y"),
        (r"[]a(?=)]b(?<=b)", r"[]a(?=)]b"),
    ],
)
def test_it_widens_a_pattern_by_dropping_its_lookarounds(pattern, expected):
    assert widened(pattern) == expected
    re.compile(widened(pattern))


def test_it_finds_the_same_cues_as_python_on_every_training_text():
    codebook = default_codebook()
    texts = [row["text"] for row in load_seed()]
    texts += [e for code in codebook for e in code.examples]
    fast, slow = _both(codebook, texts)
    assert sum(len(h) for cues in fast for h in cues.hits) > 3000
    assert fast == slow


def test_it_searches_patterns_re2_cannot_read_the_old_way():
    codebook = load_codebook(
        {
            "codes": [
                {"code": "gema", "patterns": [r"\b(\w+) \1\b", r"\bcaf\b", r"\bkopi\b"]},
                {"code": "lain", "patterns": [r"(?<!tidak )\bbagus\b"]},
            ]
        }
    )
    texts = ["kopi kopi di café", "sangat sangat bagus", "tidak bagus", "bagus"]
    fast, slow = _both(codebook, texts)
    assert fast == slow
    assert fast[0].hits[0] == (0, 1, 2) and fast[2].hits[1] == () and fast[3].hits[1] == (0,)


def test_it_leaves_a_text_with_other_than_ascii_letters_to_python():
    found = CueSet([[r"\bbagus\b"]])
    assert found.candidates(" bagus ") == [[0]]
    assert found.candidates(" bagus é ") is None
