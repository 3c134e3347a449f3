"""Opening spreadsheets that users upload, safely.

openpyxl parses XML through defusedxml when it is installed (it is a dependency), which
refuses entity expansion; here we also refuse zip bombs and absurd sheet sizes before
openpyxl reads anything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from tilik.core.i18n import gettext_noop
from tilik.core.problems import Problem

__all__ = [
    "MAX_COLUMNS",
    "MAX_UNCOMPRESSED",
    "MAX_UNCOMPRESSED_LARGE",
    "UnsafeSpreadsheet",
    "check_zip",
    "iter_sheet_rows",
    "open_workbook",
]

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_UNCOMPRESSED_LARGE = 1024 * 1024 * 1024  # data sheets, read in chunks
MAX_RATIO = 200  # uncompressed / compressed, per member
MAX_COLUMNS = 5000


class UnsafeSpreadsheet(ValueError):
    """A file we refuse to open; ``reason`` is a translatable message (with ``{…}`` fields
    filled from ``params``), and where in the file, as far as the reader knows."""

    def __init__(
        self,
        reason: str,
        *,
        row: int | None = None,
        sheet: str = "",
        column: str = "",
        value: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.sheet = sheet
        self.column = column
        self.value = value
        self.params = params

    def problem(self, file: str = "") -> Problem:
        """The refusal as a :class:`~tilik.core.problems.Problem` of ``file``."""
        return Problem(
            self.reason,
            file=file,
            row=self.row,
            sheet=self.sheet,
            column=self.column,
            value=self.value,
            params=self.params,
        )


def check_zip(data: bytes, *, kind: str = "xlsx", large: bool = False) -> None:
    """Refuse an archive that would unpack too big: an XLSX, or (``kind="zip"``) a zip of
    CSV files as ODK Central exports them. ``large``: the data sheets of an XLSX read in
    chunks (:mod:`tilik.core.xlsxread`), which may unpack to :data:`MAX_UNCOMPRESSED_LARGE`.
    """
    zipped = kind == "zip"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsafeSpreadsheet(
            gettext_noop("berkas bukan XLSX yang sah (bukan arsip ZIP)")
        ) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and (info.file_size > 10 * 1024 * 1024)
        ):
            raise UnsafeSpreadsheet(
                gettext_noop("berkas ZIP ditolak: isinya mengembang terlalu besar (zip bomb)")
                if zipped
                else gettext_noop("berkas XLSX ditolak: isinya mengembang terlalu besar (zip bomb)")
            )
    if large and total > MAX_UNCOMPRESSED_LARGE:
        raise UnsafeSpreadsheet(gettext_noop("berkas XLSX ditolak: isinya melebihi 1 GB"))
    if not large and total > MAX_UNCOMPRESSED:
        raise UnsafeSpreadsheet(
            gettext_noop("berkas ZIP ditolak: isinya melebihi 200 MB")
            if zipped
            else gettext_noop("berkas XLSX ditolak: isinya melebihi 200 MB")
        )


def open_workbook(source: str | Path | bytes) -> Any:
    """Open an XLSX read-only after the safety checks; raises :class:`UnsafeSpreadsheet`."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    check_zip(data)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnsafeSpreadsheet(gettext_noop("berkas XLSX tidak dapat dibaca")) from exc


def iter_sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    """Rows of a sheet as lists, refusing rows wider than :data:`MAX_COLUMNS`."""
    max_column = sheet.max_column or 0
    if max_column > MAX_COLUMNS:
        raise UnsafeSpreadsheet(gettext_noop("lembar kerja ditolak: lebih dari 5000 kolom"))
    for row in sheet.iter_rows(values_only=True):
        if len(row) > MAX_COLUMNS:
            raise UnsafeSpreadsheet(gettext_noop("lembar kerja ditolak: lebih dari 5000 kolom"))
        yield list(row)
