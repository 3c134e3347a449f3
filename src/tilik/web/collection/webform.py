"""The respondent's web form: what the page shows, and the server's check of what it sends.

Rendered from the instrument (:func:`form_items`); answers are checked on the server with
the same rules as imports (:func:`validate_answers`), whatever the browser did.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tilik.core.ingest import convert_value
from tilik.core.xlsform import Form, Question
from tilik.core.xpath import XPathError, compile_expression, evaluate, truthy

__all__ = ["Item", "choice_filter_names", "form_items", "validate_answers"]


@dataclass
class Item:
    """One thing on a respondent's page: a group boundary, a note or a question."""

    kind: str  # "begin", "end", "note", "question"
    name: str
    label: str = ""
    hint: str = ""
    question: Question | None = None
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # name, label, row JSON
    relevant: str = ""  # the compiled tree as JSON, for the browser
    constraint: str = ""
    choice_filter: str = ""
    constraint_message: str = ""
    required: bool = False
    input_type: str = "text"
    or_other: bool = False
    repeat: bool = False


def _expression_json(text: str) -> str:
    if not text:
        return ""
    try:
        return json.dumps(compile_expression(text))
    except XPathError:
        return ""  # checked on the server only


def _label(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("id") or next(iter(labels.values()), "") or fallback


_INPUT_TYPES = {"integer": "number", "decimal": "number", "date": "date", "text": "text"}


def form_items(form: Form, lang: str) -> list[Item]:
    """The page a respondent sees, in survey order, with labels in ``lang``."""
    items: list[Item] = []
    questions = {q.name: q for q in form.questions}
    from tilik.core.xlsform import _localised, _split_type

    for row in form.survey_rows:
        kind, _list, _other = _split_type(row.get("type", ""))
        name = row.get("name", "")
        if kind in ("begin_group", "begin_repeat"):
            labels = _localised(row, "label", form.default_language)
            items.append(
                Item(
                    "begin",
                    name,
                    _label(labels, lang, ""),
                    relevant=_expression_json(row.get("relevant", "")),
                    repeat=kind == "begin_repeat",
                )
            )
        elif kind in ("end_group", "end_repeat"):
            items.append(Item("end", name))
        elif name in questions:
            q = questions[name]
            if q.type in ("calculate", "start", "end", "today", "deviceid", "audit", "hidden"):
                continue
            label = _label(q.labels, lang, q.name)
            hint = _label(q.hints, lang, "") if q.hints else ""
            if q.type == "note":
                items.append(
                    Item("note", q.name, label, hint, relevant=_expression_json(q.relevant))
                )
                continue
            rows = {
                r.get("name"): r
                for r in form.choice_rows
                if (r.get("list_name") or r.get("list name")) == q.list_name
            }
            choices = [
                (
                    c.name,
                    _label(c.labels, lang, c.name),
                    json.dumps(
                        {k: v for k, v in rows.get(c.name, {}).items() if not k.startswith("label")}
                    )
                    if q.choice_filter
                    else "",
                )
                for c in form.choices.get(q.list_name, [])
            ]
            items.append(
                Item(
                    "question",
                    q.name,
                    label,
                    hint,
                    q,
                    choices,
                    relevant=_expression_json(q.relevant),
                    constraint=_expression_json(q.constraint),
                    choice_filter=_expression_json(q.choice_filter),
                    constraint_message=_label(q.constraint_messages, lang, "")
                    if q.constraint_messages
                    else "",
                    required=q.required,
                    input_type=_INPUT_TYPES.get(q.type, "text"),
                    or_other=q.or_other,
                )
            )
    return items


def _relevant(expression: str, answers: Mapping[str, Any]) -> bool:
    if not expression:
        return True
    try:
        return truthy(evaluate(expression, answers))
    except XPathError:
        return True


def validate_answers(
    form: Form, data: Mapping[str, Any], lang: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers and errors (question name → message in ``lang``), checked on the server.

    ``data`` maps names to strings, or to lists for select_multiple. Answers to questions that
    are not relevant are dropped, as XForms does; calculations are evaluated.
    """
    from tilik.core.i18n import gettext_noop, translate

    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in form.data_questions():
        if q.type == "calculate":
            continue
        raw = data.get(q.name)
        if q.type == "select_multiple":
            picked = raw if isinstance(raw, list) else ([raw] if raw else [])
            text = " ".join(str(p) for p in picked)
        else:
            text = "" if raw is None else (raw[0] if isinstance(raw, list) and raw else str(raw))
            if isinstance(raw, list) and not raw:
                text = ""
        value, message, expected = convert_value(q, str(text), form)
        if message:
            errors[q.name] = translate(message, lang) + (
                f" ({translate(expected, lang)})" if expected else ""
            )
            continue
        answers[q.name] = value
        if (
            q.or_other
            and value is not None
            and (value == "other" or (isinstance(value, list) and "other" in value))
        ):
            other = data.get(f"{q.name}_other")
            other = other[0] if isinstance(other, list) and other else other
            answers[f"{q.name}_other"] = str(other or "").strip()
    for q in form.data_questions():
        if q.type == "calculate" and q.calculation:
            try:
                answers[q.name] = evaluate(q.calculation, answers)
            except XPathError:
                answers[q.name] = None
    for q in form.data_questions():
        if q.type == "calculate" or q.name in errors:
            continue
        # q.relevant already holds the conditions of the groups around q (see xlsform).
        if not _relevant(q.relevant, answers):
            answers.pop(q.name, None)
            continue
        value = answers.get(q.name)
        empty = value is None or value == "" or value == []
        if empty:
            if q.required:
                errors[q.name] = translate(gettext_noop("Pertanyaan ini wajib dijawab."), lang)
            continue
        if q.constraint:
            try:
                passed = truthy(evaluate(q.constraint, answers, current=value))
            except XPathError:
                passed = True
            if not passed:
                errors[q.name] = _label(q.constraint_messages, lang, "") or translate(
                    gettext_noop("Jawaban tidak memenuhi syarat."), lang
                )
        if q.choice_filter and q.is_select:
            allowed = set(choice_filter_names(form, q, answers))
            picked = value if isinstance(value, list) else [value]
            if any(p not in allowed and p != "other" for p in picked):
                errors[q.name] = translate(gettext_noop("Pilihan ini tidak tersedia."), lang)
                continue
        if q.or_other and answers.get(f"{q.name}_other") == "":
            errors[q.name] = translate(gettext_noop("Tuliskan pilihan lainnya."), lang)
    return answers, errors


def choice_filter_names(form: Form, question: Question, answers: Mapping[str, Any]) -> list[str]:
    """The choices a ``choice_filter`` leaves, given the answers so far."""
    names = []
    for row in form.choice_rows:
        if (row.get("list_name") or row.get("list name")) != question.list_name:
            continue
        try:
            keep = truthy(evaluate(question.choice_filter, answers, names=row))
        except XPathError:
            keep = True
        if keep and row.get("name"):
            names.append(row["name"])
    return names
