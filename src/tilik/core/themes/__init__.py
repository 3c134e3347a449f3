"""Indonesian theme coding, sentiment and quotes for open answers and transcripts."""

from .codebook import Code, Codebook, default_codebook, load_codebook
from .coder import Coder, Coding, Correction, Span, ThemeScore
from .normalize import normalize, normalize_tokens, stem
from .segment import clean_text, split_sentences, split_turns

__all__ = [
    "Code",
    "Codebook",
    "Coder",
    "Coding",
    "Correction",
    "Span",
    "ThemeScore",
    "clean_text",
    "default_codebook",
    "load_codebook",
    "normalize",
    "normalize_tokens",
    "split_sentences",
    "split_turns",
    "stem",
]
