"""Hostile data files are refused or contained, each with its own reason.

Every file is made here. Each is imported in a process of its own, as an import reads it
(:mod:`tests.hostile_runner`: the reader in a second process, as the web and the CLI do),
under a limit of 1 GB of memory and 15 s: a file that would hang the import or exhaust memory
fails the test instead of the machine. This is a containment check, not a speed goal.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.builders import KOBO_HEADER, kobo_csv, kobo_row, write_form
from tests.core.test_xlsxread import MAIN, STYLES, package
from tilik.core.i18n import translate

LIMIT_BYTES = 1024**3
LIMIT_SECONDS = 15
ROOT = Path(__file__).parents[2]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def import_contained(tmp_path: Path, name: str, data: bytes) -> dict:
    """What importing ``data`` gives, read in a limited process of its own."""
    form = write_form(tmp_path / "survei_peserta.xlsx")
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile_runner", str(path), str(form)],
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        preexec_fn=_limits,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(*rows: str, head: str = "") -> str:
    header = "".join(_cell(f"{_col(i)}1", h) for i, h in enumerate(KOBO_HEADER, start=1))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{head}<sheetData>'
        f'<row r="1">{header}</row>{"".join(rows)}</sheetData></worksheet>'
    )


def _col(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def data_row(number: int, **overrides: str) -> str:
    values = kobo_row(number - 2, _uuid=f"row-{number}", **overrides)
    cells = "".join(_cell(f"{_col(i)}{number}", v) for i, v in enumerate(values, start=1) if v)
    return f'<row r="{number}">{cells}</row>'


def _only_sheet(data: bytes, part: str, replace: bytes) -> bytes:
    """``data`` with one part of the package replaced (or removed, with ``b""``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename == part:
                if replace:
                    out.writestr(item, replace)
                continue
            out.writestr(item, source.read(item.filename))
    return buffer.getvalue()


HOSTILE = {
    "row-two-billion.xlsx": (
        package(sheet(data_row(2), '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>')),
        "lembar kerja ditolak: nomor baris {number} melewati baris terakhir Excel (1.048.576)",
    ),
    "wide-row.xlsx": (
        package(sheet(data_row(2), '<row r="3"><c r="GJX3"><v>1</v></c></row>')),
        "lembar kerja ditolak: lebih dari 5000 kolom berisi data",
    ),
    "wide-row.csv": (
        kobo_csv([kobo_row(0)]) + (";".join(["x"] * 5001) + "\r\n").encode(),
        "berkas ditolak: lebih dari 5000 kolom",
    ),
    "big-field.csv": (
        kobo_csv([kobo_row(0)]) + b'"' + b"x" * (11 * 1024 * 1024) + b'"\r\n',
        "berkas ditolak: satu sel lebih dari 10 MB",
    ),
    "bad-entity.xlsx": (
        package(sheet(data_row(2, saran="&#99999999;"))),
        "berkas XLSX rusak: rujukan karakter «{entity}» bukan karakter yang sah dalam XML",
    ),
    "surrogate-entity.xlsx": (
        package(sheet(data_row(2, saran="&#xD800;"))),
        "berkas XLSX rusak: rujukan karakter «{entity}» bukan karakter yang sah dalam XML",
    ),
    "lone-surrogate.xlsx": (
        package(sheet(data_row(2, saran="_xD800_"))),
        "berkas XLSX rusak: teks memuat separuh pasangan surrogate UTF-16 ({code}), bukan karakter",
    ),
    "shared-index.xlsx": (
        package(
            sheet(data_row(2), '<row r="3"><c r="A3" t="s"><v>7</v></c></row>'),
            shared=f'<sst xmlns="{MAIN}"><si><t>x</t></si></sst>',
        ),
        "berkas XLSX rusak: sel merujuk teks bersama nomor «{index}», padahal berkas "
        "hanya memuat {count} teks bersama",
    ),
    "not-a-number.xlsx": (
        package(sheet(data_row(2), '<row r="3"><c r="I3"><v>tiga</v></c></row>')),
        "berkas XLSX rusak: sel angka berisi «{text}», bukan angka",
    ),
    "missing-part.xlsx": (
        _only_sheet(package(sheet(data_row(2))), "xl/worksheets/sheet1.xml", b""),
        "berkas XLSX rusak: bagian «{part}» yang dirujuknya tidak ada di berkas",
    ),
    "dtd-in-styles.xlsx": (
        package(
            sheet(data_row(2)),
            styles='<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]>'
            f'<styleSheet xmlns="{MAIN}"><cellXfs count="1"><xf numFmtId="0"/></cellXfs>'
            "</styleSheet>",
        ),
        "berkas XLSX ditolak: bagian «{part}» memuat DTD atau entitas XML, yang tidak "
        "dipakai lembar kerja biasa (bisa dipakai untuk serangan)",
    ),
    "bomb.xlsx": (
        _only_sheet(package(sheet(data_row(2))), "xl/worksheets/sheet1.xml", b" " * 60 * 2**20),
        "berkas XLSX ditolak: isinya mengembang terlalu besar (zip bomb)",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_it_refuses_a_hostile_file_with_its_own_reason(tmp_path, name):
    data, reason = HOSTILE[name]
    found = import_contained(tmp_path, name, data)
    assert found["stopped"], found
    errors = [p for p in found["problems"] if p["severity"] == "error"]
    assert [p["id"] for p in errors] == [reason]
    assert errors[0]["en"] != reason == translate(reason, "id")  # translated into English
    assert found["stored"] <= 1  # at most the good row before the refusal


def test_it_reads_a_sheet_formatted_up_to_the_last_excel_column(tmp_path):
    wide = '<c r="XFD{n}" s="1"/>'
    rows = [data_row(n).replace("</row>", wide.format(n=n) + "</row>") for n in (2, 3, 4)]
    head = '<dimension ref="A1:XFD4"/><cols><col min="1" max="16384" width="9"/></cols>'
    data = package(sheet(*rows, head=head), styles=STYLES)
    found = import_contained(tmp_path, "formatted.xlsx", data)
    assert not found["stopped"] and found["stored"] == 3, found


def test_it_reads_excel_unicode_text_utf16_tab_separated(tmp_path):
    text = kobo_csv([kobo_row(i, saran="Pelatihan sangat baik, terima kasih") for i in range(3)])
    utf16 = text.decode("utf-8").replace('";"', '"\t"').encode("utf-16")
    found = import_contained(tmp_path, "unicode.txt", utf16)
    assert (found["stored"], found["quarantined"]) == (3, 0), found
