"""Indonesian theme coding, sentiment and quotes for open answers and transcripts.

For a review screen (web) or a script::

    from tilik.core.themes import Coder, Correction

    coder = Coder.default()                      # fitted once, kept in memory
    coding = coder.code(text)                    # themes, sentiment, sentence spans
    coding.as_dict()                             # JSON: spans with themes and explanation
    coder = coder.with_corrections([Correction(text, ("jadwal",))])   # manual code wins,
                                                                      # and the model retrains
For ``hasil.json``: :func:`bundle_texts`, :func:`themes_section`, :func:`text_challenges`.
"""

from .codebook import Code, Codebook, default_codebook, load_codebook
from .coder import Coder, Coding, Correction, Span, ThemeScore
from .normalize import normalize, normalize_tokens, stem
from .quotes import attribution, mask_personal, select_quotes
from .results import TextItem, bundle_texts, code_items, text_challenges, themes_section
from .segment import clean_text, split_sentences, split_turns

__all__ = [
    "Code",
    "Codebook",
    "Coder",
    "Coding",
    "Correction",
    "Span",
    "TextItem",
    "ThemeScore",
    "attribution",
    "bundle_texts",
    "clean_text",
    "code_items",
    "default_codebook",
    "load_codebook",
    "mask_personal",
    "normalize",
    "normalize_tokens",
    "select_quotes",
    "split_sentences",
    "split_turns",
    "stem",
    "text_challenges",
    "themes_section",
]
