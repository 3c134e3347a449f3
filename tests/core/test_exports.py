import io

import openpyxl
import pytest

from tilik.core.exports import safe_cell, table_csv, table_xlsx


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


def test_it_writes_a_safe_xlsx():
    data = table_xlsx(["q"], [["=1+1"], [2]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == 2
