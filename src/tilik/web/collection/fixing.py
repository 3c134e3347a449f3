"""The cells of a quarantined row as the fix page shows them: each column with the question it
answers (its label), a widget for its kind of answer (the choices as a list, dates as dates),
and the rules it broke."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tilik.core.columns import map_columns
from tilik.core.ingest import ORPHAN_SHEET
from tilik.core.xlsform import Form, Question

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Cell:
    """One column of a quarantined row on the fix page."""

    index: int
    column: str
    value: str
    label: str = ""  # the question's label, when the column answers one
    widget: str = "text"  # text, textarea, number, date, select, checkboxes
    choices: list[tuple[str, str]] = field(default_factory=list)  # (name, label)
    picked: list[str] = field(default_factory=list)  # the choices the value names
    unknown_value: str = ""  # a select's value that is none of its choices
    rules: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def bad(self) -> bool:
        return bool(self.rules)


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("id") or next(iter(labels.values()), "") or fallback


def _widget(cell: Cell, question: Question, form: Form, lang: str) -> None:
    kind = question.type
    if kind in ("select_one", "select_multiple") and not question.choices_from:
        choices = [
            (c.name, _label(c.labels, lang, c.name))
            for c in form.choices.get(question.list_name, [])
        ]
        by_label = {text.strip().lower(): name for name, text in choices}
        names = {name for name, _ in choices}
        given = cell.value.split() if kind == "select_multiple" else [cell.value.strip()]
        given = [g for g in given if g]
        picked = [g if g in names else by_label.get(g.lower(), "") for g in given]
        if kind == "select_multiple" and any(not p for p in picked):
            return  # labels with their own separators: corrected as text
        cell.choices = choices
        cell.picked = [p for p in picked if p]
        if kind == "select_one" and given and not picked[0]:
            cell.unknown_value = given[0]
        cell.widget = "select" if kind == "select_one" else "checkboxes"
    elif kind == "date" and (not cell.value or _ISO_DATE.match(cell.value.strip()) or cell.bad):
        cell.widget = "date"
        if not _ISO_DATE.match(cell.value.strip()):
            cell.unknown_value = cell.value  # shown beside the empty date field
    elif kind in ("integer", "decimal", "range"):
        cell.widget = "number"
    elif kind == "text" and ("multiline" in question.appearance or len(cell.value) > 80):
        cell.widget = "textarea"


def cells(raw: dict[str, Any], problems: list[dict[str, Any]], form: Form, lang: str) -> list[Cell]:
    """The row's cells in column order, bad ones marked with their rules (in ``lang``)."""
    rules: dict[str, list[tuple[str, str]]] = {}  # key → (rule, what is wrong alone)
    for problem in problems:
        key = problem.get("key") or problem.get("column") or ""
        rule, what = problem.get("rule") or {}, problem.get("what") or {}
        full = rule.get(lang) or rule.get("id") or problem.get(lang) or problem.get("id", "")
        rules.setdefault(key, []).append((full, what.get(lang) or what.get("id") or full))
    header = list(raw)
    mapped = (
        {c.index: c for c in map_columns(header, form).columns} if ORPHAN_SHEET not in raw else {}
    )
    shown = []
    for index, column in enumerate(header):
        value = "" if raw[column] is None else str(raw[column])
        cell = Cell(index, column, value)
        found = mapped.get(index)
        question = found.question if found is not None else None
        broken = rules.get(column, []) + (
            rules.get(question.key, []) if question is not None and question.key != column else []
        )
        cell.rules = [full for full, _what in broken]
        if question is not None and found is not None and found.kind == "question":
            cell.label = _label(question.labels, lang, question.name)
            cell.hint = _label(question.hints, lang, "") if question.hints else ""
            _widget(cell, question, form, lang)
            if cell.choices:  # the choices are on the page: the rule need not list them
                cell.rules = [what for _full, what in broken]
        shown.append(cell)
    return shown


def corrected(raw: dict[str, Any], post) -> dict[str, str]:
    """The row as corrected on the page: each column's posted value(s), several joined by a
    space (a select_multiple's choices); a column the page did not send keeps its value."""
    fixed: dict[str, str] = {}
    for column, value in raw.items():
        name = f"v:{column}"
        if name not in post:
            fixed[column] = "" if value is None else str(value)
            continue
        values = [v.strip() for v in post.getlist(name) if v.strip()]
        fixed[column] = " ".join(values)[:10000]
    return fixed
