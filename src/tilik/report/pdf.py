"""PDF output: the HTML report printed by WeasyPrint (A4, cover, contents, page numbers)."""

from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["write_pdf"]


def write_pdf(html: str, path: Path) -> Path:
    """Print report HTML to ``path`` as PDF. Fonts come from the system (DejaVu)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    # WeasyPrint logs every unsupported CSS property (the report's CSS is known-good), and
    # fontTools, which subsets the fonts, logs each font it loads: neither is for the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    HTML(string=html, base_url=str(path.parent)).write_pdf(str(path))
    return path
