"""The fast XLSX reader gives the same text as openpyxl's values, on the shapes writers use."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

import openpyxl
import pytest

from tilik.core.xlsx import UnsafeSpreadsheet
from tilik.core.xlsxread import cell_text, read_sheets

pytestmark = pytest.mark.filterwarnings("ignore:Workbook contains no default style")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _override(part: str, kind: str) -> str:
    return f'<Override PartName="{part}" ContentType="{OFFICE}.{kind}+xml"/>'


def openpyxl_rows(data: bytes, index: int = 0) -> list[list[str]]:
    """What the import read before: openpyxl read-only values, as text, trailing blanks cut."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [
        [cell_text(v) for v in row]
        for row in workbook.worksheets[index].iter_rows(values_only=True)
    ]
    workbook.close()
    return [_trim(r) for r in rows]


def fast_rows(data: bytes, index: int = 0) -> list[list[str]]:
    return [_trim(r) for r in read_sheets(data)[index].rows()]


def _trim(row: list[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def package(sheet: str, *, shared: str = "", styles: str = "", date1904: bool = False) -> bytes:
    """A minimal XLSX package around hand-written parts (as other writers make them)."""
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + _override("/xl/workbook.xml", "sheet.main")
            + _override("/xl/worksheets/sheet1.xml", "worksheet")
            + (_override("/xl/sharedStrings.xml", "sharedStrings") if shared else "")
            + (_override("/xl/styles.xml", "styles") if styles else "")
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                if shared
                else ""
            )
            + (
                f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
                if styles
                else ""
            )
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared:
        parts["xl/sharedStrings.xml"] = shared
    if styles:
        parts["xl/styles.xml"] = styles
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="20"/><xf numFmtId="2"/></cellXfs></styleSheet>'
)


def test_it_reads_what_openpyxl_writes_as_openpyxl_reads_it():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [
        ["nama", "umur", "nilai", "tanggal", "jam", "setuju", "catatan"],
        ["Ina", 35, 7.5, datetime(2025, 3, 14), time(8, 30), True, "a < b & c > d"],
        ["Budi", -4, 1e-7, date(2025, 1, 2), None, False, "kutip \"ganda\" dan 'tunggal'"],
        [None, 198503122010011001, 3.0, None, None, None, "baris\nbaru"],
        [
            "  spasi  ",
            0,
            12345678.125,
            datetime(2025, 3, 14, 9, 5, 7),
            None,
            None,
            "Beta pi kebun 🌱",
        ],
    ]
    for row in rows:
        sheet.append(row)
    sheet.append([])  # an empty row, then one more
    sheet.append(["akhir"])
    sheet["J9"] = "jauh"  # a cell far to the right, rows skipped
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert fast_rows(data) == openpyxl_rows(data)


def test_it_reads_shared_strings_rich_text_dates_and_booleans_as_openpyxl():
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="5" uniqueCount="5">'
        "<si><t>kode</t></si>"
        '<si><t xml:space="preserve"> ada spasi </t></si>'
        '<si><r><rPr><b/></rPr><t>tebal</t></r><r><t xml:space="preserve"> biasa</t></r></si>'
        '<si><t>teks</t><rPh sb="0" eb="1"><t>FURIGANA</t></rPh></si>'
        "<si><t>&lt;tag&gt; &amp; &#233;&#x1F600;</t></si>"
        "</sst>"
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>'
        '<row r="2"><c r="A2" s="1"><v>45730</v></c><c r="B2" s="2"><v>45730.5</v></c>'
        '<c r="C2" s="3"><v>0.75</v></c><c r="D2" s="4"><v>2.5</v></c>'
        '<c r="E2" t="b"><v>1</v></c><c r="F2" t="b"><v>0</v></c></row>'
        '<row r="4"><c r="B4" t="str"><f>A1&amp;"x"</f><v>kodex</v></c>'
        '<c r="C4" t="e"><v>#N/A</v></c><c r="D4"><f>1+1</f><v>2</v></c>'
        '<c r="E4" t="inlineStr"><is><t>sebaris</t></is></c></row>'
        '<row r="5" spans="1:3"><c r="A5"><v>1</v></c><c r="C5" s="0" t="n"><v>007</v></c></row>'
        "</sheetData></worksheet>"
    )
    for date1904 in (False, True):
        data = package(sheet, shared=shared, styles=STYLES, date1904=date1904)
        assert fast_rows(data) == openpyxl_rows(data)
    assert fast_rows(package(sheet, shared=shared, styles=STYLES))[1][:2] == [
        "2025-03-14T00:00:00",
        "2025-03-14T12:00:00",
    ]


def test_it_unescapes_control_characters_as_the_format_says():
    """Excel and KoboToolbox write a carriage return in a text as ``_x000D_`` (openpyxl's
    read-only mode leaves such escapes as they are; the format says they stand for the
    character, and ``_x005F_`` for a literal underscore)."""
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1">'
        "<si><t>baris_x000D__x000A_baru</t></si></sst>"
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    assert fast_rows(package(sheet, shared=shared)) == [["baris\r\nbaru"]]


def test_it_reads_prefixed_tags_and_other_attribute_orders():
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>satu</x:t></x:is></x:c>'
        '<x:c t="n" r="B1"><x:v>2</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>dua</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    data = package(sheet)
    assert fast_rows(data) == [["satu", "2"], ["dua"]]


def test_it_refuses_entities_and_absurd_widths():
    evil = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&a;</t></is></c></row></sheetData></worksheet>"
    )
    with pytest.raises(UnsafeSpreadsheet):
        list(read_sheets(package(evil))[0].rows())
    wide = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="GJK1"><v>1</v></c></row></sheetData></worksheet>'
    )
    with pytest.raises(UnsafeSpreadsheet):
        list(read_sheets(package(wide))[0].rows())
    with pytest.raises(UnsafeSpreadsheet):
        read_sheets(b"PK\x03\x04 not a zip at all")


def test_a_large_sheet_is_read_in_chunks_with_the_same_rows(monkeypatch):
    import tilik.core.xlsxread as reader

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    for i in range(3000):
        sheet.append([f"baris {i}", i, i / 7, "&<>" if i % 100 == 0 else ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    monkeypatch.setattr(reader, "_CHUNK", 1000)  # many chunk boundaries, inside rows too
    assert fast_rows(data) == openpyxl_rows(data)


def test_it_refuses_a_row_too_long_to_be_data(monkeypatch):
    import tilik.core.xlsxread as reader

    cells = "".join(f'<c t="inlineStr"><is><t>{i}</t></is></c>' for i in range(3000))
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'
        f'<row r="1">{cells}</row></sheetData></worksheet>'
    )
    monkeypatch.setattr(reader, "_CHUNK", 4096)
    monkeypatch.setattr(reader, "_MAX_ROW_BYTES", 50_000)
    with pytest.raises(UnsafeSpreadsheet):
        list(read_sheets(package(sheet))[0].rows())


def test_it_estimates_the_rows_of_a_file_for_the_progress_bar():
    from tilik.core.ingest import estimate_rows

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    for i in range(41):
        sheet.append(["judul", i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from tilik.core.exports import add_dimensions

    assert estimate_rows(add_dimensions(buffer.getvalue(), [(41, 2)])) == 40
    assert estimate_rows(buffer.getvalue()) == 0  # no <dimension>: unknown
    assert estimate_rows(b"a;b\n1;2\n3;4\n") == 2
    assert estimate_rows(b"PK\x03\x04 broken") == 0
