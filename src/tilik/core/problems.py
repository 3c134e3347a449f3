"""Problems found in user input, described so a user can fix them.

A problem names the file, row, column, the value found and what was expected. Messages are
Indonesian templates marked for translation; :meth:`Problem.render` produces the sentence in
the user's language. Nothing here raises on bad data: readers collect problems and go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tilik.core.i18n import DEFAULT_LANGUAGE, gettext_noop, translate

__all__ = ["BundleError", "Problem", "Severity", "render_all"]

Severity = str  # "error" (the row/file is not used) or "warning" (used, but worth a look)

_MAX_VALUE_SHOWN = 60


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the reader knows it."""

    message: str
    file: str = ""
    row: int | None = None
    sheet: str = ""  # the worksheet of a workbook, when it is not the first one
    column: str = ""
    value: str | None = None
    expected: str = ""
    severity: Severity = "error"
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The full sentence: where, what was found, what was expected."""
        parts = []
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(translate(gettext_noop("lembar «{sheet}»"), lang).format(sheet=self.sheet))
        if self.row is not None:
            where.append(translate(gettext_noop("baris {row}"), lang).format(row=self.row))
        if self.column:
            where.append(
                translate(gettext_noop("kolom «{column}»"), lang).format(column=self.column)
            )
        if where:
            parts.append(", ".join(where) + ":")
        parts.append(translate(self.message, lang).format(**self.params))
        if self.value is not None:
            shown = self.value if len(self.value) <= _MAX_VALUE_SHOWN else self.value[:57] + "…"
            parts.append(translate(gettext_noop("nilai «{value}»"), lang).format(value=shown))
        if self.expected:
            parts.append(
                translate(gettext_noop("yang diharapkan: {expected}"), lang).format(
                    expected=translate(self.expected, lang)
                )
            )
        sentence = " ".join(parts[:2]) if len(parts) > 1 else parts[0]
        rest = parts[2:]
        return sentence + ("; " + "; ".join(rest) if rest else "")

    def brief(self, lang: str = DEFAULT_LANGUAGE, *, expected: bool = True) -> str:
        """What is wrong and (unless ``expected`` is False) what was expected, without where:
        for a message beside the cell it is about."""
        text = translate(self.message, lang).format(**self.params)
        if self.expected and expected:
            text += translate(gettext_noop("; yang diharapkan: {expected}"), lang).format(
                expected=translate(self.expected, lang)
            )
        return text

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """A JSON-friendly form, with the rendered text under ``text``."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": translate(self.expected, lang) if self.expected else "",
            "severity": self.severity,
            "text": self.render(lang),
        }

    def __str__(self) -> str:
        return self.render()


def render_all(problems: list[Problem], lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """Render every problem, errors first, in file and row order."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0, p.column))
    return [p.render(lang) for p in ordered]


class BundleError(Exception):
    """Raised only when a bundle cannot be read at all (for example, the folder is missing)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem
