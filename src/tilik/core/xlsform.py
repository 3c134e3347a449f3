"""Instruments as XLSForms: read, check with pyxform, and write back.

An XLSForm is read into a :class:`Form` that keeps every row and column of its ``survey``,
``choices`` and ``settings`` sheets (so writing it back loses nothing), plus a typed view of
its questions. Tilik's extra columns (``construct``, ``level``, ``reverse``, ``correct``, and
``theme`` and ``missing`` on choices) travel in the same sheets; KoboToolbox and ODK ignore them.

Don't-know codes of a Likert list (:meth:`Form.missing_choices`) are choices that are answers
but not points of the scale ("tidak tahu", "tidak berlaku"); the analysis counts them as
missing values. A choice is one when

1. its ``missing`` cell on the choices sheet says yes (``ya``, ``yes``, ``true``, ``1``) —
   the explicit way, and the only one for a code that sits inside the scale; or
2. its name is not a whole number while the list's other names are (``tt``, ``na``); or
3. its name is a whole number outside the scale's run of consecutive numbers (``9``, ``99``,
   ``999``, ``-1`` beside ``1``–``5``): the scale is the longest run of at least three
   consecutive whole numbers among the names, when one run is longer than every other; or
4. it is the lowest or highest number of the list and its label says only "tidak tahu",
   "tidak berlaku", "tidak menjawab", "don't know", "not applicable" or "N/A" (``0 = Tidak
   tahu`` beside ``1``–``5``). A middle point is never a don't-know code by its label.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from tilik.core.i18n import gettext_noop
from tilik.core.problems import Problem
from tilik.core.xlsx import UnsafeSpreadsheet, iter_sheet_rows, open_workbook

__all__ = [
    "Choice",
    "Form",
    "Question",
    "form_from_dict",
    "pyxform_problems",
    "read_xlsform",
    "write_xlsform",
]

_LANG_COLUMN = re.compile(r"^(label|hint|constraint_message|required_message)::(.+)$")
_LANG_CODE = re.compile(r"\(([A-Za-z-]{2,8})\)\s*$")
_GROUP_BEGIN = {"begin_group", "begin group", "begin_repeat", "begin repeat"}
_GROUP_END = {"end_group", "end group", "end_repeat", "end repeat"}
_NON_DATA = {"note", "begin_group", "end_group", "begin_repeat", "end_repeat"}
_TRUE = {"yes", "true", "true()", "1", "ya", "y"}
# Labels that make an end point of a numeric list a don't-know code (rule 4 above).
_DONT_KNOW_LABELS = {
    "tidak tahu",
    "tidak tau",
    "tdk tahu",
    "tdk tau",
    "tidak berlaku",
    "tidak menjawab",
    "tidak ada jawaban",
    "tidak ada pendapat",
    "tidak dapat dinilai",
    "don't know",
    "dont know",
    "do not know",
    "not applicable",
    "no answer",
    "no opinion",
    "prefer not to say",
    "refused",
    "n/a",
    "na",
}
_LABEL_PARTS = re.compile(r"\s*(?:[/,;]|\batau\b|\bor\b)\s*")
LEVELS = ("reaksi", "pembelajaran", "perilaku", "hasil")


def _lang_of(header_suffix: str) -> str:
    """``Indonesian (id)`` → ``id``; ``English`` → ``english``."""
    match = _LANG_CODE.search(header_suffix)
    return (match.group(1) if match else header_suffix).strip().lower()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _truthy(value: str) -> bool:
    return value.strip().lower() in _TRUE


@dataclass
class Choice:
    """One option of a select list."""

    list_name: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    theme: str = ""
    label: str = ""
    missing: bool = False  # the ``missing`` column: a don't-know code, not a scale point


@dataclass
class Question:
    """One row of the survey sheet that holds data (groups are kept as paths)."""

    name: str
    type: str
    list_name: str = ""
    or_other: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    label: str = ""
    group: str = ""
    repeat: str = ""
    construct: str = ""
    level: str = ""
    reverse: bool = False
    correct: str | None = None
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_messages: dict[str, str] = field(default_factory=dict)
    choice_filter: str = ""
    appearance: str = ""
    calculation: str = ""
    default: str = ""

    @property
    def path(self) -> str:
        """The Kobo/ODK export header of this question: ``group/sub/name``."""
        return f"{self.group}/{self.name}" if self.group else self.name

    @property
    def is_select(self) -> bool:
        return self.type in ("select_one", "select_multiple")


@dataclass
class RepeatGroup:
    """A ``begin_repeat`` block: its answers are a list of instances, each a dict of answers
    to the questions inside it (and to the repeats nested in it)."""

    name: str
    path: str  # the export path of the block itself: ``group/…/name``
    parent: str = ""  # the repeat this one is nested in, if any
    labels: dict[str, str] = field(default_factory=dict)
    label: str = ""
    relevant: str = ""  # the conditions of the groups around it and its own, folded
    count: str = ""  # ``repeat_count``: a number or an expression fixing the instances
    questions: list[Question] = field(default_factory=list)  # directly inside, not nested


@dataclass
class Form:
    """An instrument: its sheets as read, and a typed view of its questions."""

    form_id: str
    title: str = ""
    version: str = ""
    default_language: str = "id"
    languages: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    repeats: list[RepeatGroup] = field(default_factory=list)
    choices: dict[str, list[Choice]] = field(default_factory=dict)
    survey_rows: list[dict[str, str]] = field(default_factory=list)
    choice_rows: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    survey_columns: list[str] = field(default_factory=list)
    choice_columns: list[str] = field(default_factory=list)

    def question(self, name: str) -> Question | None:
        for question in self.questions:
            if question.name == name:
                return question
        return None

    def choice_names(self, question: Question) -> list[str]:
        return [c.name for c in self.choices.get(question.list_name, [])]

    def missing_choices(self, question: Question) -> list[str]:
        """Names of the don't-know codes of a numeric list (rules in the module docstring)."""
        return _missing_choices(self.choices.get(question.list_name, []))

    def scale(self, question: Question) -> tuple[int, int]:
        """(min, max) of a Likert item's numeric choices, don't-know codes left out."""
        missing = set(self.missing_choices(question))
        values = [int(n) for n in self.choice_names(question) if _is_int(n) and n not in missing]
        if not values:
            raise ValueError(f"{question.name} has no numeric choices")
        return min(values), max(values)

    def likert_items(self, construct: str | None = None) -> list[Question]:
        """select_one items with a construct whose choices, don't-know codes aside, are at
        least two whole numbers."""
        items = []
        for question in self.data_questions():
            if question.type != "select_one" or not question.construct:
                continue
            if construct is not None and question.construct != construct:
                continue
            missing = set(self.missing_choices(question))
            names = [n for n in self.choice_names(question) if n not in missing]
            if len(names) >= 2 and all(_is_int(n) for n in names):
                items.append(question)
        return items

    def constructs(self) -> list[str]:
        seen: list[str] = []
        for question in self.likert_items():
            if question.construct not in seen:
                seen.append(question.construct)
        return seen

    def data_questions(self) -> list[Question]:
        """Questions holding one answer per submission (not those inside a repeat)."""
        return [q for q in self.questions if q.type not in _NON_DATA and not q.repeat]

    def all_data_questions(self) -> list[Question]:
        """Every question holding data, those inside repeats included."""
        return [q for q in self.questions if q.type not in _NON_DATA]

    def repeat(self, name: str) -> RepeatGroup | None:
        return next((r for r in self.repeats if r.name == name), None)

    def child_repeats(self, parent: str = "") -> list[RepeatGroup]:
        """The repeats directly inside ``parent`` (a repeat name; "" for the top level)."""
        return [r for r in self.repeats if r.parent == parent]

    def repeat_questions(self, name: str) -> list[Question]:
        """Data questions directly inside the repeat ``name`` (not in a nested repeat)."""
        return [q for q in self.questions if q.repeat == name and q.type not in _NON_DATA]

    def to_dict(self) -> dict[str, Any]:
        """The sheets as JSON-friendly data; :func:`form_from_dict` rebuilds the form."""
        return {
            "form_id": self.form_id,
            "survey_columns": self.survey_columns,
            "choice_columns": self.choice_columns,
            "survey": self.survey_rows,
            "choices": self.choice_rows,
            "settings": self.settings,
        }


def _is_int(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", value))


def _says_dont_know(label: str) -> bool:
    parts = [p for p in _LABEL_PARTS.split(label.strip().lower().rstrip(".")) if p]
    return bool(parts) and all(p in _DONT_KNOW_LABELS for p in parts)


def _missing_choices(choices: list[Choice]) -> list[str]:
    numeric = [c for c in choices if _is_int(c.name)]
    if not numeric:
        return [c.name for c in choices if c.missing]
    missing = {c.name for c in choices if c.missing or not _is_int(c.name)}
    values = sorted({int(c.name) for c in numeric if c.name not in missing})
    if values:
        ends = {str(values[0]), str(values[-1])}
        for choice in numeric:
            labels = [choice.label, *choice.labels.values()]
            if choice.name in ends and any(_says_dont_know(text) for text in labels if text):
                missing.add(choice.name)
    values = sorted({int(c.name) for c in numeric if c.name not in missing})
    runs: list[list[int]] = []
    for value in values:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    runs.sort(key=len, reverse=True)
    if runs and len(runs[0]) >= 3 and (len(runs) == 1 or len(runs[0]) > len(runs[1])):
        scale = set(runs[0])
        missing.update(c.name for c in numeric if int(c.name) not in scale)
    return [c.name for c in choices if c.name in missing]


def _split_type(raw: str) -> tuple[str, str, bool]:
    parts = raw.split()
    if not parts:
        return "", "", False
    kind = parts[0]
    if kind in ("select_one", "select_multiple", "select_one_from_file", "rank") and len(parts) > 1:
        return kind, parts[1], "or_other" in parts[2:]
    if kind in ("begin", "end") and len(parts) > 1:
        return f"{kind}_{parts[1]}", "", False
    return kind, "", False


def _localised(row: dict[str, str], base: str, default_language: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for column, value in row.items():
        if not value:
            continue
        if column == base:
            found.setdefault(default_language, value)
        match = _LANG_COLUMN.match(column)
        if match and match.group(1) == base:
            found[_lang_of(match.group(2))] = value
    return found


def _pick(labels: dict[str, str], default_language: str) -> str:
    if default_language in labels:
        return labels[default_language]
    return next(iter(labels.values()), "")


def _build(
    form_id: str,
    survey_columns: list[str],
    survey_rows: list[dict[str, str]],
    choice_columns: list[str],
    choice_rows: list[dict[str, str]],
    settings: dict[str, str],
) -> Form:
    default_language = _lang_of(settings.get("default_language", "") or "id") or "id"
    languages = sorted(
        {_lang_of(m.group(2)) for c in survey_columns if (m := _LANG_COLUMN.match(c))}
        | {default_language}
    )
    form = Form(
        form_id=form_id,
        title=settings.get("form_title", "") or form_id,
        version=settings.get("version", ""),
        default_language=default_language,
        languages=languages,
        survey_rows=survey_rows,
        choice_rows=choice_rows,
        settings=settings,
        survey_columns=survey_columns,
        choice_columns=choice_columns,
    )
    for row in choice_rows:
        list_name = row.get("list_name") or row.get("list name") or ""
        if not list_name or not row.get("name"):
            continue
        labels = _localised(row, "label", default_language)
        form.choices.setdefault(list_name, []).append(
            Choice(
                list_name=list_name,
                name=row["name"],
                labels=labels,
                label=_pick(labels, default_language) or row["name"],
                theme=row.get("theme", ""),
                missing=_truthy(row.get("missing", "")),
            )
        )
    # (name, is_repeat, relevant): a group's condition applies to every question inside it,
    # as in ODK, so each question carries the conjunction of its groups' conditions.
    groups: list[tuple[str, bool, str]] = []
    for row in survey_rows:
        kind, list_name, or_other = _split_type(row.get("type", ""))
        name = row.get("name", "")
        if kind in {k.replace(" ", "_") for k in _GROUP_BEGIN}:
            if kind == "begin_repeat" and name:
                conditions = [c for _, _, c in groups if c]
                if row.get("relevant", "").strip():
                    conditions.append(row["relevant"].strip())
                repeat_labels = _localised(row, "label", default_language)
                form.repeats.append(
                    RepeatGroup(
                        name=name,
                        path="/".join([*(g for g, _, _ in groups), name]),
                        parent=next((g for g, rep, _ in reversed(groups) if rep), ""),
                        labels=repeat_labels,
                        label=_pick(repeat_labels, default_language) or name,
                        relevant=_fold(conditions),
                        count=(row.get("repeat_count") or row.get("jr:count") or "").strip(),
                    )
                )
            groups.append((name, kind == "begin_repeat", row.get("relevant", "").strip()))
            continue
        if kind in {k.replace(" ", "_") for k in _GROUP_END}:
            if groups:
                groups.pop()
            continue
        if not kind or not name:
            continue
        labels = _localised(row, "label", default_language)
        correct = row.get("correct", "")
        repeat = next((g for g, is_repeat, _ in reversed(groups) if is_repeat), "")
        conditions = [c for _, _, c in groups if c]
        own = row.get("relevant", "").strip()
        if own:
            conditions.append(own)
        relevant = _fold(conditions)
        form.questions.append(
            Question(
                name=name,
                type=kind,
                list_name=list_name,
                or_other=or_other,
                labels=labels,
                hints=_localised(row, "hint", default_language),
                label=_pick(labels, default_language) or name,
                group="/".join(g for g, _, _ in groups),
                repeat=repeat,
                construct=row.get("construct", ""),
                level=row.get("level", "").lower(),
                reverse=_truthy(row.get("reverse", "")),
                correct=correct or None,
                required=_truthy(row.get("required", "")),
                relevant=relevant,
                constraint=row.get("constraint", ""),
                constraint_messages=_localised(row, "constraint_message", default_language),
                choice_filter=row.get("choice_filter", ""),
                appearance=row.get("appearance", ""),
                calculation=row.get("calculation", ""),
                default=row.get("default", ""),
            )
        )
    for repeat_group in form.repeats:
        repeat_group.questions = form.repeat_questions(repeat_group.name)
    return form


def _fold(conditions: list[str]) -> str:
    """Conditions joined by ``and`` (each in brackets when there are several)."""
    if len(conditions) > 1:
        return " and ".join(f"({c})" for c in conditions)
    return "".join(conditions)


def _sheet_rows(workbook: Any, name: str) -> tuple[list[str], list[dict[str, str]]]:
    sheet = next((workbook[s] for s in workbook.sheetnames if s.strip().lower() == name), None)
    if sheet is None:
        return [], []
    rows = iter_sheet_rows(sheet)
    header: list[str] = []
    for first in rows:
        header = [_text(v) for v in first]
        if any(header):
            break
    while header and not header[-1]:
        header.pop()
    records = []
    for values in rows:
        record = {h: _text(v) for h, v in zip(header, values) if h}
        if any(record.values()):
            records.append(record)
    return header, records


def read_xlsform(
    source: str | Path | bytes, *, file_name: str = ""
) -> tuple[Form | None, list[Problem]]:
    """Read an XLSForm into a :class:`Form`; problems are returned, never raised."""
    label = file_name or (str(source) if not isinstance(source, bytes) else "")
    try:
        workbook = open_workbook(source)
    except UnsafeSpreadsheet as exc:
        return None, [Problem(exc.reason, file=label)]
    try:
        survey_columns, survey_rows = _sheet_rows(workbook, "survey")
        choice_columns, choice_rows = _sheet_rows(workbook, "choices")
        _, settings_rows = _sheet_rows(workbook, "settings")
    except UnsafeSpreadsheet as exc:
        return None, [Problem(exc.reason, file=label)]
    finally:
        workbook.close()
    if not survey_rows:
        return None, [
            Problem(
                gettext_noop("XLSForm tidak memiliki lembar «survey» yang berisi pertanyaan"),
                file=label,
                expected=gettext_noop("lembar survey, choices, settings"),
            )
        ]
    settings = settings_rows[0] if settings_rows else {}
    stem = Path(label).stem if label else ""
    form_id = settings.get("form_id", "") or stem
    problems: list[Problem] = []
    if stem and settings.get("form_id") and settings["form_id"] != stem:
        problems.append(
            Problem(
                gettext_noop("form_id di lembar settings berbeda dengan nama berkas"),
                file=label,
                column="settings/form_id",
                value=settings["form_id"],
                expected=stem,
                severity="warning",
            )
        )
    form = _build(form_id, survey_columns, survey_rows, choice_columns, choice_rows, settings)
    problems.extend(_tilik_column_problems(form, label))
    return form, problems


def _tilik_column_problems(form: Form, label: str) -> list[Problem]:
    problems = []
    for row_number, question in enumerate(form.questions, start=2):
        if question.level and question.level not in LEVELS:
            problems.append(
                Problem(
                    gettext_noop("level Kirkpatrick tidak dikenal"),
                    file=label,
                    column="survey/level",
                    value=question.level,
                    expected="reaksi | pembelajaran | perilaku | hasil",
                    severity="warning",
                    row=row_number,
                )
            )
        if question.correct and question.is_select:
            names = form.choice_names(question)
            # A select_multiple's key lists every right choice, separated by spaces.
            keys = question.correct.split() if question.type == "select_multiple" else []
            if (keys and not set(keys) <= set(names)) or (
                not keys and question.correct not in names
            ):
                problems.append(
                    Problem(
                        gettext_noop("jawaban benar (correct) bukan salah satu pilihan"),
                        file=label,
                        column="survey/correct",
                        value=question.correct,
                        expected=", ".join(names),
                    )
                )
        if question.is_select and question.list_name not in form.choices:
            problems.append(
                Problem(
                    gettext_noop("daftar pilihan tidak ada di lembar choices"),
                    file=label,
                    column="survey/type",
                    value=question.list_name,
                )
            )
    return problems


def pyxform_problems(source: str | Path | bytes, *, file_name: str = "") -> list[Problem]:
    """What pyxform (the converter KoboToolbox and ODK use) says about the form."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    label = file_name or (str(source) if not isinstance(source, bytes) else "")
    warnings: list[str] = []
    payload: Any = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        convert(
            xlsform=payload,
            warnings=warnings,
            validate=False,
            file_type=".xlsx" if isinstance(source, bytes) else None,
        )
    except PyXFormError as exc:
        return [
            Problem(
                gettext_noop("pyxform menolak formulir: {detail}"),
                file=label,
                params={"detail": str(exc)},
            )
        ]
    except Exception as exc:  # pyxform raises plain errors for some broken sheets
        return [
            Problem(
                gettext_noop("pyxform tidak dapat membaca formulir: {detail}"),
                file=label,
                params={"detail": str(exc)},
            )
        ]
    return [
        Problem(
            gettext_noop("peringatan pyxform: {detail}"),
            file=label,
            severity="warning",
            params={"detail": w},
        )
        for w in warnings
    ]


def form_from_dict(data: dict[str, Any]) -> Form:
    """Rebuild a :class:`Form` from :meth:`Form.to_dict`."""
    return _build(
        data["form_id"],
        list(data.get("survey_columns", [])),
        [dict(r) for r in data.get("survey", [])],
        list(data.get("choice_columns", [])),
        [dict(r) for r in data.get("choices", [])],
        dict(data.get("settings", {})),
    )


def write_xlsform(form: Form, target: str | Path | None = None) -> bytes:
    """Write the form's sheets back as an XLSForm (all columns kept); returns the bytes."""
    workbook = openpyxl.Workbook()
    sheets = [
        ("survey", form.survey_columns, form.survey_rows),
        ("choices", form.choice_columns, form.choice_rows),
        ("settings", list(form.settings), [form.settings] if form.settings else []),
    ]
    first = True
    for name, columns, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet(name)
        first = False
        sheet.title = name
        header = list(columns) or sorted({k for r in rows for k in r})
        for extra in (k for r in rows for k in r):
            if extra not in header:
                header.append(extra)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column, "") or None for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data
