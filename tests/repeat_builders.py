"""A form with repeats, and KoboToolbox-shaped XLSX exports of it built cell by cell.

The export is written here the way KoboToolbox's exporter (formpack) lays it out, not with
Tilik's own writer, so reading it tests Tilik against the real layout: the main sheet named
after the form's title with an ``_index`` column; one sheet per repeat named after it, whose
rows carry ``_parent_table_name``, ``_parent_index`` (and ``_index`` when a repeat is nested
in it) and the submission's meta copied as ``_submission_*``.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

SURVEY_COLUMNS = [
    "type",
    "name",
    "label::Indonesian (id)",
    "label::English (en)",
    "required",
    "relevant",
    "constraint",
    "calculation",
    "repeat_count",
]
SURVEY = [
    ["text", "unit", "Nama unit layanan", "Service unit", "yes", "", "", "", ""],
    ["text", "nip", "NIP penanggung jawab", "Officer NIP", "", "", "", "", ""],
    ["begin_repeat", "kegiatan", "Kegiatan", "Activity", "", "", "", "", ""],
    ["text", "judul", "Judul kegiatan", "Title", "yes", "", "", "", ""],
    ["integer", "peserta", "Jumlah peserta", "Participants", "", "", ". > 0", "", ""],
    ["select_multiple hari", "hari", "Hari", "Days", "", "", "", "", ""],
    ["text", "catatan", "Catatan", "Notes", "", "${peserta} > 10", "", "", ""],
    ["begin_repeat", "sesi", "Sesi", "Session", "", "", "", "", ""],
    ["integer", "jam", "Lama (jam)", "Hours", "yes", "", ". <= 8", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", ""],
    ["calculate", "total_peserta", "", "", "", "", "", "sum(${peserta})", ""],
    [
        "integer",
        "kegiatan_diakui",
        "Kegiatan diakui",
        "Recognised",
        "",
        "",
        ". <= count(${kegiatan})",
        "",
        "",
    ],
]
CHOICES = [
    ["list_name", "name", "label::Indonesian (id)", "label::English (en)"],
    ["hari", "senin", "Senin", "Monday"],
    ["hari", "selasa", "Selasa", "Tuesday"],
    ["hari", "rabu", "Rabu", "Wednesday"],
]
TITLE = "Kegiatan Unit Layanan"


def write_repeat_form(path: Path, form_id: str = "kegiatan_unit") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(SURVEY_COLUMNS)
    for row in SURVEY:
        sheet.append([v or None for v in row])
    choices = workbook.create_sheet("choices")
    for row in CHOICES:
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    settings.append([form_id, TITLE, "2025020101", "Indonesian (id)"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


MAIN_HEADER = [
    "unit",
    "nip",
    "total_peserta",
    "kegiatan_diakui",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
_COPIES = [
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
    "_submission__validation_status",
    "_submission__notes",
    "_submission__status",
    "_submission__submitted_by",
    "_submission___version__",
    "_submission__tags",
]
KEGIATAN_HEADER = [
    "kegiatan/judul",
    "kegiatan/peserta",
    "kegiatan/hari",
    "kegiatan/hari/senin",
    "kegiatan/hari/selasa",
    "kegiatan/hari/rabu",
    "kegiatan/catatan",
    "_index",
    "_parent_table_name",
    "_parent_index",
    *_COPIES,
]
SESI_HEADER = ["kegiatan/sesi/jam", "_parent_table_name", "_parent_index", *_COPIES]

UUIDS = [
    "0b6f3a52-6d1e-4c8e-9b1a-1f0a3c2d4e51",
    "1c7a4b63-7e2f-4d9f-8c2b-2a1b4d3e5f62",
    "2d8b5c74-8f3a-4eaf-9d3c-3b2c5e4f6a73",
]


def _copies(index: int) -> list[str]:
    return [
        str(100 + index),
        UUIDS[index - 1],
        f"2025-02-1{index}T08:00:00",
        "",
        "",
        "",
        "",
        "",
        "",
    ]


def kobo_repeat_xlsx(
    *,
    main: list[list[str]] | None = None,
    kegiatan: list[list[str]] | None = None,
    sesi: list[list[str]] | None = None,
) -> bytes:
    """Three submissions; the second has no activity, the third repeats the first's unit."""
    if main is None:
        main = [
            [
                "Puskesmas Oesapa",
                "198503122010011001",
                "15",
                "2",
                *_copies(1)[:3],
                "",
                "",
                "submitted_via_web",
                "",
                "2025020101",
                "",
                "1",
            ],
            [
                "Kelurahan Oebobo",
                "",
                "0",
                "",
                *_copies(2)[:3],
                "",
                "",
                "submitted_via_web",
                "",
                "2025020101",
                "",
                "2",
            ],
            [
                "Dukcapil Kota",
                "",
                "4",
                "1",
                *_copies(3)[:3],
                "",
                "",
                "submitted_via_web",
                "",
                "2025020101",
                "",
                "3",
            ],
        ]
    if kegiatan is None:
        kegiatan = [
            [
                "Kelas layanan prima",
                "12",
                "senin rabu",
                "1",
                "0",
                "1",
                "Diikuti semua loket",
                "1",
                TITLE,
                "1",
                *_copies(1),
            ],
            ["Coaching loket", "3", "selasa", "0", "1", "0", "", "2", TITLE, "1", *_copies(1)],
            ["Simulasi antrean", "4", "", "0", "0", "0", "", "3", TITLE, "3", *_copies(3)],
        ]
    if sesi is None:
        sesi = [
            ["2", "kegiatan", "1", *_copies(1)],
            ["3", "kegiatan", "1", *_copies(1)],
            ["1", "kegiatan", "3", *_copies(3)],
        ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TITLE
    for row in [MAIN_HEADER, *main]:
        sheet.append(row)
    for title, header, rows in (
        ("kegiatan", KEGIATAN_HEADER, kegiatan),
        ("sesi", SESI_HEADER, sesi),
    ):
        other = workbook.create_sheet(title)
        for row in [header, *rows]:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
