"""Reading the data sheets of an uploaded XLSX quickly, as text, for imports.

openpyxl (used for XLSForms, which are small) builds an object per cell and per shared
string; on a KoboToolbox export of 100,000 rows that is most of an import's time. Here a
sheet's XML is read in chunks and its cells taken out by regular expressions over the
bytes: the parts of SpreadsheetML a data sheet uses (``<row>``, ``<c>``, ``<v>``, inline and
shared strings). Values come out as the text openpyxl's value would print as (integers
without ``.0``, dates of date-formatted cells as ISO 8601 through openpyxl's own
conversion), so both readers give the same rows (tested).

Safety is the same as :mod:`tilik.core.xlsx`: the zip is checked first (bombs, size), a part
that declares a DTD or entities is refused (nothing here expands entities), and a row
wider than :data:`~tilik.core.xlsx.MAX_COLUMNS` is refused.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from posixpath import dirname, join, normpath
from typing import Any

from defusedxml import ElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from tilik.core.i18n import gettext_noop
from tilik.core.xlsx import MAX_COLUMNS, MAX_UNCOMPRESSED, UnsafeSpreadsheet, check_zip

__all__ = ["Sheet", "cell_text", "first_sheet_rows", "read_sheets"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_P = rb"(?:[\w.-]+:)?"  # an optional namespace prefix: <x:row>, as some writers do
_ROW = re.compile(rb"<" + _P + rb"row\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"row>)", re.S)
_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"c>)", re.S)
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_V = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?>(.*?)</" + _P + rb"v>", re.S)
_T = re.compile(rb"<" + _P + rb"t(?:\s[^>]*)?>(.*?)</" + _P + rb"t>", re.S)
_RPH = re.compile(rb"<" + _P + rb"rPh\b.*?</" + _P + rb"rPh>", re.S)
_SI = re.compile(rb"<" + _P + rb"si\b[^>]*?(?:/>|>(.*?)</" + _P + rb"si>)", re.S)
_ROW_END = re.compile(rb"</" + _P + rb"row>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)""")
# The cells as Excel, LibreOffice, KoboToolbox (xlsxwriter) and openpyxl write them:
# attributes r, s, t in that order, a value or an inline string, no formula. A row whose
# cells do not all match this is read by the general path instead.
_FAST_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?'
    rb"(?:/>|>(?:<v>([^<]*)</v>)?(?:<is>(.*?)</is>)?</c>)",
    re.S,
)
_COLUMNS: dict[bytes, int] = {}


def _letters(number: int) -> bytes:
    text = b""
    while number:
        number, rest = divmod(number - 1, 26)
        text = bytes([65 + rest]) + text
    return text


_LETTERS = [_letters(n) for n in range(1, MAX_COLUMNS + 1)]
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_CHUNK = 4 * 1024 * 1024
_MAX_ROW_BYTES = 64 * 1024 * 1024  # 5000 columns of long text stay far below it
MAX_ROWS = 1_048_576  # Excel's last row; a row numbered beyond it is no spreadsheet's
_TOO_WIDE = gettext_noop("lembar kerja ditolak: lebih dari 5000 kolom berisi data")
_BAD_CHARACTER = gettext_noop(
    "berkas XLSX rusak: rujukan karakter «{entity}» bukan karakter yang sah dalam XML"
)
_LONE_SURROGATE = gettext_noop(
    "berkas XLSX rusak: teks memuat separuh pasangan surrogate UTF-16 ({code}), bukan karakter"
)


def _unescape(raw: bytes) -> str:
    """XML character data as text: entity references, then OOXML's ``_xHHHH_`` escapes (a
    surrogate pair written as two escapes becomes one character). Raises
    :class:`UnsafeSpreadsheet` for what is no character: an invalid reference, half a pair."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeSpreadsheet(
            gettext_noop("berkas XLSX rusak: teks bukan UTF-8 yang sah"),
            value=raw[max(exc.start - 20, 0) : exc.end + 20].decode("utf-8", "replace"),
        ) from exc
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
        if _SURROGATE.search(text):
            text = _pair_surrogates(text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _pair_surrogates(text: str) -> str:
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError as exc:
        code = next(f"U+{ord(c):04X}" for c in text if 0xD800 <= ord(c) <= 0xDFFF)
        raise UnsafeSpreadsheet(_LONE_SURROGATE, code=code) from exc


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if not name.startswith("#"):
        return _NAMED[name]
    try:
        code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        character = chr(code)
    except (ValueError, OverflowError):
        character = ""
    if not character or not _xml_character(ord(character)):
        raise UnsafeSpreadsheet(_BAD_CHARACTER, entity=f"&{name[:20]};")
    return character


def _xml_character(code: int) -> bool:
    """XML 1.0's Char production."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _refuse_dtd(data: bytes, part: str = "") -> None:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise UnsafeSpreadsheet(
            gettext_noop(
                "berkas XLSX ditolak: bagian «{part}» memuat DTD atau entitas XML, yang tidak "
                "dipakai lembar kerja biasa (bisa dipakai untuk serangan)"
            ),
            part=part,
        )


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(raw)
    }


def _column(reference: bytes) -> int:
    """``b"AB12"`` → 28 (1-based column of a cell reference)."""
    number = 0
    for byte in reference:
        if 65 <= byte <= 90:
            number = number * 26 + byte - 64
        elif 97 <= byte <= 122:
            number = number * 26 + byte - 96
        else:
            break
    return number


def cell_text(value: Any) -> str:
    """A cell value as import text: what ``str()`` prints, except integers without ``.0``
    and dates/times in ISO 8601 (the same as the openpyxl path of the import)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Sheet:
    """One worksheet: its name, and a reader of its rows (lists of text, 1 row per row
    number: a row missing from the file comes as an empty list)."""

    title: str
    rows: Callable[[], Iterator[list[str]]]


_DIMENSION = re.compile(rb"<" + _P + rb"dimension\s+ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")


def first_sheet_rows(data: bytes) -> int:
    """The row count the first sheet's ``<dimension>`` declares (header included); 0 when
    it declares none. Reads the start of the sheet only."""
    check_zip(data, large=True)
    book = _Book(zipfile.ZipFile(io.BytesIO(data)))
    path = next((p for _, p in book.entries if p), "")
    if not path:
        return 0
    with book.archive.open(path) as stream:
        found = _DIMENSION.search(stream.read(4096))
    return int(found.group(1)) if found else 0


def read_sheets(data: bytes) -> list[Sheet]:
    """The worksheets of an XLSX in workbook order; rows are read when asked for.

    Raises :class:`~tilik.core.xlsx.UnsafeSpreadsheet` for a file refused or unreadable.
    """
    check_zip(data, large=True)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return _Book(archive).sheets()
    except UnsafeSpreadsheet:
        raise
    except StopIteration as exc:  # no officeDocument relationship: not a workbook
        raise UnsafeSpreadsheet(
            gettext_noop("berkas XLSX rusak: tidak ada buku kerja (workbook) di dalamnya")
        ) from exc
    except Exception as exc:  # a broken package: any of zipfile's, XML's or ours
        raise UnsafeSpreadsheet(gettext_noop("berkas XLSX tidak dapat dibaca")) from exc


class _Book:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        root = self._xml("_rels/.rels")
        target = next(
            r.get("Target", "")
            for r in root.iter(f"{{{_PKG_REL}}}Relationship")
            if r.get("Type", "").endswith("/officeDocument")
        )
        self.workbook_path = target.lstrip("/")
        base = dirname(self.workbook_path)
        rels = self._xml(join(base, "_rels", self.workbook_path.rsplit("/", 1)[-1] + ".rels"))
        self.targets: dict[str, str] = {}
        self.shared_path = self.styles_path = ""
        for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
            path = rel.get("Target", "")
            path = path.lstrip("/") if path.startswith("/") else normpath(join(base, path))
            self.targets[rel.get("Id", "")] = path
            kind = rel.get("Type", "")
            if kind.endswith("/sharedStrings"):
                self.shared_path = path
            elif kind.endswith("/styles"):
                self.styles_path = path
        self._shared: list[str] | None = None
        self._styles: tuple[set[int], set[int]] | None = None
        book = self._xml(self.workbook_path)
        properties = book.find(f"{{{_MAIN}}}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.entries = [
            (s.get("name", ""), self.targets.get(s.get(f"{{{_REL}}}id", ""), ""))
            for s in book.iter(f"{{{_MAIN}}}sheet")
        ]

    def _xml(self, name: str) -> Any:
        data = self._part(name)
        _refuse_dtd(data, name)
        try:
            return ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            raise UnsafeSpreadsheet(
                gettext_noop("berkas XLSX rusak: XML tidak sah di bagian «{part}»: {detail}"),
                part=name,
                detail=str(exc),
            ) from exc

    def _part(self, name: str) -> bytes:
        try:
            return self.archive.read(name)
        except KeyError as exc:
            raise _missing(name) from exc

    def sheets(self) -> list[Sheet]:
        return [Sheet(title, partial(self._rows, path)) for title, path in self.entries if path]

    def shared(self) -> list[str]:
        if self._shared is None:
            strings: list[str] = []
            if self.shared_path and self.shared_path in self.archive.namelist():
                if self.archive.getinfo(self.shared_path).file_size > MAX_UNCOMPRESSED:
                    # read whole (strings are looked up by index): bounded as an XLSForm is
                    raise UnsafeSpreadsheet(
                        gettext_noop("berkas XLSX ditolak: isinya melebihi 200 MB")
                    )
                data = self.archive.read(self.shared_path)
                _refuse_dtd(data, self.shared_path)
                for match in _SI.finditer(data):
                    body = match.group(1) or b""
                    if b"rPh" in body:
                        body = _RPH.sub(b"", body)
                    strings.append("".join(_unescape(t) for t in _T.findall(body)))
            self._shared = strings
        return self._shared

    def styles(self) -> tuple[set[int], set[int]]:
        """Indexes of the cell styles that show dates, and those that show durations."""
        if self._styles is None:
            dates: set[int] = set()
            durations: set[int] = set()
            if self.styles_path and self.styles_path in self.archive.namelist():
                root = self._xml(self.styles_path)
                custom = {
                    int(f.get("numFmtId", "0")): f.get("formatCode", "")
                    for f in root.iter(f"{{{_MAIN}}}numFmt")
                }
                xfs = root.find(f"{{{_MAIN}}}cellXfs")
                for index, xf in enumerate(xfs if xfs is not None else []):
                    number = int(xf.get("numFmtId", "0"))
                    code = custom.get(number) or BUILTIN_FORMATS.get(number) or ""
                    if code and is_date_format(code):
                        dates.add(index)
                    if code and is_timedelta_format(code):
                        durations.add(index)
            self._styles = (dates, durations)
        return self._styles

    def _rows(self, path: str) -> Iterator[list[str]]:
        """The rows, with every way a broken or hostile part can fail named as a refusal
        (:class:`UnsafeSpreadsheet`) rather than an exception of the parser."""
        try:
            yield from self._read_rows(path)
        except UnsafeSpreadsheet:
            raise
        except (KeyError, ValueError, IndexError, EOFError, OSError, zipfile.BadZipFile) as exc:
            raise UnsafeSpreadsheet(
                gettext_noop("berkas XLSX rusak: {detail}"), part=path, detail=str(exc)[:200]
            ) from exc

    def _read_rows(self, path: str) -> Iterator[list[str]]:
        if path not in self.archive.namelist():
            raise _missing(path)
        shared = self.shared()
        dates, durations = self.styles()
        epoch = self.epoch
        expected = 1
        with self.archive.open(path) as stream:
            head = stream.read(4096)
            _refuse_dtd(head, path)
            buffer = head
            ended = False
            while not ended:
                chunk = stream.read(_CHUNK)
                ended = not chunk
                buffer += chunk
                cut = len(buffer)
                if not ended:  # up to the last complete row; the rest waits for more
                    at = buffer.rfind(b"</row>")
                    if at >= 0:
                        cut = at + 6
                    else:  # a prefixed tag (</x:row>), or no row ended yet
                        ends = [m.end() for m in _ROW_END.finditer(buffer)]
                        if not ends:
                            if len(buffer) > _MAX_ROW_BYTES:  # one row of absurd width
                                raise UnsafeSpreadsheet(_TOO_WIDE, row=expected)
                            continue
                        cut = ends[-1]
                part, buffer = buffer[:cut], buffer[cut:]
                for match in _ROW.finditer(part):
                    found = _ROW_NUMBER.search(match.group(1))
                    number = int(found.group(1)) if found else expected
                    if number > MAX_ROWS:
                        raise UnsafeSpreadsheet(
                            gettext_noop(
                                "lembar kerja ditolak: nomor baris {number} melewati baris "
                                "terakhir Excel (1.048.576)"
                            ),
                            number=number,
                        )
                    while expected < number:  # rows the file leaves out: empty
                        yield []
                        expected += 1
                    expected = number + 1
                    body = match.group(2) or b""
                    try:
                        row = _fast_cells(body, shared, dates, durations, epoch)
                        if row is None:
                            row = self._cells(body, shared, dates, durations, epoch)
                    except UnsafeSpreadsheet as exc:
                        exc.row = exc.row or number
                        raise
                    yield row

    @staticmethod
    def _cells(
        body: bytes,
        shared: list[str],
        dates: set[int],
        durations: set[int],
        epoch: datetime,
    ) -> list[str]:
        values: list[str] = []
        for cell in _CELL.finditer(body):
            attributes = _attributes(cell.group(1))
            reference = attributes.get(b"r")
            column = _column(reference) if reference else len(values) + 1
            content = cell.group(2) or b""
            if column > MAX_COLUMNS:
                if not "".join(_V.findall(content) + _T.findall(content)).strip():
                    continue  # an empty cell with a format, as Excel keeps up to XFD
                raise UnsafeSpreadsheet(_TOO_WIDE, column=_letters(column).decode())
            while len(values) < column - 1:
                values.append("")
            kind = attributes.get(b"t", b"n")
            if kind == b"inlineStr":
                if b"rPh" in content:
                    content = _RPH.sub(b"", content)
                text = "".join(_unescape(t) for t in _T.findall(content))
            else:
                found = _V.search(content)
                raw = found.group(1) if found else b""
                if kind == b"s":
                    text = _shared(shared, raw) if raw.strip() else ""
                elif kind in (b"str", b"e"):
                    text = _unescape(raw)
                elif kind == b"b":
                    text = str(raw.strip() in (b"1", b"true")) if raw.strip() else ""
                elif kind == b"d":
                    text = _iso(_unescape(raw))
                else:
                    text = _number(raw, attributes.get(b"s"), dates, durations, epoch)
            if len(values) >= column:
                values[column - 1] = text
            else:
                values.append(text)
        return values


def _fast_cells(
    body: bytes,
    shared: list[str],
    dates: set[int],
    durations: set[int],
    epoch: datetime,
) -> list[str] | None:
    """The cells of a row in the common shape (see ``_FAST_CELL``), or None to read it by
    the general path: when a cell has a formula, other attributes, another attribute order
    or a namespace prefix, the matches do not account for every ``<c`` of the row."""
    matches = _FAST_CELL.findall(body)
    if len(matches) != body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>") or (
        not matches and b"c" in body
    ):
        return None
    if [m[0] for m in matches] != _LETTERS[: len(matches)]:
        return _placed_cells(matches, shared, dates, durations, epoch)
    values: list[str] = []
    append = values.append
    for _letters, style, kind, raw, inline in matches:
        if kind == b"s":
            append(_shared(shared, raw) if raw else "")
        elif not kind or kind == b"n":
            if style and dates and int(style) in dates:
                append(_number(raw, style, dates, durations, epoch))
            elif not raw:
                append("")
            elif raw.isdigit():
                append(str(int(raw)))
            else:
                append(_number(raw, None, dates, durations, epoch))
        elif kind == b"inlineStr":
            if inline[:3] == b"<t>" and inline.count(b"<") == 2:  # one plain run: <t>…</t>
                text = inline[3:-4]
                append(_unescape(text) if b"&" in text or b"_x" in text else text.decode())
            else:
                append(_inline(inline))
        else:
            append(_typed(kind, raw))
    return values


def _placed_cells(
    matches: list[tuple[bytes, bytes, bytes, bytes, bytes]],
    shared: list[str],
    dates: set[int],
    durations: set[int],
    epoch: datetime,
) -> list[str] | None:
    """Cells that skip columns (an empty cell left out), placed by their references."""
    values: list[str] = []
    for letters, style, kind, raw, inline in matches:
        column = _COLUMNS.get(letters)
        if column is None:
            column = _column(letters)
            if column <= MAX_COLUMNS:
                _COLUMNS[letters] = column
        if column > MAX_COLUMNS:
            if not raw and not inline:
                continue  # an empty cell with a format, as Excel keeps up to XFD
            raise UnsafeSpreadsheet(_TOO_WIDE, column=letters.decode())
        gap = column - 1 - len(values)
        if gap < 0:
            return None  # cells out of order: the general path places them
        values.extend([""] * gap)
        if kind == b"s":
            values.append(_shared(shared, raw) if raw else "")
        elif not kind or kind == b"n":
            values.append(_number(raw, style or None, dates, durations, epoch))
        elif kind == b"inlineStr":
            values.append(_inline(inline))
        else:
            values.append(_typed(kind, raw))
    return values


def _shared(shared: list[str], raw: bytes) -> str:
    """The shared string a cell points to, by its index."""
    text = raw.strip()
    if not text.isdigit() or int(text) >= len(shared):
        raise UnsafeSpreadsheet(
            gettext_noop(
                "berkas XLSX rusak: sel merujuk teks bersama nomor «{index}», padahal berkas "
                "hanya memuat {count} teks bersama"
            ),
            index=text[:20].decode("ascii", "replace"),
            count=len(shared),
        )
    return shared[int(text)]


def _missing(part: str) -> UnsafeSpreadsheet:
    return UnsafeSpreadsheet(
        gettext_noop("berkas XLSX rusak: bagian «{part}» yang dirujuknya tidak ada di berkas"),
        part=part,
    )


def _inline(inline: bytes) -> str:
    if b"rPh" in inline:
        inline = _RPH.sub(b"", inline)
    return "".join(_unescape(t) for t in _T.findall(inline))


def _typed(kind: bytes, raw: bytes) -> str:
    """A cell of type str (formula text), e (error), b (boolean) or d (ISO date)."""
    if kind in (b"str", b"e"):
        return _unescape(raw)
    if kind == b"b":
        return str(raw.strip() in (b"1", b"true")) if raw.strip() else ""
    if kind == b"d":
        return _iso(_unescape(raw))
    return _unescape(raw)


def _number(
    raw: bytes, style: bytes | None, dates: set[int], durations: set[int], epoch: datetime
) -> str:
    text = raw.strip().decode("ascii", errors="replace")
    if not text:
        return ""
    try:
        value: Any = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
    except ValueError:
        value = None
    if value is None or isinstance(value, float) and not math.isfinite(value):
        raise UnsafeSpreadsheet(
            gettext_noop("berkas XLSX rusak: sel angka berisi «{text}», bukan angka"),
            text=text[:40],
        )
    if style is not None and dates:
        index = int(style or 0)
        if index in dates:
            try:
                value = from_excel(value, epoch, timedelta=index in durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
            if isinstance(value, time | timedelta):
                return str(value)
    return cell_text(value)


def _iso(text: str) -> str:
    """A ``t="d"`` cell (ISO 8601 already) as the same text openpyxl's value prints as."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None).isoformat()
    except ValueError:
        return text
