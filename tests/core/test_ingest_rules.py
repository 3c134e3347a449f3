"""The reader checks what the form says: constraints, relevance-aware required, Excel dates."""

from __future__ import annotations

import io

import openpyxl

from tests.builders import kobo_csv, kobo_row, write_form
from tilik.core.ingest import read_export
from tilik.core.xlsform import pyxform_problems, read_xlsform, write_xlsform

KOBO_SURVEY = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Indonesian (id)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::English (en)",
        "calculation",
        "choice_filter",
        "appearance",
        "$kuid",
        "$autoname",
    ],
    ["start", "start", None, None, None, None, None, None, None, None, None, "k1", "start"],
    ["end", "end", None, None, None, None, None, None, None, None, None, "k2", "end"],
    [
        "begin_group",
        "profil",
        "Profile",
        "Profil",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "k3",
        "profil",
    ],
    [
        "integer",
        "umur",
        "Age",
        "Umur",
        "true",
        None,
        ". >= 18 and . <= 65",
        "18 to 65",
        None,
        None,
        None,
        "k4",
        "umur",
    ],
    ["decimal", "jam", "Hours", "Jam", "false", None, ". > 0", None, None, None, None, "k5", "jam"],
    [
        "select_one prov",
        "prov",
        "Province",
        "Provinsi",
        "true",
        None,
        None,
        None,
        None,
        None,
        None,
        "k6",
        "prov",
    ],
    [
        "select_one kab",
        "kab",
        "District",
        "Kabupaten",
        "true",
        None,
        None,
        None,
        None,
        "prov=${prov}",
        None,
        "k7",
        "kab",
    ],
    ["end_group", None, None, None, None, None, None, None, None, None, None, "k8", None],
    [
        "select_multiple hambatan or_other",
        "hambatan",
        "Obstacles",
        "Hambatan",
        "false",
        None,
        None,
        None,
        None,
        None,
        None,
        "k9",
        "hambatan",
    ],
    [
        "text",
        "alasan",
        "Why",
        "Alasan",
        "true",
        "selected(${hambatan}, 'waktu')",
        None,
        None,
        None,
        None,
        "multiline",
        "k10",
        "alasan",
    ],
    [
        "date",
        "tanggal",
        "Date",
        "Tanggal",
        "false",
        None,
        ". <= today()",
        None,
        None,
        None,
        None,
        "k11",
        "tanggal",
    ],
    [
        "calculate",
        "umur_dua",
        None,
        None,
        None,
        None,
        None,
        None,
        "${umur} * 2",
        None,
        None,
        "k12",
        "umur_dua",
    ],
    [
        "note",
        "terima_kasih",
        "Thanks",
        "Terima kasih",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "k13",
        "terima_kasih",
    ],
    [
        "begin_repeat",
        "anggota",
        "Members",
        "Anggota",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "k14",
        "anggota",
    ],
    [
        "text",
        "nama_anggota",
        "Name",
        "Nama",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "k15",
        "nama_anggota",
    ],
    ["end_repeat", None, None, None, None, None, None, None, None, None, None, "k16", None],
]
KOBO_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Indonesian (id)", "prov", "$kuid"],
    ["prov", "ntt", "NTT", "NTT", None, "c1"],
    ["prov", "ntb", "NTB", "NTB", None, "c2"],
    ["kab", "kupang", "Kupang", "Kupang", "ntt", "c3"],
    ["kab", "lombok", "Lombok", "Lombok", "ntb", "c4"],
    ["hambatan", "waktu", "Time", "Waktu", None, "c5"],
    ["hambatan", "dana", "Money", "Dana", None, "c6"],
]


def kobo_xlsform() -> bytes:
    """An XLSForm shaped like KoboToolbox's 'Download XLSForm' (with $kuid / $autoname)."""
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in KOBO_SURVEY:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    for row in KOBO_CHOICES:
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Survei Kobo", "aXyZkobo", "vQ2025", "Indonesian (id)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_kobo_xlsform_that_pyxform_accepts():
    data = kobo_xlsform()
    assert [p for p in pyxform_problems(data) if p.severity == "error"] == []
    form, problems = read_xlsform(data)
    assert form is not None and [p for p in problems if p.severity == "error"] == []
    assert form.question("kab").choice_filter == "prov=${prov}"
    assert form.question("hambatan").or_other
    assert form.question("nama_anggota").repeat == "anggota"
    assert form.question("umur_dua").calculation == "${umur} * 2"


def test_it_writes_a_kobo_xlsform_back_unchanged():
    form, _ = read_xlsform(kobo_xlsform())
    again, _ = read_xlsform(write_xlsform(form))
    assert again.to_dict() == form.to_dict()
    assert [p for p in pyxform_problems(write_xlsform(again)) if p.severity == "error"] == []


def test_it_checks_constraints(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    result = read_export(kobo_csv([kobo_row(0, umur="12"), kobo_row(1)]), form, file_name="k.csv")
    assert len(result.responses) == 1
    text = result.quarantined[0].problems[0].render("id")
    assert "baris 2" in text and "«umur»" in text and "«12»" in text


def test_it_requires_only_relevant_answers(tmp_path):
    survey = [
        ["select_one opd", "instansi", "Instansi", "Agency", "yes", "", "", "", "", "", ""],
        [
            "text",
            "saran",
            "Saran",
            "Suggestions",
            "yes",
            "${instansi} = 'dinkes'",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx", survey=survey))
    rows = [kobo_row(0, instansi="dukcapil", saran=""), kobo_row(1, instansi="dinkes", saran="")]
    result = read_export(kobo_csv(rows), form, file_name="k.csv")
    assert [r.instance_id for r in result.responses] == ["uuid-0000"]
    assert "wajib" in result.quarantined[0].problems[0].render("id")


def test_it_reads_dates_that_excel_stored_as_numbers(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    result = read_export(kobo_csv([kobo_row(0, tanggal="45730")]), form, file_name="k.csv")
    assert str(result.responses[0].answers["tanggal"]) == "2025-03-14"


def test_it_hands_large_files_over_in_chunks(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    chunks: list[int] = []
    rows = [kobo_row(i, _uuid=f"u{i}") for i in range(7)]
    result = read_export(kobo_csv(rows), form, sink=lambda r: chunks.append(len(r)), chunk_size=3)
    assert chunks == [3, 3, 1] and result.responses == []


def test_it_reads_an_odk_central_csv_with_dash_joined_groups(tmp_path):
    """ODK Central writes `group-question` headers, `meta-instanceID` and `KEY`."""
    form, _ = read_xlsform(write_form(tmp_path / "f.xlsx"))
    header = (
        "SubmissionDate,nip,instansi,reaksi-manfaat_1,reaksi-manfaat_2,hambatan,umur,tanggal,"
        "saran,meta-instanceID,SubmitterID,SubmitterName,AttachmentsPresent,"
        "AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion,KEY"
    )
    row = (
        "2025-03-20T08:12:33.000Z,198503122010011001,dinkes,4,2,waktu jadwal,35,2025-03-14,"
        "Perlu jadwal yg fleksibel,uuid:0b6f3a52-6d1e-4c8e-9b1a-1f0a3c2d4e51,5,enum,0,0,,,,0,"
        "v1,uuid:0b6f3a52-6d1e-4c8e-9b1a-1f0a3c2d4e51"
    )
    result = read_export(f"{header}\n{row}\n".encode(), form, file_name="odk.csv")
    assert result.quarantined == []
    assert [p for p in result.problems if p.severity == "warning"] == []
    (response,) = result.responses
    assert response.instance_id == "0b6f3a52-6d1e-4c8e-9b1a-1f0a3c2d4e51"
    assert response.answers["manfaat_1"] == "4" and response.answers["hambatan"] == [
        "waktu",
        "jadwal",
    ]
    assert response.submitted_at is not None and response.submitted_at.year == 2025
