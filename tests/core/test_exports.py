import io
import zipfile

import openpyxl
import pytest

from tilik.core.exports import escape_text, safe_cell, table_csv, table_xlsx, unescape_cell


@pytest.mark.parametrize("value", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_it_neutralises_formulas(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-3", "+62", "-1.5", "12", "teks biasa"])
def test_it_keeps_plain_values(value):
    assert safe_cell(value) == value


def test_it_joins_lists_and_keeps_numbers():
    assert safe_cell(["a", "b"]) == "a b"
    assert safe_cell(4) == 4


def test_it_writes_a_safe_csv():
    data = table_csv(["q"], [['=HYPERLINK("x")'], [3]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK" in data


def test_it_writes_text_in_an_xlsx_as_text_unchanged():
    data = table_xlsx(["q"], [["=1+1"], [2], ["'kutip"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"  # a string, not a formula
    assert sheet["A3"].value == 2
    assert sheet["A4"].value == "'kutip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    "value", ["=1+1", "'=1+1", "''", "'", "-3", "'-3", "+62 812", "@x", "\tx", "teks", "'teks", ""]
)
def test_the_escaping_is_undone_exactly(value):
    assert unescape_cell(escape_text(value)) == value


def test_it_marks_csvs_meant_to_be_imported_again():
    data = table_csv(["q"], [["'sudah dikutip"]], marked=True).decode("utf-8-sig")
    assert data.splitlines()[0] == "q,_tilik_escape"
    assert "''sudah dikutip" in data
