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
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tilik.core.i18n import gettext_noop
from tilik.core.nip import pseudonymise
from tilik.core.problems import Problem
from tilik.core.xlsform import Form, Question
from tilik.core.xlsx import MAX_COLUMNS, UnsafeSpreadsheet, iter_sheet_rows, open_workbook
from tilik.core.xpath import XPathError, compile_function, truthy

__all__ = [
    "KEY_FIELDS",
    "KOBO_META_COLUMNS",
    "Quarantined",
    "ReadResult",
    "Response",
    "FormRules",
    "check_rules",
    "content_hash",
    "convert_value",
    "decode_text",
    "is_personal_field",
    "kobo_header",
    "read_export",
    "read_rows",
    "write_kobo_csv",
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
_ID_COLUMNS = ("_uuid", "meta/instanceID", "instanceID", "KEY", "meta/instanceid")
_TIME_COLUMNS = ("_submission_time", "SubmissionDate", "submissiondate", "end", "today")
_META_PREFIXES = ("_", "meta/", "__")
_ODK_META = {
    "KEY",
    "SubmissionDate",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "instanceID",
}
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


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file as UTF-8 (with or without BOM) or, failing that, Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
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
    name = file_name or (str(source) if not isinstance(source, bytes) else "")
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _xlsx_rows(data)
    text, _ = decode_text(data)
    delimiter = _sniff_delimiter(text)
    csv.field_size_limit(10 * 1024 * 1024)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    if len(header) > MAX_COLUMNS:
        raise UnsafeSpreadsheet(gettext_noop("berkas ditolak: lebih dari 5000 kolom"))
    return [h.strip() for h in header], _guard_width(reader)


def _guard_width(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    for row in rows:
        if len(row) > MAX_COLUMNS:
            raise UnsafeSpreadsheet(gettext_noop("berkas ditolak: lebih dari 5000 kolom"))
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
    workbook = open_workbook(data)
    sheet = workbook.worksheets[0]
    rows = iter_sheet_rows(sheet)
    header = [_cell(v).strip() for v in next(rows, [])]
    while header and not header[-1]:
        header.pop()

    def body() -> Iterator[list[str]]:
        try:
            for values in rows:
                yield [_cell(v) for v in values]
        finally:
            workbook.close()

    return header, body()


@dataclass
class _Column:
    index: int
    header: str
    kind: str  # "question", "one_hot", "id", "time", "meta", "unknown"
    question: Question | None = None
    option: str = ""


_MISS = object()


def _fast_converter(question: Question, form: Form) -> Any:
    """A converter for the common, clean case; it returns ``_MISS`` to defer to
    :func:`convert_value`, which handles every other case and words the problems.
    """
    kind = question.type
    if kind == "select_one":
        return {name: name for name in form.choice_names(question)}
    if kind == "integer":

        def integer(text: str) -> Any:
            if text.isascii() and text.isdigit():
                return int(text)
            return _MISS

        return integer
    if kind == "date":

        def iso_date(text: str) -> Any:
            if len(text) == 10 and text[4] == "-":
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    return _MISS
            return _MISS

        return iso_date
    if kind == "text":
        return lambda text: text
    return None


def _map_columns(header: list[str], form: Form) -> list[_Column]:
    by_path = {q.path.lower(): q for q in form.questions}
    by_name = {q.name.lower(): q for q in form.questions}
    by_label: dict[str, Question] = {}
    for q in form.questions:
        for text in q.labels.values():
            by_label.setdefault(text.strip().lower(), q)
    columns = []
    for index, raw in enumerate(header):
        head = raw.strip()
        low = head.lower()
        if head in _ID_COLUMNS or low in ("_uuid", "meta/instanceid", "instanceid", "key"):
            columns.append(_Column(index, head, "id"))
            continue
        if head in _TIME_COLUMNS or low in ("_submission_time", "submissiondate"):
            columns.append(_Column(index, head, "time"))
            continue
        question = by_path.get(low) or by_name.get(low) or by_label.get(low)
        if question is None and "/" in low:
            last = low.rsplit("/", 1)[1]
            parent = low.rsplit("/", 1)[0]
            parent_q = by_path.get(parent) or by_name.get(parent.rsplit("/", 1)[-1])
            if parent_q is not None and parent_q.type == "select_multiple":
                options = {n.lower(): n for n in form.choice_names(parent_q)}
                if last in options:
                    columns.append(_Column(index, head, "one_hot", parent_q, options[last]))
                    continue
            question = by_name.get(last)
        if question is None and "." in head:  # Google Forms/ODK legacy "group.question"
            question = by_name.get(low.rsplit(".", 1)[1])
        if question is not None:
            columns.append(_Column(index, head, "question", question))
        elif head.startswith(_META_PREFIXES) or head in _ODK_META or not head:
            columns.append(_Column(index, head, "meta"))
        else:
            columns.append(_Column(index, head, "unknown"))
    return columns


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
            return float(number), None, ""
        except ValueError:
            return None, gettext_noop("bukan bilangan"), gettext_noop("bilangan, misalnya 7,5")
    if kind == "select_one":
        names = form.choice_names(question)
        if value in names:
            return value, None, ""
        for choice in form.choices.get(question.list_name, []):
            if value.lower() in (label.strip().lower() for label in choice.labels.values()):
                return choice.name, None, ""
        if question.or_other:
            return value, None, ""
        return None, gettext_noop("bukan salah satu pilihan"), ", ".join(names)
    if kind == "select_multiple":
        names = form.choice_names(question)
        picked = value.split()
        unknown = [p for p in picked if p not in names]
        if unknown and not question.or_other:
            return None, gettext_noop("memuat pilihan yang tidak ada"), ", ".join(names)
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
                    compiled[attribute] = compile_function(text)
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


_REQUIRED = (gettext_noop("jawaban wajib kosong"), gettext_noop("sebuah jawaban"))
_CONSTRAINT = gettext_noop("jawaban tidak memenuhi syarat formulir")


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
        value = answers.get(question.name)
        if (value is None or value == "" or value == []) and (
            present is None or question.name in present
        ):
            failures.append((question, *_REQUIRED))
    for rule in rules.rules:
        question = rule.question
        value = answers.get(question.name)
        empty = value is None or value == "" or value == []
        if rule.relevant is not None:
            try:
                relevant = truthy(rule.relevant(answers, None, None, today))
            except XPathError:
                relevant = True
            if not relevant:
                continue
        if empty:
            if question.required and (present is None or question.name in present):
                failures.append((question, *_REQUIRED))
            continue
        if rule.constraint is not None:
            try:
                passed = truthy(rule.constraint(answers, value, None, today))
            except XPathError:
                passed = True
            if not passed:
                expected = question.constraint_messages.get("id") or question.constraint
                failures.append((question, _CONSTRAINT, expected))
    return failures


def content_hash(answers: dict[str, Any]) -> str:
    """SHA-256 of the answers in a canonical JSON form: equal answers, equal hash."""
    canonical = json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_export(
    source: str | Path | bytes,
    form: Form,
    *,
    file_name: str = "",
    hash_key: bytes = b"",
    progress: Callable[[int], None] | None = None,
    sink: Callable[[list[Response]], None] | None = None,
    chunk_size: int = 5000,
) -> ReadResult:
    """Read an export of ``form`` and check every row against it.

    With ``sink``, good rows are handed over in lists of ``chunk_size`` as they are read
    (and not kept in the result), so a large file is stored without holding it all in memory.
    """
    label = file_name or (str(source) if not isinstance(source, bytes) else "")
    result = ReadResult()
    try:
        header, rows = read_rows(source, file_name=label)
    except UnsafeSpreadsheet as exc:
        result.problems.append(Problem(exc.reason, file=label))
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
    columns = _map_columns(header, form)
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
        if c.kind in ("id", "time", "question", "one_hot")
        and (c.question is not None or c.kind in ("id", "time"))
    ]
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
    mapped = {c.question.name for c in columns if c.question is not None}
    missing = [
        q.name
        for q in form.data_questions()
        if q.required and q.name not in mapped and q.type not in ("calculate",)
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
    present = frozenset(mapped)
    seen: dict[str, str] = {}
    for offset, values in enumerate(rows):
        row_number = offset + 2  # 1-based, after the header row
        if not any(v.strip() for v in values):
            continue
        result.rows_read += 1
        if progress is not None and result.rows_read % 1000 == 0:
            progress(result.rows_read)
        _read_row(
            values, row_number, header, plan, form, label, hash_key, seen, result, rules, present
        )
        if sink is not None and len(result.responses) >= chunk_size:
            sink(result.responses)
            result.responses = []
    if sink is not None and result.responses:
        sink(result.responses)
        result.responses = []
    if progress is not None:
        progress(result.rows_read)
    return result


def _read_row(
    values: list[str],
    row_number: int,
    header: list[str],
    plan: list[tuple[int, str, Any, str, str, Any]],
    form: Form,
    label: str,
    hash_key: bytes,
    seen: dict[str, str],
    result: ReadResult,
    rules: FormRules | None = None,
    present: frozenset[str] | None = None,
) -> None:
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
    one_hot: dict[str, list[str]] = {}
    one_hot_seen: set[str] = set()
    for index, kind, question, option, column_header, fast in plan:
        text = values[index]
        if kind == "choice" or kind == "question":
            if kind == "choice":
                value = fast.get(text, _MISS)
            elif fast is not None and text and not text.isspace():
                value = fast(text)
            else:
                value = _MISS
            if value is _MISS:
                value, message, expected = convert_value(question, text, form)
                if message:
                    problems.append(
                        Problem(
                            message,
                            file=label,
                            row=row_number,
                            column=column_header,
                            value=text,
                            expected=expected,
                        )
                    )
                    continue
            if value is not None or question.name not in answers:
                answers[question.name] = value
        elif kind == "id":
            instance_id = instance_id or text.strip().removeprefix("uuid:")
        elif kind == "time":
            submitted_at = submitted_at or _parse_datetime(text)
        elif kind == "one_hot":
            flag = text.strip().lower()
            name = question.name
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
    for name, options in one_hot.items():
        if answers.get(name) is None:
            answers[name] = options
    for name in one_hot_seen:
        answers.setdefault(name, [])
        if answers[name] is None:
            answers[name] = []
    if rules is None:
        rules = FormRules.of(form)
    bad = {p.column for p in problems}
    for question, message, expected in check_rules(
        rules, answers, present=present if present is not None else frozenset(answers)
    ):
        if question.path in bad or question.name in bad:
            continue  # already reported as a conversion problem
        value = answers.get(question.name)
        problems.append(
            Problem(
                message,
                file=label,
                row=row_number,
                column=question.path,
                value="" if value is None else _export_value(value),
                expected=expected,
            )
        )
    canonical = json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False)
    content = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    if rules.datetimes and any(type(v) is datetime for v in answers.values()):
        canonical = ""  # str(datetime) is not ISO 8601; let the store write it properly
    if not instance_id:
        instance_id = "hash:" + content[:32]
    if instance_id in seen:
        if seen[instance_id] == content:
            result.duplicates += 1
            return
        problems.append(
            Problem(
                gettext_noop("ID kiriman ini sudah dipakai oleh baris lain dengan isi berbeda"),
                file=label,
                row=row_number,
                column="_uuid",
                value=instance_id,
                expected=gettext_noop("ID unik per kiriman"),
            )
        )
    if problems:
        result.quarantined.append(Quarantined(row_number, raw, problems, instance_id))
        return
    seen[instance_id] = content
    key = None
    if hash_key:
        for field_name in KEY_FIELDS:
            value = answers.get(field_name)
            if value:
                key = pseudonymise(str(value), hash_key)
                break
    result.responses.append(
        Response(
            instance_id=instance_id,
            answers=answers,
            raw=raw,
            row=row_number,
            submitted_at=submitted_at,
            key=key,
            content_hash=content,
            answers_json=canonical,
        )
    )


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
        header.append(question.path)
        if question.type == "select_multiple":
            header.extend(f"{question.path}/{name}" for name in form.choice_names(question))
    return header + list(KOBO_META_COLUMNS)


def write_kobo_csv(
    form: Form, responses: Iterable[Response], target: str | Path | None = None
) -> bytes:
    """Write responses the way KoboToolbox exports them today; returns the bytes.

    ``;`` delimiter, every field quoted, CRLF, UTF-8 without BOM, one 1/0 column per option
    (empty when the question was not answered).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    header = kobo_header(form)
    writer.writerow(header)
    for index, response in enumerate(responses, start=1):
        row: list[str] = []
        for question in form.data_questions():
            value = response.answers.get(question.name)
            row.append(_export_value(value))
            if question.type == "select_multiple":
                for name in form.choice_names(question):
                    row.append("" if value is None else ("1" if name in value else "0"))
        submitted = response.submitted_at.isoformat() if response.submitted_at else ""
        meta = {
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
        row.extend(meta[name] for name in KOBO_META_COLUMNS)
        writer.writerow(row)
    data = buffer.getvalue().encode("utf-8")
    if target is not None:
        Path(target).write_bytes(data)
    return data
