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

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .codebook import Code, Codebook, default_codebook, load_codebook
    from .coder import Coder, Coding, Correction, Span, ThemeScore
    from .normalize import normalize, normalize_tokens, stem
    from .quotes import attribution, mask_personal, select_quotes
    from .results import TextItem, bundle_texts, code_items, text_challenges, themes_section
    from .segment import clean_text, split_sentences, split_turns

# Names are loaded from their module on first use: the classifier (scikit-learn) costs seconds
# to import, and a web process or a worker that only needs the codebook must not pay for it.
_WHERE = {
    **dict.fromkeys(("Code", "Codebook", "default_codebook", "load_codebook"), "codebook"),
    **dict.fromkeys(("Coder", "Coding", "Correction", "Span", "ThemeScore"), "coder"),
    **dict.fromkeys(("normalize", "normalize_tokens", "stem"), "normalize"),
    **dict.fromkeys(("attribution", "mask_personal", "select_quotes"), "quotes"),
    **dict.fromkeys(
        ("TextItem", "bundle_texts", "code_items", "text_challenges", "themes_section"), "results"
    ),
    **dict.fromkeys(("clean_text", "split_sentences", "split_turns"), "segment"),
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
