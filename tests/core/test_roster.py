"""Participant lists (SIASN-style): headers as offices write them, every row stored or held."""

from __future__ import annotations

import io

import openpyxl

from tilik.core.roster import read_roster

NIP_A = "198607152015011351"
NIP_B = "199001012019032004"
PROGRAMS = {"pelayanan prima": "Pelayanan Prima", "prima": "Pelayanan Prima"}


def _csv(
    *rows: str, header: str = "NIP;Nama;Instansi;Unit Kerja;Jabatan;Golongan;Program;Angkatan"
):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def test_it_reads_siasn_headers_in_any_case():
    data = _csv(
        f"{NIP_A};Simon Kase;Dinas Kesehatan;Puskesmas Oesapa;Perawat;iii/B;Pelayanan Prima;2",
        header="NIP BARU;NAMA;INSTANSI KERJA;UNOR;JABATAN;GOL. RUANG;DIKLAT;KELAS",
    )
    read = read_roster(data, "siasn.csv", programs=PROGRAMS)
    (row,) = read.rows
    assert (row.nip, row.unit, row.golongan, row.program, row.angkatan) == (
        NIP_A,
        "Puskesmas Oesapa",
        "III/b",
        "Pelayanan Prima",
        "2",
    )
    assert read.columns["unit"] == "UNOR" and read.rows_read == 1


def test_it_holds_every_bad_row_with_its_column_value_and_expectation():
    data = _csv(
        f"{NIP_A};Simon;D;U;J;III/a;Pelayanan Prima;1",
        "1.98607E+17;Ani;D;U;J;III/a;Pelayanan Prima;1",
        "198613152015011351;Budi;D;U;J;III/a;Pelayanan Prima;1",
        f"{NIP_B};Citra;D;U;J;Z/9;Pelayanan Prima;1",
        f"{NIP_B};Dewi;D;U;J;III/a;Tidak Ada;1",
        f"{NIP_A};Simon;D;U;J;III/a;Pelayanan Prima;1",
        f"{NIP_A};Simon Kase;D;U;J;III/a;Pelayanan Prima;1",
    )
    read = read_roster(data, "peserta.csv", programs=PROGRAMS)
    assert read.rows_read == len(read.rows) + len(read.held) + read.duplicates == 7
    assert (len(read.rows), read.duplicates) == (1, 1)
    held = {h.row: h.problems[0] for h in read.held}
    assert "membulatkan" in held[3].render("id")
    assert held[3].column == "NIP" and held[3].value == "1.98607E+17"
    assert "tanggal lahir" in held[4].render("id") and "TTTTBBHH" in held[4].render("id")
    assert held[5].column == "Golongan" and "III/a" in held[5].render("id")
    assert held[6].column == "Program" and "Pelayanan Prima" in held[6].render("id")
    assert "baris 2" in held[8].render("id")  # the same person twice, differently


def test_it_names_a_nip_an_xlsx_number_has_rounded():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Nama", "Program"])
    sheet.append([float(NIP_A), "Simon", "Prima"])  # a number cell, as Excel keeps it
    sheet.append([NIP_B, "Ani", "Prima"])  # a text cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_roster(buffer.getvalue(), "peserta.xlsx", programs=PROGRAMS)
    assert [r.nip for r in read.rows] == [NIP_B]
    (held,) = read.held
    assert held.row == 2 and "Teks" in held.problems[0].render("id")


def test_it_refuses_a_list_without_nip_or_nama_naming_the_columns_it_found():
    read = read_roster(b"Nomor;Pegawai\n1;A\n", "x.csv")
    assert read.refused and not read.rows and read.rows_read == 0
    text = read.problems[0].render("id")
    assert "NIP" in text and "Nomor, Pegawai" in text


def test_it_uses_the_default_program_and_splits_program_angkatan():
    data = _csv(
        f"{NIP_A};Simon;Pelayanan Prima / 3",
        f"{NIP_B};Ani;",
        header="NIP;Nama;Program/Angkatan",
    )
    read = read_roster(data, "p.csv", programs=PROGRAMS, default_program="Pelayanan Prima")
    assert [(r.program, r.angkatan) for r in read.rows] == [
        ("Pelayanan Prima", "3"),
        ("Pelayanan Prima", "1"),
    ]
