"""Response tables as CSV and XLSX, safe to open in a spreadsheet, and read back exactly.

In a CSV, a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice (CSV injection, OWASP). Such values get a leading ``'``
unless they are plain numbers (``-3``, ``+62``), which stay numbers; so does a value that
already starts with ``'``. The escaping is therefore reversible: a reader that knows a file
was escaped removes exactly one leading ``'`` (:func:`unescape_cell`). Tilik's CSVs say so
with an ``_tilik_escape`` column (response exports) or ``formula_escape`` in evaluasi.yaml
(bundles). In an XLSX, text is stored as a string cell, which a spreadsheet never evaluates:
it is written unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

__all__ = [
    "ESCAPE",
    "ESCAPE_MARKER",
    "FORMULA_PREFIXES",
    "escape_text",
    "unescape_cell",
    "add_dimensions",
    "safe_cell",
    "table_csv",
    "table_xlsx",
    "tables_xlsx",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
ESCAPE_MARKER = "_tilik_escape"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` made harmless for a spreadsheet; numbers and dates pass unchanged.

    Lists (select_multiple answers) become space-separated names.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | date | datetime):
        return value
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    return escape_text(str(value))


def escape_text(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would take it for a formula, or when
    it starts with ``'`` itself (so that :func:`unescape_cell` can undo it exactly)."""
    if text.startswith(ESCAPE) or (
        text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text)
    ):
        return ESCAPE + text
    return text


def unescape_cell(text: str) -> str:
    """The value :func:`escape_text` was given: one leading ``'`` removed."""
    return text[1:] if text.startswith(ESCAPE) else text


def _xlsx_value(value: Any) -> Any:
    """A cell of an XLSX: numbers and dates as they are, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | date | datetime):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _text(value: Any) -> str:
    value = safe_cell(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def table_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bom: bool = True,
    marked: bool = False,
) -> bytes:
    """A CSV (comma, CRLF, UTF-8 with a BOM so Excel reads the accents) of safe cells.

    ``marked`` adds the ``_tilik_escape`` column, which tells Tilik's importer to undo the
    escaping (for exports that are meant to be imported again)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    extra = [""] if marked else []
    writer.writerow([_text(h) for h in header] + ([ESCAPE_MARKER] if marked else []))
    for row in rows:
        writer.writerow([_text(v) for v in row] + extra)
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def table_xlsx(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "data"
) -> bytes:
    """An XLSX workbook of one sheet; text cells are stored as text, never as formulas."""
    return tables_xlsx([(title, header, rows)])


def tables_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook of several sheets ``(title, header, rows)``, filled in turn; text
    cells are stored as text, never as formulas, and unchanged. Titles are cut to Excel's
    31 characters."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def cell(sheet: Any, value: Any) -> Any:
        value = _xlsx_value(value)
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # openpyxl would take "=…" for a formula
        return text

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    sizes: list[tuple[int, int]] = []
    for title, header, rows in sheets:
        name = _SHEET_FORBIDDEN.sub(" ", title)[:31].strip() or "data"
        while name.lower() in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name.lower())
        sheet = workbook.create_sheet(title=name)
        sheet.append([cell(sheet, h) for h in header])
        count, width = 1, len(header)
        for row in rows:
            cells = [cell(sheet, value) for value in row]
            sheet.append(cells)
            count, width = count + 1, max(width, len(cells))
        sizes.append((count, width))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return add_dimensions(buffer.getvalue(), sizes)


_SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def add_dimensions(data: bytes, sizes: Sequence[tuple[int, int]]) -> bytes:
    """``data`` (an XLSX from openpyxl's write-only mode) with each sheet's ``<dimension>``
    filled in from ``sizes`` (rows, columns), in sheet order.

    Write-only sheets leave the dimension out; a reader in read-only mode (openpyxl, so
    Tilik's own imports) then parses the whole sheet once more just to size it. Excel and
    KoboToolbox's exporter write it.
    """
    from openpyxl.utils import get_column_letter

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            match = _SHEET_PART.fullmatch(info.filename)
            if match and int(match.group(1)) <= len(sizes):
                rows, columns = sizes[int(match.group(1)) - 1]
                ref = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
                tag = f'<dimension ref="{ref}"/>'.encode()
                if b"<dimension" not in content[:2000]:
                    end = content.find(b"</sheetPr>")
                    at = end + len(b"</sheetPr>") if end >= 0 else content.find(b">") + 1
                    content = content[:at] + tag + content[at:]
            target.writestr(info, content)
    return buffer.getvalue()


_SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
