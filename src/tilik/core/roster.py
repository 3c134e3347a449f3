"""Participant lists as SIASN and BKPSDM offices keep them (CSV or XLSX): NIP, nama,
instansi, unit kerja, jabatan, golongan, program and angkatan.

:func:`read_roster` reads a list and checks every row: a row is either a
:class:`RosterRow` to store or a :class:`HeldRow` with its problems (file, row, column, value,
expected), never dropped. Headers are matched by the names SIASN exports and offices use
(``NIP BARU``, ``UNOR``, ``GOL. RUANG``, ``PANGKAT/GOLONGAN`` …), in any case and spacing.
NIPs are checked for their structure (:mod:`tilik.core.nip`), including the ones a
spreadsheet has turned into numbers and rounded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tilik.core.i18n import gettext_noop
from tilik.core.ingest import read_rows
from tilik.core.nip import nip_problem, parse_nip
from tilik.core.problems import Problem
from tilik.core.xlsx import UnsafeSpreadsheet, iter_sheet_rows, open_workbook

__all__ = [
    "FIELDS",
    "HeldRow",
    "RosterRead",
    "RosterRow",
    "check_row",
    "read_roster",
]

#: Each field and the headers it is read from (normalised: lower case, single spaces).
FIELDS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip baru", "nip asn", "nip pegawai", "nomor induk pegawai"),
    "nama": ("nama", "nama lengkap", "nama pegawai", "nama asn", "nama peserta"),
    "instansi": (
        "instansi",
        "instansi kerja",
        "opd",
        "perangkat daerah",
        "unor induk",
        "satuan kerja",
        "satker",
    ),
    "unit": ("unit kerja", "unor", "unit organisasi", "unit", "sub unit kerja"),
    "jabatan": ("jabatan", "nama jabatan", "jabatan nama"),
    "golongan": (
        "golongan",
        "gol",
        "gol ruang",
        "golongan ruang",
        "pangkat/golongan",
        "pangkat / golongan",
        "pangkat golongan",
    ),
    "program": ("program", "nama program", "pelatihan", "diklat", "nama diklat"),
    "angkatan": ("angkatan", "kelas", "angkatan ke"),
    "program_angkatan": ("program/angkatan", "program / angkatan"),
    "sektor": ("sektor",),
    "jenis_kelamin": ("jenis kelamin", "jenis_kelamin", "jk"),
}
_REQUIRED = ("nip", "nama")
_MAX_TEXT = 200

# PNS: I–IV with a letter (III/a); PPPK: I–XVII.
_GOLONGAN_PNS = re.compile(r"^(IV|III|II|I)\s*[/.\-]?\s*([a-eA-E])$")
_GOLONGAN_PPPK = re.compile(r"^(XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)$")
_ARABIC_PNS = re.compile(r"^([1-4])\s*[/.\-]?\s*([a-eA-E])$")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")


@dataclass
class RosterRow:
    """A participant row that passed every check. Fields are stripped text; ``nip`` is the
    18 digits without separators."""

    row: int
    nip: str
    nama: str
    instansi: str = ""
    unit: str = ""
    jabatan: str = ""
    golongan: str = ""
    program: str = ""
    angkatan: str = ""
    sektor: str = ""
    jenis_kelamin: str = ""
    raw: dict[str, str] = field(default_factory=dict, repr=False)

    def key(self) -> tuple[str, str, str]:
        """One enrolment: a person in a program's angkatan."""
        return (self.nip, self.program.lower(), self.angkatan.lower())

    def content(self) -> tuple[str, ...]:
        return (
            self.nama,
            self.instansi,
            self.unit,
            self.jabatan,
            self.golongan,
            self.sektor,
            self.jenis_kelamin,
        )


@dataclass
class HeldRow:
    """A row kept aside with what is wrong with it (the raw cells, as read)."""

    row: int
    raw: dict[str, str]
    problems: list[Problem]


@dataclass
class RosterRead:
    rows: list[RosterRow] = field(default_factory=list)
    held: list[HeldRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # about the file, not a row
    rows_read: int = 0
    duplicates: int = 0  # rows that repeat an earlier row of the file exactly
    columns: dict[str, str] = field(default_factory=dict)  # field → header as written

    @property
    def refused(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def _normal(header: str) -> str:
    text = str(header or "").replace("\ufeff", "").strip().lower()
    text = re.sub(r"[_.]+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" :")


def _columns(header: list[str]) -> dict[str, int]:
    """Field → column index, the first header that names it."""
    found: dict[str, int] = {}
    normal = [_normal(h) for h in header]
    for name, aliases in FIELDS.items():
        for alias in aliases:
            if alias in normal:
                found[name] = normal.index(alias)
                break
    return found


def _cell(value: Any) -> tuple[str, str]:
    """(text, why it cannot be a NIP or "") of a cell as a spreadsheet gave it."""
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return str(value), ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1e15:
            # A number of 16+ digits kept as a double: the last digits are rounded away.
            return str(int(value)), "rounded"
        return (str(int(value)) if value.is_integer() else str(value)), ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(), ""
    return str(value), ""


def _rows(data: bytes, file_name: str) -> tuple[list[str], Iterator[tuple[list[str], set[int]]]]:
    """Header and rows as text; each row with the columns whose numbers were rounded."""
    if file_name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        book = open_workbook(data)
        rows = iter_sheet_rows(book.worksheets[0])
        header = [_cell(v)[0].strip() for v in next(rows, [])]

        def typed() -> Iterator[tuple[list[str], set[int]]]:
            for values in rows:
                cells = [_cell(v) for v in values]
                yield [t for t, _ in cells], {i for i, (_, why) in enumerate(cells) if why}

        return header, typed()
    header, text_rows = read_rows(data, file_name=file_name)
    return header, ((row, set()) for row in text_rows)


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _golongan_of(text: str) -> str | None:
    """The golongan written as SIASN writes it (``III/a``, ``IX``), or None."""
    value = text.strip()
    if not value:
        return None
    match = _GOLONGAN_PNS.match(value[:-1].upper() + value[-1])
    if match:
        return f"{match.group(1)}/{match.group(2).lower()}"
    match = _ARABIC_PNS.match(value)
    if match:
        return f"{_ROMAN[match.group(1)]}/{match.group(2).lower()}"
    if _GOLONGAN_PPPK.match(value.upper()):
        return value.upper()
    return None


def _nip(text: str, rounded: bool) -> tuple[str, Problem | None]:
    value = text.strip().lstrip("'").strip()
    column = "nip"
    if not value:
        return "", Problem(gettext_noop("NIP kosong"), column=column, expected=_NIP_EXPECTED)
    if rounded or _SCIENTIFIC.match(value):
        return value, Problem(
            gettext_noop(
                "NIP tersimpan sebagai angka sehingga Excel membulatkan angka-angka terakhirnya; "
                "format kolom NIP sebagai Teks lalu salin NIP dari sumbernya (SIASN) lagi"
            ),
            column=column,
            value=value,
            expected=_NIP_EXPECTED,
        )
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    problem = nip_problem(value)
    if problem:
        return value, Problem(problem, column=column, value=value, expected=_NIP_EXPECTED)
    info = parse_nip(value)
    assert info is not None  # no problem means it parses
    return info.nip, None


_NIP_EXPECTED = gettext_noop(
    "18 angka: tanggal lahir (8), TMT CPNS (6), jenis kelamin (1), nomor urut (3)"
)


def check_row(
    number: int,
    cells: Mapping[str, str],
    *,
    rounded: Iterable[str] = (),
    programs: Mapping[str, str] | None = None,
    default_program: str = "",
    default_angkatan: str = "",
    file_name: str = "",
    headers: Mapping[str, str] | None = None,
) -> RosterRow | HeldRow:
    """Check one row, given as field → text (``rounded``: fields a spreadsheet rounded).

    Problems name the column as the file's header wrote it (``headers``: field → header),
    and carry the field itself as their ``key`` parameter.

    ``programs`` maps every accepted way to write a program (its name or code, lower case)
    to its name; a program not in it is a problem. The defaults fill a row without one.
    """
    problems: list[Problem] = []
    nip, problem = _nip(cells.get("nip", ""), "nip" in set(rounded))
    if problem is not None:
        problems.append(problem)
    text = {name: " ".join(str(cells.get(name, "")).split()) for name in FIELDS}
    if not text["nama"]:
        problems.append(
            Problem(
                gettext_noop("nama kosong"),
                column="nama",
                expected=gettext_noop("nama lengkap ASN"),
            )
        )
    for name in ("nama", "instansi", "unit", "jabatan"):
        if len(text[name]) > _MAX_TEXT:
            problems.append(
                Problem(
                    gettext_noop("teks terlalu panjang"),
                    column=name,
                    value=text[name],
                    expected=gettext_noop("paling banyak 200 huruf"),
                )
            )
    golongan = ""
    if text["golongan"]:
        found = _golongan_of(text["golongan"])
        if found is None:
            problems.append(
                Problem(
                    gettext_noop("golongan tidak dikenal"),
                    column="golongan",
                    value=text["golongan"],
                    expected=gettext_noop(
                        "golongan PNS seperti III/a atau golongan PPPK seperti IX"
                    ),
                )
            )
        golongan = found or ""
    program, angkatan = text["program"], text["angkatan"]
    if text["program_angkatan"] and not program:  # "Pelatihan X / 2" or "Pelatihan X"
        before, slash, after = text["program_angkatan"].rpartition("/")
        program = before.strip() if slash else after.strip()
        angkatan = angkatan or (after.strip() if slash else "")
    program = program or default_program
    angkatan = angkatan or default_angkatan
    if programs is not None:
        known = programs.get(program.lower()) if program else None
        if known is None:
            names = sorted(set(programs.values()))
            problems.append(
                Problem(
                    gettext_noop("program tidak ada di evaluasi ini")
                    if program
                    else gettext_noop("program kosong"),
                    column="program",
                    value=program or None,
                    expected=", ".join(names)
                    if names
                    else gettext_noop("tambahkan program dahulu"),
                )
            )
        else:
            program = known
    if len(angkatan) > 100:
        problems.append(
            Problem(
                gettext_noop("teks terlalu panjang"),
                column="angkatan",
                value=angkatan,
                expected=gettext_noop("paling banyak 100 huruf"),
            )
        )
    raw = {name: str(value) for name, value in cells.items()}
    if problems:
        headers = headers or {}
        located = [
            Problem(
                p.message,
                file=file_name,
                row=number,
                column=headers.get(p.column, p.column),
                value=p.value,
                expected=p.expected,
                params={**p.params, "key": p.column},
            )
            for p in problems
        ]
        return HeldRow(number, raw, located)
    return RosterRow(
        row=number,
        nip=nip,
        nama=text["nama"],
        instansi=text["instansi"],
        unit=text["unit"],
        jabatan=text["jabatan"],
        golongan=golongan,
        program=program,
        angkatan=angkatan or "1",
        sektor=text["sektor"],
        jenis_kelamin=text["jenis_kelamin"][:1].upper(),
        raw=raw,
    )


def read_roster(
    data: bytes,
    file_name: str,
    *,
    programs: Mapping[str, str] | None = None,
    default_program: str = "",
    default_angkatan: str = "",
) -> RosterRead:
    """Read and check a participant list; never raises on bad content.

    Every data row ends in ``rows``, in ``held`` or (an exact repeat of an earlier row of
    the same file) in ``duplicates``: ``rows_read`` is their sum. A second row for the same
    person, program and angkatan with different details is held. Problems with the file as a
    whole (unreadable, a required column missing) refuse it: nothing is read.
    """
    result = RosterRead()
    try:
        header, rows = _rows(data, file_name)
    except UnsafeSpreadsheet as exc:
        result.problems.append(exc.problem(file_name))
        return result
    columns = _columns(header)
    result.columns = {name: header[index] for name, index in columns.items()}
    for name in _REQUIRED:
        if name not in columns:
            result.problems.append(
                Problem(
                    gettext_noop("kolom {name} tidak ditemukan"),
                    file=file_name,
                    row=1,
                    value=", ".join(h for h in header if h)[:200] or None,
                    expected=gettext_noop(
                        "judul kolom NIP dan Nama (juga dibaca: Instansi, Unit Kerja, Jabatan, "
                        "Golongan, Program, Angkatan)"
                    ),
                    params={"name": name.upper() if name == "nip" else name.capitalize()},
                )
            )
    if result.refused:
        return result
    seen: dict[tuple[str, str, str], tuple[int, tuple[str, ...]]] = {}
    try:
        for number, (values, rounded_at) in enumerate(rows, start=2):
            if not any(str(v).strip() for v in values):
                continue
            result.rows_read += 1
            cells = {
                name: (values[index] if index < len(values) else "")
                for name, index in columns.items()
            }
            rounded = [name for name, index in columns.items() if index in rounded_at]
            checked = check_row(
                number,
                cells,
                rounded=rounded,
                programs=programs,
                default_program=default_program,
                default_angkatan=default_angkatan,
                file_name=file_name,
                headers=result.columns,
            )
            if isinstance(checked, HeldRow):
                result.held.append(checked)
                continue
            earlier = seen.get(checked.key())
            if earlier is None:
                seen[checked.key()] = (number, checked.content())
                result.rows.append(checked)
            elif earlier[1] == checked.content():
                result.duplicates += 1
            else:
                result.held.append(
                    HeldRow(
                        number,
                        checked.raw,
                        [
                            Problem(
                                gettext_noop(
                                    "NIP ini sudah ada di baris {first} untuk program dan "
                                    "angkatan yang sama, dengan isi berbeda"
                                ),
                                file=file_name,
                                row=number,
                                column=result.columns["nip"],
                                expected=gettext_noop("satu baris per peserta per angkatan"),
                                params={"first": earlier[0], "key": "nip"},
                            )
                        ],
                    )
                )
    except UnsafeSpreadsheet as exc:  # a refusal part-way: the rows before it stand
        result.problems.append(exc.problem(file_name))
    return result
