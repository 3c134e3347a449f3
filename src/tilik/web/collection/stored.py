"""An instrument's stored submissions read by columns, for the analysis of an evaluation.

The answers come from the database in chunks (a server-side cursor on PostgreSQL, a cursor
read in batches on SQLite), in the order an export writes them, and go to the columnar
checker (:func:`tilik.core.columnar.read_stored`): the frame is the one reading the
instrument's export would give, without writing or parsing that export, and memory goes
with one chunk of answer texts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection

from tilik.core.columnar import StoredChunk, Table, read_stored
from tilik.core.ingest import kobo_row
from tilik.core.xlsform import Form
from tilik.web.collection.models import Instrument, Submission

__all__ = ["CHUNK", "read_instrument", "stored_chunks"]

#: Submissions per chunk: about 30 MB of answer texts for a form of 40 questions.
CHUNK = 50_000


def _sql(columns: str) -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {columns} FROM {quote(Submission._meta.db_table)} "  # noqa: S608 (no user text)
        f"WHERE {quote('instrument_id')} = %s "
        f"ORDER BY {quote('submitted_at')} ASC, {quote('id')} ASC"
    )


def _local(moments: Sequence[Any]) -> pl.Series:
    """Stored submission times as local wall-clock times (as an export writes them):
    aware on PostgreSQL, naive UTC on SQLite."""
    series = pl.Series("_submitted_at", list(moments))
    if series.dtype == pl.Null:  # no times at all
        return series.cast(pl.Datetime("us"))
    if getattr(series.dtype, "time_zone", None) is None:
        series = series.dt.replace_time_zone("UTC")
    local = series.dt.convert_time_zone(settings.TIME_ZONE).dt.replace_time_zone(None)
    return local.cast(pl.Datetime("us"))


def stored_chunks(instrument: Instrument, size: int = CHUNK) -> Iterator[StoredChunk]:
    """The instrument's submissions, ``size`` at a time, in export order."""
    answers = "answers::text" if connection.vendor == "postgresql" else "answers"
    quote = connection.ops.quote_name
    columns = f"{quote('id')}, {quote('instance_id')}, {quote('submitted_at')}, {answers}"
    with connection.chunked_cursor() as cursor:
        cursor.execute(_sql(columns), [instrument.pk])
        while rows := cursor.fetchmany(size):
            keys, ids, moments, texts = zip(*rows, strict=True)
            yield StoredChunk(keys, ids, _local(moments), texts)


def _export_rows(form: Form) -> Any:
    def rows(wanted: Sequence[tuple[Any, int]]) -> list[list[str]]:
        from tilik.web.evaluations.bundles import response_from

        found = {s.pk: s for s in Submission.objects.filter(pk__in=[k for k, _ in wanted])}
        return [kobo_row(form, response_from(found[key]), index) for key, index in wanted]

    return rows


def _versions(instrument: Instrument, form: Form) -> Any:
    def versions() -> set[str]:
        """The form versions the rows name, as an export writes them (``__version__`` of
        the row as received, else the form's), stripped, empty ones left out."""
        if connection.vendor == "postgresql":
            found = "raw ->> '__version__'"
        else:
            found = "json_extract(raw, '$.\"__version__\"')"
        sql = (
            f"SELECT DISTINCT {found} FROM {connection.ops.quote_name(Submission._meta.db_table)} "  # noqa: S608
            "WHERE instrument_id = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [instrument.pk])
            names = {form.version if v is None else str(v) for (v,) in cursor.fetchall()}
        return {v.strip() for v in names if v.strip()}

    return versions


def read_instrument(
    instrument: Instrument, form: Form, *, file_name: str, hash_key: bytes
) -> Table:
    """The frame of the instrument's submissions, checked against ``form`` as reading its
    export would check them. Raises :class:`tilik.core.columnar.NotByColumns` when only the
    export and the row reader can (forms with repeats)."""
    return read_stored(
        stored_chunks(instrument),
        form,
        file_name=file_name,
        hash_key=hash_key,
        rows=_export_rows(form),
        versions=_versions(instrument, form),
    )
