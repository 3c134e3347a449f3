"""Small bundles and forms built in a temporary folder, for tests of readers and imports."""

from __future__ import annotations

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
    "construct",
    "level",
    "reverse",
    "correct",
]

SURVEY = [
    ["text", "nip", "NIP", "NIP", "yes", "", "", "", "", "", ""],
    ["select_one opd", "instansi", "Instansi", "Agency", "yes", "", "", "", "", "", ""],
    ["begin_group", "reaksi", "Reaksi", "Reaction", "", "", "", "", "", "", ""],
    [
        "select_one setuju5",
        "manfaat_1",
        "Pelatihan bermanfaat",
        "Useful",
        "yes",
        "",
        "",
        "manfaat",
        "reaksi",
        "",
        "",
    ],
    [
        "select_one setuju5",
        "manfaat_2",
        "Materi sia-sia",
        "Useless",
        "",
        "",
        "",
        "manfaat",
        "reaksi",
        "yes",
        "",
    ],
    ["end_group", "", "", "", "", "", "", "", "", "", ""],
    ["select_multiple hambatan", "hambatan", "Hambatan", "Obstacles", "", "", "", "", "", "", ""],
    ["integer", "umur", "Umur", "Age", "", "", ". >= 18", "", "", "", ""],
    ["date", "tanggal", "Tanggal", "Date", "", "", "", "", "", "", ""],
    ["text", "saran", "Saran", "Suggestions", "", "", "", "", "", "", ""],
]

CHOICES = (
    [["list_name", "name", "label::Indonesian (id)", "label::English (en)", "theme"]]
    + [["setuju5", str(i), f"Skala {i}", f"Scale {i}", ""] for i in range(1, 6)]
    + [
        ["opd", "dinkes", "Dinas Kesehatan", "Health Office", ""],
        ["opd", "dukcapil", "Dinas Dukcapil", "Civil Registry", ""],
        ["hambatan", "waktu", "Tidak ada waktu", "No time", "waktu_beban_kerja"],
        ["hambatan", "jadwal", "Jadwal bentrok", "Schedule clash", "jadwal"],
        ["hambatan", "dana", "Dana terbatas", "Budget", "anggaran"],
    ]
)


def write_form(
    path: Path, form_id: str = "survei_peserta", survey: list[list[str]] | None = None
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(SURVEY_COLUMNS)
    for row in survey or SURVEY:
        sheet.append([v or None for v in row])
    choices = workbook.create_sheet("choices")
    for row in CHOICES:
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    settings.append([form_id, "Survei Peserta", "2025010101", "Indonesian (id)"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


KOBO_HEADER = [
    "nip",
    "instansi",
    "reaksi/manfaat_1",
    "reaksi/manfaat_2",
    "hambatan",
    "hambatan/waktu",
    "hambatan/jadwal",
    "hambatan/dana",
    "umur",
    "tanggal",
    "saran",
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

NIPS = ["198503122010011001", "199001152015032002", "197712302005011003"]


def kobo_row(index: int, **overrides: str) -> list[str]:
    row = {
        "nip": NIPS[index % len(NIPS)],
        "instansi": "dinkes",
        "reaksi/manfaat_1": "4",
        "reaksi/manfaat_2": "2",
        "hambatan": "waktu jadwal",
        "hambatan/waktu": "1",
        "hambatan/jadwal": "1",
        "hambatan/dana": "0",
        "umur": "35",
        "tanggal": "2025-03-14",
        "saran": "Perlu jadwal yg fleksibel",
        "_id": str(100 + index),
        "_uuid": f"uuid-{index:04d}",
        "_submission_time": "2025-03-20T08:12:33",
        "_validation_status": "",
        "_notes": "",
        "_status": "submitted_via_web",
        "_submitted_by": "",
        "__version__": "v1",
        "_tags": "",
        "_index": str(index + 1),
    }
    row.update(overrides)
    return [row[h] for h in KOBO_HEADER]


def kobo_csv(
    rows: list[list[str]], *, delimiter: str = ";", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    lines = [delimiter.join(quote(h) for h in KOBO_HEADER)]
    lines += [delimiter.join(quote(v) for v in row) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_bundle(root: Path, rows: list[list[str]] | None = None, **csv_options: object) -> Path:
    (root / "instrumen").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "evaluasi.yaml").write_text(
        'title: "Evaluasi Uji"\norganisation: "BKPSDM Uji"\nperiod: 2025\n'
        "programs:\n  - name: Pelatihan Uji\n    kind: pelatihan teknis\n    jp: 30\n"
        "    dates: {start: 2025-03-10, end: 2025-03-14}\n    budget: 150000000\n"
        "    participants: 10\nobjectives:\n  - Menilai manfaat\n"
        "instruments:\n  survei_peserta: {kind: survei_peserta}\n",
        encoding="utf-8",
    )
    write_form(root / "instrumen" / "survei_peserta.xlsx")
    rows = rows if rows is not None else [kobo_row(i) for i in range(3)]
    (root / "data" / "survei_peserta.csv").write_bytes(kobo_csv(rows, **csv_options))  # type: ignore[arg-type]
    (root / "wawancara").mkdir(exist_ok=True)
    (root / "wawancara" / "index.csv").write_text(
        "file,role,instansi,sector,date\nw01.txt,pejabat,Dinas Kesehatan,kesehatan,2025-05-02\n",
        encoding="utf-8",
    )
    (root / "wawancara" / "w01.txt").write_text(
        "P: Bagaimana manfaat pelatihan?\nN: Sangat bermanfaat, tapi stafnya kurang.\n",
        encoding="utf-8",
    )
    return root
