"""Build Tilik's standard instruments as XLSForms.

Usage::

    python tools/build_instruments.py [OUTPUT_DIR]

Writes one ``<form_id>.xlsx`` per standard instrument (default output:
``src/tilik/core/instruments/standard/``). The forms run unchanged in KoboToolbox and
ODK Collect; Tilik reads the extra survey columns ``construct``, ``level``, ``reverse``
and ``correct`` and the ``theme`` column of the choices sheet (see DESIGN.md).

The content lives here as plain Python lists so that a reviewer can read every question
in one place. ``build_forms()`` accepts an evaluation's own agency (OPD), program and
service-unit lists; the demo bundle generator in ``examples/kupang-2025/`` uses it.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

ID = "Indonesian (id)"
EN = "English (en)"

SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{ID}",
    f"label::{EN}",
    f"hint::{ID}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{ID}",
    f"constraint_message::{EN}",
    "appearance",
    "construct",
    "level",
    "reverse",
    "correct",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{ID}", f"label::{EN}", "theme"]
SETTINGS_COLUMNS = ["form_id", "form_title", "version", "default_language"]

VERSION = "2025.1"
FIXED_DATE = (2025, 1, 1, 0, 0, 0)
FIXED_STAMP = b"2025-01-01T00:00:00Z"
NIP_CONSTRAINT = "regex(., '^[0-9]{18}$')"
NIP_MESSAGE = ("NIP terdiri dari 18 angka tanpa spasi.", "The NIP has 18 digits, no spaces.")

# A choice is (name, Indonesian label, English label[, theme]).
Choice = tuple[str, ...]


@dataclass
class XLSForm:
    """One XLSForm: survey rows, choice lists and settings."""

    form_id: str
    title: str
    survey: list[dict[str, str]] = field(default_factory=list)
    choices: dict[str, list[Choice]] = field(default_factory=dict)


# --------------------------------------------------------------------------- rows


def row(
    type_: str,
    name: str = "",
    label: tuple[str, str] | None = None,
    hint: tuple[str, str] | None = None,
    constraint_message: tuple[str, str] | None = None,
    **extra: str,
) -> dict[str, str]:
    """One survey row; ``label``/``hint`` are (Indonesian, English) pairs."""
    out = {"type": type_, "name": name}
    if label:
        out[f"label::{ID}"], out[f"label::{EN}"] = label
    if hint:
        out[f"hint::{ID}"], out[f"hint::{EN}"] = hint
    if constraint_message:
        out[f"constraint_message::{ID}"], out[f"constraint_message::{EN}"] = constraint_message
    out.update({k: v for k, v in extra.items() if v})
    return out


def likert(
    name: str, construct: str, level: str, id_: str, en: str, reverse: bool = False
) -> dict[str, str]:
    """A 1–5 agreement item on the ``setuju5`` list."""
    return row(
        "select_one setuju5",
        name,
        (id_, en),
        required="yes",
        construct=construct,
        level=level,
        reverse="yes" if reverse else "",
    )


def begin(name: str, id_: str, en: str, relevant: str = "") -> dict[str, str]:
    return row("begin_group", name, (id_, en), relevant=relevant)


def end(name: str) -> dict[str, str]:
    return row("end_group", name)


def note(name: str, id_: str, en: str) -> dict[str, str]:
    return row("note", name, (id_, en))


def nip_row(name: str, id_: str, en: str) -> dict[str, str]:
    return row(
        "text",
        name,
        (id_, en),
        hint=("18 angka, tanpa spasi atau titik.", "18 digits, no spaces or dots."),
        constraint_message=NIP_MESSAGE,
        required="yes",
        constraint=NIP_CONSTRAINT,
        appearance="numbers",
    )


# --------------------------------------------------------------------------- shared lists

SETUJU5: list[Choice] = [
    ("1", "Sangat tidak setuju", "Strongly disagree"),
    ("2", "Tidak setuju", "Disagree"),
    ("3", "Ragu-ragu", "Neutral"),
    ("4", "Setuju", "Agree"),
    ("5", "Sangat setuju", "Strongly agree"),
]
YA_TIDAK: list[Choice] = [("ya", "Ya", "Yes"), ("tidak", "Tidak", "No")]

SEKTOR: list[Choice] = [
    ("kesehatan", "Kesehatan", "Health"),
    ("pendidikan", "Pendidikan", "Education"),
    ("kependudukan", "Kependudukan dan catatan sipil", "Civil registration"),
    ("perizinan", "Perizinan dan penanaman modal", "Licensing and investment"),
    ("keuangan", "Keuangan dan aset daerah", "Finance and assets"),
    ("pertanian", "Pertanian dan ketahanan pangan", "Agriculture and food security"),
    ("sosial", "Sosial", "Social affairs"),
    ("kewilayahan", "Kecamatan dan kelurahan", "Sub-district and village administration"),
    ("umum", "Umum dan kesekretariatan", "General administration"),
    ("lainnya", "Lainnya", "Other"),
]

DEFAULT_OPD: list[Choice] = [
    ("sekretariat_daerah", "Sekretariat Daerah", "Regional Secretariat"),
    ("dinas_kesehatan", "Dinas Kesehatan", "Health Office"),
    ("rsud", "Rumah Sakit Umum Daerah", "Regional General Hospital"),
    ("puskesmas", "Puskesmas", "Community health centre"),
    ("dinas_pendidikan", "Dinas Pendidikan", "Education Office"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Civil Registration Office"),
    ("dpmptsp", "DPMPTSP", "One-stop Investment and Licensing Office"),
    ("bpkad", "BPKAD", "Finance and Asset Agency"),
    ("dinas_pertanian", "Dinas Pertanian", "Agriculture Office"),
    ("dinas_sosial", "Dinas Sosial", "Social Affairs Office"),
    ("kecamatan", "Kecamatan", "Sub-district office"),
    ("kelurahan", "Kelurahan", "Village office"),
    ("lainnya", "Lainnya", "Other"),
]

DEFAULT_PROGRAMS: list[Choice] = [
    ("pelatihan_teknis", "Pelatihan teknis", "Technical training"),
    ("pelatihan_fungsional", "Pelatihan fungsional", "Functional training"),
    ("pelatihan_kepemimpinan", "Pelatihan kepemimpinan", "Leadership training"),
    ("latsar_cpns", "Pelatihan Dasar CPNS", "Basic training for new civil servants"),
    ("lainnya", "Lainnya", "Other"),
]

DEFAULT_UNITS: list[Choice] = [
    ("disdukcapil", "Layanan Dukcapil", "Civil registration service"),
    ("mpp_dpmptsp", "Mal Pelayanan Publik / DPMPTSP", "Public service mall / licensing"),
    ("rsud", "RSUD (rawat jalan)", "Hospital outpatient service"),
    ("puskesmas", "Puskesmas", "Community health centre"),
    ("kelurahan", "Kantor kelurahan", "Village office"),
    ("lainnya", "Lainnya", "Other"),
]

HAMBATAN: list[Choice] = [
    (
        "beban_kerja",
        "Beban kerja tinggi / kekurangan pegawai",
        "Heavy workload / staff shortage",
        "waktu_beban_kerja",
    ),
    (
        "jadwal_bentrok",
        "Jadwal pelatihan bentrok dengan tugas rutin",
        "Schedule clashes with routine duties",
        "jadwal",
    ),
    (
        "anggaran",
        "Anggaran terbatas (biaya, perjalanan, bahan)",
        "Limited budget (fees, travel, materials)",
        "anggaran",
    ),
    (
        "akses_internet",
        "Jaringan internet / akses lokasi sulit",
        "Poor internet / hard-to-reach venue",
        "sarana_akses",
    ),
    (
        "materi_kurang",
        "Materi kurang mutakhir atau terlalu teoritis",
        "Material outdated or too theoretical",
        "kualitas_materi",
    ),
    (
        "fasilitator",
        "Kualitas pengajar / narasumber kurang",
        "Trainers not good enough",
        "fasilitator",
    ),
    (
        "metode",
        "Metode kurang praktik (banyak ceramah)",
        "Too little practice (mostly lectures)",
        "metode",
    ),
    (
        "dukungan_atasan",
        "Kurang dukungan atasan untuk menerapkan",
        "Little supervisor support to apply it",
        "dukungan_atasan",
    ),
    ("lainnya", "Lainnya", "Other", ""),
]

CONSENT = (
    "Terima kasih atas kesediaan Bapak/Ibu. Survei ini bagian dari evaluasi program "
    "pengembangan kompetensi ASN. Jawaban bersifat rahasia: NIP hanya dipakai untuk "
    "menghubungkan jawaban dan disamarkan dalam analisis; laporan tidak memuat nama atau NIP. "
    "Mengisi survei bersifat sukarela dan memerlukan sekitar 10 menit.",
    "Thank you for taking part. This survey is part of the evaluation of a civil-servant "
    "development program. Answers are confidential: the NIP is only used to link answers and "
    "is pseudonymised in the analysis; reports contain no names or NIPs. Taking part is "
    "voluntary and takes about 10 minutes.",
)


def _consent_rows() -> list[dict[str, str]]:
    return [
        note("privasi", *CONSENT),
        row(
            "select_one ya_tidak",
            "persetujuan",
            ("Apakah Bapak/Ibu bersedia mengisi survei ini?", "Do you agree to take part?"),
            required="yes",
        ),
    ]


AGREED = "${persetujuan} = 'ya'"


def _identity_rows(with_program: bool = True) -> list[dict[str, str]]:
    rows = [
        nip_row("nip", "NIP Bapak/Ibu", "Your NIP (civil-servant ID)"),
        row(
            "select_one opd",
            "instansi",
            ("Instansi / perangkat daerah", "Agency"),
            required="yes",
        ),
        row("select_one sektor", "sektor", ("Sektor tugas", "Sector of work"), required="yes"),
    ]
    if with_program:
        rows += [
            row(
                "select_one program",
                "program",
                ("Program yang diikuti", "Program attended"),
                required="yes",
            ),
            row(
                "integer",
                "angkatan",
                ("Angkatan (kelas) ke-", "Cohort number"),
                constraint=". >= 1 and . <= 20",
                constraint_message=("Isi angka 1–20.", "Enter a number from 1 to 20."),
            ),
        ]
    return rows


# --------------------------------------------------------------------------- forms


def survei_peserta(opd: Sequence[Choice], programs: Sequence[Choice]) -> XLSForm:
    """Participant survey: Kirkpatrick levels 1 (reaction) and 2 (self-assessed learning)."""
    rk, pb = "reaksi", "pembelajaran"
    survey = [
        *_consent_rows(),
        begin("identitas", "Identitas", "Identity", relevant=AGREED),
        *_identity_rows(),
        end("identitas"),
        begin("reaksi", "Penilaian penyelenggaraan", "Reaction", relevant=AGREED),
        note(
            "petunjuk_skala",
            "Pilih tingkat persetujuan Bapak/Ibu atas setiap pernyataan.",
            "Choose how far you agree with each statement.",
        ),
        likert(
            "reaksi_materi",
            rk,
            rk,
            "Materi pelatihan disusun dengan baik dan mudah dipahami.",
            "The material was well organised and easy to follow.",
        ),
        likert(
            "reaksi_pengajar",
            rk,
            rk,
            "Pengajar/widyaiswara menguasai materi dan menyampaikannya dengan jelas.",
            "Trainers knew the subject and explained it clearly.",
        ),
        likert(
            "reaksi_fasilitas",
            rk,
            rk,
            "Tempat, sarana, dan konsumsi pelatihan memadai.",
            "Venue, facilities and catering were adequate.",
        ),
        likert(
            "reaksi_metode",
            rk,
            rk,
            "Metode pembelajaran (diskusi, praktik, studi kasus) membuat saya aktif.",
            "The methods (discussion, practice, case studies) kept me engaged.",
        ),
        likert(
            "manfaat_1",
            "manfaat",
            rk,
            "Pelatihan ini bermanfaat bagi pekerjaan saya.",
            "This training is useful for my work.",
        ),
        likert(
            "manfaat_2",
            "manfaat",
            rk,
            "Saya akan merekomendasikan pelatihan ini kepada rekan kerja.",
            "I would recommend this training to colleagues.",
        ),
        likert(
            "manfaat_3",
            "manfaat",
            rk,
            "Pelatihan ini hanya membuang waktu kerja saya.",
            "This training was a waste of my working time.",
            reverse=True,
        ),
        likert(
            "relevansi_1",
            "relevansi",
            rk,
            "Materi pelatihan sesuai dengan tugas sehari-hari saya.",
            "The material matches my daily tasks.",
        ),
        likert(
            "relevansi_2",
            "relevansi",
            rk,
            "Contoh dan kasus yang dibahas sesuai dengan kondisi di instansi saya.",
            "The examples and cases fit the situation in my agency.",
        ),
        likert(
            "relevansi_3",
            "relevansi",
            rk,
            "Sebagian besar materi tidak ada hubungannya dengan pekerjaan saya.",
            "Most of the material has nothing to do with my job.",
            reverse=True,
        ),
        end("reaksi"),
        begin("pembelajaran", "Hasil belajar", "Learning", relevant=AGREED),
        likert(
            "pengetahuan_1",
            "pengetahuan",
            pb,
            "Pengetahuan saya tentang standar pelayanan bertambah setelah pelatihan.",
            "My knowledge of service standards grew after the training.",
        ),
        likert(
            "pengetahuan_2",
            "pengetahuan",
            pb,
            "Saya memahami prosedur (SOP) yang berlaku di unit kerja saya dengan lebih baik.",
            "I understand the procedures (SOP) of my unit better.",
        ),
        likert(
            "pengetahuan_3",
            "pengetahuan",
            pb,
            "Saya dapat menjelaskan kembali materi pelatihan kepada rekan kerja.",
            "I can explain the training content to colleagues.",
        ),
        likert(
            "keterampilan_1",
            "keterampilan",
            pb,
            "Saya lebih terampil menyelesaikan tugas pelayanan setelah pelatihan.",
            "I am more skilled at my service tasks after the training.",
        ),
        likert(
            "keterampilan_2",
            "keterampilan",
            pb,
            "Saya mampu menggunakan aplikasi/sistem yang dilatihkan tanpa bantuan.",
            "I can use the applications taught without help.",
        ),
        likert(
            "keterampilan_3",
            "keterampilan",
            pb,
            "Saya dapat menangani keluhan pengguna layanan dengan lebih baik.",
            "I handle complaints from service users better.",
        ),
        likert(
            "keterampilan_4",
            "keterampilan",
            pb,
            "Saya masih kesulitan mempraktikkan keterampilan yang diajarkan.",
            "I still struggle to practise the skills taught.",
            reverse=True,
        ),
        likert(
            "sikap_1",
            "sikap",
            pb,
            "Saya lebih termotivasi memberikan pelayanan terbaik kepada masyarakat.",
            "I am more motivated to give the public the best service.",
        ),
        likert(
            "sikap_2",
            "sikap",
            pb,
            "Saya lebih disiplin terhadap waktu dan standar pelayanan.",
            "I am more disciplined about time and service standards.",
        ),
        likert(
            "sikap_3",
            "sikap",
            pb,
            "Saya lebih terbuka menerima kritik dari pengguna layanan.",
            "I am more open to criticism from service users.",
        ),
        end("pembelajaran"),
        begin("kendala", "Hambatan", "Obstacles", relevant=AGREED),
        row(
            "select_multiple hambatan",
            "hambatan",
            (
                "Hambatan apa yang Bapak/Ibu alami dalam mengikuti atau menerapkan pelatihan?",
                "Which obstacles did you face in attending or applying the training?",
            ),
            hint=("Boleh memilih lebih dari satu.", "Choose all that apply."),
        ),
        row(
            "text",
            "hambatan_lainnya",
            ("Hambatan lainnya, sebutkan", "Other obstacle, please specify"),
            relevant="selected(${hambatan}, 'lainnya')",
            required="yes",
        ),
        row(
            "text",
            "hambatan_uraian",
            (
                "Ceritakan hambatan utama yang Bapak/Ibu hadapi.",
                "Describe the main obstacles you faced.",
            ),
            appearance="multiline",
        ),
        end("kendala"),
        begin("penutup", "Saran", "Suggestions", relevant=AGREED),
        row(
            "text",
            "saran",
            (
                "Apa saran Bapak/Ibu untuk perbaikan program ini?",
                "What would you suggest to improve this program?",
            ),
            appearance="multiline",
        ),
        end("penutup"),
    ]
    return XLSForm(
        "survei_peserta",
        "Survei Peserta Program Pengembangan Kompetensi ASN",
        survey,
        {
            "ya_tidak": YA_TIDAK,
            "opd": list(opd),
            "sektor": SEKTOR,
            "program": list(programs),
            "setuju5": SETUJU5,
            "hambatan": HAMBATAN,
        },
    )


def survei_atasan(opd: Sequence[Choice], programs: Sequence[Choice]) -> XLSForm:
    """Supervisor survey: Kirkpatrick level 3 (behaviour) of one participant."""
    lv = "perilaku"
    survey = [
        *_consent_rows(),
        begin("identitas", "Identitas", "Identity", relevant=AGREED),
        nip_row(
            "nip_peserta",
            "NIP pegawai (peserta pelatihan) yang Bapak/Ibu nilai",
            "NIP of the participant you rate",
        ),
        row("select_one opd", "instansi", ("Instansi / perangkat daerah", "Agency")),
        row("select_one sektor", "sektor", ("Sektor tugas", "Sector of work")),
        row("select_one program", "program", ("Program yang diikuti pegawai", "Program")),
        row(
            "integer",
            "lama_membawahi",
            (
                "Sudah berapa bulan Bapak/Ibu menjadi atasan langsung pegawai ini?",
                "For how many months have you supervised this employee?",
            ),
            constraint=". >= 0 and . <= 480",
            constraint_message=("Isi jumlah bulan (0–480).", "Enter months (0–480)."),
        ),
        end("identitas"),
        begin("penilaian", "Penilaian atasan", "Supervisor rating", relevant=AGREED),
        note(
            "petunjuk_skala",
            "Nilailah pegawai tersebut dalam 3 bulan terakhir setelah pelatihan.",
            "Rate the employee over the 3 months since the training.",
        ),
        likert(
            "penerapan_1",
            "penerapan",
            lv,
            "Pegawai menerapkan pengetahuan dari pelatihan dalam pekerjaannya.",
            "The employee applies what was learned in the training.",
        ),
        likert(
            "penerapan_2",
            "penerapan",
            lv,
            "Pegawai menggunakan prosedur/aplikasi yang dilatihkan secara rutin.",
            "The employee routinely uses the procedures/applications taught.",
        ),
        likert(
            "penerapan_3",
            "penerapan",
            lv,
            "Pegawai berbagi materi pelatihan kepada rekan kerja.",
            "The employee shares the training content with colleagues.",
        ),
        likert(
            "penerapan_4",
            "penerapan",
            lv,
            "Pegawai kembali bekerja dengan cara lama setelah pelatihan.",
            "The employee went back to the old way of working.",
            reverse=True,
        ),
        likert(
            "perilaku_1",
            "perubahan_perilaku",
            lv,
            "Pegawai melayani masyarakat dengan lebih cepat.",
            "The employee serves the public faster.",
        ),
        likert(
            "perilaku_2",
            "perubahan_perilaku",
            lv,
            "Pegawai lebih ramah dan sopan kepada pengguna layanan.",
            "The employee is friendlier and more polite to service users.",
        ),
        likert(
            "perilaku_3",
            "perubahan_perilaku",
            lv,
            "Kesalahan dalam pekerjaan pegawai berkurang.",
            "The employee makes fewer mistakes.",
        ),
        likert(
            "perilaku_4",
            "perubahan_perilaku",
            lv,
            "Pegawai lebih berinisiatif menyelesaikan masalah pelayanan.",
            "The employee takes more initiative in solving service problems.",
        ),
        likert(
            "dukungan_1",
            "dukungan",
            lv,
            "Saya memberi kesempatan kepada pegawai untuk menerapkan hasil pelatihan.",
            "I give the employee room to apply the training.",
        ),
        likert(
            "dukungan_2",
            "dukungan",
            lv,
            "Unit kerja menyediakan sarana yang dibutuhkan untuk menerapkan hasil pelatihan.",
            "The unit provides the means needed to apply the training.",
        ),
        likert(
            "dukungan_3",
            "dukungan",
            lv,
            "Beban kerja di unit membuat hasil pelatihan sulit diterapkan.",
            "The unit's workload makes it hard to apply the training.",
            reverse=True,
        ),
        end("penilaian"),
        begin("catatan", "Catatan atasan", "Supervisor comments", relevant=AGREED),
        row(
            "text",
            "perubahan_uraian",
            (
                "Perubahan apa yang Bapak/Ibu lihat pada pegawai ini setelah pelatihan?",
                "What change have you seen in this employee since the training?",
            ),
            appearance="multiline",
        ),
        row(
            "text",
            "saran",
            (
                "Saran untuk penyelenggara pelatihan",
                "Suggestions for the training organisers",
            ),
            appearance="multiline",
        ),
        end("catatan"),
    ]
    return XLSForm(
        "survei_atasan",
        "Survei Atasan Langsung (Evaluasi Pasca Pelatihan)",
        survey,
        {
            "ya_tidak": YA_TIDAK,
            "opd": list(opd),
            "sektor": SEKTOR,
            "program": list(programs),
            "setuju5": SETUJU5,
        },
    )


# (question, English, options as (Indonesian, English), correct option letter)
TEST_ITEMS: list[tuple[str, str, list[tuple[str, str]], str]] = [
    (
        "Dasar hukum utama penyelenggaraan pelayanan publik adalah …",
        "The main legal basis for public service delivery is …",
        [
            ("UU Nomor 25 Tahun 2009", "Law 25/2009"),
            ("UU Nomor 5 Tahun 1974", "Law 5/1974"),
            ("Perda tentang retribusi", "A local levy regulation"),
            ("Surat edaran kepala dinas", "A circular of the agency head"),
        ],
        "a",
    ),
    (
        "Standar pelayanan wajib dipublikasikan agar …",
        "Service standards must be published so that …",
        [
            ("Pimpinan mudah mengawasi pegawai", "Managers can watch staff"),
            (
                "Masyarakat mengetahui syarat, waktu, dan biaya layanan",
                "Citizens know requirements, time and cost",
            ),
            ("Instansi mendapat penghargaan", "The agency wins awards"),
            ("Pegawai tidak perlu menjelaskan", "Staff need not explain"),
        ],
        "b",
    ),
    (
        "SOP (Standar Operasional Prosedur) berguna terutama untuk …",
        "An SOP is mainly useful to …",
        [
            ("Menambah jumlah berkas", "Add paperwork"),
            ("Menggantikan atasan", "Replace the supervisor"),
            (
                "Menjamin langkah kerja seragam dan terukur",
                "Make work steps uniform and measurable",
            ),
            ("Memperpanjang waktu layanan", "Lengthen service time"),
        ],
        "c",
    ),
    (
        "Survei Kepuasan Masyarakat (SKM) diatur dalam …",
        "The Community Satisfaction Survey (SKM) is regulated by …",
        [
            ("PP Nomor 11 Tahun 2017", "Government Regulation 11/2017"),
            ("Permendagri Nomor 1 Tahun 2014", "Home Affairs Regulation 1/2014"),
            ("Perpres Nomor 95 Tahun 2018", "Presidential Regulation 95/2018"),
            ("PermenPANRB Nomor 14 Tahun 2017", "PANRB Regulation 14/2017"),
        ],
        "d",
    ),
    (
        "Pengaduan masyarakat secara nasional dikelola melalui …",
        "Public complaints are managed nationally through …",
        [
            ("SP4N-LAPOR!", "SP4N-LAPOR!"),
            ("SIPD", "SIPD"),
            ("SIASN", "SIASN"),
            ("e-Kinerja", "e-Kinerja"),
        ],
        "a",
    ),
    (
        "Sikap yang tepat ketika pengguna layanan marah karena antrean panjang adalah …",
        "The right response when a service user is angry about a long queue is …",
        [
            ("Meminta satpam mengusirnya", "Ask security to remove them"),
            (
                "Mendengarkan, meminta maaf, dan menjelaskan langkah berikutnya",
                "Listen, apologise and explain the next step",
            ),
            ("Mendahulukan berkasnya tanpa antre", "Serve them before others"),
            ("Mengabaikannya sampai tenang", "Ignore them until calm"),
        ],
        "b",
    ),
    (
        'Nilai dasar ASN "BerAKHLAK" mencakup …',
        'The civil-service core values "BerAKHLAK" include …',
        [
            ("Berani, Kuat, Hebat", "Brave, strong, great"),
            ("Birokratis, Akurat, Hemat", "Bureaucratic, accurate, thrifty"),
            (
                "Berorientasi Pelayanan, Akuntabel, Kompeten, Harmonis, Loyal, Adaptif, "
                "Kolaboratif",
                "Service-oriented, accountable, competent, harmonious, loyal, adaptive, "
                "collaborative",
            ),
            ("Bersih, Aman, Kreatif", "Clean, safe, creative"),
        ],
        "c",
    ),
    (
        "Maklumat pelayanan adalah …",
        "A service declaration (maklumat pelayanan) is …",
        [
            ("Daftar pegawai yang bertugas", "A list of staff on duty"),
            ("Pengumuman libur kantor", "A notice of office holidays"),
            ("Laporan keuangan unit", "The unit's financial report"),
            (
                "Pernyataan janji penyelenggara untuk memberikan layanan sesuai standar",
                "The provider's pledge to serve according to the standard",
            ),
        ],
        "d",
    ),
    (
        "Dalam sistem antrean yang baik, pengguna layanan prioritas adalah …",
        "In a good queueing system, priority users are …",
        [
            (
                "Lansia, penyandang disabilitas, ibu hamil",
                "Older people, people with disabilities, pregnant women",
            ),
            ("Kenalan pegawai", "Acquaintances of the staff"),
            ("Yang datang paling siang", "Those arriving latest"),
            ("Yang membawa berkas paling banyak", "Those with the most documents"),
        ],
        "a",
    ),
    (
        "Arsip dinamis yang digunakan secara langsung dalam kegiatan sehari-hari disebut arsip …",
        "Records used directly in daily work are called … records",
        [
            ("Statis", "archival"),
            ("Aktif", "active"),
            ("Inaktif", "inactive"),
            ("Vital", "vital"),
        ],
        "b",
    ),
    (
        "Aplikasi umum bidang kearsipan dinamis yang dipakai instansi pemerintah adalah …",
        "The government-wide application for records management is …",
        [
            ("SIMPEG", "SIMPEG"),
            ("SIKS-NG", "SIKS-NG"),
            ("SRIKANDI", "SRIKANDI"),
            ("OSS", "OSS"),
        ],
        "c",
    ),
    (
        "Indeks Kepuasan Masyarakat (IKM) dengan nilai konversi 82 termasuk mutu …",
        "A community satisfaction index (IKM) of 82 is rated …",
        [
            ("A (sangat baik)", "A (very good)"),
            ("C (kurang baik)", "C (poor)"),
            ("D (tidak baik)", "D (bad)"),
            ("B (baik)", "B (good)"),
        ],
        "d",
    ),
]


def tes_pengetahuan(
    opd: Sequence[Choice],
    programs: Sequence[Choice],
    form_id: str = "tes_pengetahuan",
    title: str = "Tes Pengetahuan Pelayanan Publik",
) -> XLSForm:
    """Knowledge test template; the same items serve as pre-test and post-test."""
    survey = [
        note(
            "petunjuk",
            "Tes ini mengukur pengetahuan sebelum dan sesudah pelatihan. Hasilnya tidak "
            "memengaruhi penilaian kinerja. Pilih satu jawaban yang paling tepat.",
            "This test measures knowledge before and after the training. It does not affect "
            "performance appraisal. Choose the one best answer.",
        ),
        begin("identitas", "Identitas", "Identity"),
        *_identity_rows(),
        end("identitas"),
        begin("soal", "Soal", "Questions"),
    ]
    choices: dict[str, list[Choice]] = {
        "opd": list(opd),
        "sektor": SEKTOR,
        "program": list(programs),
    }
    for number, (question, english, options, correct) in enumerate(TEST_ITEMS, start=1):
        name = f"soal_{number:02d}"
        survey.append(
            row(
                f"select_one {name}",
                name,
                (f"{number}. {question}", f"{number}. {english}"),
                required="yes",
                construct="pengetahuan",
                level="pembelajaran",
                correct=correct,
            )
        )
        choices[name] = [
            (letter, f"{letter}. {id_}", f"{letter}. {en}")
            for letter, (id_, en) in zip("abcd", options, strict=True)
        ]
    survey.append(end("soal"))
    return XLSForm(form_id, title, survey, choices)


OBSERVED: list[tuple[str, str, str]] = [
    (
        "obs_salam",
        "Petugas menyapa/memberi salam kepada pengguna layanan",
        "Greets the service user",
    ),
    (
        "obs_persyaratan",
        "Petugas menjelaskan persyaratan dengan jelas",
        "Explains the requirements clearly",
    ),
    ("obs_sop", "Petugas mengikuti alur sesuai SOP", "Follows the SOP"),
    (
        "obs_aplikasi",
        "Petugas menggunakan aplikasi layanan (tidak manual)",
        "Uses the service application (not manual)",
    ),
    ("obs_antrian", "Petugas mengikuti urutan antrean", "Follows the queue order"),
    (
        "obs_informasi",
        "Petugas memberi informasi waktu penyelesaian",
        "Tells the user when the service will be done",
    ),
    ("obs_ramah", "Petugas bersikap sopan dan ramah", "Is polite and friendly"),
    (
        "obs_tuntas",
        "Layanan selesai tanpa pengguna harus kembali",
        "Service completed without the user having to come back",
    ),
]


def observasi(units: Sequence[Choice]) -> XLSForm:
    """Field observation checklist of service behaviour (levels 3 and 4)."""
    survey = [
        note(
            "petunjuk",
            "Amati satu transaksi layanan dari awal sampai selesai. Jangan mencatat nama "
            "petugas atau pengguna layanan.",
            "Observe one service transaction from start to end. Do not record names of staff "
            "or service users.",
        ),
        begin("konteks", "Konteks pengamatan", "Context"),
        row("date", "tanggal", ("Tanggal pengamatan", "Date of observation"), required="yes"),
        row("select_one unit", "unit", ("Unit layanan", "Service unit"), required="yes"),
        row("select_one sektor", "sektor", ("Sektor", "Sector"), required="yes"),
        row(
            "select_one ya_tidak",
            "sudah_pelatihan",
            (
                "Apakah petugas yang diamati sudah mengikuti pelatihan?",
                "Has the observed officer attended the training?",
            ),
            required="yes",
        ),
        end("konteks"),
        begin("perilaku", "Perilaku pelayanan", "Service behaviour"),
    ]
    for name, id_, en in OBSERVED:
        survey.append(
            row(
                "select_one ya_tidak",
                name,
                (id_, en),
                required="yes",
                construct="perilaku_layanan",
                level="perilaku",
            )
        )
    survey += [
        end("perilaku"),
        begin("hasil", "Hasil layanan", "Service result"),
        row(
            "decimal",
            "waktu_layanan",
            (
                "Waktu layanan (menit, dari dipanggil sampai selesai)",
                "Service time (minutes, from call to completion)",
            ),
            constraint_message=("Waktu harus lebih dari 0.", "Time must be above 0."),
            required="yes",
            constraint=". > 0",
            construct="waktu_layanan",
            level="hasil",
        ),
        row(
            "text",
            "catatan",
            ("Catatan pengamat", "Observer note"),
            appearance="multiline",
        ),
        end("hasil"),
    ]
    return XLSForm(
        "observasi",
        "Lembar Observasi Perilaku Pelayanan",
        survey,
        {"unit": list(units), "sektor": SEKTOR, "ya_tidak": YA_TIDAK},
    )


# The nine unsur of PermenPANRB 14/2017, in the regulation's order, with its wording.
SKM_UNSUR: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan "
        "jenis pelayanannya?",
        "How well do the service requirements fit the type of service?",
        [
            ("Tidak sesuai", "Not suitable"),
            ("Kurang sesuai", "Less suitable"),
            ("Sesuai", "Suitable"),
            ("Sangat sesuai", "Very suitable"),
        ],
    ),
    (
        "Sistem, mekanisme dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy is the service procedure in this unit?",
        [
            ("Tidak mudah", "Not easy"),
            ("Kurang mudah", "Less easy"),
            ("Mudah", "Easy"),
            ("Sangat mudah", "Very easy"),
        ],
    ),
    (
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast is the service delivered?",
        [
            ("Tidak cepat", "Not fast"),
            ("Kurang cepat", "Less fast"),
            ("Cepat", "Fast"),
            ("Sangat cepat", "Very fast"),
        ],
    ),
    (
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "How reasonable are the fees of the service?",
        [
            ("Sangat mahal", "Very expensive"),
            ("Cukup mahal", "Fairly expensive"),
            ("Murah", "Cheap"),
            ("Gratis", "Free"),
        ],
    ),
    (
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
        "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        "How well does the service product match what the service standard promises?",
        [
            ("Tidak sesuai", "Not suitable"),
            ("Kurang sesuai", "Less suitable"),
            ("Sesuai", "Suitable"),
            ("Sangat sesuai", "Very suitable"),
        ],
    ),
    (
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent are the officers in delivering the service?",
        [
            ("Tidak kompeten", "Not competent"),
            ("Kurang kompeten", "Less competent"),
            ("Kompeten", "Competent"),
            ("Sangat kompeten", "Very competent"),
        ],
    ),
    (
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        "How polite and friendly are the officers?",
        [
            ("Tidak sopan dan ramah", "Not polite and friendly"),
            ("Kurang sopan dan ramah", "Less polite and friendly"),
            ("Sopan dan ramah", "Polite and friendly"),
            ("Sangat sopan dan ramah", "Very polite and friendly"),
        ],
    ),
    (
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "How are complaints from service users handled?",
        [
            ("Tidak ada", "None"),
            ("Ada tetapi tidak berfungsi", "Exists but does not work"),
            ("Berfungsi kurang maksimal", "Works, but not fully"),
            ("Dikelola dengan baik", "Well managed"),
        ],
    ),
    (
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "How good are the facilities and infrastructure?",
        [("Buruk", "Poor"), ("Cukup", "Fair"), ("Baik", "Good"), ("Sangat baik", "Very good")],
    ),
]


def skm(units: Sequence[Choice]) -> XLSForm:
    """Community satisfaction survey (SKM) per PermenPANRB 14/2017."""
    survey = [
        note(
            "pengantar",
            "Survei ini untuk meningkatkan mutu pelayanan. Kami tidak menanyakan nama atau "
            "nomor telepon; jawaban Saudara dirahasiakan.",
            "This survey helps improve the service. We do not ask for your name or phone "
            "number; your answers are confidential.",
        ),
        begin("profil", "Profil responden", "Respondent profile"),
        row("date", "tanggal", ("Tanggal survei", "Date"), required="yes"),
        row("select_one unit", "unit", ("Unit layanan", "Service unit"), required="yes"),
        row("select_one jenis_kelamin", "jenis_kelamin", ("Jenis kelamin", "Sex")),
        row("select_one usia", "usia", ("Kelompok usia", "Age group")),
        row("select_one pendidikan", "pendidikan", ("Pendidikan terakhir", "Education")),
        row("select_one pekerjaan", "pekerjaan", ("Pekerjaan utama", "Occupation")),
        end("profil"),
        begin("unsur", "Pendapat tentang pelayanan", "Opinion on the service"),
    ]
    choices: dict[str, list[Choice]] = {
        "unit": list(units),
        "jenis_kelamin": [("l", "Laki-laki", "Male"), ("p", "Perempuan", "Female")],
        "usia": [
            ("17_25", "17–25 tahun", "17–25 years"),
            ("26_35", "26–35 tahun", "26–35 years"),
            ("36_45", "36–45 tahun", "36–45 years"),
            ("46_55", "46–55 tahun", "46–55 years"),
            ("56_plus", "56 tahun ke atas", "56 years and over"),
        ],
        "pendidikan": [
            ("sd", "SD ke bawah", "Primary or less"),
            ("smp", "SMP", "Lower secondary"),
            ("sma", "SMA/SMK", "Upper secondary"),
            ("diploma", "D1–D4", "Diploma"),
            ("s1", "S1", "Bachelor"),
            ("s2_plus", "S2 ke atas", "Master or higher"),
        ],
        "pekerjaan": [
            ("pns", "PNS/PPPK", "Civil servant"),
            ("tni_polri", "TNI/Polri", "Military/police"),
            ("swasta", "Pegawai swasta", "Private employee"),
            ("wirausaha", "Wirausaha/pedagang", "Self-employed/trader"),
            ("petani_nelayan", "Petani/nelayan", "Farmer/fisher"),
            ("pelajar", "Pelajar/mahasiswa", "Student"),
            ("irt", "Ibu rumah tangga", "Homemaker"),
            ("lainnya", "Lainnya", "Other"),
        ],
    }
    for number, (unsur, question, english, options) in enumerate(SKM_UNSUR, start=1):
        name = f"u{number}"
        survey.append(
            row(
                f"select_one skm_{name}",
                name,
                (f"U{number}. {question}", f"U{number}. {english}"),
                hint=(f"Unsur: {unsur}", f"Element: {unsur}"),
                required="yes",
                construct="skm",
                level="hasil",
            )
        )
        choices[f"skm_{name}"] = [
            (str(value), id_, en) for value, (id_, en) in enumerate(options, start=1)
        ]
    survey += [
        end("unsur"),
        row(
            "text",
            "saran",
            (
                "Saran atau masukan untuk perbaikan pelayanan",
                "Suggestions to improve the service",
            ),
            appearance="multiline",
        ),
    ]
    return XLSForm("skm", "Survei Kepuasan Masyarakat (SKM)", survey, choices)


def build_forms(
    opd: Sequence[Choice] = DEFAULT_OPD,
    programs: Sequence[Choice] = DEFAULT_PROGRAMS,
    units: Sequence[Choice] = DEFAULT_UNITS,
) -> dict[str, XLSForm]:
    """All standard forms, keyed by form id, with the given agency/program/unit lists."""
    forms = [
        survei_peserta(opd, programs),
        survei_atasan(opd, programs),
        tes_pengetahuan(opd, programs),
        observasi(units),
        skm(units),
    ]
    return {form.form_id: form for form in forms}


# --------------------------------------------------------------------------- writing


def _write_sheet(
    wb: Workbook, title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]
) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(columns))
    for values in rows:
        ws.append([value if value != "" else None for value in values])
    ws.freeze_panes = "A2"


def write_xlsform(form: XLSForm, path: Path) -> Path:
    """Write ``form`` as an XLSForm workbook at ``path``."""
    wb = Workbook()
    wb.remove(wb.active)
    _write_sheet(
        wb,
        "survey",
        SURVEY_COLUMNS,
        ([r.get(column, "") for column in SURVEY_COLUMNS] for r in form.survey),
    )
    choice_rows = []
    for list_name, options in form.choices.items():
        for option in options:
            name, id_, en, *rest = option
            choice_rows.append([list_name, name, id_, en, rest[0] if rest else ""])
    _write_sheet(wb, "choices", CHOICE_COLUMNS, choice_rows)
    _write_sheet(
        wb,
        "settings",
        SETTINGS_COLUMNS,
        [[form.form_id, form.title, VERSION, ID]],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible(buffer.getvalue()))
    return path


def _reproducible(xlsx: bytes) -> bytes:
    """Pin the timestamps openpyxl and zipfile stamp on a workbook, so rebuilds diff cleanly."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", FIXED_STAMP, data)
            entry = zipfile.ZipInfo(info.filename, FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def main(argv: Sequence[str]) -> int:
    default = Path(__file__).resolve().parents[1] / "src/tilik/core/instruments/standard"
    out = Path(argv[0]) if argv else default
    for form_id, form in build_forms().items():
        print(write_xlsform(form, out / f"{form_id}.xlsx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
