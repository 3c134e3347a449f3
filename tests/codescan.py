"""Find codes (theme, construct, kind, rule and statistic keys, hasil paths) in what a person
reads on a rendered page: its text, and the alt, title and aria-label of its elements."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tilik.core import labels
from tilik.core.themes import default_codebook

# hasil.json keys a statistic or a path leaks as (besides labels.STATISTICS).
STAT_KEYS = {
    "top2box",
    "top2box_ci",
    "share_ci",
    "mean_ci",
    "alpha_ci",
    "n_pairs",
    "mean_pre",
    "mean_post",
    "wilcoxon_p",
    "normalized_gain",
    "share_meeting_20",
    "share_respondents",
    "n_responses",
    "response_rate",
}
PATH = re.compile(
    r"\b(constructs|groups|challenges|prepost|ikm|instruments|themes|jp|findings|"
    r"recommendations)/[\w~.-]+"
)
_READ_ATTRS = {"alt", "title", "aria-label", "placeholder"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("script", "style", "template"):
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k in _READ_ATTRS and v)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def known_codes(extra: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """Codes that are not ordinary words: those with an underscore, and named extras."""
    codes = set(labels.known_codes()) | STAT_KEYS | {c.code for c in default_codebook().codes}
    codes |= set(extra)
    return {c for c in codes if "_" in c} | set(extra)


def leaked_codes(html: str, extra: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Codes and hasil paths found in the visible text of ``html``."""
    text = visible_text(html)
    found = sorted(
        code
        for code in known_codes(extra)
        if re.search(rf"(?<![\w/-]){re.escape(code)}(?![\w])", text)
    )
    found += sorted({m.group(0) for m in PATH.finditer(text)})
    return found
