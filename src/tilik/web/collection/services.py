"""What collection does, apart from HTTP: forms, imports, submissions, quarantine, exports.

Views stay short and call these; the CLI calls the same functions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from tilik.core.exports import table_csv, tables_xlsx
from tilik.core.ingest import (
    KEY_FIELDS,
    ORPHAN_SHEET,
    Quarantined,
    Response,
    StoredRow,
    content_hash,
    estimate_rows,
    is_personal_field,
    read_export,
    read_export_parallel,
    stored_row,
)
from tilik.core.instruments import replace_choice_lists, standard_instruments
from tilik.core.nip import pseudonymise
from tilik.core.personal import mask_text
from tilik.core.problems import Problem
from tilik.core.repeats import flatten, parse_key
from tilik.core.xlsform import (
    Form,
    Question,
    pyxform_problems,
    read_xlsform,
    spreadsheet_kind,
    write_xlsform,
)
from tilik.core.xpath import number_text
from tilik.web.collection import standard
from tilik.web.collection.models import (
    FormUpload,
    FormVersion,
    ImportBatch,
    Instrument,
    QuarantinedRow,
    RespondentLink,
    Submission,
)
from tilik.web.evaluations.models import Evaluation
from tilik.web.jobs.models import ACTIVE
from tilik.web.jobs.tasks import enqueue

log = logging.getLogger(__name__)


_CHUNK = 5000  # SQLite allows 32,766 bound variables; stay far below it
_COPY_PART_ROWS = 20_000


def hash_key() -> bytes:
    return settings.TILIK_HASH_KEY.encode("utf-8")


def json_safe(value: Any) -> Any:
    """Answers as JSON can hold them: dates as ISO text, and a calculation's NaN or
    infinity as the text ODK stores ("NaN", "Infinity"), never a number JSON has not."""
    if isinstance(value, float) and not math.isfinite(value):
        return number_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    return value


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


# Instruments ----------------------------------------------------------------------------


def add_form_version(
    instrument: Instrument, data: bytes, file_name: str
) -> tuple[FormVersion | None, list[Problem]]:
    """Check an XLSForm (Tilik's reader and pyxform) and make it the instrument's current form.

    Returns the version (``None`` when refused) and every problem found.
    """
    form, problems = read_xlsform(data, file_name=file_name)
    if form is None:
        return None, problems
    if form.form_id != instrument.form_id:
        problems = [p for p in problems if p.column != "settings/form_id"]
    problems += pyxform_problems(data, file_name=file_name)
    if any(p.severity == "error" for p in problems):
        return None, problems
    form.form_id = instrument.form_id
    # An .xls or .ods form is kept as the .xlsx of the same sheets (what Kobo and ODK take
    # and what is downloaded); the same upload again is still recognised by its own bytes.
    stored = data if spreadsheet_kind(data) == "xlsx" else write_xlsform(form)
    version, _ = FormVersion.objects.get_or_create(
        instrument=instrument,
        sha256=FormVersion.digest(data),
        defaults={"version": form.version, "xlsform": stored, "definition": form.to_dict()},
    )
    instrument.current = version
    instrument.title = form.title if form.title != form.form_id else instrument.title
    instrument.save(update_fields=["current", "title"])
    return version, problems


def add_instrument(
    evaluation: Evaluation,
    data: bytes,
    file_name: str,
    kind: str = "lainnya",
    *,
    form_id: str = "",
    options: dict[str, Any] | None = None,
) -> tuple[Instrument | None, list[Problem]]:
    """A new instrument from an XLSForm (or a new version of the one with its form_id).

    ``form_id`` overrides the form's own (the same test used as pre-test and post-test); the
    stored XLSForm then carries the new id in its settings sheet, so Kobo and ODK see it too.
    """
    form, problems = read_xlsform(data, file_name=file_name)
    if form is None:
        return None, problems
    wanted = form_id or form.form_id
    if not re.fullmatch(r"[-\w]+", wanted, flags=re.ASCII):
        wanted = slugify(wanted).replace("-", "_") or "formulir"
    if wanted != form.form_id:
        form.settings["form_id"] = wanted
        form.form_id = wanted
        data = write_xlsform(form)
        file_name = f"{wanted}.xlsx"
    with transaction.atomic():
        instrument, _ = Instrument.objects.get_or_create(
            evaluation=evaluation,
            form_id=wanted[:100],
            defaults={"kind": kind, "title": form.title, "options": options or {}},
        )
        version, problems = add_form_version(instrument, data, file_name)
        if version is None and instrument.current is None:
            transaction.set_rollback(True)
            return None, problems
    return instrument, problems


def start_form_upload(
    evaluation: Evaluation,
    data: bytes,
    file_name: str,
    *,
    instrument: Instrument | None = None,
    kind: str = "",
    user=None,
) -> FormUpload:
    """Record an uploaded XLSForm and queue its check (a new instrument, or a new version of
    ``instrument``); a worker does what :func:`add_instrument` / :func:`add_form_version` do."""
    upload = FormUpload.objects.create(
        evaluation=evaluation,
        instrument=instrument,
        kind=kind,
        file_name=file_name[:255],
        data=data,
        created_by=user if user is not None and user.is_authenticated else None,
        status=FormUpload.Status.PENDING,
    )
    enqueue(upload)
    return upload


def execute_form_upload(upload_id: int) -> None:
    """A worker's job: check an uploaded XLSForm and add it; the outcome and every problem
    found are kept on the upload for its page."""
    upload = FormUpload.objects.select_related("evaluation", "instrument").get(pk=upload_id)
    data = bytes(upload.data)
    try:
        if upload.instrument is not None:
            version, problems = add_form_version(upload.instrument, data, upload.file_name)
            result = upload.instrument if version is not None else None
        else:
            result, problems = add_instrument(
                upload.evaluation, data, upload.file_name, upload.kind or "lainnya"
            )
        status = FormUpload.Status.DONE
    except Exception:  # the user gets a message, the log gets the traceback
        log.exception("XLSForm upload %s failed", upload.pk)
        from tilik.core.i18n import gettext_noop

        result, status = None, FormUpload.Status.FAILED
        problems = [
            Problem(
                gettext_noop("formulir tidak dapat diperiksa karena kesalahan internal"),
                file=upload.file_name,
            )
        ]
    FormUpload.objects.filter(pk=upload.pk, status__in=ACTIVE).update(
        status=status,
        accepted=result is not None,
        result=result,
        problems=problem_records(problems),
        data=b"",
        finished_at=timezone.now(),
    )


def add_standard_instruments(evaluation: Evaluation, form_ids: Iterable[str]) -> list[Instrument]:
    """Add Tilik's standard instruments, their program, organisation, sector and unit lists
    made from the evaluation's (:mod:`tilik.web.collection.standard`); the knowledge test
    becomes a pre-test and a post-test. An instrument the evaluation already has is left as
    it is."""
    added = []
    forms = standard_instruments()
    lists = standard.choice_lists(evaluation)
    for form_id in form_ids:
        path = forms.get(form_id)
        if path is None:
            continue
        form, _problems = read_xlsform(path.read_bytes(), file_name=path.name)
        if form is None:
            continue
        replace_choice_lists(form, lists)
        data = write_xlsform(form)
        for new_id, kind in standard.COPIES.get(form_id, [(form_id, "lainnya")]):
            if evaluation.instruments.filter(form_id=new_id).exists():
                continue
            options: dict[str, Any] = {"standard": form_id}
            if kind in ("tes_awal", "tes_akhir"):
                options["test"] = form_id
            instrument, _ = add_instrument(
                evaluation, data, f"{new_id}.xlsx", kind, form_id=new_id, options=options
            )
            if instrument is not None:
                added.append(instrument)
    return added


def refresh_choice_lists(evaluation: Evaluation) -> list[Instrument]:
    """Give each standard instrument of the evaluation the evaluation's lists of the day:
    a new form version (with a new ``version`` in its settings, as KoboToolbox and ODK want)
    where a list changed. Returns the instruments that got one."""
    lists = standard.choice_lists(evaluation)
    changed = []
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    for instrument in evaluation.instruments.select_related("current"):
        if not instrument.options.get("standard") or instrument.current is None:
            continue
        form = instrument.form()
        if not replace_choice_lists(form, lists):
            continue
        root = (form.settings.get("version") or form.version or "1").split("+")[0]
        form.settings["version"] = f"{root}+{stamp}"
        version, problems = add_form_version(
            instrument, write_xlsform(form), f"{instrument.form_id}.xlsx"
        )
        if version is None:  # never for a form Tilik wrote; said in the log, not to the user
            log.error(
                "choice lists of instrument %s refused: %s",
                instrument.pk,
                "; ".join(p.render("en") for p in problems),
            )
            continue
        changed.append(instrument)
    return changed


# Storing rows ---------------------------------------------------------------------------


_INSERT_COLUMNS = (
    "instrument_id",
    "instance_id",
    "answers",
    "raw",
    "content_hash",
    "respondent_key",
    "submitted_at",
    "received_at",
    "source",
    "batch_id",
    "row",
)


def _copy_sql(model: Any = None, columns: Iterable[str] = _INSERT_COLUMNS) -> str:
    """PostgreSQL's ``COPY … FROM STDIN`` into ``model``'s table (the submissions'): one
    stream per chunk instead of one statement per row (the JSON texts are parsed as by
    INSERT)."""
    quote = connection.ops.quote_name
    table = (model or Submission)._meta.db_table
    return f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def _insert_rows(cursor: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        with connection.wrap_database_errors, cursor.copy(sql) as copy:
            copy.write("".join(map(_copy_line, rows)))
    else:
        cursor.executemany(sql, rows)


# COPY's text format, escaped as psycopg escapes it (``psycopg._copy_base``), made here for a
# whole chunk at once: several times faster than one write_row() per row.
_COPY_ESCAPES = str.maketrans(
    {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\\": "\\\\"}
)


_BS, _BS2, _NULL = "\\", "\\\\", "\\N"  # a backslash, doubled, COPY's NULL


def _copy_field(value: Any) -> str:
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _copy_json(value: str) -> str:
    # JSON text holds no control character (encoders escape them): only backslashes to double
    return value.replace(_BS, _BS2)


_COPY_FIELDS = tuple(
    _copy_json if column in ("answers", "raw") else _copy_field for column in _INSERT_COLUMNS
)


def _copy_line(values: tuple[Any, ...]) -> str:
    return "\t".join([field(value) for field, value in zip(_COPY_FIELDS, values)]) + "\n"


class _CopyParts:
    """Rows sent to PostgreSQL by ``COPY … FROM STDIN`` statements of about
    :data:`_COPY_PART_ROWS` rows each: the server stores one part while this process prepares
    the next, and checks its foreign keys when it ends."""

    def __init__(self, cursor: Any, lines: Callable[[list[StoredRow]], str]) -> None:
        self.cursor, self.lines = cursor, lines
        self.opened: Any = None  # the context of the current part's COPY
        self.copy: Any = None
        self.rows = 0

    def send(self, rows: list[StoredRow]) -> int:
        if self.copy is None:
            self.opened = self.cursor.copy(_copy_sql())
            self.copy = self.opened.__enter__()
        self.copy.write(self.lines(rows))
        self.rows += len(rows)
        if self.rows >= _COPY_PART_ROWS:
            self.close()
        return len(rows)

    def close(self, error: BaseException | None = None) -> None:
        """End the current part: stored, or (after ``error``) abandoned by the server."""
        opened, self.opened, self.copy, self.rows = self.opened, None, None, 0
        if opened is not None:
            opened.__exit__(type(error) if error else None, error, error and error.__traceback__)


def _copy_lines_function(
    instrument: Instrument, source: str, batch: ImportBatch | None
) -> Callable[[list[StoredRow]], str]:
    """Rows as COPY text, the same as :func:`_copy_line` of :func:`_row_values` but with the
    fields every row shares written once: the client's share of a large import's CPU, which
    the reader and the server need too (100,000 rows into PostgreSQL: 4.33 s against 4.53 s
    with :func:`_copy_line`, three runs each in turn)."""
    values = _row_values(instrument, source, batch)
    shared = [_copy_field(value) for value in values(StoredRow("", "", "", "", None, None, 0))]
    head = shared[0] + "\t"
    tail = "\t" + "\t".join(shared[7:10]) + "\t"
    moment = _db_moment_function()
    escapes = _COPY_ESCAPES

    def lines(rows: list[StoredRow]) -> str:
        return "".join(
            [
                f"{head}{instance_id.translate(escapes)}\t{answers.replace(_BS, _BS2)}"
                f"\t{raw.replace(_BS, _BS2)}\t{content_hash.translate(escapes)}"
                f"\t{(key or '').translate(escapes)}"
                f"\t{moment(submitted).isoformat() if submitted is not None else _NULL}"
                f"{tail}{row or _NULL}\n"
                for instance_id, answers, raw, content_hash, key, submitted, row in rows
            ]
        )

    return lines


def _insert_sql() -> str:
    if connection.vendor == "postgresql":
        return _copy_sql()
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    # Table and column names come from the model, values are bound: nothing user-supplied.
    table = quote(Submission._meta.db_table)
    names = ", ".join(quote(c) for c in _INSERT_COLUMNS)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608


def _db_moment_function() -> Callable[[datetime | None], Any]:
    """Naive export times (local time, as Kobo writes them) to what the database stores.

    The same result as ``adapt_datetimefield_value(make_aware(...))``, without Django's
    per-value checks: it runs once per imported row.
    """
    local = timezone.get_default_timezone()
    sqlite = connection.vendor == "sqlite"
    utc = UTC

    def convert(value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=local)
        if sqlite:
            return str(value.astimezone(utc).replace(tzinfo=None))
        return value

    return convert


def _known_hashes(instrument: Instrument, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    # PostgreSQL takes the ids as one array (thousands of placeholders cost the client more
    # than the query); SQLite as bound values
    wanted = "= ANY(%s)" if postgres else f"IN ({', '.join(['%s'] * len(ids))})"
    sql = (
        f"SELECT {quote('instance_id')}, {quote('content_hash')} "  # noqa: S608 (bound values)
        f"FROM {quote(Submission._meta.db_table)} "
        f"WHERE {quote('instrument_id')} = %s AND {quote('instance_id')} {wanted}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [instrument.pk, ids] if postgres else [instrument.pk, *ids])
        return dict(cursor.fetchall())


def store_rows(
    instrument: Instrument,
    responses: list[Response],
    source: str,
    batch: ImportBatch | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int, list[Quarantined]]:
    """Store new responses once; return (stored, already stored, conflicts to quarantine).

    See :func:`store_prepared`, which does the work.
    """
    key = hash_key()
    rows = [stored_row(response, key) for response in responses]
    return store_prepared(instrument, rows, source, batch, progress)


def store_prepared(
    instrument: Instrument,
    rows: list[StoredRow],
    source: str,
    batch: ImportBatch | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int, list[Quarantined]]:
    """Store rows not stored yet; return (stored, already stored, conflicts to quarantine).

    Known instance ids are looked up in chunks (SQLite's bound-variable limit); new rows go
    in with one ``executemany`` per chunk and transaction (SQLite, PostgreSQL; ``bulk_create``
    elsewhere), which is several times faster than building model instances. An id already
    stored with the same content counts as already stored, with different content as a
    conflict.
    """
    stored = already = 0
    conflicts: list[Quarantined] = []
    fast = connection.vendor in ("sqlite", "postgresql")
    sql = _insert_sql() if fast else ""
    values = _row_values(instrument, source, batch)
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        for _attempt in range(3):
            existing = _known_hashes(instrument, [r.instance_id for r in chunk])
            new: list[tuple[Any, ...]] = []
            chunk_already = 0
            chunk_conflicts: list[Quarantined] = []
            for row in chunk:
                known = existing.get(row.instance_id)
                if known == row.content_hash:
                    chunk_already += 1
                    continue
                if known is not None:
                    chunk_conflicts.append(
                        Quarantined(
                            row.row, json.loads(row.raw_json), [_conflict(row)], row.instance_id
                        )
                    )
                    continue
                existing[row.instance_id] = row.content_hash
                new.append(values(row))
            try:
                with transaction.atomic():
                    if fast:
                        with connection.cursor() as cursor:
                            _insert_rows(cursor, sql, new)
                    else:
                        Submission.objects.bulk_create(
                            [_submission(instrument, values) for values in new], batch_size=1000
                        )
            except IntegrityError:
                continue  # a web submission with one of these ids arrived meanwhile: look again
            break
        else:
            # Never count rows as stored that are not: the caller's import fails visibly.
            raise IntegrityError(f"rows {start + 1}–{start + len(chunk)} could not be stored")
        stored += len(new)
        already += chunk_already
        conflicts += chunk_conflicts
        if progress is not None:
            progress(start + len(chunk))
    return stored, already, conflicts


def _row_values(
    instrument: Instrument, source: str, batch: ImportBatch | None
) -> Callable[[StoredRow], tuple[Any, ...]]:
    """A row's values in :data:`_INSERT_COLUMNS` order, as the database takes them."""
    received = connection.ops.adapt_datetimefield_value(timezone.now())
    if isinstance(received, datetime):  # PostgreSQL: one text for every row's COPY line
        received = received.isoformat()
    moment = _db_moment_function()
    batch_id = batch.pk if batch is not None else None
    instrument_id = instrument.pk

    def values(row: StoredRow) -> tuple[Any, ...]:
        return (
            instrument_id,
            row.instance_id,
            row.answers_json,
            row.raw_json,
            row.content_hash,
            row.key or "",
            moment(row.submitted_at),
            received,
            source,
            batch_id,
            row.row or None,
        )

    return values


@contextmanager
def fresh_rows(
    instrument: Instrument, source: str, batch: ImportBatch | None = None
) -> Iterator[Callable[[list[StoredRow]], int]]:
    """A sink storing the rows of an instrument created in the caller's transaction; it
    returns how many it stored.

    Nobody else can store a submission for that instrument before the transaction commits
    (its row is not visible to them), and the reader gives each instance id once (a repeat
    is a duplicate or a conflict there): every row is new, so none is looked up first. On
    PostgreSQL the rows go in by ``COPY`` statements of :data:`_COPY_PART_ROWS` rows that stay
    open across the reader's chunks (:class:`_CopyParts`). Anything that fails fails the caller's
    transaction: nothing of the file is kept.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("fresh_rows() needs the transaction that created the instrument")
    values = _row_values(instrument, source, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, connection.wrap_database_errors:
            # Foreign keys are checked as each COPY ends, not all at commit: the checks of
            # one part run while the reader reads the next
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            stream = _CopyParts(cursor, _copy_lines_function(instrument, source, batch))
            try:
                yield stream.send
            except BaseException as error:
                stream.close(error)
                raise
            stream.close()
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    if connection.vendor == "sqlite":
        sql = _insert_sql()
        with connection.cursor() as cursor:

            def insert(rows: list[StoredRow]) -> int:
                cursor.executemany(sql, [values(row) for row in rows])
                return len(rows)

            yield insert
        return

    def create(rows: list[StoredRow]) -> int:
        made = [_submission(instrument, values(row)) for row in rows]
        Submission.objects.bulk_create(made, batch_size=1000)
        return len(made)

    yield create


def _submission(instrument: Instrument, row: tuple[Any, ...]) -> Submission:
    return Submission(
        instrument=instrument,
        instance_id=row[1],
        answers=json.loads(row[2]),
        raw=json.loads(row[3]),
        content_hash=row[4],
        respondent_key=row[5],
        submitted_at=row[6],
        source=row[8],
        batch_id=row[9],
        row=row[10],
    )


def _conflict(row: StoredRow) -> Problem:
    from tilik.core.i18n import gettext_noop

    return Problem(
        gettext_noop("ID kiriman ini sudah tersimpan dengan isi berbeda"),
        row=row.row,
        column="_uuid",
        value=row.instance_id,
        expected=gettext_noop("ID unik per kiriman"),
    )


def raw_hash(raw: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()


def problem_records(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.render("id"),
            "en": p.render("en"),
            "column": p.column,
            "value": p.value,
            "rule": {"id": p.brief("id"), "en": p.brief("en")},
            "what": {lang: p.brief(lang, expected=False) for lang in ("id", "en")},
            **({"key": p.params["key"]} if p.params.get("key") else {}),
        }
        for p in problems
    ]


def store_quarantined(
    instrument: Instrument, rows: list[Quarantined], file_name: str, batch: ImportBatch | None
) -> tuple[int, int]:
    """Keep each problem row once (by its content), with its reasons in both languages.

    Returns (held, handled earlier): rows now in quarantine (new, or held before and still
    open), and rows held before that were since fixed or discarded (not held again).
    """
    held = earlier = 0
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        hashes = [raw_hash(r.raw) for r in chunk]
        known = dict(
            QuarantinedRow.objects.filter(instrument=instrument, raw_hash__in=hashes).values_list(
                "raw_hash", "status"
            )
        )
        new = []
        for row, digest in zip(chunk, hashes):
            status = known.get(digest)
            if status is not None:
                if status == QuarantinedRow.Status.OPEN:
                    held += 1
                else:
                    earlier += 1
                continue
            known[digest] = QuarantinedRow.Status.OPEN
            new.append(
                QuarantinedRow(
                    instrument=instrument,
                    raw_hash=digest,
                    batch=batch,
                    file_name=file_name,
                    row=row.row,
                    instance_id=row.instance_id,
                    raw=row.raw,
                    problems=problem_records(row.problems),
                )
            )
        _create_quarantined(new)
        held += len(new)
    return held, earlier


_QUARANTINE_COLUMNS = (
    "instrument_id",
    "batch_id",
    "file_name",
    "row",
    "instance_id",
    "raw",
    "raw_hash",
    "problems",
    "status",
    "created_at",
)


def _create_quarantined(rows: list[QuarantinedRow]) -> None:
    """``bulk_create`` for quarantined rows; on PostgreSQL a ``COPY``, as Django's UNNEST
    insert escapes every JSON text for an array literal (0.3 s for 1,000 rows)."""
    if connection.vendor != "postgresql" or len(rows) < 2:
        QuarantinedRow.objects.bulk_create(rows, batch_size=500)
        return
    sql = _copy_sql(QuarantinedRow, _QUARANTINE_COLUMNS)
    now = timezone.now()
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.copy(sql) as copy:
        for held in rows:
            copy.write_row(
                (
                    held.instrument_id,
                    held.batch_id,
                    held.file_name,
                    held.row,
                    held.instance_id,
                    json.dumps(held.raw),
                    held.raw_hash,
                    json.dumps(held.problems),
                    held.status,
                    now,
                )
            )


# Imports --------------------------------------------------------------------------------


def start_import(instrument: Instrument, data: bytes, file_name: str, user=None) -> ImportBatch:
    """Record an import and queue it for a worker (in the tests, it runs at once).

    The file waits on disk (:attr:`ImportBatch.upload_path`) until the worker has read it.
    """
    batch = ImportBatch.objects.create(
        instrument=instrument,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=user if user is not None and user.is_authenticated else None,
        status=ImportBatch.Status.PENDING,
        total=estimate_rows(data),
    )
    path = batch.upload_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)
    enqueue(batch)
    return batch


def execute_import(batch_id: int) -> None:
    """A worker's job: import the waiting file of a batch, then remove the file."""
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        run_import(batch.pk, batch.upload_path.read_bytes())
    finally:
        batch.upload_path.unlink(missing_ok=True)


def parallel_min_rows() -> int:
    """Files with at least this many lines are read in a second process while this one
    stores (``TILIK_IMPORT_PROCESS=0`` turns that off, e.g. where ``sys.executable`` is not
    a Python interpreter)."""
    if os.environ.get("TILIK_IMPORT_PROCESS", "1") == "0":
        return sys.maxsize
    return 5000


def run_import(
    batch_id: int, data: bytes, progress: Callable[[int], None] | None = None
) -> ImportBatch:
    """Read the file, store good rows, quarantine bad ones; never raises on bad data.

    A large file is read and checked in a second process while this one stores the rows
    (:func:`tilik.core.ingest.read_export_parallel`), so an import uses two cores.
    """
    batch = ImportBatch.objects.select_related("instrument__current").get(pk=batch_id)
    instrument = batch.instrument
    now = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.RUNNING, heartbeat=now, started_at=now
    )
    last = [0]

    def note(rows: int) -> None:
        if progress is not None:
            progress(rows)
        if rows - last[0] >= 2000 or rows < last[0]:
            last[0] = rows
            ImportBatch.objects.filter(pk=batch.pk).update(progress=rows, heartbeat=timezone.now())

    try:
        form = instrument.form()
        counts = {"stored": 0, "already": 0}
        conflicts: list[Quarantined] = []

        def sink(rows: list[StoredRow]) -> None:
            stored, already, clashes = store_prepared(
                instrument, rows, Submission.Source.IMPORT, batch
            )
            counts["stored"] += stored
            counts["already"] += already
            conflicts.extend(clashes)

        result = read_export_parallel(
            data,
            form,
            file_name=batch.file_name,
            hash_key=hash_key(),
            progress=note,
            sink=sink,
            min_rows=parallel_min_rows(),
        )
        stored, already = counts["stored"], counts["already"]
        held, earlier = store_quarantined(
            instrument, result.quarantined + conflicts, batch.file_name, batch
        )
        batch.rows_read = result.rows_read
        batch.stored, batch.already_stored, batch.quarantined = stored, already, held
        batch.fixed_earlier = earlier
        batch.already_stored += result.duplicates
        batch.problems = problem_records(result.problems)
        batch.progress = result.rows_read
        batch.status = ImportBatch.Status.DONE
    except Exception:  # the user gets a message, the log gets the traceback (no row data)
        log.exception("import %s failed", batch.pk)
        from tilik.core.i18n import gettext_noop

        batch.status = ImportBatch.Status.FAILED
        batch.problems = problem_records(
            [Problem(gettext_noop("impor gagal karena kesalahan internal"), file=batch.file_name)]
        )
    batch.finished_at = timezone.now()
    fields = (
        "rows_read",
        "stored",
        "already_stored",
        "quarantined",
        "fixed_earlier",
        "problems",
        "progress",
        "status",
        "finished_at",
    )
    ended = ImportBatch.objects.filter(pk=batch.pk, status__in=ACTIVE).update(
        **{name: getattr(batch, name) for name in fields}
    )
    if not ended:  # cancelled or stopped meanwhile: that outcome stands
        batch.refresh_from_db()
    return batch


def recheck(row: QuarantinedRow, raw: dict[str, str]) -> tuple[bool, list[dict[str, Any]]]:
    """Check a corrected quarantined row again; store it when it is now valid.

    A row of a repeat sheet that no submission claimed cannot be stored on its own: the file
    has to be corrected (its ``_parent_index``) and imported again.
    """
    instrument = row.instrument
    if ORPHAN_SHEET in raw:
        row.raw = raw
        row.save(update_fields=["raw"])
        return False, row.problems
    header = list(raw)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerow([raw[h] for h in header])
    result = read_export(
        buffer.getvalue().encode("utf-8"),
        instrument.form(),
        file_name="koreksi.csv",  # read as the CSV made above, whatever the original was
        hash_key=hash_key(),
    )
    if result.responses:
        response = result.responses[0]
        response.row = row.row or 0
        stored, already, conflicts = store_rows(
            instrument, [response], Submission.Source.IMPORT, row.batch
        )
        if conflicts:
            row.raw, row.problems = raw, problem_records(conflicts[0].problems)
            row.save(update_fields=["raw", "problems"])
            return False, row.problems
        row.raw, row.status = raw, QuarantinedRow.Status.RESOLVED
        row.problems = []
        row.save(update_fields=["raw", "status", "problems"])
        return True, []
    problems = [
        Problem(
            p.message,
            file=row.file_name,
            row=row.row,
            column=p.column,
            value=p.value,
            expected=p.expected,
            params=p.params,
        )
        for q in result.quarantined
        for p in q.problems
    ]
    row.raw, row.problems = raw, problem_records(problems)
    row.save(update_fields=["raw", "problems"])
    return False, row.problems


@dataclass
class Outcome:
    status: str  # "stored", "already", "conflict", "used", "closed", "failed"
    submission: Submission | None = None


def submit(
    instrument: Instrument,
    instance_id: str,
    answers: dict[str, Any],
    *,
    link: RespondentLink | None = None,
    source: str = Submission.Source.WEB,
) -> Outcome:
    """Store a web submission exactly once, however often the phone sends it.

    Only the unique constraint on (instrument, instance id) means "this id arrived
    meanwhile": any other integrity error is a failure ("failed", logged), never told to the
    respondent as a conflict, so the phone keeps the answers and sends them again.
    """
    answers = json_safe(answers)
    digest = content_hash(answers)
    single = link is not None and link.kind == RespondentLink.Kind.SINGLE
    for _attempt in range(3):
        known = Submission.objects.filter(instrument=instrument, instance_id=instance_id).first()
        if known is not None:
            status = "already" if known.content_hash == digest else "conflict"
            return Outcome(status, known)
        try:
            with transaction.atomic():
                if single:
                    claimed = RespondentLink.objects.filter(pk=link.pk, used=False).update(
                        used=True
                    )
                    if not claimed:
                        # Used by this very instance, perhaps a moment ago and still
                        # being stored when the phone resent it: "already received".
                        mine = Submission.objects.filter(
                            instrument=instrument, instance_id=instance_id
                        ).first()
                        if mine is not None:
                            same = mine.content_hash == digest
                            return Outcome("already" if same else "conflict", mine)
                        return Outcome("used")
                respondent = ""
                for name in KEY_FIELDS:
                    if answers.get(name):
                        respondent = pseudonymise(str(answers[name]), hash_key())
                        break
                submission = Submission.objects.create(
                    instrument=instrument,
                    instance_id=instance_id,
                    answers=answers,
                    raw={},
                    content_hash=digest,
                    respondent_key=respondent,
                    submitted_at=timezone.now(),
                    source=source,
                    link=None if link is None or instrument.anonymous else link,
                )
            return Outcome("stored", submission)
        except IntegrityError:
            if Submission.objects.filter(instrument=instrument, instance_id=instance_id).exists():
                continue  # the same id arrived twice at once: look again
            log.exception("web submission to instrument %s could not be stored", instrument.pk)
            return Outcome("failed")
    return Outcome("failed")


def clean_instance_id(value: Any) -> str:
    """The phone's uuid, as a canonical string; a fresh one if it is missing or malformed."""
    text = str(value or "").strip().removeprefix("uuid:")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return ""


def rate_limited(link: RespondentLink, ip: str) -> bool:
    """True when this IP sent more than the allowed submissions to an open link this hour."""
    limit = int(os.environ.get("TILIK_OPEN_LINK_RATE", "60"))
    window = int(timezone.now().timestamp() // 3600)
    ip_hash = hashlib.sha256((settings.SECRET_KEY + ip).encode()).hexdigest()[:24]
    key = f"tilik:rate:{link.token_hash[:16]}:{ip_hash}:{window}"
    cache.add(key, 0, timeout=3700)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3700)
        count = 1
    return count > limit


# Exports --------------------------------------------------------------------------------

_NAME_FIELDS = ("nama",)
# Questions whose answers are free text, where respondents write names, NIPs and numbers.
_FREE_TEXT = frozenset({"text", "calculate", "barcode"})


def _shown_columns(
    questions: Iterable[Question], form: Form, personal: bool
) -> list[tuple[str, str, str]]:
    """``(answer key, how, header)`` for the columns of an export: without ``personal``
    (leaders, viewers) NIPs and other identifiers become their keyed pseudonyms and names are
    left out. An ``or_other`` select is followed by its ``…_other`` text, as KoboToolbox
    writes it."""
    shown: list[tuple[str, str, str]] = []
    for q in questions:
        if is_personal_field(q.name) and not personal:
            if q.name.lower().startswith(_NAME_FIELDS) or q.name.lower().endswith("_nama"):
                continue
            shown.append((q.key, "pseudonym", f"{q.path}_pseudonim"))
        elif q.type in _FREE_TEXT and not personal:
            shown.append((q.key, "masked", q.path))  # names, NIPs, phones inside open answers
        else:
            shown.append((q.key, "value", q.path))
        if q.or_other:  # the "other" text is free text too
            how = "value" if personal else "masked"
            shown.append((f"{q.key}_other", how, f"{q.path}_other"))
    return shown


def shown_answers(
    form: Form, answers: Mapping[str, Any], *, personal: bool, key: bytes | None = None
) -> dict[str, Any]:
    """One submission's answers as exports show them: without ``personal`` (leaders, viewers)
    identifiers become ``<name>_pseudonim`` keyed pseudonyms, names are left out and open
    answers are masked, inside repeat instances too. The API gives answers through here."""
    key = key if key is not None else hash_key()

    def shown(holder: Mapping[str, Any], parent: str) -> dict[str, Any]:
        questions = [q for q in form.all_data_questions() if q.repeat == parent and q.key in holder]
        out = {
            (name if how != "pseudonym" else f"{name}_pseudonim"): _cell_value(
                holder.get(name), how, key
            )
            for name, how, _ in _shown_columns(questions, form, personal)
            if name in holder
        }
        for repeat in form.child_repeats(parent):
            instances = holder.get(repeat.name)
            if isinstance(instances, list):
                out[repeat.name] = [
                    shown(i, repeat.name) for i in instances if isinstance(i, Mapping)
                ]
        return out

    return shown(answers, "")


def _cell_value(value: Any, how: str, key: bytes) -> Any:
    if how == "pseudonym":
        return pseudonymise(str(value), key) if value not in (None, "") else ""
    if how == "masked" and isinstance(value, str):
        return mask_text(value)
    return value


def _wide_keys(instrument: Instrument, form: Form) -> list[tuple[str, Question]]:
    """Every ``repeat[n]/question`` that some submission fills, in form order."""
    order = {row.get("name", ""): i for i, row in enumerate(form.survey_rows)}
    questions = {q.name: q for q in form.all_data_questions() if q.repeat}
    found: dict[str, tuple[Any, ...]] = {}
    for answers in instrument.submissions.values_list("answers", flat=True).iterator(
        chunk_size=2000
    ):
        for key in flatten(form, answers):
            if key in found:
                continue
            parsed = parse_key(key)
            if parsed is None or parsed[1] not in questions:
                continue
            steps, name = parsed
            found[key] = (
                *[part for step, position in steps for part in (order[step], position)],
                order[name],
            )
    return [(key, questions[parse_key(key)[1]]) for key in sorted(found, key=found.__getitem__)]  # type: ignore[index]


def export_table(
    instrument: Instrument, *, personal: bool
) -> tuple[list[str], Iterable[list[Any]]]:
    """Header and rows of an instrument's responses, one row per submission.

    Answers inside repeats are ``repeat[n]/question`` columns (the "wide" layout, which
    imports read back). Without ``personal`` (leaders, viewers) NIPs and other identifiers
    are replaced by their keyed pseudonyms and names are left out.
    """
    form = instrument.form()
    key = hash_key()
    shown = _shown_columns(form.data_questions(), form, personal)
    header = [head for _, _, head in shown]
    wide: list[tuple[str, Question, str]] = []
    if form.repeats:
        for flat, question in _wide_keys(instrument, form):
            for answer, how, _head in _shown_columns([question], form, personal):
                column = flat + answer[len(question.key) :]  # the question's or its _other
                wide.append((column, question, how))
                header.append(f"{column}_pseudonim" if how == "pseudonym" else column)
    header += ["_uuid", "_submission_time", "_source"]

    def rows() -> Iterable[list[Any]]:
        submissions = instrument.submissions.order_by("submitted_at", "id").only(
            "instance_id", "answers", "submitted_at", "source"
        )
        for s in submissions.iterator(chunk_size=2000):
            row = [_cell_value(s.answers.get(answer), how, key) for answer, how, _ in shown]
            if wide:
                flat = flatten(form, s.answers)
                row += [_cell_value(flat.get(name), how, key) for name, _, how in wide]
            moment = timezone.localtime(s.submitted_at).isoformat() if s.submitted_at else ""
            row += [s.instance_id, moment, s.source]
            yield row

    return header, rows()


def export_sheets(
    instrument: Instrument, *, personal: bool
) -> list[tuple[str, list[str], Iterable[list[Any]]]]:
    """The responses as sheets: the submissions, then one sheet per repeat whose rows point
    to their parent with ``_parent_index`` (the parent sheet's ``_index``), as KoboToolbox
    lays out its XLSX exports."""
    form = instrument.form()
    key = hash_key()
    shown = _shown_columns(form.data_questions(), form, personal)
    header = [head for _, _, head in shown] + ["_uuid", "_submission_time", "_source", "_index"]
    repeat_columns = {r.name: _shown_columns(r.questions, form, personal) for r in form.repeats}
    repeat_rows: dict[str, list[list[Any]]] = {r.name: [] for r in form.repeats}
    counters = {r.name: 0 for r in form.repeats}
    titles = {r.name: r.name for r in form.repeats}
    main_title = instrument.form_id

    def add_instances(
        holder: Mapping[str, Any], parent: str, table: str, index: int, uuid_: str
    ) -> None:
        for repeat in form.child_repeats(parent):
            listed = holder.get(repeat.name)
            if not isinstance(listed, list):
                continue
            for instance in listed:
                if not isinstance(instance, Mapping):
                    continue
                counters[repeat.name] += 1
                row = [
                    _cell_value(instance.get(answer), how, key)
                    for answer, how, _ in repeat_columns[repeat.name]
                ]
                row += [counters[repeat.name], table, index, uuid_]
                repeat_rows[repeat.name].append(row)
                add_instances(
                    instance, repeat.name, titles[repeat.name], counters[repeat.name], uuid_
                )

    def rows() -> Iterable[list[Any]]:
        submissions = instrument.submissions.order_by("submitted_at", "id").only(
            "instance_id", "answers", "submitted_at", "source"
        )
        for index, s in enumerate(submissions.iterator(chunk_size=2000), start=1):
            row = [_cell_value(s.answers.get(answer), how, key) for answer, how, _ in shown]
            moment = timezone.localtime(s.submitted_at).isoformat() if s.submitted_at else ""
            yield [*row, s.instance_id, moment, s.source, index]
            if form.repeats:
                add_instances(s.answers, "", main_title, index, s.instance_id)

    sheets: list[tuple[str, list[str], Iterable[list[Any]]]] = [(main_title, header, rows())]
    for repeat in form.repeats:
        repeat_header = [head for _, _, head in repeat_columns[repeat.name]]
        repeat_header += ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"]
        sheets.append((titles[repeat.name], repeat_header, repeat_rows[repeat.name]))
    return sheets


def export_bytes(instrument: Instrument, fmt: str, *, personal: bool) -> bytes:
    if fmt == "xlsx":
        return tables_xlsx(export_sheets(instrument, personal=personal))
    header, rows = export_table(instrument, personal=personal)
    return table_csv(header, rows, marked=True)  # imported again, the escaping comes off
