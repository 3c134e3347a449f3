"""Instruments as XLSForms: read, check with pyxform, and write back.

An XLSForm is read into a :class:`Form` that keeps every row and column of its sheets (so
writing it back loses nothing), plus a typed view of its questions. The typed view is built
from what pyxform (the converter KoboToolbox and ODK use) makes of the sheets
(``workbook_to_json``), so every spelling pyxform accepts is read as pyxform reads it: type
aliases (``select one x``, ``select all that apply x``, ``gps``, ``begin loop over x``),
upper-case headers, ``label:English``, ``bind::relevant``, ``or_other``, select from a file
or from a previous repeat's answers. Tilik's extra columns (``construct``, ``level``,
``reverse``, ``correct``, and ``theme`` and ``missing`` on choices) travel in the same sheets;
KoboToolbox and ODK ignore them.

Answers are keyed by :attr:`Question.key`: the question's name, or, when another question
or repeat of the form has the same name (questions in different groups, or the copies a
``begin loop`` makes), its group path inside its repeat (``lantai_1/jumlah``).

``.xlsx``, ``.xls`` and ``.ods`` workbooks are read; a form read from ``.xls`` or ``.ods``
is written back as ``.xlsx``.

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

import datetime as dt
import hashlib
import io
import json
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from tilik.core.i18n import gettext_noop
from tilik.core.problems import Problem
from tilik.core.xlsx import MAX_COLUMNS, UnsafeSpreadsheet, check_zip, open_workbook

__all__ = [
    "DEVICE_METADATA",
    "Choice",
    "Form",
    "Group",
    "Question",
    "RepeatGroup",
    "form_from_dict",
    "pyxform_problems",
    "read_xlsform",
    "spreadsheet_kind",
    "write_xlsform",
]

_LANG_COLUMN = re.compile(r"^(label|hint|constraint_message|required_message)::(.+)$")
_LANG_CODE = re.compile(r"\(([A-Za-z-]{2,8})\)\s*$")
_GROUP_BEGIN = {"begin_group", "begin group", "begin_repeat", "begin repeat"}
_GROUP_END = {"end_group", "end group", "end_repeat", "end repeat"}
_NON_DATA = {
    "note",
    "begin_group",
    "end_group",
    "begin_repeat",
    "end_repeat",
    "xml-external",
    "csv-external",
}
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

# Filled by the phone, never asked: a web form fills what a server can (start, end, today).
DEVICE_METADATA = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
        "background-audio",
        "background-geopoint",
    }
)
# The workbook sheets an XLSForm may have besides survey, choices and settings.
_OTHER_SHEETS = ("external_choices", "entities", "osm")
_EMPTY_ROWS_END = 60  # as pyxform: a run of this many empty rows ends a sheet
_EMPTY_COLUMNS_END = 20  # … and of this many empty header cells, the header


def _lang_of(header_suffix: str) -> str:
    """``Indonesian (id)`` → ``id``; ``English`` → ``english``."""
    match = _LANG_CODE.search(header_suffix)
    return (match.group(1) if match else header_suffix).strip().lower()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return str(value)
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
    columns: dict[str, str] = field(default_factory=dict)  # other columns (choice_filter)


@dataclass
class Question:
    """One question of the survey sheet that holds data (groups are kept as paths)."""

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
    # Added with pyxform's reading; older code never needs them.
    answer_key: str = ""  # see :attr:`key`; "" when it is the name
    parameters: dict[str, str] = field(default_factory=dict)  # range start/end/step, …
    itemset: str = ""  # a select's choices from a file (``x.csv``) or ``${q}``
    choices_from: str = ""  # select_one ${q}: the question whose answers are the choices
    read_only: bool = False
    own_relevant: str = ""  # the row's own condition, without its groups'
    required_messages: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Where the answer is kept: the name, unless another question has it too."""
        return self.answer_key or self.name

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
class Group:
    """A group or repeat of the form's body, in survey order (what a page shows)."""

    name: str
    kind: str  # "group" or "repeat"
    labels: dict[str, str] = field(default_factory=dict)
    relevant: str = ""  # its own condition
    appearance: str = ""
    children: list[Group | Question] = field(default_factory=list)


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
    # Added with pyxform's reading.
    body: list[Group | Question] = field(default_factory=list)  # the survey as a tree
    sheets: dict[str, tuple[list[str], list[dict[str, str]]]] = field(default_factory=dict)
    read_by_pyxform: bool = False  # False: pyxform could not read it; rows read as written

    def question(self, name: str) -> Question | None:
        for question in self.questions:
            if question.name == name:
                return question
        return None

    def by_key(self, key: str) -> Question | None:
        """The question whose answer is kept under ``key``."""
        for question in self.questions:
            if question.key == key:
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
        data: dict[str, Any] = {
            "form_id": self.form_id,
            "survey_columns": self.survey_columns,
            "choice_columns": self.choice_columns,
            "survey": self.survey_rows,
            "choices": self.choice_rows,
            "settings": self.settings,
        }
        if self.sheets:
            data["sheets"] = {
                name: {"columns": columns, "rows": rows}
                for name, (columns, rows) in self.sheets.items()
            }
        return data


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
    """A survey row's type as written: ``(kind, list name, or_other)`` (kept for the rows
    pyxform could not read)."""
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


def _fold(conditions: list[str]) -> str:
    """Conditions joined by ``and`` (each in brackets when there are several)."""
    if len(conditions) > 1:
        return " and ".join(f"({c})" for c in conditions)
    return "".join(conditions)


# Building the model -----------------------------------------------------------------------


def _build(
    form_id: str,
    survey_columns: list[str],
    survey_rows: list[dict[str, str]],
    choice_columns: list[str],
    choice_rows: list[dict[str, str]],
    settings: dict[str, str],
    sheets: dict[str, tuple[list[str], list[dict[str, str]]]] | None = None,
) -> Form:
    sheets = sheets or {}
    default_language = _lang_of(settings.get("default_language", "") or "id") or "id"
    form = Form(
        form_id=form_id,
        title=settings.get("form_title", "") or form_id,
        version=settings.get("version", ""),
        default_language=default_language,
        survey_rows=survey_rows,
        choice_rows=choice_rows,
        settings=settings,
        survey_columns=survey_columns,
        choice_columns=choice_columns,
        sheets=sheets,
    )
    model = _pyxform_json(
        form_id, survey_columns, survey_rows, choice_columns, choice_rows, settings, sheets
    )
    if model is not None:
        _Reader(form, model).read()
        form.read_by_pyxform = True
    else:
        _build_from_rows(form)
    languages = {default_language}
    for question in form.questions:
        languages.update(question.labels)
    for choices in form.choices.values():
        for choice in choices:
            languages.update(choice.labels)
    form.languages = sorted(languages)
    _assign_keys(form)
    for repeat_group in form.repeats:
        repeat_group.questions = form.repeat_questions(repeat_group.name)
    return form


def _assign_keys(form: Form) -> None:
    """Give a question whose name another question or repeat also has its group path inside
    its repeat as the key of its answer (pyxform refuses ``${name}`` for such names, so no
    expression refers to them by name)."""
    names = Counter(q.name for q in form.all_data_questions())
    names.update(r.name for r in form.repeats)
    repeat_paths = {r.name: r.path for r in form.repeats}
    for question in form.questions:
        if names[question.name] < 2:
            continue
        inside = repeat_paths.get(question.repeat, "")
        path = question.path
        relative = path[len(inside) + 1 :] if inside and path.startswith(inside + "/") else path
        if relative != question.name:
            question.answer_key = relative


# pyxform's view of the sheets, remembered per content: a form is rebuilt from its stored
# sheets on every request that uses it.
_JSON_CACHE: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
_JSON_LOCK = threading.Lock()


def _cells(row: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k and v not in ("", None)}


def _pyxform_json(
    form_id: str,
    survey_columns: list[str],
    survey_rows: list[dict[str, str]],
    choice_columns: list[str],
    choice_rows: list[dict[str, str]],
    settings: dict[str, str],
    sheets: dict[str, tuple[list[str], list[dict[str, str]]]],
) -> dict[str, Any] | None:
    """What pyxform's ``workbook_to_json`` makes of the sheets; None when it refuses them."""
    payload = json.dumps(
        [form_id, survey_columns, survey_rows, choice_columns, choice_rows, settings, sheets],
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    with _JSON_LOCK:
        if digest in _JSON_CACHE:
            _JSON_CACHE.move_to_end(digest)
            return _JSON_CACHE[digest]
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import DefinitionData

    def header(columns: Iterable[str]) -> list[dict[str, None]]:
        return [{c: None for c in columns if c}]

    extra: dict[str, Any] = {}
    for name, (columns, rows) in sheets.items():
        extra[name] = [_cells(r) for r in rows]
        extra[f"{name}_header"] = header(columns)
    data = DefinitionData(
        survey=[_cells(r) for r in survey_rows],
        survey_header=header(survey_columns),
        choices=[_cells(r) for r in choice_rows] or None,
        choices_header=header(choice_columns) if choice_rows else None,
        settings=[_cells(settings)] if _cells(settings) else None,
        settings_header=header(settings) if _cells(settings) else None,
        sheet_names=["survey", "choices", "settings", *sheets],
        fallback_form_name=form_id or None,
        **extra,
    )
    try:
        model: dict[str, Any] | None = workbook_to_json(
            data, form_name=None, fallback_form_name=form_id or None, warnings=[]
        )
    except Exception:  # refused (pyxform says why at upload, see pyxform_problems)
        model = None
    with _JSON_LOCK:
        _JSON_CACHE[digest] = model
        while len(_JSON_CACHE) > 64:
            _JSON_CACHE.popitem(last=False)
    return model


def _signature(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _signature(v)) for k, v in value.items()))
    return value


_CANONICAL_TYPES = (
    "text",
    "integer",
    "decimal",
    "date",
    "time",
    "datetime",
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "note",
    "calculate",
    "acknowledge",
    "trigger",
    "range",
    "hidden",
    "osm",
    *sorted(DEVICE_METADATA),
    "xml-external",
    "csv-external",
)
_SELECTS = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "rank": "rank",
}
_FILE_SUFFIXES = (".csv", ".xml", ".geojson")


def _type_table() -> dict[str, str]:
    """pyxform's question types (every alias) → the XLSForm type they mean."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    by_signature: dict[Any, str] = {}
    for canonical in _CANONICAL_TYPES:
        if canonical in QUESTION_TYPE_DICT:
            by_signature.setdefault(_signature(QUESTION_TYPE_DICT[canonical]), canonical)
    table = {c: c for c in _CANONICAL_TYPES}
    for alias, definition in QUESTION_TYPE_DICT.items():
        signature = _signature(definition)
        if alias not in table and signature in by_signature:
            table[alias] = by_signature[signature]
    table["phone number"] = "text"  # a text with a digits-only constraint, added below
    return table


_TYPES: dict[str, str] = {}


def _canonical_type(raw: str, itemset: str) -> str:
    if not _TYPES:
        _TYPES.update(_type_table())
    if raw in _SELECTS:
        kind = _SELECTS[raw]
        if itemset.lower().endswith(_FILE_SUFFIXES) and kind in ("select_one", "select_multiple"):
            return f"{kind}_from_file"
        return kind
    return _TYPES.get(raw) or _TYPES.get(raw.lower()) or raw


class _Reader:
    """Walks pyxform's JSON of a form and fills the :class:`Form`."""

    def __init__(self, form: Form, model: dict[str, Any]) -> None:
        self.form = form
        self.model = model
        self.default = form.default_language

    def localised(self, value: Any) -> dict[str, str]:
        if value is None or value == "":
            return {}
        if isinstance(value, Mapping):
            found: dict[str, str] = {}
            for language, text in value.items():
                code = self.default if language == "default" else _lang_of(str(language))
                if text not in (None, ""):
                    found[code] = str(text)
            return found
        return {self.default: str(value)}

    def read(self) -> None:
        for list_name, options in (self.model.get("choices") or {}).items():
            self.form.choices[list_name] = [self.choice(list_name, o) for o in options]
        children = self.model.get("children") or []
        self.form.body = self.walk(children, (), "")

    def choice(self, list_name: str, option: Mapping[str, Any]) -> Choice:
        labels = self.localised(option.get("label"))
        name = str(option.get("name", ""))
        columns = {
            str(k): str(v)
            for k, v in option.items()
            if k not in ("name", "label", "media") and isinstance(v, str | int | float)
        }
        return Choice(
            list_name=list_name,
            name=name,
            labels=labels,
            label=_pick(labels, self.default) or name,
            theme=_extra(option, "theme"),
            missing=_truthy(_extra(option, "missing")),
            columns=columns,
        )

    def walk(
        self,
        children: list[dict[str, Any]],
        groups: tuple[tuple[str, bool, str], ...],
        repeat: str,
    ) -> list[Group | Question]:
        body: list[Group | Question] = []
        previous: Question | None = None
        for element in children:
            kind = element.get("type", "")
            name = str(element.get("name", ""))
            if kind in ("group", "repeat"):
                if not groups and _generated_meta(element):
                    continue
                body.append(self.section(element, groups, repeat))
                previous = None
            elif kind == "loop":
                body.append(self.loop(element, groups, repeat))
                previous = None
            elif kind == "include" or not name:
                continue
            elif previous is not None and _generated_other(element, previous):
                previous.or_other = True  # pyxform also adds "other" to its choice list
            else:
                question = self.question(element, groups, repeat)
                self.form.questions.append(question)
                body.append(question)
                previous = question
        return body

    def section(
        self, element: dict[str, Any], groups: tuple[tuple[str, bool, str], ...], repeat: str
    ) -> Group:
        name = str(element.get("name", ""))
        is_repeat = element.get("type") == "repeat"
        bind = element.get("bind") or {}
        control = element.get("control") or {}
        own = str(bind.get("relevant", "") or "").strip()
        labels = self.localised(element.get("label"))
        # A "flat" group (pyxform's legacy attribute) makes no level in the data: its
        # questions' paths leave it out.
        flat = bool(element.get("flat")) and not is_repeat
        inner = (*groups, ("" if flat else name, is_repeat, own))
        if is_repeat:
            conditions = [c for _, _, c in inner if c]
            self.form.repeats.append(
                RepeatGroup(
                    name=name,
                    path="/".join(g for g, _, _ in inner if g),
                    parent=repeat,
                    labels=labels,
                    label=_pick(labels, self.default) or name,
                    relevant=_fold(conditions),
                    count=str(control.get("jr:count", "") or "").strip(),
                )
            )
        return Group(
            name=name,
            kind="repeat" if is_repeat else "group",
            labels=labels,
            relevant=own,
            appearance=str(control.get("appearance", "") or ""),
            children=self.walk(element.get("children") or [], inner, name if is_repeat else repeat),
        )

    def loop(
        self, element: dict[str, Any], groups: tuple[tuple[str, bool, str], ...], repeat: str
    ) -> Group:
        """``begin loop over list``: one group per choice, each with the loop's questions,
        ``%(label)s`` and ``%(name)s`` filled in (as pyxform's builder does)."""
        from pyxform.builder import SurveyElementBuilder

        columns = []
        for column in element.get("columns") or []:
            if column.get("name") == "none":
                continue
            copies = [
                SurveyElementBuilder._name_and_label_substitutions(child, column)
                for child in element.get("children") or []
            ]
            columns.append(
                {
                    "type": "group",
                    "name": column["name"],
                    "label": column.get("label"),
                    "children": copies,
                }
            )
        section = dict(element, type="group", children=columns)
        return self.section(section, groups, repeat)

    def question(
        self, element: dict[str, Any], groups: tuple[tuple[str, bool, str], ...], repeat: str
    ) -> Question:
        from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

        raw_type = str(element.get("type", ""))
        itemset = str(element.get("itemset", "") or "")
        kind = _canonical_type(raw_type, itemset)
        bind = dict(element.get("bind") or {})
        defaults = QUESTION_TYPE_DICT.get(raw_type) or {}
        for key, value in (defaults.get("bind") or {}).items():
            if key == "constraint":
                bind.setdefault(key, value)
        control = element.get("control") or {}
        own = str(bind.get("relevant", "") or "").strip()
        conditions = [c for _, _, c in groups if c] + ([own] if own else [])
        labels = self.localised(element.get("label"))
        hints = self.localised(element.get("hint") or defaults.get("hint"))
        name = str(element.get("name", ""))
        list_name = str(element.get("list_name", "") or "")
        choices_from = ""
        if itemset.startswith("${") and itemset.endswith("}"):
            choices_from = itemset[2:-1].strip()
        elif not list_name and kind in ("select_one", "select_multiple", "rank"):
            list_name = itemset
        if kind.endswith("_from_file"):
            list_name = ""
        correct = _extra(element, "correct")
        return Question(
            name=name,
            type=kind,
            list_name=list_name,
            labels=labels,
            hints=hints,
            label=_pick(labels, self.default) or name,
            group="/".join(g for g, _, _ in groups if g),
            repeat=repeat,
            construct=_extra(element, "construct"),
            level=_extra(element, "level").lower(),
            reverse=_truthy(_extra(element, "reverse")),
            correct=correct or None,
            required=_truthy(str(bind.get("required", "") or "")),
            relevant=_fold(conditions),
            constraint=str(bind.get("constraint", "") or "").strip(),
            constraint_messages=self.localised(bind.get("jr:constraintMsg")),
            choice_filter=str(element.get("choice_filter", "") or "").strip(),
            appearance=str(control.get("appearance", "") or ""),
            calculation=str(bind.get("calculate", "") or "").strip(),
            default=str(element.get("default", "") or ""),
            parameters=_parameters(element.get("parameters")),
            itemset=itemset,
            choices_from=choices_from,
            read_only=_truthy(str(bind.get("readonly", "") or "")),
            own_relevant=own,
            required_messages=self.localised(bind.get("jr:requiredMsg")),
        )


def _parameters(value: Any) -> dict[str, str]:
    """The ``parameters`` column: pyxform gives a dict, or the text as written."""
    if isinstance(value, Mapping):
        return {str(k).strip().lower(): str(v).strip() for k, v in value.items()}
    found: dict[str, str] = {}
    for part in re.split(r"[\s;,]+", str(value or "")):
        name, equals, setting = part.partition("=")
        if equals and name:
            found[name.strip().lower()] = setting.strip()
    return found


def _extra(element: Mapping[str, Any], column: str) -> str:
    """One of Tilik's extra columns, whatever the case of its header."""
    for key, value in element.items():
        if isinstance(key, str) and key.strip().lower() == column and value is not None:
            return str(value).strip()
    return ""


def _list_of(row: Mapping[str, str]) -> str:
    for key, value in row.items():
        if key.strip().lower().replace(" ", "_") == "list_name":
            return str(value)
    return ""


def _generated_meta(element: Mapping[str, Any]) -> bool:
    """The ``meta`` group pyxform adds (``instanceID``, ``instanceName``)."""
    if element.get("name") != "meta" or element.get("type") != "group":
        return False
    return all(
        c.get("name") in ("instanceID", "instanceName", "deprecatedID")
        for c in element.get("children") or []
    )


def _generated_other(element: Mapping[str, Any], previous: Question) -> bool:
    """The ``…_other`` text question pyxform adds after an ``or_other`` select."""
    bind = element.get("bind") or {}
    return (
        element.get("type") == "text"
        and element.get("name") == f"{previous.name}_other"
        and previous.type in ("select_one", "select_multiple")
        and str(bind.get("relevant", "")).replace(" ", "")
        == f"selected(../{previous.name},'other')"
    )


def _build_from_rows(form: Form) -> None:
    """The typed view from the rows as written: for stored forms pyxform cannot read."""
    default_language = form.default_language
    for row in form.choice_rows:
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
                columns={k: v for k, v in row.items() if not k.startswith("label") and v},
            )
        )
    # (name, is_repeat, relevant): a group's condition applies to every question inside it,
    # as in ODK, so each question carries the conjunction of its groups' conditions.
    groups: list[tuple[str, bool, str]] = []
    stack: list[list[Group | Question]] = [form.body]
    for row in form.survey_rows:
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
            group = Group(
                name=name,
                kind="repeat" if kind == "begin_repeat" else "group",
                labels=_localised(row, "label", default_language),
                relevant=row.get("relevant", "").strip(),
                appearance=row.get("appearance", ""),
            )
            stack[-1].append(group)
            stack.append(group.children)
            groups.append((name, kind == "begin_repeat", row.get("relevant", "").strip()))
            continue
        if kind in {k.replace(" ", "_") for k in _GROUP_END}:
            if groups:
                groups.pop()
                stack.pop()
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
        question = Question(
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
            relevant=_fold(conditions),
            constraint=row.get("constraint", ""),
            constraint_messages=_localised(row, "constraint_message", default_language),
            choice_filter=row.get("choice_filter", ""),
            appearance=row.get("appearance", ""),
            calculation=row.get("calculation", ""),
            default=row.get("default", ""),
            own_relevant=own,
        )
        form.questions.append(question)
        stack[-1].append(question)


# Reading workbooks ------------------------------------------------------------------------


def spreadsheet_kind(data: bytes) -> str:
    """``xlsx``, ``ods``, ``xls`` or "" from the first bytes of a file."""
    if data[:4] == b"PK\x03\x04":
        return "ods" if b"application/vnd.oasis.opendocument.spreadsheet" in data[:200] else "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return ""


Sheet = tuple[list[str], list[dict[str, str]]]


def _header(first: Iterable[Any]) -> list[str]:
    """A sheet's column names, ending where pyxform ends them: at a run of empty cells."""
    header: list[str] = []
    run = 0
    for value in first:
        name = _text(value)
        header.append(name)
        run = 0 if name else run + 1
        if run > _EMPTY_COLUMNS_END:
            break
    while header and not header[-1]:
        header.pop()
    return header


def _records(header: list[str], rows: Iterable[Iterable[Any]]) -> Sheet:
    """The rows of a sheet under ``header``, stopping where pyxform stops: after a run of
    empty rows (a sheet claiming two billion rows ends there too). Empty rows between
    others are kept, so that row numbers (and the names pyxform makes from them) agree."""
    records: list[dict[str, str]] = []
    empty = 0
    for values in rows:
        record = {h: _text(v) for h, v in zip(header, values) if h}
        if any(record.values()):
            records.extend({} for _ in range(empty))
            records.append(record)
            empty = 0
        else:
            empty += 1
            if empty > _EMPTY_ROWS_END:
                break
    return header, records


def _first_row(rows: Iterator[Any]) -> list[str]:
    for first in rows:
        header = _header(first)
        if any(header):
            return header
    return []


def _xlsx_sheets(data: bytes) -> dict[str, Sheet]:
    workbook = open_workbook(data)
    try:
        found: dict[str, Sheet] = {}
        for name in workbook.sheetnames:
            sheet = workbook[name]
            width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
            rows = sheet.iter_rows(values_only=True, max_col=width)
            header = _first_row(rows)
            found[name.strip().lower()] = _records(header, rows)
        return found
    except UnsafeSpreadsheet:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnsafeSpreadsheet(gettext_noop("berkas XLSX tidak dapat dibaca")) from exc
    finally:
        workbook.close()


def _xls_sheets(data: bytes) -> dict[str, Sheet]:
    """An ``.xls`` (Excel 97–2003) workbook, read by xlrd with pyxform's cell texts."""
    import xlrd
    from pyxform.xls2json_backends import xls_value_to_unicode

    try:
        book = xlrd.open_workbook(file_contents=data, ragged_rows=True, on_demand=True)
    except Exception as exc:  # xlrd raises its own errors for a broken file
        raise UnsafeSpreadsheet(gettext_noop("berkas XLS tidak dapat dibaca")) from exc
    try:
        found: dict[str, Sheet] = {}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)

            def texts(row: int, sheet: Any = sheet) -> list[str]:
                return [
                    xls_value_to_unicode(cell.value, cell.ctype, book.datemode)
                    if cell.value not in ("", None)
                    else ""
                    for cell in sheet.row_slice(row, 0, min(sheet.row_len(row), MAX_COLUMNS))
                ]

            lines = (texts(r) for r in range(sheet.nrows))
            header = _first_row(lines)
            found[sheet.name.strip().lower()] = _records(header, lines)
            book.unload_sheet(index)
        return found
    except Exception as exc:
        raise UnsafeSpreadsheet(gettext_noop("berkas XLS tidak dapat dibaca")) from exc
    finally:
        book.release_resources()


def _ods_sheets(data: bytes) -> dict[str, Sheet]:
    """An OpenDocument spreadsheet (LibreOffice), read by python-calamine."""
    from python_calamine import CalamineWorkbook

    check_zip(data, kind="zip")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        found: dict[str, Sheet] = {}
        for name in workbook.sheet_names:
            lines = iter(workbook.get_sheet_by_name(name).iter_rows())
            header = _first_row(lines)
            found[name.strip().lower()] = _records(header, lines)
        return found
    except Exception as exc:  # calamine raises its own errors for a broken file
        raise UnsafeSpreadsheet(gettext_noop("berkas ODS tidak dapat dibaca")) from exc


def _workbook_sheets(data: bytes) -> dict[str, Sheet]:
    kind = spreadsheet_kind(data)
    if kind == "xls":
        return _xls_sheets(data)
    if kind == "ods":
        return _ods_sheets(data)
    return _xlsx_sheets(data)


def read_xlsform(
    source: str | Path | bytes, *, file_name: str = ""
) -> tuple[Form | None, list[Problem]]:
    """Read an XLSForm (``.xlsx``, ``.xls`` or ``.ods``) into a :class:`Form`; problems are
    returned, never raised."""
    label = file_name or (str(source) if not isinstance(source, bytes) else "")
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        workbook = _workbook_sheets(data)
    except UnsafeSpreadsheet as exc:
        return None, [Problem(exc.reason, file=label)]
    survey_columns, survey_rows = workbook.get("survey", ([], []))
    if not survey_rows and len(workbook) == 1:  # pyxform reads a lone sheet as the survey
        survey_columns, survey_rows = next(iter(workbook.values()))
    choice_columns, choice_rows = workbook.get("choices", ([], []))
    _, settings_rows = workbook.get("settings", ([], []))
    sheets = {name: workbook[name] for name in _OTHER_SHEETS if name in workbook}
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
    form = _build(
        form_id, survey_columns, survey_rows, choice_columns, choice_rows, settings, sheets
    )
    problems.extend(_tilik_column_problems(form, label))
    from tilik.core.formcheck import expression_problems

    problems.extend(expression_problems(form, label))
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
        if (
            question.is_select
            and not question.choices_from
            and not question.itemset.lower().endswith(_FILE_SUFFIXES)
            and question.list_name not in form.choices
        ):
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
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    kind = spreadsheet_kind(data)
    if kind == "ods":  # pyxform reads no .ods: check the same sheets written as .xlsx
        form, problems = read_xlsform(data, file_name=label)
        if form is None:
            return problems
        data, kind = write_xlsform(form), "xlsx"
    warnings: list[str] = []
    try:
        convert(
            xlsform=io.BytesIO(data),
            warnings=warnings,
            validate=False,
            file_type=f".{kind or 'xlsx'}",
            form_name=None,
        )
    except PyXFormError as exc:
        return [
            Problem(
                gettext_noop("pyxform menolak formulir: {detail}"),
                file=label,
                params={"detail": str(exc)},
            )
        ]
    except RecursionError:
        return [
            Problem(
                gettext_noop("pyxform tidak dapat membaca formulir: {detail}"),
                file=label,
                params={"detail": "expression nested too deeply"},
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
    sheets = {
        str(name): (list(sheet.get("columns", [])), [dict(r) for r in sheet.get("rows", [])])
        for name, sheet in (data.get("sheets") or {}).items()
    }
    return _build(
        data["form_id"],
        list(data.get("survey_columns", [])),
        [dict(r) for r in data.get("survey", [])],
        list(data.get("choice_columns", [])),
        [dict(r) for r in data.get("choices", [])],
        dict(data.get("settings", {})),
        sheets,
    )


def write_xlsform(form: Form, target: str | Path | None = None) -> bytes:
    """Write the form's sheets back as an XLSForm (all columns kept); returns the bytes."""
    workbook = openpyxl.Workbook()
    sheets = [
        ("survey", form.survey_columns, form.survey_rows),
        ("choices", form.choice_columns, form.choice_rows),
        ("settings", list(form.settings), [form.settings] if form.settings else []),
        *((name, columns, rows) for name, (columns, rows) in form.sheets.items()),
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
