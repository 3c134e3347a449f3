"""The answers of one form as typed columns (polars), read and checked by columns.

The row reader (:func:`tilik.core.ingest.read_export`) makes every row a dictionary and checks
it; at national scale (a million submissions) that is most of the time an analysis takes. This
module gives what the analysis needs — one typed column per question (:func:`frame_columns`) —
from the same exports, checked by columns:

* a plain CSV export is parsed by polars; select answers, 1/0 option columns and the form
  version are read as categoricals, so each distinct text is converted once, by the row
  reader's own function (:func:`tilik.core.ingest.cell_value`);
* numbers, dates, date-times and texts whose shape is plain are converted by vectorised
  expressions that give the same values as the row reader; other texts go through
  :func:`~tilik.core.ingest.cell_value`, once per distinct text;
* required answers are checked by columns; relevance and constraints once per distinct
  combination of the answers they read, by the same compiled rules the row reader uses;
* a row that is not plainly good — any problem, an instance id that is missing or repeated,
  white space that Python and polars tell apart differently — is read by the row reader itself,
  in file order, so what is stored, what is quarantined and every problem's wording are the
  row reader's.

Shapes read by the row reader whole: XLSX and zips, forms with repeats, split geopoints,
literacy tests, ``_other`` texts, quoting that polars reads differently from Python's csv
module. The frame is the same either way (``tests/core/test_columnar.py`` compares both on the
example bundle and on generated rows). The web app feeds the same checker with the stored
answers of an evaluation, chunk by chunk (:class:`ColumnChecker`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tilik.core.columns import is_hxl_row
from tilik.core.exports import ESCAPE, ESCAPE_MARKER, unescape_cell
from tilik.core.ingest import (
    _FALSE_ONE_HOT,
    _TRUE_ONE_HOT,
    KEY_FIELDS,
    ReadResult,
    Response,
    _hxl_note,
    _parse_datetime,
    _placeholder_rows,
    _Setup,
    _setup_reader,
    _sniff_delimiter,
    cell_value,
    decode_text,
    is_personal_field,
    read_export,
)
from tilik.core.nip import pseudonymise
from tilik.core.xlsform import Form, Question
from tilik.core.xlsx import MAX_COLUMNS
from tilik.core.xpath import XPathError, _memo_inputs, compile_expression, truthy

__all__ = [
    "FRAME_META",
    "ColumnChecker",
    "FrameColumn",
    "StoredChunk",
    "Table",
    "frame_columns",
    "frame_dtype",
    "frame_from_responses",
    "read_stored",
    "read_table",
]

#: The first columns of every frame: instance id, respondent key (keyed hash), submission time.
FRAME_META = ("_instance_id", "_key", "_submitted_at")
_FIELD_LIMIT = 10 * 1024 * 1024  # the csv module's field size limit the row reader sets
_WEIRD = r"[\x1c-\x1f]"  # white space for Python's str.strip(), not for polars' strip_chars()
_PYTHON_TEXT = r"[^\s\x1c-\x1f]"  # a character Python's str.strip() keeps
_INTEGER = r"^[0-9]{1,18}$"
_DECIMAL = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DATETIME = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
_OFFSET = r"(Z|[+-][0-9]{2}:[0-9]{2})$"
_DATETIME_KINDS = frozenset({"dateTime", "start", "end"})
#: Question types :func:`tilik.core.ingest.convert_value` converts; any other is kept as text.
_CONVERTED_KINDS = frozenset(
    {"integer", "decimal", "select_one", "select_multiple", "date", "datetime", *_DATETIME_KINDS}
)
#: Column kinds of an export the checker reads by columns; any other makes the row reader
#: read the file (see :func:`_columnar_shape`).
_COLUMN_KINDS = frozenset(
    {"question", "one_hot", "id", "time", "version", "meta", "unknown", "other"}
)
_IGNORED_KINDS = frozenset({"derived"})


def frame_dtype(kind: str) -> Any:
    """The polars type of a question's column in the frame (select_one answers are
    categorical: a million answers are a million small codes, not a million strings)."""
    return {
        "integer": pl.Int64,
        "decimal": pl.Float64,
        "select_one": pl.Categorical,
        "select_multiple": pl.List(pl.Utf8),
        "date": pl.Date,
        "dateTime": pl.Datetime("us"),
        "start": pl.Datetime("us"),
        "end": pl.Datetime("us"),
    }.get(kind, pl.Utf8)


@dataclass(frozen=True)
class FrameColumn:
    """One question's column of the frame: named by the question's name, holding the answer
    stored under that name; a NIP as its keyed hash."""

    name: str
    question: Question
    dtype: Any
    hashed: bool = False


def frame_columns(form: Form) -> list[FrameColumn]:
    """The question columns of a form's frame, in form order. Personal fields (names, phone
    numbers) are left out and NIPs replaced by keyed hashes, so nothing identifying reaches
    the analysis."""
    out: list[FrameColumn] = []
    taken = set(FRAME_META)
    for question in form.data_questions():
        name = question.name
        if name in taken:
            continue
        if is_personal_field(name):
            if name.startswith("nip"):
                out.append(FrameColumn(name, question, pl.Utf8, hashed=True))
                taken.add(name)
            continue
        out.append(FrameColumn(name, question, frame_dtype(question.type)))
        taken.add(name)
    return out


def _schema(form: Form) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "_instance_id": pl.Utf8,
        "_key": pl.Utf8,
        "_submitted_at": pl.Datetime("us"),
    }
    schema.update({c.name: c.dtype for c in frame_columns(form)})
    return schema


def _hash_if(value: Any, key: bytes) -> str | None:
    return pseudonymise(str(value), key) if value else None


def _naive(value: Any) -> Any:
    return value.replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value


def frame_from_responses(
    responses: Sequence[Response], form: Form, hash_key: bytes = b""
) -> pl.DataFrame:
    """The frame of responses the row reader read: one row per response, the columns of
    :func:`frame_columns` after :data:`FRAME_META` (date-times as local wall-clock times)."""
    schema = _schema(form)
    columns: dict[str, list[Any]] = {
        "_instance_id": [r.instance_id for r in responses],
        "_key": [r.key for r in responses],
        "_submitted_at": [_naive(r.submitted_at) for r in responses],
    }
    for column in frame_columns(form):
        values = [r.answers.get(column.name) for r in responses]
        if column.hashed:
            values = [_hash_if(v, hash_key) for v in values]
        elif column.dtype == pl.Datetime("us"):
            values = [_naive(v) for v in values]
        columns[column.name] = values
    return pl.DataFrame(columns, schema=schema, strict=False)


@dataclass
class Table:
    """What reading one export gave: the frame of its stored rows, and the rest of the
    reading (quarantined rows, problems, duplicates, rows read) as the row reader reports it.

    ``responses`` holds the rows as dictionaries when the row reader read the whole file
    (``columnar`` is False then); the columnar path makes none.
    """

    frame: pl.DataFrame
    result: ReadResult
    responses: list[Response] | None = None
    columnar: bool = False


def _by_rows(data: bytes, form: Form, label: str, hash_key: bytes, escaped: bool) -> Table:
    result = read_export(data, form, file_name=label, hash_key=hash_key, formula_escaped=escaped)
    responses, result.responses = result.responses, []
    return Table(frame_from_responses(responses, form, hash_key), result, responses)


def read_table(
    source: str | Path | bytes,
    form: Form,
    *,
    file_name: str = "",
    hash_key: bytes = b"",
    formula_escaped: bool = False,
) -> Table:
    """Read an export of ``form`` into a :class:`Table`, by columns where the file allows.

    Same stored rows, quarantined rows and problems as :func:`tilik.core.ingest.read_export`
    with the same arguments (``formula_escaped``: a bundle's formula-escaped CSV, whose
    cells lose one leading ``'``).
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    label = file_name or (str(source) if not isinstance(source, bytes) else "")
    body = _csv_body(data, label, form)
    if body is not None:
        table = _by_columns(body, form, label, hash_key, formula_escaped)
        if table is None:
            decoded = decode_text(data)[0].encode("utf-8")  # not UTF-8: as the row reader decodes
            if decoded != body:
                table = _by_columns(decoded, form, label, hash_key, formula_escaped)
        if table is not None:
            return table
    return _by_rows(data, form, label, hash_key, formula_escaped)


def _by_columns(
    body: bytes, form: Form, label: str, hash_key: bytes, escaped: bool
) -> Table | None:
    parsed = _parse(body)
    if parsed is None:
        return None
    delimiter, header = parsed
    result = ReadResult()
    setup = _setup_reader(header, form, label, hash_key, result)
    if not _columnar_shape(setup):
        return None
    text = _parse_rows(body, delimiter, header, setup)
    if text is None:
        return None
    escaped = escaped or ESCAPE_MARKER in header
    if escaped:  # each cell loses one leading ' (a bundle's formula escape)
        text = _unescaped(text)
    checker = ColumnChecker(header, form, label, hash_key, result, setup)

    def exact(positions: Sequence[int]) -> list[list[str]]:
        return _exact_rows(text, positions, body, delimiter, escaped)

    checker.feed(text, first_number=2, exact=exact)
    return Table(checker.finish(), result, columnar=True)


# ------------------------------------------------------------------------------- the CSV


def _csv_body(data: bytes, label: str, form: Form) -> bytes | None:
    """The export as UTF-8 bytes for polars, or None when the row reader must read it:
    a zip or XLSX, a form with repeats, an empty file, a lone carriage return (an old Mac line
    end, which Python's csv module reads as a line end and polars does not)."""
    if data[:2] == b"PK" or label.lower().endswith((".xlsx", ".xlsm")) or form.repeats:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or decode_text(data[:4096])[1].startswith(
        "utf-16"
    ):
        body = decode_text(data)[0].encode("utf-8")
    else:
        body = data
    if not re.search(rb"\S", body) or re.search(rb"\r(?!\n)", body):
        return None
    return body


def _read(body: bytes, delimiter: str, **options: Any) -> pl.DataFrame:
    return pl.read_csv(
        body,
        has_header=False,
        separator=delimiter,
        quote_char='"',
        truncate_ragged_lines=False,
        raise_if_empty=False,  # checked before; polars would copy the bytes to check it
        **options,
    )


def _parse(body: bytes) -> tuple[str, list[str]] | None:
    """The delimiter and the header, read by Python's csv module as the row reader reads
    them; None when there is no header to read (an empty first line)."""
    end = body.find(b"\n")
    first = body[: end if end >= 0 else len(body)].decode("utf-8", errors="replace")
    delimiter = _sniff_delimiter(first)
    csv.field_size_limit(_FIELD_LIMIT)
    text = _first_record(body).decode("utf-8", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return None
    if not header or len(header) > MAX_COLUMNS:
        return None
    return delimiter, [h.strip() for h in header]


def _first_record(body: bytes) -> bytes:
    """The bytes up to the end of the first record (a line end outside quotes), so that
    reading the header does not read the file; the whole body when that is not found soon."""
    quoted = False
    for match in re.finditer(rb'["\n]', body[: 1 << 20]):
        if match.group() == b'"':
            quoted = not quoted
        elif not quoted:
            return body[: match.end()]
    return body


def _unescaped(text: pl.DataFrame) -> pl.DataFrame:
    """Every cell with one leading ``'`` removed (:func:`tilik.core.exports.unescape_cell`)."""
    out = []
    for name, dtype in text.schema.items():
        column = pl.col(name).cast(pl.Utf8)
        cell = pl.when(column.str.starts_with(ESCAPE)).then(column.str.slice(1)).otherwise(column)
        out.append(cell.cast(dtype).alias(name))
    return text.select(out)


def _columnar_shape(setup: _Setup) -> bool:
    """Whether every column of the export is one the checker reads by columns, and each
    question's answer comes from one column (plus its 1/0 option columns)."""
    composer = setup.composer
    # split geopoints and literacy tests make an answer of several columns; the ``_other``
    # text of an or_other select is kept with a row's answers only, never in the frame
    if composer.geo or composer.literacy or setup.attach is not None:
        return False
    keys: list[str] = []
    for column in setup.mapping.columns:
        if column.kind in _IGNORED_KINDS:
            continue
        if column.kind not in _COLUMN_KINDS:
            return False
        if column.kind == "question" and column.question is not None:
            question = column.question
            if question.type == "select_multiple" and "literacy" in question.appearance.split():
                return False
            keys.append(question.key)
    return len(keys) == len(set(keys))


def _categorical(setup: _Setup) -> set[int]:
    """Columns read as categoricals: select answers, 1/0 option columns, form versions."""
    out: set[int] = set()
    for column in setup.mapping.columns:
        if column.kind in ("one_hot", "version") or (
            column.kind == "question"
            and column.question is not None
            and column.question.type
            in (
                "select_one",
                "select_multiple",
            )
        ):
            out.add(column.index)
    return out


def _parse_rows(
    body: bytes, delimiter: str, header: list[str], setup: _Setup
) -> pl.DataFrame | None:
    """Every record after the header as text columns ``c0 …``; None when polars' reading
    may differ from Python's csv module's, or a field is one the row reader refuses (over
    10 MB).

    Select answers, 1/0 columns and versions are read as categoricals: a tenth of the
    memory of texts. polars reads some malformed quoted fields differently from Python's
    csv module (``""ab`` as ``a``, where Python reads ``ab``), so the reading is checked
    byte for byte: the fields read, quoted as KoboToolbox quotes them (every field) or as
    Python and Excel do (only where needed), with their delimiters and line ends, must give
    back the file's length. A file that is not one of those two standard serialisations of
    what polars read goes to the row reader.
    """
    categorical = _categorical(setup)
    names = [f"c{i}" for i in range(len(header))]
    schema = {n: pl.Categorical if i in categorical else pl.Utf8 for i, n in enumerate(names)}
    try:
        frame = _read(body, delimiter, schema=schema)
        if not _same_length(body, frame, delimiter):
            return None
    except pl.exceptions.PolarsError:
        return None
    frame = frame.slice(1)
    for name, dtype in frame.schema.items():
        column = frame.get_column(name)
        if dtype == pl.Utf8:
            longest = column.str.len_bytes().max()
        else:
            longest = column.unique().cast(pl.Utf8).str.len_bytes().max()
        if longest is not None and int(longest) > _FIELD_LIMIT:  # type: ignore[arg-type]
            return None
    return frame


def _same_length(body: bytes, frame: pl.DataFrame, delimiter: str) -> bool:
    """Whether the fields read, written back as the file quoted them, are the file: every
    field quoted (KoboToolbox), or quoted only when it holds the delimiter, a quote or a
    line break, or is an empty text (Python's csv module, Excel); fields separated by the
    delimiter; records ended by one line end each (LF or CRLF; the last may have none)."""
    distinct: list[pl.DataFrame] = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Categorical:  # each distinct text, times how often it occurs
            counts = frame.get_column(name).value_counts(name="n")
            texts = counts.get_column(name).cast(pl.Utf8)
            distinct.append(pl.DataFrame({"t": texts, "n": counts.get_column("n").cast(pl.Int64)}))
    parts = [pl.concat(distinct)] if distinct else []
    text_columns = [n for n, d in frame.schema.items() if d != pl.Categorical]
    if text_columns:  # the texts themselves, once each
        texts = pl.concat([frame.get_column(n) for n in text_columns], rechunk=False)
        parts.append(pl.DataFrame({"t": texts}).with_columns(n=pl.lit(1, dtype=pl.Int64)))
    t, n = pl.col("t"), pl.col("n")
    size = filled = quotes = 0
    for part in parts:
        found = part.select(
            (t.str.len_bytes() * n).sum().alias("size"),
            n.filter(t.is_not_null()).sum().alias("filled"),
        ).row(0)
        size, filled = size + int(found[0] or 0), filled + int(found[1] or 0)
        quoted = part.filter(t.str.contains('"', literal=True))
        quotes += int(quoted.select((t.str.count_matches('"', literal=True) * n).sum()).item() or 0)
    records, width = frame.height, frame.width
    # every line end one or two bytes; the last line with or without one
    ends = {(width - 1) * records + k * (records - u) for k in (1, 2) for u in (0, 1)}
    if len(body) - (size + quotes + 2 * filled) in ends:  # every field quoted
        return True
    special = "[" + re.escape(delimiter) + '"\r\n]'
    needed = sum(
        int(part.select(n.filter(t.str.contains(special) | (t == "")).sum()).item() or 0)
        for part in parts
    )
    return len(body) - (size + quotes + 2 * needed) in ends  # quoted where needed


def _exact_rows(
    text: pl.DataFrame, positions: Sequence[int], body: bytes, delimiter: str, escaped: bool
) -> list[list[str]]:
    """Rows as the row reader receives them (Python's csv module's, unescaped when
    ``escaped`` as ``text`` is). polars reads an empty unquoted field and a field missing from
    a short row both as null; a row whose last field is null may be short, and is read again
    by the csv module."""
    if not positions:
        return []
    picked = text[list(positions)]
    rows = [["" if v is None else v for v in row] for row in picked.rows()]
    last = picked.get_column(picked.columns[-1]).is_null().to_list()
    doubtful = {position for position, null in zip(positions, last) if null}
    if doubtful:
        found = _csv_records(body, delimiter, {p + 1 for p in doubtful})
        if escaped:
            found = {k: [unescape_cell(v) for v in row] for k, row in found.items()}
        rows = [
            found[p + 1] if p in doubtful else row for p, row in zip(positions, rows, strict=True)
        ]
    return rows


def _csv_records(body: bytes, delimiter: str, wanted: set[int]) -> dict[int, list[str]]:
    csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=delimiter)
    found: dict[int, list[str]] = {}
    last = max(wanted)
    for index, row in enumerate(reader):
        if index in wanted:
            found[index] = row
        if index >= last:
            break
    return found


# --------------------------------------------------------------------------- the checker


class _Texts:
    """One text column of the export (Utf8 or categorical; null is the empty text). Its
    *effective* texts read ``n/a`` as empty when the file writes it for "no answer" (the row
    reader's rule); raw texts decide which rows are blank.

    A categorical column is handled through its dictionary: each row's code into the list of
    its distinct texts (the last entry is the empty text, for null cells), so a function of
    the text is computed once per distinct text and spread by indexing.
    """

    def __init__(self, index: int, series: pl.Series, placeholder: bool) -> None:
        self.index = index
        self.series = series
        self.placeholder = placeholder
        self.categorical = series.dtype == pl.Categorical
        self._codes: tuple[np.ndarray, list[str]] | None = None
        self._utf8: pl.Series | None = None

    def release(self) -> None:
        """Forget the codes (a million rows of a column are 4 MB)."""
        self._codes = None

    def effective(self, raw: str) -> str:
        return "" if self.placeholder and raw == "n/a" else raw

    def distinct(self) -> list[str]:
        """The distinct raw texts of a categorical column (nulls left out)."""
        return self.series.drop_nulls().unique().cast(pl.Utf8).to_list()

    def dictionary(self) -> tuple[np.ndarray, list[str]]:
        """Each row's code (int32) and the raw texts of the codes (a categorical column)."""
        if self._codes is None:
            distinct = self.series.drop_nulls().unique()
            physical = distinct.to_physical().cast(pl.Int64).to_numpy()
            lookup = np.full(int(physical.max(initial=0)) + 2, len(distinct), dtype=np.int32)
            lookup[physical] = np.arange(len(distinct), dtype=np.int32)
            rows = self.series.to_physical().fill_null(len(lookup) - 1).to_numpy()
            self._codes = (lookup[rows], [*distinct.cast(pl.Utf8).to_list(), ""])
        return self._codes

    def lookup(self, function: Callable[[str], Any], dtype: Any, *, raw: bool = False) -> Any:
        """``function`` of each row's text as a numpy array (a categorical column)."""
        codes, texts = self.dictionary()
        convert = (lambda t: function(t)) if raw else (lambda t: function(self.effective(t)))
        return np.array([convert(t) for t in texts], dtype=dtype)[codes]

    def utf8(self) -> pl.Series:
        """The effective texts as a Utf8 column ("" for null)."""
        if self._utf8 is None:
            series = self.series.cast(pl.Utf8).fill_null("")
            if self.placeholder:
                series = _where(series == "n/a", pl.lit(""), series)
            self._utf8 = series.alias(f"c{self.index}")
        return self._utf8

    def apply(self, function: Callable[[str], Any], dtype: Any) -> pl.Series:
        """``function`` of each row's effective text (a polars column of ``dtype``),
        computed once per distinct text."""
        if self.categorical:
            codes, texts = self.dictionary()
            values = [function(self.effective(t)) for t in texts]
            table = pl.Series(values, dtype=dtype, strict=False)
            return table.gather(pl.Series(codes, dtype=pl.UInt32))
        return _distinct(self.utf8(), None, function, dtype)


def _where(condition: pl.Series, then: Any, otherwise: pl.Series) -> pl.Series:
    return pl.select(pl.when(condition).then(then).otherwise(otherwise)).to_series()


def _distinct(
    utf8: pl.Series, rows: pl.Series | None, function: Callable[[str], Any], dtype: Any
) -> pl.Series:
    """``function`` of the text of each row (of ``rows``; null elsewhere), once per text."""
    chosen = utf8 if rows is None else pl.select(pl.when(rows).then(utf8)).to_series()
    distinct = chosen.drop_nulls().unique()
    values = [function(t) for t in distinct.to_list()]
    table = pl.DataFrame({"t": distinct, "v": pl.Series(values, dtype=dtype, strict=False)})
    return (
        pl.DataFrame({"t": chosen})
        .join(table, on="t", how="left", maintain_order="left", nulls_equal=False)
        .get_column("v")
    )


@dataclass
class _Answer:
    """A question's answer on every row of a chunk, as the row reader would hold it."""

    key: str
    columns: list[int]  # the text columns it is made from
    typed: pl.Series  # in the frame's type of the question (wall-clock date-times)
    empty: np.ndarray  # None, or no option chosen
    value_of: Callable[[tuple[str, ...]], Any]  # the exact value from those columns' texts


def _by_texts(
    function: Callable[[dict[int, str]], Any],
    columns: list[int],
    texts: dict[int, _Texts],
    rows: np.ndarray,
    dtype: Any,
) -> pl.Series:
    """``function`` of each row's texts in ``columns`` (a dict column → text), evaluated
    once per distinct combination among ``rows``; null on the other rows."""
    n = len(rows)
    if not rows.any():
        return pl.Series([None] * n, dtype=dtype)
    if not columns:
        value = function({})
        return _where(
            pl.Series(rows), pl.lit(value, dtype=dtype), pl.Series([None] * n, dtype=dtype)
        )
    names = [f"c{c}" for c in columns]
    frame = pl.DataFrame([texts[c].utf8() for c in columns]).with_row_index("_r")
    frame = frame.filter(pl.Series(rows))
    distinct = frame.select(names).unique()
    values = [function(dict(zip(columns, row, strict=True))) for row in distinct.iter_rows()]
    table = distinct.with_columns(pl.Series("_v", values, dtype=dtype, strict=False))
    found = frame.join(table, on=names, how="left", maintain_order="left")
    out = pl.Series([None] * n, dtype=dtype).to_frame("_v").with_row_index("_r")
    return (
        out.join(found.select("_r", "_v"), on="_r", how="left", maintain_order="left")
        .get_column("_v_right")
        .alias("_v")
    )


@dataclass
class ColumnChecker:
    """Checks the rows of an export by columns and sends the rows it cannot vouch for to the
    row reader of ``setup``, in order; :meth:`finish` gives the frame of every stored row.

    Feed it text columns (``c0 …`` in header order; Utf8 or categorical, null = empty) chunk
    by chunk, in row order.
    """

    header: list[str]
    form: Form
    label: str
    hash_key: bytes
    result: ReadResult
    setup: _Setup
    unique_ids: bool = False  # the ids are known unique (the database): no check needed
    versions_of_all: Callable[[], set[str]] | None = None  # when the chunks carry no version
    _parts: list[pl.DataFrame] = field(default_factory=list)
    _placeholder: bool | None = None
    _versions: set[str] = field(default_factory=set)

    def feed(
        self,
        text: pl.DataFrame,
        *,
        first_number: int,
        exact: Callable[[Sequence[int]], list[list[str]]],
        submitted: pl.Series | None = None,
        suspect: np.ndarray | None = None,
    ) -> None:
        """Check one chunk whose first row has the row number ``first_number``.

        ``exact(positions)`` gives rows of the chunk as the row reader receives them;
        ``submitted`` may give the submission times already typed (the database);
        ``suspect`` marks rows to send to the row reader whatever their columns say.
        """
        n = text.height
        if n == 0:
            return
        if self._placeholder is None:
            head = exact(range(min(200, n)))
            _, self._placeholder = _placeholder_rows(
                iter(head), self.header, self.setup.mapping.columns, self.form
            )
        texts = {
            i: _Texts(i, text.get_column(f"c{i}"), self._placeholder)
            for i in range(len(self.header))
        }
        converted = {i for i, kind, *_ in self.setup.plan if kind in ("question", "id", "time")}
        weird, blank = _weird_and_blank(texts, n, converted)
        special = [int(p) for p in np.flatnonzero(weird)]
        special_rows = dict(zip(special, exact(special), strict=True))
        for position, values in special_rows.items():
            blank[position] = not "".join(values).strip()
        candidate = ~blank
        # HXL rows (hashtags) before the first row read are skipped, each with a note
        while self.result.rows_read == 0 and candidate.any():
            first = int(np.flatnonzero(candidate)[0])
            values = special_rows.get(first) or exact([first])[0]
            if not is_hxl_row(values):
                break
            self.result.problems.append(_hxl_note(self.label, first_number + first))
            candidate[first] = False
        self.result.rows_read += int(candidate.sum())
        answers, unclean = self._answers(texts, n)
        for column in texts.values():
            column.release()
        unclean |= weird
        if suspect is not None:
            unclean |= suspect
        unclean |= self._rule_failures(answers, texts, candidate & ~unclean)
        ids = self._ids(texts, n, special_rows)
        unclean |= (ids == "").to_numpy()
        if not self.unique_ids:
            # an id like those made for rows without one (hash:…) may meet such a row's
            unclean |= ids.str.starts_with("hash:").to_numpy() | _repeated(ids, candidate)
        unclean &= candidate
        clean = candidate & ~unclean
        self._versions |= self._clean_versions(texts, clean)
        if submitted is None:
            submitted = self._times(texts, n)
        self._check_by_rows(np.flatnonzero(unclean), first_number, exact, special_rows)
        if clean.any():
            self._parts.append(self._frame(answers, texts, ids, submitted, clean, first_number))

    def finish(self) -> pl.DataFrame:
        """Settle the rows held back (of another form version) and give the frame of every
        stored row, in the row reader's order (rows stored when settled come last)."""
        read_row = self.setup.read_row
        read_row.versions |= self._versions
        if self.versions_of_all is not None and read_row.pending:
            read_row.versions |= self.versions_of_all()
        before = len(self.result.responses)
        read_row.finish()
        responses, self.result.responses = self.result.responses, []
        order = [r.row for r in responses[:before]]
        order += [_SETTLED + i for i in range(len(responses) - before)]
        reference = frame_from_responses(responses, self.form, self.hash_key).with_columns(
            pl.Series("_order", order, dtype=pl.Int64)
        )
        parts, self._parts = self._parts, []
        if not parts:
            return reference.drop("_order")
        # the chunks come in row order; the row reader's rows are merged in by row number
        frame = parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical", rechunk=False)
        if reference.height:
            frame = frame.merge_sorted(reference, key="_order")
        return frame.drop("_order")

    # ------------------------------------------------------------------- by columns

    def _answers(self, texts: dict[int, _Texts], n: int) -> tuple[dict[str, _Answer], np.ndarray]:
        """Every question's answer, and the rows with a problem in any cell."""
        bad = np.zeros(n, dtype=bool)
        singles: dict[str, _Answer] = {}
        one_hot: dict[str, list[tuple[int, str]]] = {}
        order: list[str] = []
        labelled: dict[str, np.ndarray] = {}
        for index, kind, question, option, _header, fast in self.setup.plan:
            if kind == "one_hot":
                one_hot.setdefault(question.key, []).append((index, option))
            elif kind in ("choice", "question"):
                answer, problem, by_label = _convert(texts[index], kind, question, fast, self.form)
                texts[index].release()
                singles[question.key] = answer
                bad |= problem
                labelled[question.key] = by_label
            else:
                continue
            if question.key not in order:
                order.append(question.key)
        answers: dict[str, _Answer] = {}
        for key in order:
            options = one_hot.get(key)
            if not options:
                answers[key] = singles[key]
                continue
            answer, problem = _compose(key, singles.get(key), options, texts, n)
            # an answer read from choice labels meets its 1/0 columns as the row reader decides
            bad |= problem | labelled.get(key, np.zeros(n, dtype=bool))
            answers[key] = answer
        return answers, bad

    def _rule_failures(
        self, answers: dict[str, _Answer], texts: dict[int, _Texts], rows: np.ndarray
    ) -> np.ndarray:
        """Of ``rows``, those failing a required answer, a requirement that depends on
        relevance or a constraint (each rule evaluated once per distinct combination of the
        answers it reads, by the row reader's compiled rules)."""
        failed = np.zeros(len(rows), dtype=bool)
        rules = self.setup.rules
        present = self.setup.present
        for question in rules.required_only:
            if question.key in present:
                failed |= answers[question.key].empty
        for rule in rules.rules:
            question = rule.question
            inputs = {question.key}
            for function, expression in (
                (rule.relevant, question.relevant),
                (rule.constraint, question.constraint),
            ):
                if function is not None:
                    inputs |= set(_memo_inputs(compile_expression(expression))[0])
            used = [answers[k] for k in sorted(inputs) if k in answers]
            columns = sorted({c for a in used for c in a.columns})
            verdict = _rule_verdict(rule, used, question.required and question.key in present)
            found = _by_texts(verdict, columns, texts, rows, pl.Boolean)
            failed |= found.fill_null(False).to_numpy()
        return failed & rows

    def _ids(
        self, texts: dict[int, _Texts], n: int, special_rows: dict[int, list[str]]
    ) -> pl.Series:
        """Each row's instance id: the first id column not empty once stripped of white space
        and a ``uuid:`` prefix."""
        columns = [index for index, kind, *_ in self.setup.plan if kind == "id"]
        ids = pl.Series("_instance_id", [""] * n, dtype=pl.Utf8)
        for index in columns:
            cleaned = texts[index].utf8()
            if cleaned.str.contains(r"^\s|\s$|^uuid:").any():
                cleaned = cleaned.str.strip_chars().str.strip_prefix("uuid:")
            ids = cleaned if index == columns[0] else _where(ids == "", cleaned, ids)
        if special_rows:
            fixed = ids.to_list()
            for position, values in special_rows.items():
                found = ""
                for index in columns:
                    text = values[index] if index < len(values) else ""  # a short row
                    text = "" if self._placeholder and text == "n/a" else text
                    found = found or text.strip().removeprefix("uuid:")
                fixed[position] = found
            ids = pl.Series(fixed, dtype=pl.Utf8)
        return ids.alias("_instance_id")

    def _times(self, texts: dict[int, _Texts], n: int) -> pl.Series:
        """Each row's submission time (local wall-clock time), parsed as the row reader
        parses it: the first time column that reads as a date and time."""
        out = pl.Series([None] * n, dtype=pl.Datetime("us"))
        for index, kind, *_ in self.setup.plan:
            if kind == "time":
                moment = _datetimes(texts[index], lambda t: _naive(_parse_datetime(t)))
                out = pl.select(pl.coalesce(out, moment)).to_series()
        return out.alias("_submitted_at")

    def _clean_versions(self, texts: dict[int, _Texts], clean: np.ndarray) -> set[str]:
        """The form versions the rows read by columns name (the row reader counts them to
        settle the rows it held back)."""
        columns = [index for index, kind, *_ in self.setup.plan if kind == "version"]
        if not columns or not clean.any():
            return set()
        version = pl.Series([""] * len(clean), dtype=pl.Utf8)
        for index in columns:
            stripped = texts[index].apply(str.strip, pl.Utf8)
            version = _where(version == "", stripped, version)
        return {v for v in version.filter(pl.Series(clean)).unique().to_list() if v}

    def _check_by_rows(
        self,
        positions: np.ndarray,
        first_number: int,
        exact: Callable[[Sequence[int]], list[list[str]]],
        special_rows: dict[int, list[str]],
    ) -> None:
        """The rows the columns did not vouch for, through the row reader, in order."""
        wanted = [int(p) for p in positions if int(p) not in special_rows]
        rows = dict(zip(wanted, exact(wanted), strict=True))
        rows.update(special_rows)
        read_row = self.setup.read_row
        for position in positions.tolist():
            values = rows[position]
            if self._placeholder:
                values = [("" if v == "n/a" else v) for v in values]
            read_row(values, first_number + position)

    def _frame(
        self,
        answers: dict[str, _Answer],
        texts: dict[int, _Texts],
        ids: pl.Series,
        submitted: pl.Series,
        clean: np.ndarray,
        first_number: int,
    ) -> pl.DataFrame:
        """The clean rows of a chunk as frame rows (with their row numbers in ``_order``)."""
        n = len(clean)
        key = self.hash_key
        columns: dict[str, pl.Series] = {
            "_instance_id": ids,
            "_key": self._keys(answers, texts, clean),
            "_submitted_at": submitted,
        }
        for column in frame_columns(self.form):
            answer = answers.get(column.name)
            if answer is None:
                columns[column.name] = pl.Series([None] * n, dtype=column.dtype)
            elif column.hashed:
                columns[column.name] = _by_texts(
                    _of_value(answer, lambda v: _hash_if(v, key)),
                    answer.columns,
                    texts,
                    clean,
                    pl.Utf8,
                )
            elif answer.typed.dtype == column.dtype:
                columns[column.name] = answer.typed
            else:  # the answer of another question under this name: as the reference builds it
                columns[column.name] = _by_texts(
                    _of_value(answer, _naive), answer.columns, texts, clean, column.dtype
                )
        columns["_order"] = pl.Series(np.arange(first_number, first_number + n, dtype=np.int64))
        frame = pl.DataFrame([s.alias(name) for name, s in columns.items()])
        return frame if clean.all() else frame.filter(pl.Series(clean))

    def _keys(
        self, answers: dict[str, _Answer], texts: dict[int, _Texts], clean: np.ndarray
    ) -> pl.Series:
        """The respondent key: the keyed hash of the first of ``nip``, ``kode_responden``
        answered (none without a hash key)."""
        found = [answers[name] for name in KEY_FIELDS if name in answers]
        if not self.hash_key or not found:
            return pl.Series("_key", [None] * len(clean), dtype=pl.Utf8)
        key = self.hash_key

        def respondent(row_texts: dict[int, str]) -> str | None:
            for answer in found:
                value = answer.value_of(tuple(row_texts[c] for c in answer.columns))
                if value:
                    return pseudonymise(str(value), key)
            return None

        columns = sorted({c for a in found for c in a.columns})
        return _by_texts(respondent, columns, texts, clean, pl.Utf8).alias("_key")


def _of_value(answer: _Answer, function: Callable[[Any], Any]) -> Callable[[dict[int, str]], Any]:
    """``function`` of ``answer``'s value, from the texts of its columns."""

    def of(row_texts: dict[int, str]) -> Any:
        return function(answer.value_of(tuple(row_texts[c] for c in answer.columns)))

    return of


# Row numbers of rows stored when the row reader settles the rows it held back: after all.
_SETTLED = 1 << 50


def _rule_verdict(
    rule: Any, used: list[_Answer], required_here: bool
) -> Callable[[dict[int, str]], bool]:
    """Whether a row fails ``rule``, from the texts of the columns its answers come from: the
    row reader's logic (:func:`tilik.core.ingest._rule_checker`) for one rule."""
    name = rule.question.key

    def fails(row_texts: dict[int, str]) -> bool:
        values = {a.key: a.value_of(tuple(row_texts[c] for c in a.columns)) for a in used}
        value = values.get(name)
        if rule.relevant is not None:
            try:
                if not truthy(rule.relevant(values, None, None, None)):
                    return False
            except XPathError:
                pass
        if value is None or value == "" or value == []:
            return required_here
        if rule.constraint is not None:
            try:
                return not truthy(rule.constraint(values, value, None, None))
            except XPathError:
                return False
        return False

    return fails


def _weird_and_blank(
    texts: dict[int, _Texts], n: int, converted: set[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Rows every cell of which is empty or white space, and rows where a text column that is
    converted (``converted``) holds ``\\x1c``–``\\x1f``: white space to Python's
    ``str.strip()`` but not to polars' ``strip_chars()``; the row reader reads those rows.

    Blank is decided as Python decides it: a cell is blank unless it holds a character that
    is neither Unicode white space nor ``\\x1c``–``\\x1f``. Categorical columns are
    converted by Python, once per distinct text, so they need no such care.
    """
    weird = np.zeros(n, dtype=bool)
    blank = np.ones(n, dtype=bool)
    for index, column in texts.items():
        if column.categorical:
            if blank.any():
                blank &= column.lookup(lambda t: not t.strip(), bool, raw=True)
            continue
        filled = column.series.fill_null("")
        if blank.any():
            blank &= ~filled.str.contains(_PYTHON_TEXT).to_numpy()
        if index in converted:
            weird |= filled.str.contains(_WEIRD).to_numpy()
    return weird, blank


def _repeated(ids: pl.Series, candidate: np.ndarray) -> np.ndarray:
    """Rows whose instance id another read row has too (looked for among 64-bit hashes of
    the ids, then among the few ids whose hashes repeat)."""
    among = pl.select(pl.when(pl.Series(candidate)).then(ids).otherwise(None)).to_series()
    hashed = pl.select(pl.when(among.is_not_null()).then(among.hash())).to_series()
    maybe = (hashed.is_duplicated() & hashed.is_not_null()).to_numpy()
    if not maybe.any():
        return maybe
    rows = np.flatnonzero(maybe)
    found = np.zeros(len(candidate), dtype=bool)
    found[rows] = among.gather(rows).is_duplicated().to_numpy()
    return found


def _convert(
    texts: _Texts, kind: str, question: Question, fast: Any, form: Form
) -> tuple[_Answer, np.ndarray, np.ndarray]:
    """One answer column converted as the row reader converts its cells: the answer, the
    rows with a problem in it, the rows read from choice labels."""
    dtype = frame_dtype(question.type)
    cache: dict[str, tuple[Any, bool, bool]] = {}

    def convert(text: str) -> tuple[Any, bool, bool]:
        found = cache.get(text)
        if found is None:
            value, message, _expected, by_label = cell_value(kind, question, fast, text, form)
            found = cache[text] = (None if message else value, message is not None, by_label)
        return found

    def value_of(row_texts: tuple[str, ...]) -> Any:
        return convert(row_texts[0])[0]

    n = len(texts.series)
    if texts.categorical:
        raw = texts.distinct()
        results = [convert(texts.effective(t)) for t in raw]
        problem = np.zeros(n, dtype=bool)
        if any(r[1] for r in results):
            problem = texts.lookup(lambda t: convert(t)[1], bool)
        by_label = np.zeros(n, dtype=bool)
        if any(r[2] for r in results):
            by_label = texts.lookup(lambda t: convert(t)[2], bool)
        if dtype == pl.Categorical and all(
            r[0] == (e if e.strip() else None)
            for r, e in zip(results, map(texts.effective, raw), strict=True)
        ):  # every text its own answer (a choice name, or none when blank): no copy
            blanks = [t for t in raw if not texts.effective(t).strip()]
            typed = texts.series
            if blanks:
                typed = _where(typed.is_in(blanks), pl.lit(None), typed)
        else:
            typed = texts.apply(lambda t: _naive(convert(t)[0]), dtype)
    else:
        typed, problem = _convert_utf8(texts, question, dtype, convert)
        by_label = np.zeros(n, dtype=bool)
    empty = typed.is_null()
    if dtype == pl.List(pl.Utf8):
        empty = empty | (typed.list.len() == 0).fill_null(True)
    answer = _Answer(question.key, [texts.index], typed, empty.to_numpy(), value_of)
    return answer, problem, by_label


def _convert_utf8(
    texts: _Texts,
    question: Question,
    dtype: Any,
    convert: Callable[[str], tuple[Any, bool, bool]],
) -> tuple[pl.Series, np.ndarray]:
    """A column of free-form answers (texts, numbers, dates): plain shapes by vectorised
    expressions that give the row reader's values, the rest once per distinct text by the row
    reader's conversion."""
    utf8 = texts.utf8()
    blank = utf8.str.strip_chars() == ""
    kind = question.type
    if kind in _DATETIME_KINDS:
        typed = _datetimes(texts, lambda t: _naive(convert(t)[0]))
        rest = typed.is_null() & ~blank
    elif kind not in _CONVERTED_KINDS:  # a text, or a type kept as text: None when blank
        return pl.select(pl.when(~blank).then(utf8)).to_series(), np.zeros(len(utf8), bool)
    elif kind not in ("integer", "decimal", "date"):  # e.g. "datetime": each text converted
        rest = ~blank
        typed = _distinct(utf8, rest, lambda t: convert(t)[0], dtype)
    else:
        if kind == "integer":
            plain = utf8.str.contains(_INTEGER)
            parsed = utf8.cast(pl.Int64, strict=False)
        elif kind == "decimal":
            plain = utf8.str.contains(_DECIMAL)
            parsed = utf8.cast(pl.Float64, strict=False)
        else:  # date
            parsed = utf8.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
            plain = utf8.str.contains(_DATE) & ~utf8.str.starts_with("0000")
            plain = plain & parsed.is_not_null()
        typed = pl.select(pl.when(plain).then(parsed)).to_series()
        rest = ~plain & ~blank
        if rest.any():
            extra = _distinct(utf8, rest, lambda t: convert(t)[0], dtype)
            typed = pl.select(pl.coalesce(typed, extra)).to_series()
    if not rest.any():
        return typed, np.zeros(len(utf8), dtype=bool)
    problem = _distinct(utf8, rest, lambda t: convert(t)[1], pl.Boolean)
    return typed, problem.fill_null(False).to_numpy()


def _datetimes(texts: _Texts, parse: Callable[[str], Any]) -> pl.Series:
    """Date-times as local wall-clock times: ISO 8601 texts by a vectorised parse of the part
    before the offset, others by ``parse`` once per distinct text."""
    utf8 = texts.utf8()
    plain = utf8.str.contains(_DATETIME) & ~utf8.str.starts_with("0000")
    wall = utf8.str.replace(_OFFSET, "").str.strptime(
        pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f", strict=False
    )
    typed = pl.select(pl.when(plain).then(wall)).to_series()
    rest = typed.is_null() & ~(utf8.str.strip_chars() == "")
    if rest.any():
        extra = _distinct(utf8, rest, parse, pl.Datetime("us"))
        typed = pl.select(pl.coalesce(typed, extra)).to_series()
    return typed


def _one_hot_flag(text: str) -> int:
    """A 1/0 option cell as the row reader reads it: 2 marked, 1 unmarked, 0 empty, -1
    neither (a problem)."""
    word = text.strip().lower()
    if word in _TRUE_ONE_HOT:
        return 2
    if word not in _FALSE_ONE_HOT:
        return -1
    return 1 if word != "" else 0


def _compose(
    key: str,
    single: _Answer | None,
    options: list[tuple[int, str]],
    texts: dict[int, _Texts],
    n: int,
) -> tuple[_Answer, np.ndarray]:
    """A select_multiple answer from its summary column and its 1/0 option columns, merged as
    the row reader merges them: the summary when it has an answer, else the options marked 1,
    else no option when a column says 0. A cell neither 1 nor 0 is a problem."""
    problem = np.zeros(n, dtype=bool)
    marked: list[pl.Series] = []
    seen = np.zeros(n, dtype=bool)
    for index, _option in options:
        flags = texts[index].lookup(_one_hot_flag, np.int8)
        problem |= flags == -1
        marked.append(pl.Series(flags == 2))
        seen |= flags >= 1
    chosen = pl.select(
        pl.concat_list(
            [pl.when(m).then(pl.lit(o)) for m, (_i, o) in zip(marked, options, strict=True)]
        ).list.drop_nulls()
    ).to_series()
    summary = single.typed if single is not None else pl.Series([None] * n, dtype=chosen.dtype)
    typed = pl.select(
        pl.when(summary.is_not_null()).then(summary).when(pl.Series(seen)).then(chosen)
    ).to_series()
    empty = typed.is_null() | (typed.list.len() == 0).fill_null(True)
    offset = 1 if single is not None else 0
    columns = ([single.columns[0]] if single is not None else []) + [i for i, _ in options]

    def value_of(row_texts: tuple[str, ...]) -> Any:
        current = single.value_of(row_texts[:1]) if single is not None else None
        flags = [_one_hot_flag(t) for t in row_texts[offset:]]
        picked = [o for (_i, o), f in zip(options, flags, strict=True) if f == 2]
        if current is None and picked:
            return picked
        if current is None and any(f >= 1 for f in flags):
            return []
        return current

    return _Answer(key, columns, typed, empty.to_numpy(), value_of), problem


# --------------------------------------------------------------------- stored answers


@dataclass
class StoredChunk:
    """Stored submissions of one form, in the order an export writes them: their keys in the
    store (to fetch a whole row when needed), instance ids, submission times (local
    wall-clock time) and answers as the JSON text stored."""

    keys: Sequence[Any]
    instance_ids: Sequence[str]
    submitted: pl.Series
    answers: Sequence[str]


class NotByColumns(Exception):
    """The stored answers need the row reader (see :func:`read_stored`)."""


# JSON tokens whose text an export would write differently from polars' reading of them:
# booleans (True), numbers in exponent form or -0 (1e-07, 0), nested objects (repeats).
_ODD_JSON = r"[:\[,]\s*(?:true|false|\{|-?[0-9]+(?:\.[0-9]+)?[eE]|-0(?:\.0*)?\s*[,}\]])"


def read_stored(
    chunks: Iterable[StoredChunk],
    form: Form,
    *,
    file_name: str,
    hash_key: bytes,
    rows: Callable[[Sequence[tuple[Any, int]]], list[list[str]]],
    versions: Callable[[], set[str]],
) -> Table:
    """The frame of stored submissions, as reading their export would give it.

    The web app's analysis used to write an evaluation's submissions as KoboToolbox CSVs and
    read them back (:func:`tilik.core.ingest.write_kobo_csv`, :func:`read_table`): every
    answer checked again against the form's current version. Here the stored answers are
    decoded by columns (polars) into the texts that export would write, and checked by the
    same :class:`ColumnChecker`; a row it cannot vouch for is the export's row, made by
    ``rows([(key, index), ...])`` (its row in the export, index from 1), and read by the row
    reader. ``versions()`` gives the form versions the rows were collected with (asked only
    when some row is held back as another version's). Memory goes with one chunk of texts.

    Raises :class:`NotByColumns` for a form the checker does not read by columns (repeats,
    literacy tests) or stored ids the export would change: the caller then exports and reads.
    """
    from tilik.core.ingest import kobo_header

    if form.repeats:
        raise NotByColumns(form.form_id)
    header = kobo_header(form)
    result = ReadResult()
    setup = _setup_reader(header, form, file_name, hash_key, result)
    if not _columnar_shape(setup):
        raise NotByColumns(form.form_id)
    checker = ColumnChecker(
        header, form, file_name, hash_key, result, setup, unique_ids=True, versions_of_all=versions
    )
    decoders = _stored_columns(setup, form)
    done = 0
    for chunk in chunks:
        n = len(chunk.instance_ids)
        text, suspect = _stored_texts(chunk, header, decoders)
        first = done + 2  # the export's header is row 1

        def exact(positions: Sequence[int], chunk: StoredChunk = chunk, start: int = done) -> list:
            return rows([(chunk.keys[p], start + p + 1) for p in positions])

        checker.feed(
            text, first_number=first, exact=exact, submitted=chunk.submitted, suspect=suspect
        )
        done += n
    return Table(checker.finish(), result, columnar=True)


def _stored_columns(setup: _Setup, form: Form) -> dict[int, tuple[str, str, str]]:
    """For each column of the export: (what it holds, the answer key, the option)."""
    out: dict[int, tuple[str, str, str]] = {}
    for column in setup.mapping.columns:
        if column.kind == "one_hot" and column.question is not None:
            out[column.index] = ("one_hot", column.question.key, column.option)
        elif column.kind == "question" and column.question is not None:
            kind = {"select_one": "choice", "select_multiple": "choices"}.get(
                column.question.type, "question"
            )
            out[column.index] = (kind, column.question.key, "")
        elif column.kind == "id":
            out[column.index] = ("id", "", "")
    return out


def _stored_texts(
    chunk: StoredChunk, header: list[str], columns: dict[int, tuple[str, str, str]]
) -> tuple[pl.DataFrame, np.ndarray]:
    """The export's text columns of a chunk, and the rows whose texts polars cannot be
    trusted to make (odd JSON, or a chunk polars refuses to decode: every row)."""
    n = len(chunk.instance_ids)
    stored = pl.Series("answers", list(chunk.answers), dtype=pl.Utf8)
    suspect = stored.str.contains(_ODD_JSON).to_numpy()
    many = {key for kind, key, _ in columns.values() if kind in ("one_hot", "choices")}
    answered = {key for kind, key, _ in columns.values() if kind in ("question", "choice")}
    keys = sorted(answered | many)
    schema = {k: (pl.List(pl.Utf8) if k in many else pl.Utf8) for k in keys}
    decoded: pl.DataFrame | None = None
    if keys:
        try:  # one JSON document per line: JSON text holds no line break of its own
            lines = io.BytesIO("\n".join(chunk.answers).encode("utf-8"))
            decoded = pl.read_ndjson(lines, schema=schema)
        except pl.exceptions.PolarsError:
            suspect = np.ones(n, dtype=bool)
    if decoded is not None:
        # a list or object where the form has one answer comes back as its JSON text
        for key in answered:
            found = decoded.get_column(key)
            suspect |= found.str.contains(r"^[\[{]").fill_null(False).to_numpy()
    empty = pl.Series([None] * n, dtype=pl.Utf8)
    out: list[pl.Series] = []
    for index in range(len(header)):
        kind, key, option = columns.get(index, ("", "", ""))
        if kind == "id":
            column = pl.Series(list(chunk.instance_ids), dtype=pl.Utf8)
        elif decoded is None or not kind:
            column = empty
        elif kind == "choices":  # as an export writes a list: its names, space-separated
            column = decoded.get_column(key).list.join(" ")
        elif kind in ("question", "choice"):
            column = decoded.get_column(key)
        else:  # one 1/0 column of a select_multiple: empty when unanswered
            chosen = decoded.get_column(key)
            column = pl.select(
                pl.when(chosen.is_null())
                .then(pl.lit(""))
                .when(chosen.list.contains(option))
                .then(pl.lit("1"))
                .otherwise(pl.lit("0"))
            ).to_series()
        out.append(column.alias(f"c{index}"))
    text = pl.DataFrame(out)
    categorical = [
        f"c{i}" for i, (kind, _, _) in columns.items() if kind in ("choice", "choices", "one_hot")
    ]
    return text.with_columns(pl.col(categorical).cast(pl.Categorical)), suspect
