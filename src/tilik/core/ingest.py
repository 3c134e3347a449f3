"""Responses from KoboToolbox, ODK Central, Excel or Google Forms exports, checked against the form.

Every data row ends either stored (a :class:`Response`) or quarantined (a :class:`Quarantined`
with its problems); nothing is dropped. A row that repeats an earlier one (same instance id,
same content) is counted as a duplicate and stored once; the same instance id with different
content is quarantined as a conflict.

Accepted shapes, as the tools write them: ``;``, ``,`` or tab delimiters; UTF-8 with or without
BOM, or Windows-1252; headers as ``group/question`` paths, bare names or labels; select_multiple
as a space-separated summary column and/or one ``question/option`` column of 1/0 per option;
instance ids in ``_uuid``, ``meta/instanceID`` or ``KEY``; ``_submission_time`` or
``SubmissionDate``.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import itertools
import json
import math
import os
import pickle
import queue
import re
import signal
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from json.encoder import encode_basestring
from operator import add, call, itemgetter
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import orjson

from tilik.core.columns import (
    ChoiceReader,
    ColumnMap,
    choice_reader,
    is_hxl_row,
    is_literacy,
    map_columns,
)
from tilik.core.exports import ESCAPE_MARKER, add_dimensions, escape_text, unescape_cell
from tilik.core.i18n import gettext_noop
from tilik.core.nip import pseudonymise
from tilik.core.problems import Problem
from tilik.core.procs import die_with_parent, safe_to_fork
from tilik.core.repeats import Scope, flat_key, flatten, nest
from tilik.core.xlsform import Form, Question, RepeatGroup
from tilik.core.xlsx import (
    MAX_COLUMNS,
    UnsafeSpreadsheet,
    check_zip,
)
from tilik.core.xlsxread import first_sheet_rows, read_sheets
from tilik.core.xpath import XPathError, compile_memoized, truthy

__all__ = [
    "CONSTRAINT_PROBLEM",
    "REQUIRED_PROBLEM",
    "KEY_FIELDS",
    "KOBO_META_COLUMNS",
    "Quarantined",
    "ReadResult",
    "Response",
    "FormRules",
    "ORPHAN_SHEET",
    "RepeatIssue",
    "StoredRow",
    "check_repeats",
    "check_rules",
    "content_hash",
    "convert_value",
    "decode_text",
    "estimate_rows",
    "is_personal_field",
    "json_text",
    "kobo_header",
    "kobo_row",
    "read_export",
    "read_export_parallel",
    "read_rows",
    "stored_row",
    "write_kobo_csv",
    "write_kobo_xlsx",
]

KEY_FIELDS = ("nip", "kode_responden")
KOBO_META_COLUMNS = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
)
_REPEAT_META_PREFIXES = ("_", "meta/", "__", "meta-", "set-of-")
_TRUE_ONE_HOT = {"1", "true", "yes", "ya", "1.0", "x"}
_FALSE_ONE_HOT = {"0", "false", "no", "tidak", "0.0", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d")
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M",
)
_EXCEL_EPOCH = date(1899, 12, 30)
_PERSONAL = re.compile(r"^(nip|nip_.*|.*_nip|nama|nama_.*|telepon|telp|no_hp|hp|email|wa)$")


def is_personal_field(name: str) -> bool:
    """Fields that hold names, NIPs or contact details: never shown in reports."""
    return bool(_PERSONAL.match(name.lower()))


@dataclass
class Response:
    """One stored submission: typed answers by question name, and the row as received."""

    instance_id: str
    answers: dict[str, Any]
    raw: dict[str, str]
    row: int = 0
    submitted_at: datetime | None = None
    key: str | None = None
    content_hash: str = ""
    answers_json: str = ""  # the answers as JSON text, when the reader already made it
    raw_json: str = ""  # the raw row as JSON text, when the reader already made it


@dataclass
class Quarantined:
    """A row that could not be stored as it is, with every reason."""

    row: int
    raw: dict[str, str]
    problems: list[Problem]
    instance_id: str = ""


@dataclass
class ReadResult:
    """What reading one export gave."""

    responses: list[Response] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: int = 0
    rows_read: int = 0
    stopped: bool = False  # the file was refused, or reading it stopped part-way


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with
    its BOM, or without one when every other byte is zero) or, failing those, Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(codec, errors="replace"), codec
    head = data[:4096]
    if len(head) >= 4 and len(head) % 2 == 0:
        if head[1::2].count(0) > len(head) * 0.4 and not head[0::2].count(0):
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if head[0::2].count(0) > len(head) * 0.4 and not head[1::2].count(0):
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_rows(
    source: str | Path | bytes, *, file_name: str = ""
) -> tuple[list[str], Iterator[list[str]]]:
    """Header and data rows of a CSV or XLSX export, as strings.

    Raises :class:`UnsafeSpreadsheet` (with a translatable reason) for files we refuse.
    """
    header, rows, is_csv = _open_rows(source, file_name=file_name)
    return header, (_guard_width(rows) if is_csv else rows)


def _open_rows(
    source: str | Path | bytes,
    *,
    file_name: str = "",
    zipped_out: list[tuple[str, bytes, dict[str, bytes]] | None] | None = None,
) -> tuple[list[str], Iterator[list[str]], bool]:
    """:func:`read_rows` without the width check of CSV rows (the caller makes it).

    ``zipped_out`` receives what :func:`csv_zip` found (the repeat CSVs of an ODK Central
    zip), so the caller need not unpack the archive again.
    """
    name = file_name or (str(source) if not isinstance(source, bytes) else "")
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    zipped = csv_zip(data)
    if zipped_out is not None:
        zipped_out.append(zipped)
    if zipped is not None:  # ODK Central's export of a form with repeats: read its main CSV
        data = zipped[1]
    elif name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        header, rows = _xlsx_rows(data)
        return header, rows, False
    text, _ = decode_text(data)
    delimiter = _sniff_delimiter(text)
    csv.field_size_limit(10 * 1024 * 1024)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    if len(header) > MAX_COLUMNS:
        raise UnsafeSpreadsheet(gettext_noop("berkas ditolak: lebih dari 5000 kolom"))
    return [h.strip() for h in header], reader, True


_TOO_WIDE = gettext_noop("berkas ditolak: lebih dari 5000 kolom")


def csv_zip(data: bytes) -> tuple[str, bytes, dict[str, bytes]] | None:
    """``(main name, main CSV, {name: repeat CSV})`` of a zip of CSV files, as ODK Central
    exports a form with repeats; None for anything else (an XLSX is a zip too).

    The main CSV is the one without a ``PARENT_KEY`` column (the shortest name if several).
    Raises :class:`UnsafeSpreadsheet` for a zip bomb, as for XLSX.
    """
    if data[:2] != b"PK":
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" in names:
        return None
    csvs = sorted((n for n in names if n.lower().endswith(".csv")), key=lambda n: (len(n), n))
    if not csvs:
        return None
    check_zip(data, kind="zip")
    members = {name: archive.read(name) for name in csvs}
    main = next((n for n in csvs if b"PARENT_KEY" not in members[n].split(b"\n", 1)[0]), csvs[0])
    return main, members.pop(main), members


def estimate_rows(data: bytes) -> int:
    """About how many data rows a file holds, for a progress bar; 0 when unknown.

    CSV: its lines after the header. ODK Central zip: the main CSV's. XLSX: the first
    sheet's ``<dimension>`` (Excel and KoboToolbox write it), without reading the sheet.
    """
    if data[:2] != b"PK":
        return max(data.count(b"\n") - 1, 0)
    try:
        zipped = csv_zip(data)
        if zipped is not None:
            return max(zipped[1].count(b"\n") - 1, 0)
        return max(first_sheet_rows(data) - 1, 0)
    except (UnsafeSpreadsheet, zipfile.BadZipFile, KeyError, ValueError):
        return 0


def _guard_width(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    for row in rows:
        if len(row) > MAX_COLUMNS:
            raise UnsafeSpreadsheet(_TOO_WIDE)
        yield row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows of the first sheet, as text (:mod:`tilik.core.xlsxread`); rows
    shorter than the header are padded to it."""
    sheets = read_sheets(data)
    if not sheets:
        return [], iter(())
    rows = sheets[0].rows()
    header = [h.strip() for h in next(rows, [])]
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def body() -> Iterator[list[str]]:
        for values in rows:
            if len(values) < width:
                values += [""] * (width - len(values))
            yield values

    return header, body()


def _other_sheets(source: str | Path | bytes) -> list[str]:
    """Names of the sheets after the first that hold any data (Kobo puts repeats there)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    found = []
    for sheet in read_sheets(data)[1:]:
        try:
            if any("".join(row).strip() for row in sheet.rows()):
                found.append(sheet.title)
        except UnsafeSpreadsheet:  # not read anyway: named, whatever is wrong with it
            found.append(sheet.title)
    return found


_MISS = object()


class _Choices(dict[str, str | None]):
    """Choice names mapped to themselves (and ``""`` to ``None``); a miss gives ``_MISS``.

    Its bound ``__getitem__`` converts a select_one answer without running Python code.
    """

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        return _MISS


def _fast_converter(question: Question, form: Form) -> Any:
    """A converter for the common, clean case; it returns ``_MISS`` to defer to
    :func:`convert_value`, which handles every other case and words the problems.

    Empty text converts to ``None``, as :func:`convert_value` does.
    """
    kind = question.type
    if kind == "select_one":
        choices = _Choices((name, name) for name in form.choice_names(question))
        choices.setdefault("", None)
        return choices
    if kind == "integer":

        def integer(text: str) -> Any:
            if text.isascii() and text.isdigit():
                return int(text)
            if not text or text.isspace():
                return None
            return _MISS

        return integer
    if kind == "date":

        def iso_date(text: str) -> Any:
            if len(text) == 10 and text[4] == "-":
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    return _MISS
            if not text or text.isspace():
                return None
            return _MISS

        return iso_date
    if kind == "text":
        return lambda text: None if not text or text.isspace() else text
    if kind == "select_multiple" and not is_literacy(question):
        names = frozenset(form.choice_names(question)) | ({"other"} if question.or_other else set())

        def many(text: str) -> Any:
            words = text.split()
            if not words:
                return None
            for word in words:
                if word not in names:
                    return _MISS
            return words

        return None if _from_answers(question) else many
    return None


def _row_converter(question: Question, form: Form, fast: Any) -> Callable[[str], Any]:
    """One callable per column for the whole-row fast path: a value, or ``_MISS``."""
    if isinstance(fast, _Choices):
        return fast.__getitem__
    if fast is not None:
        return fast

    def other(text: str) -> Any:
        value, message, _ = convert_value(question, text, form)
        return _MISS if message else value

    return other


def _parse_date(text: str) -> date | None:
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _excel_date(text: str) -> date | None:
    """A date Excel stored as its serial day number (``45730`` is 2025-03-14)."""
    if not re.fullmatch(r"\d{5}(\.\d+)?", text):
        return None
    serial = float(text)
    if not 20000 <= serial <= 80000:  # 1954–2118: anything else is not a date
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _parse_datetime(text: str) -> datetime | None:
    value = text.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    parsed = _parse_date(value)
    return datetime(parsed.year, parsed.month, parsed.day) if parsed else None


def convert_value(question: Question, text: str, form: Form) -> tuple[Any, str | None, str]:
    """Typed value of an answer: ``(value, problem message or None, expected)``.

    Empty text is ``None`` without a problem; required answers are checked by the caller.
    """
    value = text.strip()
    if value == "":
        return None, None, ""
    kind = question.type
    if kind == "integer":
        number = value.replace(" ", "")
        if re.fullmatch(r"[-+]?\d+(\.0+)?", number):
            return int(float(number)), None, ""
        return (
            None,
            gettext_noop("bukan bilangan bulat"),
            gettext_noop("bilangan bulat, misalnya 12"),
        )
    if kind == "decimal":
        number = value.replace(" ", "")
        if re.fullmatch(r"[-+]?\d+,\d+", number):
            number = number.replace(",", ".")
        try:
            amount = float(number)
        except ValueError:
            amount = math.nan
        if math.isfinite(amount):
            return amount, None, ""
        # "nan", "inf" and 1e999 parse as floats but are no answer, and JSON cannot hold them.
        return None, gettext_noop("bukan bilangan"), gettext_noop("bilangan, misalnya 7,5")
    if kind == "select_one":
        if _from_answers(question):  # choices are earlier answers: their text
            return value, None, ""
        found = choice_reader(form, question).one(value)
        if found is not None:
            return found, None, ""
        if question.or_other:
            return value, None, ""
        return (
            None,
            gettext_noop("bukan salah satu pilihan"),
            ", ".join(form.choice_names(question)),
        )
    if kind == "select_multiple":
        picked, _ = _read_many(question, value, form)
        if picked is None:
            return (
                None,
                gettext_noop("memuat pilihan yang tidak ada"),
                ", ".join(form.choice_names(question)),
            )
        return picked, None, ""
    if kind == "date":
        parsed = _parse_date(value) or _excel_date(value)
        if parsed is None:
            return (
                None,
                gettext_noop("bukan tanggal"),
                gettext_noop("tanggal, misalnya 2025-03-14 atau 14/03/2025"),
            )
        return parsed, None, ""
    if kind in ("dateTime", "datetime", "start", "end"):
        moment = _parse_datetime(value)
        if moment is None:
            return (
                None,
                gettext_noop("bukan tanggal dan jam"),
                gettext_noop("misalnya 2025-03-14T09:30:00"),
            )
        return moment, None, ""
    return text, None, ""


def _from_answers(question: Question) -> bool:
    """A select whose choices are the answers to an earlier question (``select_one ${q}``)."""
    return bool(getattr(question, "choices_from", "")) or question.list_name.startswith("${")


def _read_many(question: Question, text: str, form: Form) -> tuple[list[str] | None, bool]:
    """A select_multiple answer as a list of choice names, and whether it was read from
    labels (``Spherical Radial Bilateral``: three choices; see :class:`ChoiceReader`).

    None when it does not read as choices. A ``literacy`` test keeps ODK's whole value:
    three parameters, seven reserved ``null`` and the words marked (formpack's
    ``FormLiteracyTestField``); KoboToolbox's export gives the words only, and the reader adds
    the parameters from their own columns.
    """
    if _from_answers(question):
        return text.split(), False
    reader = choice_reader(form, question)
    words = text.split()
    if is_literacy(question) and len(words) >= 10 and all(w == "null" for w in words[3:10]):
        rest, by_label = _read_many_words(reader, question, words[10:])
        return (None if rest is None else [*words[:10], *rest]), by_label
    return _read_many_words(reader, question, words)


def _read_many_words(
    reader: ChoiceReader, question: Question, words: list[str]
) -> tuple[list[str] | None, bool]:
    names = reader.name_set
    if all(w in names or (w == "other" and question.or_other) for w in words):
        return words, False
    found = reader.many(" ".join(words))
    if found:
        return found[0], True
    if question.or_other:
        return words, False
    return None, False


@dataclass
class _Rule:
    question: Question
    relevant: Callable[..., Any] | None
    constraint: Callable[..., Any] | None


@dataclass
class FormRules:
    """The form's relevant/constraint/required rules, compiled once per form.

    Questions that are only required (no relevance, no constraint) are kept apart in
    ``required_only``: checking them needs no expression, which matters on large imports.
    """

    rules: list[_Rule]
    problems: list[Problem] = field(default_factory=list)
    required_only: list[Question] = field(default_factory=list)
    datetimes: bool = True  # the form has date-and-time questions

    @classmethod
    def of(cls, form: Form, *, file_name: str = "") -> FormRules:
        rules: list[_Rule] = []
        required_only: list[Question] = []
        problems: list[Problem] = []
        for question in form.data_questions():
            if question.type == "calculate":
                continue
            compiled: dict[str, Callable[..., Any] | None] = {"relevant": None, "constraint": None}
            for attribute in ("relevant", "constraint"):
                text = getattr(question, attribute)
                if not text:
                    continue
                try:
                    compiled[attribute] = compile_memoized(text)
                except XPathError:
                    problems.append(
                        Problem(
                            gettext_noop("ungkapan XLSForm tidak dikenali; aturan ini dilewati"),
                            file=file_name,
                            column=f"{question.path} ({attribute})",
                            value=text,
                            severity="warning",
                        )
                    )
            if compiled["relevant"] or compiled["constraint"]:
                rules.append(_Rule(question, compiled["relevant"], compiled["constraint"]))
            elif question.required:
                required_only.append(question)
        datetimes = any(
            q.type in ("dateTime", "datetime", "start", "end") for q in form.data_questions()
        )
        return cls(rules, problems, required_only, datetimes)


# The message (and expected) of a required answer left empty, and of a failed constraint.
REQUIRED_PROBLEM = (gettext_noop("jawaban wajib kosong"), gettext_noop("sebuah jawaban"))
CONSTRAINT_PROBLEM = gettext_noop("jawaban tidak memenuhi syarat formulir")


def check_rules(
    rules: FormRules,
    answers: dict[str, Any],
    *,
    present: set[str] | frozenset[str] | None = None,
    today: date | None = None,
) -> list[tuple[Question, str, str]]:
    """Required (where relevant) and constraint failures: ``(question, message, expected)``.

    ``present`` limits the required check to questions the source had a column for (an
    export without a column is reported once for the whole file, not on every row).
    """
    failures: list[tuple[Question, str, str]] = []
    for question in rules.required_only:
        value = answers.get(question.key)
        if (value is None or value == "" or value == []) and (
            present is None or question.key in present
        ):
            failures.append((question, *REQUIRED_PROBLEM))
    for rule in rules.rules:
        question = rule.question
        value = answers.get(question.key)
        empty = value is None or value == "" or value == []
        if rule.relevant is not None:
            try:
                relevant = truthy(rule.relevant(answers, None, None, today))
            except XPathError:
                relevant = True
            if not relevant:
                continue
        if empty:
            if question.required and (present is None or question.key in present):
                failures.append((question, *REQUIRED_PROBLEM))
            continue
        if rule.constraint is not None:
            try:
                passed = truthy(rule.constraint(answers, value, None, today))
            except XPathError:
                passed = True
            if not passed:
                expected = question.constraint_messages.get("id") or question.constraint
                failures.append((question, CONSTRAINT_PROBLEM, expected))
    return failures


# Repeat groups ---------------------------------------------------------------------------


@dataclass
class RepeatIssue:
    """A problem with one answer inside one instance of a repeat."""

    key: str  # the flat name: ``kegiatan[2]/peserta``
    question: Question
    message: str
    expected: str
    value: str
    steps: tuple[tuple[str, int], ...]  # the instance: (("kegiatan", 2),)


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _true_in(expression: str, scope: Scope, current: Any = None) -> bool:
    """A relevant or constraint evaluated in ``scope``; an unreadable one counts as true."""
    try:
        return truthy(compile_memoized(expression)(scope, current, None, None))
    except XPathError:
        return True


def _calculate_instance(repeat: RepeatGroup, scope: Scope, instance: dict[str, Any]) -> None:
    for question in repeat.questions:
        if question.type == "calculate" and question.calculation:
            try:
                instance[question.key] = compile_memoized(question.calculation)(
                    scope, None, None, None
                )
            except XPathError:
                instance[question.key] = None


def check_repeats(
    form: Form,
    answers: dict[str, Any],
    *,
    choice_filter: Callable[[Question, Scope], list[str]] | None = None,
) -> list[RepeatIssue]:
    """Convert and check the instances of every repeat in ``answers``, in place.

    ``answers[repeat]`` is a list of instances whose answers are still as received (text,
    or lists for select_multiple); afterwards they are typed, calculations inside repeats are
    made, answers that are not relevant are dropped (as XForms does), and so are the
    instances of a repeat that is not relevant. Top-level answers must already be typed: the
    instances' expressions see them. With ``choice_filter``, select answers must also be
    among the choices it leaves.
    """
    issues: list[RepeatIssue] = []

    def level(parent: str, scope: Scope, holder: dict[str, Any], steps: tuple[Any, ...]) -> None:
        for repeat in form.child_repeats(parent):
            value = holder.get(repeat.name)
            if value is None:
                continue
            if (
                not isinstance(value, list)
                or not value
                or (repeat.relevant and not _true_in(repeat.relevant, scope))
            ):
                holder.pop(repeat.name)  # no instance is stored as no list at all
                continue
            for position, instance in enumerate(value, start=1):
                if not isinstance(instance, dict):
                    instance = value[position - 1] = {}
                here = (*steps, (repeat.name, position))
                _check_instance(
                    repeat, scope.child(repeat.name, instance, position), instance, here
                )

    def _check_instance(
        repeat: RepeatGroup, scope: Scope, instance: dict[str, Any], steps: tuple[Any, ...]
    ) -> None:
        bad: set[str] = set()
        known = {q.key for q in repeat.questions} | {
            r.name for r in form.child_repeats(repeat.name)
        }
        for question in repeat.questions:
            if question.type == "calculate":
                continue
            received = instance.get(question.key)
            text = _answer_text(received)
            typed, message, expected = convert_value(question, text, form)
            if received == [] and question.type == "select_multiple":
                typed = []  # answered, nothing picked (1/0 columns all 0)
            if message:
                bad.add(question.key)
                issues.append(
                    RepeatIssue(
                        flat_key(steps, question.key), question, message, expected, text, steps
                    )
                )
                continue
            instance[question.key] = typed
            other = f"{question.key}_other"
            if question.or_other and (
                typed == "other" or (isinstance(typed, list) and "other" in typed)
            ):
                instance[other] = _answer_text(instance.get(other)).strip()
                known.add(other)
        for name in [k for k in instance if k not in known]:
            instance.pop(name)  # not a question of this repeat (the checks below never see it)
        # Calculations before the nested instances (their rules may read them) and after
        # (they may read the nested answers).
        _calculate_instance(repeat, scope, instance)
        level(repeat.name, scope, instance, steps)
        _calculate_instance(repeat, scope, instance)
        for question in repeat.questions:
            name = question.key
            if question.type == "calculate" or name in bad:
                continue
            if question.relevant and not _true_in(question.relevant, scope):
                instance.pop(name, None)
                instance.pop(f"{name}_other", None)
                continue
            value = instance.get(name)
            key = flat_key(steps, name)
            if value is None or value == "" or value == []:
                if question.required:
                    issues.append(RepeatIssue(key, question, *REQUIRED_PROBLEM, "", steps))
                continue
            if question.constraint and not _true_in(question.constraint, scope, value):
                expected = question.constraint_messages.get("id") or question.constraint
                issues.append(
                    RepeatIssue(
                        key, question, CONSTRAINT_PROBLEM, expected, _answer_text(value), steps
                    )
                )
                continue
            if choice_filter is not None and question.choice_filter and question.is_select:
                allowed = set(choice_filter(question, scope))
                picked = value if isinstance(value, list) else [value]
                if any(p not in allowed and p != "other" for p in picked):
                    issues.append(
                        RepeatIssue(
                            key,
                            question,
                            gettext_noop("Pilihan ini tidak tersedia."),
                            ", ".join(sorted(allowed)),
                            _answer_text(value),
                            steps,
                        )
                    )
                    continue
            if question.or_other and instance.get(f"{name}_other") == "":
                issues.append(
                    RepeatIssue(
                        key, question, gettext_noop("Tuliskan pilihan lainnya."), "", "", steps
                    )
                )

    level("", Scope(form, answers), answers, ())
    return issues


_REPEAT_META = ("_index", "_parent_table_name", "_parent_index", "key", "parent_key")


@dataclass
class _RepeatRow:
    """One row of a repeat sheet of a KoboToolbox XLSX export."""

    repeat: str
    sheet: str
    row: int
    raw: dict[str, str]
    answers: dict[str, Any]  # question name → text (lists for one-hot select_multiple)
    index: str
    parent_table: str
    parent_index: str
    submission: str  # _submission__uuid
    children: list[_RepeatRow] = field(default_factory=list)
    used: bool = False


def _sheet_repeat(title: str, header: list[str], form: Form) -> RepeatGroup | None:
    """The repeat a sheet holds: by its name (KoboToolbox names the sheet after the repeat,
    cut to 31 characters, or to 28 and ``...``, with `` (1)`` added to tell two apart; ODK
    Central names its CSV ``<form>-<repeat>``), else by the questions its columns name (by
    name, path or label)."""
    low = re.sub(r"\s*\(\d+\)$", "", title.strip()).lower()
    cut = low.removesuffix("...") if low.endswith("...") else ""
    named = [
        repeat
        for repeat in form.repeats
        if repeat.name.lower()[:31] == low
        or low.endswith("-" + repeat.name.lower())
        or (cut and repeat.name.lower().startswith(cut))
    ]
    if len(named) == 1:
        return named[0]
    best, hits = None, 0
    for repeat in named or form.repeats:
        mapped = map_columns(header, form, repeat.questions, skip=_REPEAT_META_SET)
        found = sum(1 for c in mapped.columns if c.question is not None)
        if found > hits:
            best, hits = repeat, found
    return best


_REPEAT_META_SET = frozenset(_REPEAT_META) | frozenset(
    {"_parent_table_name", "_parent_index", "_submission__uuid"}
)


class _RepeatSheets:
    """The repeat tables of an export, joined to their parent rows.

    KoboToolbox's XLSX has one sheet per repeat; each row carries ``_parent_table_name`` and
    ``_parent_index`` (the ``_index`` of its parent row: the main sheet's or the enclosing
    repeat's), and ``_submission__uuid``. ODK Central's zip has one CSV per repeat
    (``<form>-<repeat>.csv``) whose rows carry ``PARENT_KEY`` (the ``KEY`` of the parent row:
    ``uuid:…`` for the submission, ``uuid:…/kegiatan[1]`` for an enclosing instance) and their
    own ``KEY``. Rows are read whole into memory (repeat tables are a fraction of an export)
    and handed to their main row by :meth:`instances`; rows that no main row claims are
    quarantined at the end, never dropped.
    """

    def __init__(
        self,
        tables: Iterable[tuple[str, list[str], Iterator[list[str]]]],
        form: Form,
        label: str,
        result: ReadResult,
    ) -> None:
        self.label = label
        self.form = form
        self.by_index: dict[str, list[_RepeatRow]] = {}
        self.by_uuid: dict[str, list[_RepeatRow]] = {}
        self.all_rows: list[_RepeatRow] = []
        read: dict[str, list[_RepeatRow]] = {}
        titles: dict[str, str] = {}  # table title → repeat
        for title, header, rows in tables:
            if not any(header):
                continue
            repeat = _sheet_repeat(title, header, form)
            if repeat is None:
                result.problems.append(
                    Problem(
                        gettext_noop(
                            "lembar ini tidak cocok dengan kelompok berulang mana pun di "
                            "formulir; isinya tidak diimpor"
                        ),
                        file=label,
                        sheet=title,
                        severity="warning",
                    )
                )
                continue
            titles[title] = repeat.name
            read.setdefault(repeat.name, []).extend(
                self._rows(title, header, rows, repeat, form, label, result)
            )
        # Join each row to its parent: nested repeats to their enclosing repeat's rows.
        for repeat in form.repeats:
            rows_here = read.get(repeat.name, [])
            self.all_rows.extend(rows_here)
            if repeat.parent:
                parents = {(r.sheet, r.index): r for r in read.get(repeat.parent, []) if r.index}
                unique: dict[str, _RepeatRow | None] = {}
                for r in read.get(repeat.parent, []):
                    if r.index:
                        unique[r.index] = None if r.index in unique else r
                for row in rows_here:
                    parent = parents.get((row.parent_table, row.parent_index)) or unique.get(
                        row.parent_index
                    )
                    if parent is not None:
                        parent.children.append(row)
                continue
            for row in rows_here:
                if row.parent_table and row.parent_table in titles:
                    continue  # claims a repeat parent: a sheet that does not match the form
                if row.parent_index:
                    self.by_index.setdefault(row.parent_index, []).append(row)
                if row.submission:
                    self.by_uuid.setdefault(row.submission, []).append(row)

    @classmethod
    def from_workbook(
        cls, data: bytes, form: Form, label: str, result: ReadResult
    ) -> _RepeatSheets:
        """The sheets after the first of a KoboToolbox XLSX export."""

        def tables() -> Iterator[tuple[str, list[str], Iterator[list[str]]]]:
            for sheet in read_sheets(data)[1:]:
                rows = sheet.rows()
                header = [h.strip() for h in next(rows, [])]
                yield sheet.title, header, rows

        return cls(tables(), form, label, result)

    @classmethod
    def from_zip(
        cls, members: dict[str, bytes], form: Form, label: str, result: ReadResult
    ) -> _RepeatSheets:
        """The repeat CSVs of an ODK Central zip export (all but the main one)."""

        def tables() -> Iterator[tuple[str, list[str], Iterator[list[str]]]]:
            for name, data in members.items():
                header, rows, _ = _open_rows(data, file_name=name)
                title = name.rsplit("/", 1)[-1].removesuffix(".csv")
                yield title, header, _guard_width(rows)

        return cls(tables(), form, label, result)

    @staticmethod
    def _rows(
        title: str,
        header: list[str],
        rows: Iterator[list[str]],
        repeat: RepeatGroup,
        form: Form,
        label: str,
        result: ReadResult,
    ) -> Iterator[_RepeatRow]:
        mapped = map_columns(header, form, repeat.questions, skip=_REPEAT_META_SET)
        columns = [
            (c.index, c.question, c.option if c.kind == "one_hot" else "")
            for c in mapped.columns
            if c.kind in ("question", "one_hot") and c.question is not None
        ]
        composer = _Composer(mapped.columns)
        unknown = [c.header for c in mapped.columns if c.kind == "unknown"]
        if unknown:
            result.problems.append(
                Problem(
                    gettext_noop("kolom tidak dikenal di formulir; nilainya disimpan apa adanya"),
                    file=label,
                    sheet=title,
                    column=", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else ""),
                    severity="warning",
                )
            )
        position = {h: i for i, h in enumerate(header) if h}
        index_name = "_index" if "_index" in position else "KEY"
        parent_name = "_parent_index" if "_parent_index" in position else "PARENT_KEY"
        first = True
        for number, texts in enumerate(rows, start=2):
            if not "".join(texts).strip():
                continue
            if first and is_hxl_row(texts):
                first = False
                continue
            first = False
            texts += [""] * (len(header) - len(texts))
            raw = {h: t for h, t in zip(header, texts) if h}
            answers: dict[str, Any] = {}
            flags: dict[str, list[str]] = {}
            for index, question, option in columns:
                text = texts[index]
                if option:
                    flag = text.strip().lower()
                    if flag in _TRUE_ONE_HOT:
                        flags.setdefault(question.key, []).append(option)
                    elif flag:
                        flags.setdefault(question.key, [])
                elif text.strip() or question.key not in answers:
                    answers[question.key] = text
            for name, picked in flags.items():
                # 1/0 columns stand in for an empty summary, and for one written as labels
                summary = str(answers.get(name) or "").strip()
                owner = form.by_key(name) if summary else None
                if not summary or (owner is not None and _read_many(owner, summary, form)[1]):
                    answers[name] = picked
            if composer:
                composer.apply(texts, answers)

            def meta(name: str, texts: list[str] = texts) -> str:
                return texts[position[name]].strip() if name in position else ""

            yield _RepeatRow(
                repeat.name,
                title,
                number,
                raw,
                answers,
                meta(index_name),
                meta("_parent_table_name"),
                meta(parent_name),
                meta("_submission__uuid").removeprefix("uuid:"),
            )

    def instances(
        self, index: str, instance_id: str
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, tuple[str, int]]]:
        """The raw instances of the main row with ``_index`` ``index`` (or, without one, its
        instance id), and where each instance came from (flat prefix → sheet, row)."""
        if index and index in self.by_index:
            rows = self.by_index[index]
        else:  # no _index in the main sheet (or no row points to it): by the submission's uuid
            rows = self.by_uuid.get(instance_id, []) if instance_id else []
        rows = [row for row in rows if not row.used]
        origin: dict[str, tuple[str, int]] = {}
        out: dict[str, list[dict[str, Any]]] = {}

        def build(rows: list[_RepeatRow], holder: dict[str, Any], steps: tuple[Any, ...]) -> None:
            counts: dict[str, int] = {}
            for row in rows:
                row.used = True
                counts[row.repeat] = counts.get(row.repeat, 0) + 1
                here = (*steps, (row.repeat, counts[row.repeat]))
                origin[flat_key(here, "")[:-1]] = (row.sheet, row.row)
                instance = dict(row.answers)
                holder.setdefault(row.repeat, []).append(instance)
                build(row.children, instance, here)

        build(rows, out, ())
        return out, origin

    def orphans(self) -> list[Quarantined]:
        """Rows no main row claimed, quarantined with the reason."""
        held = []
        for row in self.all_rows:
            if row.used:
                continue
            held.append(
                Quarantined(
                    row.row,
                    {**row.raw, ORPHAN_SHEET: row.sheet},
                    [
                        Problem(
                            gettext_noop(
                                "baris kelompok berulang ini tidak punya baris induk di lembar "
                                "utama (_parent_index tidak ditemukan)"
                            ),
                            file=self.label,
                            sheet=row.sheet,
                            row=row.row,
                            column="_parent_index",
                            value=row.parent_index,
                            expected=gettext_noop("_index sebuah baris di lembar induknya"),
                        )
                    ],
                    row.submission,
                )
            )
        return held


ORPHAN_SHEET = "_lembar_berulang"  # in a quarantined repeat row: the sheet it came from


def _repeat_problems(
    issues: list[RepeatIssue],
    label: str,
    row_number: int,
    origin: dict[str, tuple[str, int]],
) -> list[Problem]:
    """Problems of the instances of one main row, placed where their data came from."""
    problems = []
    for issue in issues:
        prefix = flat_key(issue.steps, "")[:-1]
        sheet, row = origin.get(prefix, ("", row_number))
        problems.append(
            Problem(
                issue.message,
                file=label,
                sheet=sheet,
                row=row,
                column=issue.question.path if sheet else issue.key,
                value=issue.value,
                expected=issue.expected,
                params={"key": issue.key},  # the cell's name in the quarantined row
            )
        )
    return problems


_PLAIN_TYPES = frozenset({str, int, type(None), date, list})


def _canonical(answers: dict[str, Any]) -> tuple[str, str]:
    """The answers as canonical JSON text and its SHA-256: what :func:`content_hash` hashes.

    The text is ``json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False)``.
    orjson writes the same text ten times faster but without the spaces after ``:`` and
    ``,``; they are put back when every ``:`` and ``,`` in orjson's output is a separator
    (counted: no key or string holds one), which is the common case. Anything else (floats,
    date-times, big integers, text with commas) goes through :mod:`json` itself.
    """
    kinds = set(map(type, answers.values()))
    if kinds <= _PLAIN_TYPES:
        commas = len(answers) - 1 if answers else 0
        plain = True
        if list in kinds:
            for value in answers.values():
                if type(value) is list and value:
                    commas += len(value) - 1
                    plain = plain and all(type(item) is str for item in value)
        if plain:
            try:
                compact = orjson.dumps(answers, option=orjson.OPT_SORT_KEYS)
            except TypeError:  # an integer beyond 64 bits
                compact = b""
            if compact and compact.count(b":") == len(answers) and compact.count(b",") == commas:
                spaced = compact.replace(b":", b": ").replace(b",", b", ")
                return spaced.decode("utf-8"), hashlib.sha256(spaced).hexdigest()
    text = json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(answers: dict[str, Any]) -> str:
    """SHA-256 of the answers in a canonical JSON form: equal answers, equal hash."""
    return _canonical(answers)[1]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_text(value: Any) -> str:
    """``value`` as JSON text, dates and date-times as ISO 8601 strings (how it is stored)."""
    return json.dumps(value, ensure_ascii=False, default=_json_default)


class StoredRow(NamedTuple):
    """A response as the database stores it: JSON texts and keys, cheap to send to another
    process (see :func:`read_export_parallel`)."""

    instance_id: str
    answers_json: str
    raw_json: str
    content_hash: str
    key: str | None
    submitted_at: datetime | None
    row: int


def stored_row(response: Response, hash_key: bytes) -> StoredRow:
    """``response`` ready to store; the respondent key is made with ``hash_key`` if missing."""
    key = response.key
    if key is None:
        for name in KEY_FIELDS:
            if response.answers.get(name):
                key = pseudonymise(str(response.answers[name]), hash_key)
                break
    return StoredRow(
        response.instance_id,
        response.answers_json or json_text(response.answers),
        response.raw_json or json_text(response.raw),
        response.content_hash,
        key,
        response.submitted_at,
        response.row,
    )


def read_export(
    source: str | Path | bytes,
    form: Form,
    *,
    file_name: str = "",
    hash_key: bytes = b"",
    progress: Callable[[int], None] | None = None,
    sink: Callable[[list[Response]], None] | None = None,
    chunk_size: int = 5000,
    store_json: bool = False,
    formula_escaped: bool = False,
) -> ReadResult:
    """Read an export of ``form`` and check every row against it.

    With ``sink``, good rows are handed over in lists of ``chunk_size`` as they are read
    (and not kept in the result), so a large file is stored without holding it all in memory.
    With ``store_json``, every response also carries its answers and raw row as the JSON text
    the database stores (``answers_json``, ``raw_json``). With ``formula_escaped`` (a bundle
    that says so), or when the file has an ``_tilik_escape`` column (Tilik's CSV export),
    the ``'`` that made values safe for a spreadsheet is removed again
    (:func:`tilik.core.exports.unescape_cell`).
    """
    return _read_export(
        source,
        form,
        file_name=file_name,
        hash_key=hash_key,
        progress=progress,
        sink=sink,
        chunk_size=chunk_size,
        store_json=store_json,
        formula_escaped=formula_escaped,
    )


def _read_export(
    source: str | Path | bytes,
    form: Form,
    *,
    file_name: str = "",
    hash_key: bytes = b"",
    progress: Callable[[int], None] | None = None,
    sink: Callable[[list[Any]], None] | None = None,
    chunk_size: int = 5000,
    store_json: bool = False,
    emit_stored: bool = False,
    formula_escaped: bool = False,
) -> ReadResult:
    """:func:`read_export`; with ``emit_stored`` the good rows are plain tuples in the
    order of :class:`StoredRow` fields (cheaper to make, and to send to another process)."""
    label = file_name or (str(source) if not isinstance(source, bytes) else "")
    result = ReadResult()
    found_zip: list[tuple[str, bytes, dict[str, bytes]] | None] = []
    try:
        header, rows, is_csv = _open_rows(source, file_name=label, zipped_out=found_zip)
    except UnsafeSpreadsheet as exc:
        result.problems.append(exc.problem(label))
        result.stopped = True
        return result
    except OSError as exc:
        result.problems.append(
            Problem(
                gettext_noop("berkas tidak dapat dibaca: {detail}"),
                file=label,
                params={"detail": exc.strerror or str(exc)},
            )
        )
        return result
    if not header:
        result.problems.append(
            Problem(gettext_noop("berkas kosong: tidak ada baris judul"), file=label)
        )
        return result
    if is_csv and (formula_escaped or ESCAPE_MARKER in header):
        rows = ([unescape_cell(v) for v in values] for values in rows)
    sheets: _RepeatSheets | None = None
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    zipped = found_zip[0] if is_csv and found_zip else None
    ignored: list[str] = []  # sheets (or zipped CSVs) that a form without repeats leaves out
    try:
        if zipped is not None and zipped[2]:
            if form.repeats:
                sheets = _RepeatSheets.from_zip(zipped[2], form, label, result)
            else:
                ignored = list(zipped[2])
        elif not is_csv and form.repeats:
            sheets = _RepeatSheets.from_workbook(data, form, label, result)
        elif not is_csv:
            ignored = _other_sheets(source)
    except (UnsafeSpreadsheet, csv.Error) as exc:
        result.problems.append(_stopped(exc, label, None))
        result.stopped = True
        return result
    if ignored:
        result.problems.append(
            Problem(
                gettext_noop(
                    "lembar lain di berkas ini tidak diimpor (misalnya data kelompok "
                    "berulang): {sheets}; hanya lembar pertama yang dibaca"
                ),
                file=label,
                severity="warning",
                params={"sheets": ", ".join(ignored)},
            )
        )
    setup = _setup_reader(
        header,
        form,
        label,
        hash_key,
        result,
        store_json=store_json,
        emit_stored=emit_stored,
        sheets=sheets,
    )
    read_row, columns, sheets = setup.read_row, setup.mapping.columns, setup.sheets
    responses = result.responses
    rows, placeholder = _placeholder_rows(rows, header, columns, form)
    number = 1  # the row last read (the header is row 1)
    try:
        for values in rows:
            number += 1
            if is_csv and len(values) > MAX_COLUMNS:
                raise UnsafeSpreadsheet(_TOO_WIDE, row=number)
            if not "".join(values).strip():  # a blank row: every value empty or white space
                continue
            if result.rows_read == 0 and is_hxl_row(values):
                result.problems.append(_hxl_note(label, number))
                continue
            result.rows_read += 1
            if progress is not None and result.rows_read % 1000 == 0:
                progress(result.rows_read)
            if placeholder:
                values = [("" if v == "n/a" else v) for v in values]
            read_row(values, number)
            if sink is not None and len(responses) >= chunk_size:
                sink(responses)
                responses = result.responses = []
    except (UnsafeSpreadsheet, csv.Error) as exc:
        result.problems.append(_stopped(exc, label, number + 1))
        result.stopped = True
    read_row.finish()
    if sheets is not None:
        result.quarantined.extend(sheets.orphans())
    if sink is not None and result.responses:
        sink(result.responses)
        result.responses = []
    if progress is not None:
        progress(result.rows_read)
    return result


@dataclass
class _Setup:
    """What reading rows of one export needs, made once from its header (see
    :func:`_setup_reader`)."""

    mapping: ColumnMap
    plan: _Plan
    composer: _Composer
    rules: FormRules
    present: frozenset[str]
    read_row: _RowReader
    attach: Any
    sheets: _RepeatSheets | None


def _setup_reader(
    header: list[str],
    form: Form,
    label: str,
    hash_key: bytes,
    result: ReadResult,
    *,
    store_json: bool = False,
    emit_stored: bool = False,
    sheets: _RepeatSheets | None = None,
) -> _Setup:
    """Map the header to the form, note the file's problems (unknown columns, required
    columns missing, rules that cannot be read) in ``result``, and make the row reader.

    Shared by :func:`_read_export` (row by row) and the columnar reader
    (:mod:`tilik.core.columnar`), which sends it the rows it cannot check by columns.
    """
    mapping = map_columns(header, form, repeat_names=frozenset(r.name for r in form.repeats))
    columns = mapping.columns
    plan = [
        (
            c.index,
            "choice"
            if c.kind == "question" and c.question is not None and c.question.type == "select_one"
            else c.kind,
            c.question,
            c.option,
            c.header,
            _fast_converter(c.question, form) if c.question is not None else None,
        )
        for c in columns
        if c.kind in ("id", "time", "version", "question", "one_hot")
        and (c.question is not None or c.kind in ("id", "time", "version"))
    ] + [  # an id column that is also a field of the form is its answer too
        (c.index, "question", c.question, "", c.header, _fast_converter(c.question, form))
        for c in columns
        if c.kind == "id" and c.question is not None
    ]
    composer = _Composer(columns)
    unknown = [c.header for c in columns if c.kind == "unknown"]
    if unknown:
        result.problems.append(
            Problem(
                gettext_noop("kolom tidak dikenal di formulir; nilainya disimpan apa adanya"),
                file=label,
                column=", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else ""),
                severity="warning",
            )
        )
    mapped = {c.question.key for c in columns if c.question is not None}
    missing = [
        q.key
        for q in form.data_questions()
        if q.required and q.key not in mapped and q.type not in ("calculate",)
    ]
    if missing:
        result.problems.append(
            Problem(
                gettext_noop("kolom pertanyaan wajib tidak ada di berkas"),
                file=label,
                column=", ".join(missing),
                severity="warning",
            )
        )
    rules = FormRules.of(form, file_name=label)
    result.problems.extend(rules.problems)
    if sheets is not None and not sheets.all_rows:
        sheets = None
    wide = [(c.index, c.header) for c in columns if c.kind == "repeat_cell"]
    attach = _repeat_attacher(form, label, header, wide, sheets) if (wide or sheets) else None
    read_row = _row_reader(
        header,
        plan,
        form,
        label,
        hash_key,
        result,
        rules,
        frozenset(mapped),
        store_json or emit_stored,
        emit_stored,
        attach,
        mapping,
        composer,
    )
    return _Setup(mapping, plan, composer, rules, frozenset(mapped), read_row, attach, sheets)


def _repeat_attacher(
    form: Form,
    label: str,
    header: list[str],
    wide: list[tuple[int, str]],
    sheets: _RepeatSheets | None,
) -> Callable[[list[str], int, dict[str, Any], str], tuple[list[Problem], dict[str, str]]]:
    """A function that puts a main row's repeat instances into its answers and checks them:
    instances from the repeat sheets (joined by ``_index``, else by ``_submission__uuid``) or
    from ``repeat[n]/question`` columns. It returns the problems, and the instances' cells
    under their flat names (kept with the row if it is quarantined)."""
    # the key repeat rows point to: KoboToolbox's _index, else ODK Central's KEY
    index_column = next((header.index(n) for n in ("_index", "KEY") if n in header), None)

    def attach(
        values: list[str], row_number: int, answers: dict[str, Any], instance_id: str
    ) -> tuple[list[Problem], dict[str, str]]:
        found: dict[str, list[dict[str, Any]]] = {}
        origin: dict[str, tuple[str, int]] = {}
        if sheets is not None:
            index = ""
            if index_column is not None and index_column < len(values):
                index = values[index_column].strip()
            found, origin = sheets.instances(index, instance_id)
        if wide:
            cells = {head: values[i] for i, head in wide if i < len(values) and values[i].strip()}
            for name, listed in nest(form, cells).items():
                if isinstance(listed, list):
                    found.setdefault(name, []).extend(listed)
        if not found:
            return [], {}
        raw = (
            {key: _answer_text(value) for key, value in flatten(form, found).items()}
            if origin
            else {}
        )
        answers.update(found)
        issues = check_repeats(form, answers)
        return _repeat_problems(issues, label, row_number, origin), raw

    return attach


_Plan = list[tuple[int, str, Any, str, str, Any]]
_Converted = tuple[
    dict[str, str], dict[str, Any], list[Problem], str, datetime | None, str, list[Problem]
]


def _convert_row(
    values: list[str],
    row_number: int,
    header: list[str],
    plan: _Plan,
    form: Form,
    label: str,
    composer: _Composer,
    lenient: Callable[[str], bool],
) -> _Converted:
    """Raw row, typed answers, conversion problems, instance id, submission time, form
    version of a row, and the problems waived if the row proves to be of another version of
    the form (see :func:`_row_reader`).

    The general case, column by column: any row shape, repeated columns, answers written as
    labels, every problem worded. ``lenient(version)`` says whether a row collected with that
    version of the form may hold a choice the form no longer has: kept as received.
    """
    if len(values) < len(header):
        values = values + [""] * (len(header) - len(values))
    raw = {h: v for h, v in zip(header, values) if h}
    if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        extra = [v for v in values[len(header) :] if v.strip()]
        raw["_kolom_tanpa_judul"] = " | ".join(extra)
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    instance_id = ""
    submitted_at = None
    version = ""
    for index, kind, _question, _option, _header, _fast in plan:
        if kind == "version":
            version = version or values[index].strip()
    keep_unknown = lenient(version)
    waived: list[Problem] = []
    one_hot: dict[str, list[str]] = {}
    one_hot_seen: set[str] = set()
    labelled: set[str] = set()  # select_multiple answers read from labels
    for index, kind, question, option, column_header, fast in plan:
        text = values[index]
        if kind == "choice" or kind == "question":
            value, message, expected, by_label = cell_value(kind, question, fast, text, form)
            if by_label:
                labelled.add(question.key)
            if message:
                # a choice the form no longer has, in a row of another version of the
                # form, is kept as received (the problem counts if the file says so)
                kept = message in _CHOICE_PROBLEMS and keep_unknown
                (waived if kept else problems).append(
                    Problem(
                        message,
                        file=label,
                        row=row_number,
                        column=column_header,
                        value=text,
                        expected=expected,
                    )
                )
                if not kept:
                    continue
                value = _as_received(question, text)
            if value is not None or question.key not in answers:
                answers[question.key] = value
        elif kind == "id":
            instance_id = instance_id or text.strip().removeprefix("uuid:")
        elif kind == "time":
            submitted_at = submitted_at or _parse_datetime(text)
        elif kind == "one_hot":
            flag = text.strip().lower()
            name = question.key
            if flag in _TRUE_ONE_HOT:
                one_hot.setdefault(name, []).append(option)
                one_hot_seen.add(name)
            elif flag not in _FALSE_ONE_HOT:
                problems.append(
                    Problem(
                        gettext_noop("nilai kolom pilihan ganda harus 1 atau 0"),
                        file=label,
                        row=row_number,
                        column=column_header,
                        value=text,
                        expected="1 / 0",
                    )
                )
            elif flag != "":
                one_hot_seen.add(name)
    _merge_one_hot(answers, one_hot, one_hot_seen, labelled)
    if composer:
        composer.apply(values, answers)
    return raw, answers, problems, instance_id, submitted_at, version, waived


def cell_value(
    kind: str, question: Question, fast: Any, text: str, form: Form
) -> tuple[Any, str | None, str, bool]:
    """One answer cell as the row reader converts it: ``(value, problem message or None,
    expected, read from labels)``. ``kind`` is ``"choice"`` (a select_one, ``fast`` its
    :class:`_Choices`) or ``"question"``; ``fast`` is :func:`_fast_converter`'s converter.

    The value depends on the cell alone, so the columnar reader converts each distinct text
    of a column once with this function (:mod:`tilik.core.columnar`).
    """
    if kind == "choice":
        value = fast.get(text, _MISS)
    elif fast is not None and text and not text.isspace():
        value = fast(text)
    else:
        value = _MISS
    by_label = False
    if value is _MISS and question.type == "select_multiple" and text.strip():
        value, by_label = _read_many(question, text.strip(), form)
        if value is None:
            value = _MISS
    if value is _MISS:
        value, message, expected = convert_value(question, text, form)
        return value, message, expected, False
    return value, None, "", by_label


_CHOICE_PROBLEMS = frozenset({"bukan salah satu pilihan", "memuat pilihan yang tidak ada"})


def _as_received(question: Question, text: str) -> Any:
    """A select answer kept as the row has it (a choice of another version of the form)."""
    value = text.strip()
    if question.type == "select_multiple":
        return value.split()
    return value


def _merge_one_hot(
    answers: dict[str, Any],
    one_hot: dict[str, list[str]],
    one_hot_seen: set[str],
    labelled: set[str] | frozenset[str] = frozenset(),
) -> None:
    """The 1/0 columns stand in for an empty summary column, and decide between the readings
    of a summary written as labels (options may share a label, or one label hold another's
    words): the summary's order is kept where it agrees."""
    for name, options in one_hot.items():
        current = answers.get(name)
        if current is None or name in labelled and set(current) != set(options):
            answers[name] = options
    for name in one_hot_seen:
        answers.setdefault(name, [])
        if answers[name] is None:
            answers[name] = []


class _Composer:
    """Answers made of several columns: ODK Central's split geopoints, the parameters of a
    literacy test, the ``_other`` text of an or_other select."""

    def __init__(self, columns: list[Any]) -> None:
        self.geo: dict[str, list[tuple[int, int]]] = {}
        self.literacy: dict[str, list[tuple[int, int]]] = {}
        self.other: list[tuple[int, str]] = []
        for column in columns:
            if column.kind == "geo_part":
                self.geo.setdefault(column.question.key, []).append((column.index, column.part))
            elif column.kind == "literacy":
                self.literacy.setdefault(column.question.key, []).append(
                    (column.index, column.part)
                )
            elif column.kind == "other":
                self.other.append((column.index, f"{column.question.key}_other"))
        self.questions = frozenset(self.geo) | frozenset(self.literacy)

    def __bool__(self) -> bool:
        return bool(self.geo or self.literacy or self.other)

    def apply(self, values: list[str], answers: dict[str, Any]) -> None:
        width = len(values)
        for name, places in self.geo.items():
            parts = ["", "", "", ""]
            for index, part in places:
                if index < width:
                    parts[part] = values[index].strip()
            while parts and not parts[-1]:
                parts.pop()
            answers[name] = " ".join(p or "0" for p in parts) if parts else None
        for name, places in self.literacy.items():
            words = answers.get(name)
            if isinstance(words, str):
                words = words.split()
            words = list(words or [])
            if len(words) >= 10 and all(w == "null" for w in words[3:10]):
                continue  # the whole value already
            given = ["", "", ""]
            for index, part in places:
                if index < width:
                    given[part] = values[index].strip()
            if any(given) or words:
                answers[name] = [g or "null" for g in given] + ["null"] * 7 + words
        for index, name in self.other:
            text = values[index].strip() if index < width else ""
            if text:
                answers[name] = text


def _placeholder_rows(
    rows: Iterator[list[str]], header: list[str], columns: list[Any], form: Form
) -> tuple[Iterator[list[str]], bool]:
    """Whether the file writes ``n/a`` for "no answer", as KoBoCAT's CSV export does (pandas'
    ``na_rep``), and the rows to read.

    Recognised by the export's meta columns (KoBoCAT's: ``_uuid`` and ``_tags`` without
    formpack's ``_id`` and ``_index``), or by ``n/a`` in the first rows where no answer can
    be ``n/a``: numbers, dates, selects without such a choice, 1/0 columns, meta columns.
    A text answer ``n/a`` in any other file stays an answer.
    """
    names = {h.strip() for h in header}
    if {"_uuid", "_tags"} <= names and not names & {"_id", "_index"}:
        return rows, True
    typed = [
        c.index
        for c in columns
        if c.kind in ("one_hot", "meta", "id", "time", "geo_part", "derived")
        or c.kind == "question"
        and c.question is not None
        and _no_placeholder_answer(c.question, form)
    ]
    if not typed:
        return rows, False
    head: list[list[str]] = []
    failed: list[Exception] = []
    try:
        for values in rows:
            head.append(values)
            if len(head) >= 200:
                break
    except (UnsafeSpreadsheet, csv.Error) as exc:  # raised again where the reader meets it
        failed.append(exc)
    found = any(
        index < len(values) and values[index] == "n/a" for values in head for index in typed
    )
    return itertools.chain(head, _raising(failed), rows), found


def _raising(failed: list[Exception]) -> Iterator[list[str]]:
    for exc in failed:
        raise exc
    yield from ()


def _no_placeholder_answer(question: Question, form: Form) -> bool:
    if question.type in ("integer", "decimal", "date", "dateTime", "time", "geopoint"):
        return True
    if question.is_select and not question.or_other:
        return choice_reader(form, question).one("n/a") is None
    return False


def _conflict(label: str, row: int, instance_id: str) -> Problem:
    return Problem(
        gettext_noop("ID kiriman ini sudah dipakai oleh baris lain dengan isi berbeda"),
        file=label,
        row=row,
        column="_uuid",
        value=instance_id,
        expected=gettext_noop("ID unik per kiriman"),
    )


def _hxl_note(label: str, row: int) -> Problem:
    return Problem(
        gettext_noop("baris tagar HXL (#…) di bawah judul kolom dilewati; bukan kiriman"),
        file=label,
        row=row,
        severity="warning",
    )


def _stopped(exc: Exception, label: str, row: int | None) -> Problem:
    """The reason reading stopped part-way through a file (the rows before it are kept)."""
    if isinstance(exc, UnsafeSpreadsheet):
        problem = exc.problem(label)
        if problem.row is None:
            problem = Problem(
                problem.message,
                file=label,
                row=row,
                sheet=problem.sheet,
                column=problem.column,
                value=problem.value,
                params=problem.params,
            )
        return problem
    text = str(exc)
    if "field larger than field limit" in text:
        return Problem(
            gettext_noop("berkas ditolak: satu sel lebih dari 10 MB"), file=label, row=row
        )
    return Problem(
        gettext_noop("baris ini bukan CSV yang sah: {detail}"),
        file=label,
        row=row,
        params={"detail": text},
    )


def _rule_checker(
    rules: FormRules, present: frozenset[str]
) -> Callable[[Mapping[str, Any]], list[tuple[Question, str, str]]]:
    """:func:`check_rules` for one file (``present`` fixed), with the per-row work cut down:
    required-only answers are tested for emptiness in one pass over a list.
    """
    required = [q for q in rules.required_only if q.key in present]
    required_names = [q.key for q in required]
    checks = [
        (
            rule.question,
            rule.question.key,
            rule.relevant,
            rule.constraint,
            rule.question.required and rule.question.key in present,
            rule.question.constraint_messages.get("id") or rule.question.constraint,
        )
        for rule in rules.rules
    ]

    def check(answers: Mapping[str, Any]) -> list[tuple[Question, str, str]]:
        failures: list[tuple[Question, str, str]] = []
        if required_names:
            values = list(map(answers.get, required_names))
            if None in values or "" in values or [] in values:
                for question, value in zip(required, values):
                    if value is None or value == "" or value == []:
                        failures.append((question, *REQUIRED_PROBLEM))
        for question, name, relevant, constraint, required_here, expected in checks:
            value = answers.get(name)
            if relevant is not None:
                try:
                    if not truthy(relevant(answers, None, None, None)):
                        continue
                except XPathError:
                    pass
            if value is None or value == "" or value == []:
                if required_here:
                    failures.append((question, *REQUIRED_PROBLEM))
                continue
            if constraint is not None:
                try:
                    passed = truthy(constraint(answers, value, None, None))
                except XPathError:
                    passed = True
                if not passed:
                    failures.append((question, CONSTRAINT_PROBLEM, expected))
        return failures

    return check


def _picker(indices: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    if len(indices) >= 2:
        return itemgetter(*indices)
    if indices:
        only = indices[0]
        return lambda values: (values[only],)
    return lambda values: ()


class _RowReader(Protocol):
    versions: set[str]
    pending: list[Any]

    def __call__(self, values: list[str], row_number: int) -> None: ...

    def finish(self) -> None:
        """Settle the rows held back (see :func:`_row_reader`)."""


def _row_reader(
    header: list[str],
    plan: _Plan,
    form: Form,
    label: str,
    hash_key: bytes,
    result: ReadResult,
    rules: FormRules,
    present: frozenset[str],
    store_json: bool,
    emit_stored: bool = False,
    attach: Callable[[list[str], int, dict[str, Any], str], tuple[list[Problem], dict[str, str]]]
    | None = None,
    mapping: ColumnMap | None = None,
    composer: _Composer | None = None,
) -> _RowReader:
    """A function that reads one data row into ``result`` (a response or a quarantined row).

    Rows of the usual shape take a fast path: every question column converted by one call
    per column from C (:func:`map`), the answers built by one :func:`dict` call. A row the fast
    path cannot take as it is (a conversion problem, a non-standard value, answers written as
    labels, a short or long row, repeated question columns) goes through
    :func:`_convert_row`, column by column; both give the same result.

    A row collected with another version of the form (its ``__version__`` or ``FormVersion``
    is not the form's) may lack answers the form now requires, and hold choices it no longer
    has: neither quarantines it (the answers are kept as received; a label of a choice the
    form no longer has cannot be read back to its name, so label exports still quarantine
    it). Such rows are counted in ``reader.versions``.
    """
    composer = composer if composer is not None else _Composer([])
    by_labels = mapping.by_labels if mapping is not None else False
    form_version = form.version.strip()

    def other_version(version: str) -> bool:
        return bool(version and form_version and version != form_version)

    def lenient(version: str) -> bool:
        return other_version(version) and not by_labels

    width = len(header)
    questions = [p for p in plan if p[1] in ("choice", "question")]
    names = [p[2].key for p in questions]
    converters = [_row_converter(p[2], form, p[5]) for p in questions]
    take = _picker([p[0] for p in questions])
    id_columns = [p[0] for p in plan if p[1] == "id"]
    time_columns = [p[0] for p in plan if p[1] == "time"]
    version_columns = [p[0] for p in plan if p[1] == "version"]
    one_hot_columns = [(p[0], p[2].key, p[3]) for p in plan if p[1] == "one_hot"]
    column_question = {p[4]: p[2].key for p in plan if p[2] is not None}
    fast_shape = len(set(names)) == len(names) and not composer.literacy
    raw_plain = all(header) and len(set(header)) == width
    raw_keys = [encode_basestring(h) + ": " for h in header]
    check = _rule_checker(rules, present)
    datetimes = rules.datetimes
    seen: dict[str, str] = {}
    quarantined = result.quarantined

    def fast_answers(values: list[str]) -> dict[str, Any] | None:
        converted = list(map(call, converters, take(values)))
        if _MISS in converted:
            return None
        answers = dict(zip(names, converted))
        if one_hot_columns:
            one_hot: dict[str, list[str]] = {}
            one_hot_seen: set[str] = set()
            for index, name, option in one_hot_columns:
                flag = values[index].strip().lower()
                if flag in _TRUE_ONE_HOT:
                    one_hot.setdefault(name, []).append(option)
                    one_hot_seen.add(name)
                elif flag not in _FALSE_ONE_HOT:
                    return None
                elif flag != "":
                    one_hot_seen.add(name)
            _merge_one_hot(answers, one_hot, one_hot_seen)
        return answers

    def read(values: list[str], row_number: int) -> None:
        answers = fast_answers(values) if fast_shape and len(values) == width else None
        raw: dict[str, str] | None = None  # made when needed, on the fast path
        if answers is not None:
            problems: list[Problem] = []
            instance_id = ""
            for index in id_columns:
                instance_id = instance_id or values[index].strip().removeprefix("uuid:")
            submitted_at = None
            for index in time_columns:
                submitted_at = submitted_at or _parse_datetime(values[index])
            version = ""
            for index in version_columns:
                version = version or values[index].strip()
            if composer:
                composer.apply(values, answers)
            waived: list[Problem] = []
        else:
            raw, answers, problems, instance_id, submitted_at, version, waived = _convert_row(
                values, row_number, header, plan, form, label, composer, lenient
            )
        if version:
            versions.add(version)
        older = other_version(version)
        repeat_raw: dict[str, str] = {}
        if attach is not None:
            repeat_problems, repeat_raw = attach(values, row_number, answers, instance_id)
            problems.extend(repeat_problems)
            failures = check(Scope(form, answers))
        else:
            failures = check(answers)
        if failures:
            bad = {column_question.get(p.column, p.column) for p in problems}
            for question, message, expected in failures:
                if question.path in bad or question.key in bad:
                    continue  # already reported as a conversion problem
                value = answers.get(question.key)
                # the question may not have been asked, or not required, in that version
                (waived if older and message == REQUIRED_PROBLEM[0] else problems).append(
                    Problem(
                        message,
                        file=label,
                        row=row_number,
                        column=question.path,
                        value="" if value is None else _export_value(value),
                        expected=expected,
                    )
                )
        canonical, content = _canonical(answers)
        if attach is not None and any(
            type(v) is list and v and type(v[0]) is dict for v in answers.values()
        ):
            canonical = json_text(answers) if store_json or emit_stored else ""
        elif datetimes and any(type(v) is datetime for v in answers.values()):
            # str(datetime) is not ISO 8601: the stored text is made by json_text instead
            canonical = json_text(answers) if store_json else ""
        if not instance_id:
            instance_id = "hash:" + content[:32]
        known = seen.get(instance_id)
        if known is not None:
            if known == content:
                result.duplicates += 1
                return
            problems.append(_conflict(label, row_number, instance_id))
        if raw is None and (problems or waived or not emit_stored or not raw_plain):
            raw = (
                dict(zip(header, values))
                if raw_plain
                else {h: v for h, v in zip(header, values) if h}
            )
        if problems or waived:
            if repeat_raw:
                raw = {**raw, **repeat_raw}  # type: ignore[dict-item]
            held = Quarantined(row_number, raw, problems + waived, instance_id)  # type: ignore[arg-type]
            if problems:
                quarantined.append(held)
                return
            item = make(
                answers, raw, values, instance_id, canonical, content, submitted_at, row_number
            )
            pending.append((version, held, instance_id, content, item))
            return
        seen[instance_id] = content
        result.responses.append(
            make(answers, raw, values, instance_id, canonical, content, submitted_at, row_number)
        )

    def make(
        answers: dict[str, Any],
        raw: dict[str, str] | None,
        values: list[str],
        instance_id: str,
        canonical: str,
        content: str,
        submitted_at: datetime | None,
        row_number: int,
    ) -> Any:
        key = None
        if hash_key or emit_stored:  # a stored row has its key made even with an empty one
            for field_name in KEY_FIELDS:
                value = answers.get(field_name)
                if value:
                    key = pseudonymise(str(value), hash_key)
                    break
        raw_json = ""
        if store_json:
            if raw_plain and len(values) == width:
                raw_json = "{" + ", ".join(map(add, raw_keys, map(encode_basestring, values))) + "}"
            else:
                raw_json = json_text(raw)
        if emit_stored:
            return (instance_id, canonical, raw_json, content, key, submitted_at, row_number)
        return Response(
            instance_id=instance_id,
            answers=answers,
            raw=raw,  # type: ignore[arg-type]
            row=row_number,
            submitted_at=submitted_at,
            key=key,
            content_hash=content,
            answers_json=canonical,
            raw_json=raw_json,
        )

    def finish() -> None:
        """Rows held back as of another version of the form: stored when the file holds rows
        of this form's version too (it mixes versions), quarantined otherwise (the version
        column then names something else, as KoboToolbox's deployment ids may)."""
        if not pending:
            return
        held_back = list(pending)
        pending.clear()
        if form_version not in versions:
            quarantined.extend(held for _version, held, _instance, _content, _item in held_back)
            return
        counted: dict[str, int] = {}
        for version, held, instance_id, content, item in held_back:
            known = seen.get(instance_id)
            if known == content:
                result.duplicates += 1
                continue
            if known is not None:
                held.problems.append(_conflict(label, held.row, instance_id))
                quarantined.append(held)
                continue
            seen[instance_id] = content
            counted[version] = counted.get(version, 0) + 1
            result.responses.append(item)
        result.problems.append(
            Problem(
                gettext_noop(
                    "{rows} baris dikumpulkan dengan versi formulir lain ({versions}; "
                    "formulir ini versi {version}): jawaban wajib yang tidak ada dan "
                    "pilihan yang kini tidak ada di formulir tidak membuatnya dikarantina"
                ),
                file=label,
                severity="warning",
                params={
                    "rows": sum(counted.values()),
                    "versions": ", ".join(sorted(counted)),
                    "version": form_version,
                },
            )
        )

    versions: set[str] = set()
    pending: list[tuple[str, Quarantined, str, str, Any]] = []
    read.finish = finish  # type: ignore[attr-defined]
    # the versions of the rows read; the columnar reader adds those of the rows it read itself
    read.versions = versions  # type: ignore[attr-defined]
    read.pending = pending  # type: ignore[attr-defined]
    return read  # type: ignore[return-value]


# Reading in a second process ----------------------------------------------------------------

_PARALLEL_MIN_ROWS = 5000
_CHILD_CODE = (
    "import os, pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from tilik.core.procs import die_with_parent; die_with_parent(int(sys.argv[1])); "
    "from tilik.core.ingest import _reader_main; _reader_main()"
)


def _serve(
    data: bytes,
    form: Form,
    file_name: str,
    hash_key: bytes,
    chunk_size: int,
    formula_escaped: bool,
    out: int,
) -> None:
    """The child's side of :func:`read_export_parallel`: read the file and write what was
    read to the file descriptor ``out`` as length-prefixed pickles.

    A thread writes while the main thread goes on reading, through a short queue: the child
    stays a few chunks ahead of the parent, and no further. Each frame goes out in one
    ``os.write``, which waits for the parent without the GIL; a buffered file would take the
    GIL back after every pipe-full and then wait for the reading thread to let it go.
    """
    outbox: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=3)

    def send_all() -> None:
        while (item := outbox.get()) is not None:
            frame = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            pending = memoryview(len(frame).to_bytes(8, "little") + frame)
            while pending:
                pending = pending[os.write(out, pending) :]

    sender = threading.Thread(target=send_all, daemon=True)
    sender.start()
    try:
        result = _read_export(
            data,
            form,
            file_name=file_name,
            hash_key=hash_key,
            progress=lambda rows: outbox.put(("progress", rows)),
            sink=lambda rows: outbox.put(("rows", rows)),
            chunk_size=chunk_size,
            emit_stored=True,
            formula_escaped=formula_escaped,
        )
        outbox.put(("done", result))
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        outbox.put(("error", exc))
    outbox.put(None)
    sender.join()
    os.close(out)


def _reader_main() -> None:
    """Entry point of a child started as a fresh interpreter: the job comes on stdin."""
    out = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # a stray print() must not corrupt the stream
    # the job comes from the parent process, which started this one
    data, form, file_name, hash_key, chunk_size, escaped = pickle.load(sys.stdin.buffer)  # noqa: S301
    _serve(data, form, file_name, hash_key, chunk_size, escaped, out)


def _receive(
    stream: Any,
    sink: Callable[[list[StoredRow]], None],
    progress: Callable[[int], None] | None,
) -> ReadResult:
    """The parent's side: hand each chunk to ``sink`` until the child sends its result."""
    while True:
        head = stream.read(8)
        if len(head) < 8:
            raise RuntimeError("import reader process ended unexpectedly")
        # the frame comes from our own child process, which pickled it
        kind, payload = pickle.loads(stream.read(int.from_bytes(head, "little")))  # noqa: S301
        if kind == "rows":
            sink(list(map(StoredRow._make, payload)))
        elif kind == "progress":
            if progress is not None:
                progress(payload)
        elif kind == "done":
            return payload
        else:
            raise payload


def read_export_parallel(
    source: str | Path | bytes,
    form: Form,
    *,
    sink: Callable[[list[StoredRow]], None],
    file_name: str = "",
    hash_key: bytes = b"",
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 5000,
    min_rows: int = _PARALLEL_MIN_ROWS,
    method: str = "auto",
    formula_escaped: bool = False,
) -> ReadResult:
    """:func:`read_export` with a sink of :class:`StoredRow`, reading in a second process.

    A child process reads and checks the file and sends chunks of rows ready to store; the
    caller's ``sink`` (storing them) runs meanwhile in this process, so the two halves of an
    import use two cores. At most a few chunks wait between the two, so memory stays
    bounded. The result is the same as reading here, which is what happens for files under
    ``min_rows`` lines and wherever no child can be started.

    The child is a fork when this process runs a single thread (the CLI, a script: it starts
    at once), otherwise (a web server's threads, where forking is unsafe) a fresh interpreter
    (``sys.executable``) that imports only this module. Neither re-runs the caller's script,
    as :mod:`multiprocessing`'s spawn would. ``method`` (``"fork"``, ``"interpreter"``,
    ``"inline"``) chooses instead of ``"auto"``.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    label = file_name or (str(source) if not isinstance(source, bytes) else "")

    def inline() -> ReadResult:
        return _read_export(
            data,
            form,
            file_name=label,
            hash_key=hash_key,
            progress=progress,
            sink=lambda rows: sink(list(map(StoredRow._make, rows))),
            chunk_size=chunk_size,
            emit_stored=True,
            formula_escaped=formula_escaped,
        )

    is_zip = data[:2] == b"PK" or label.lower().endswith((".xlsx", ".xlsm"))
    lines = data.count(b"\n") if not is_zip else len(data) // 64
    if method == "auto":
        if lines < min_rows:
            method = "inline"
        elif safe_to_fork():
            method = "fork"
        else:
            method = "interpreter"
    job = (data, form, label, hash_key, chunk_size, formula_escaped)
    if method == "fork":
        return _read_in_fork(job, sink, progress)
    if method != "interpreter" or not sys.executable:
        return inline()
    command = [sys.executable, "-c", _CHILD_CODE, str(os.getpid())]
    try:
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    except OSError:
        return inline()
    assert child.stdin is not None and child.stdout is not None
    finished = False
    try:
        try:
            pickle.dump(list(sys.path), child.stdin)
            pickle.dump(job, child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            child.stdin.close()
        except OSError:  # the child could not start (no usable interpreter): read here
            finished = True
            child.kill()
            return inline()
        result = _receive(child.stdout, sink, progress)
        finished = True
        return result
    finally:
        if not finished:
            child.kill()
        child.stdout.close()
        child.wait()


def _read_in_fork(
    job: tuple[bytes, Form, str, bytes, int, bool],
    sink: Callable[[list[StoredRow]], None],
    progress: Callable[[int], None] | None,
) -> ReadResult:
    read_end, write_end = os.pipe()
    # The child's garbage collector would otherwise walk (and so copy, page by page) every
    # object inherited from the parent: a web app's whole heap.
    gc.freeze()
    parent = os.getpid()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: read, send, and leave without running the parent's exit code
        code = 0
        try:
            die_with_parent(parent)
            os.close(read_end)
            _serve(*job, out=write_end)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb") as stream:
            result = _receive(stream, sink, progress)
        finished = True
        return result
    finally:
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _export_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def kobo_header(form: Form) -> list[str]:
    """The columns KoboToolbox writes for ``form`` ("XML values and headers")."""
    header: list[str] = []
    for question in form.data_questions():
        if question.type == "calculate" and not question.name:
            continue
        header.extend(_question_header(form, question))
    return header + list(KOBO_META_COLUMNS)


def _question_header(form: Form, question: Question) -> list[str]:
    """A question's columns as KoboToolbox writes them: the answer, a 1/0 column per option
    of a select_multiple, and the ``…_other`` text of an ``or_other`` select."""
    header = [question.path]
    if question.type == "select_multiple":
        header.extend(f"{question.path}/{name}" for name in form.choice_names(question))
    if question.or_other:
        header.append(f"{question.path}_other")
    return header


def _question_cells(form: Form, question: Question, answers: Mapping[str, Any]) -> list[str]:
    """The cells under :func:`_question_header`, from a submission's or instance's answers."""
    value = answers.get(question.key)
    cells = [_export_value(value)]
    if question.type == "select_multiple":
        for name in form.choice_names(question):
            cells.append("" if value is None else ("1" if name in value else "0"))
    if question.or_other:
        cells.append(_export_value(answers.get(f"{question.key}_other")))
    return cells


def kobo_row(form: Form, response: Response, index: int) -> list[str]:
    """One main-sheet row as KoboToolbox writes it: answers, 1/0 option columns, meta."""
    row: list[str] = []
    for question in form.data_questions():
        row.extend(_question_cells(form, question, response.answers))
    row.extend(_kobo_meta(form, response, index)[name] for name in KOBO_META_COLUMNS)
    return row


def _kobo_meta(form: Form, response: Response, index: int) -> dict[str, str]:
    submitted = response.submitted_at.isoformat() if response.submitted_at else ""
    return {
        "_id": response.raw.get("_id", str(index)),
        "_uuid": response.instance_id,
        "_submission_time": submitted,
        "_validation_status": response.raw.get("_validation_status", ""),
        "_notes": response.raw.get("_notes", ""),
        "_status": response.raw.get("_status", "submitted_via_web"),
        "_submitted_by": response.raw.get("_submitted_by", ""),
        "__version__": response.raw.get("__version__", form.version),
        "_tags": response.raw.get("_tags", ""),
        "_index": str(index),
    }


def write_kobo_csv(
    form: Form,
    responses: Iterable[Response],
    target: str | Path | None = None,
    *,
    escape: bool = False,
) -> bytes:
    """Write responses the way KoboToolbox exports them today; returns the bytes.

    ``;`` delimiter, every field quoted, CRLF, UTF-8 without BOM, one 1/0 column per option
    (empty when the question was not answered). Like KoboToolbox's CSV, it has no room for
    the answers inside repeats: use :func:`write_kobo_xlsx` for forms with repeats. With
    ``escape``, values a spreadsheet would run as formulas get a leading ``'``
    (:func:`tilik.core.exports.escape_text`; read back with ``formula_escaped``).
    """
    if form.repeats:
        raise ValueError(f"{form.form_id} has repeats: a CSV cannot hold them (write_kobo_xlsx)")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(kobo_header(form))
    for index, response in enumerate(responses, start=1):
        row = kobo_row(form, response, index)
        writer.writerow([escape_text(v) for v in row] if escape else row)
    data = buffer.getvalue().encode("utf-8")
    if target is not None:
        Path(target).write_bytes(data)
    return data


# the submission's meta that KoboToolbox copies into each repeat row (as _submission_<name>)
_SUBMISSION_COPIES = tuple(name for name in KOBO_META_COLUMNS if name != "_index")


def _repeat_header(form: Form, repeat: RepeatGroup) -> list[str]:
    header: list[str] = []
    for question in repeat.questions:
        header.extend(_question_header(form, question))
    if form.child_repeats(repeat.name):
        header.append("_index")
    header += ["_parent_table_name", "_parent_index"]
    header += [f"_submission_{name}" for name in _SUBMISSION_COPIES]
    return header


def kobo_sheet_title(form: Form) -> str:
    """The main sheet's name in a KoboToolbox XLSX export: the form's title, cut to 31."""
    title = re.sub(r"[\\/*?:\[\]]", " ", form.title or form.form_id).strip()
    return (title or "data")[:31]


def write_kobo_xlsx(
    form: Form, responses: Iterable[Response], target: str | Path | None = None
) -> bytes:
    """Write responses as KoboToolbox's XLSX export ("XML values and headers"): the main
    sheet, then one sheet per repeat whose rows point to their parent row with
    ``_parent_table_name`` / ``_parent_index`` and carry the submission's meta as
    ``_submission_*``. Text is written as text (a value starting with ``=`` is never a
    formula) and unchanged, so reading the file back gives the same answers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    main_title = kobo_sheet_title(form)
    main = workbook.create_sheet(main_title)
    titles = {main_title.lower()}
    sheets: dict[str, Any] = {}
    for repeat in form.repeats:
        title = repeat.name[:31]
        while title.lower() in titles:
            title = title[:29] + f"_{len(titles)}"
        titles.add(title.lower())
        sheets[repeat.name] = (workbook.create_sheet(title), title)

    def text_cells(sheet: Any, values: list[str]) -> list[Any]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        return cells

    main.append(text_cells(main, kobo_header(form)))
    for repeat in form.repeats:
        sheet = sheets[repeat.name][0]
        sheet.append(text_cells(sheet, _repeat_header(form, repeat)))
    counters = {repeat.name: 0 for repeat in form.repeats}
    widths = [len(kobo_header(form)), *(len(_repeat_header(form, r)) for r in form.repeats)]
    main_rows = 0

    def write_instances(
        holder: dict[str, Any],
        parent: str,
        parent_table: str,
        parent_index: int,
        meta: dict[str, str],
    ) -> None:
        for repeat in form.child_repeats(parent):
            listed = holder.get(repeat.name)
            if not isinstance(listed, list):
                continue
            sheet, title = sheets[repeat.name]
            for instance in listed:
                if not isinstance(instance, dict):
                    continue
                counters[repeat.name] += 1
                row: list[str] = []
                for question in repeat.questions:
                    row.extend(_question_cells(form, question, instance))
                if form.child_repeats(repeat.name):
                    row.append(str(counters[repeat.name]))
                row += [parent_table, str(parent_index)]
                row += [meta[name] for name in _SUBMISSION_COPIES]
                sheet.append(text_cells(sheet, row))
                write_instances(instance, repeat.name, title, counters[repeat.name], meta)

    for index, response in enumerate(responses, start=1):
        main.append(text_cells(main, kobo_row(form, response, index)))
        main_rows = index
        if form.repeats:
            write_instances(
                response.answers, "", main_title, index, _kobo_meta(form, response, index)
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = [main_rows + 1, *(counters[r.name] + 1 for r in form.repeats)]
    data = add_dimensions(buffer.getvalue(), list(zip(rows, widths)))
    if target is not None:
        Path(target).write_bytes(data)
    return data
