"""Generate the demo evaluation bundle "Evaluasi Program Pembinaan ASN Kota Kupang 2025".

Usage::

    python examples/kupang-2025/generate.py [OUTPUT_DIR]

Writes ``evaluasi.yaml``, ``peserta.csv``, ``instrumen/*.xlsx`` and ``data/*.csv`` into
OUTPUT_DIR (default: this folder). A fixed seed makes every run write the same bytes.
The interview transcripts in ``wawancara/`` and the README are hand-written, not generated.

Everything is fictitious: names, NIPs, answers. The data are built to carry what a real
evaluation finds (see README.md), through latent factors:

- each participant has a general engagement factor; every Likert construct is that factor
  plus its own factor, and every item is its construct plus noise, so items correlate and
  Cronbach's alpha is mostly >= 0.70 (``reaksi`` mixes unlike aspects and is lower);
- relevance drops for finance and agriculture staff in the generic programs;
- knowledge test answers follow a 2-parameter logistic model with a gain after training;
- trained officers are faster and follow more of the checklist in the observations;
- SKM answers share a citizen factor; *waktu penyelesaian* and *penanganan pengaduan*
  are the weak unsur.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import fragmen  # noqa: E402

# What differs from one year to the next is held in module constants (the seed, the year, the
# previous cycle, the programs, the latent means, the obstacle shares, the SKM means and the
# questions a year's forms did not have yet): ../kupang-2024/generate.py sets them for 2024.
SEED = 20250314
YEAR = 2025
PREVIOUS = "../kupang-2024"  # the previous cycle's bundle (evaluasi.yaml `previous`)
TEST_NAME = "pengetahuan_pelayanan_publik"
OMIT_QUESTIONS: dict[str, tuple[str, ...]] = {}  # form_id -> questions that year's form lacks


def _load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_instruments", ROOT / "tools" / "build_instruments.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bi = _load_builder()

# --------------------------------------------------------------------------- the setting


@dataclass(frozen=True)
class Opd:
    code: str
    name: str
    english: str
    sector: str
    staff: int  # participants enrolled from this agency


OPDS = [
    Opd("sekretariat_daerah", "Sekretariat Daerah Kota Kupang", "Regional Secretariat", "umum", 26),
    Opd("bkpsdm", "BKPSDM Kota Kupang", "Civil Service and HR Agency", "umum", 12),
    Opd("dinas_kesehatan", "Dinas Kesehatan Kota Kupang", "Health Office", "kesehatan", 30),
    Opd("rsud_sk_lerik", "RSUD S. K. Lerik", "S. K. Lerik Hospital", "kesehatan", 45),
    Opd("puskesmas_oepoi", "Puskesmas Oepoi", "Oepoi Health Centre", "kesehatan", 18),
    Opd("puskesmas_sikumana", "Puskesmas Sikumana", "Sikumana Health Centre", "kesehatan", 17),
    Opd("puskesmas_bakunase", "Puskesmas Bakunase", "Bakunase Health Centre", "kesehatan", 15),
    Opd(
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Civil Registration Office",
        "kependudukan",
        40,
    ),
    Opd("dpmptsp", "DPMPTSP Kota Kupang", "Investment and One-Stop Service", "perizinan", 30),
    Opd(
        "dinas_pendidikan",
        "Dinas Pendidikan dan Kebudayaan",
        "Education Office",
        "pendidikan",
        30,
    ),
    Opd("bpkad", "BPKAD Kota Kupang", "Finance and Asset Agency", "keuangan", 28),
    Opd(
        "dinas_pertanian",
        "Dinas Pertanian dan Ketahanan Pangan",
        "Agriculture and Food Security Office",
        "pertanian",
        25,
    ),
    Opd("dinas_sosial", "Dinas Sosial", "Social Affairs Office", "sosial", 20),
    Opd(
        "kecamatan_oebobo",
        "Kecamatan Oebobo (dan kelurahan)",
        "Oebobo Sub-district",
        "kewilayahan",
        32,
    ),
    Opd(
        "kecamatan_kelapa_lima",
        "Kecamatan Kelapa Lima (dan kelurahan)",
        "Kelapa Lima Sub-district",
        "kewilayahan",
        32,
    ),
]
OPD_BY_CODE = {o.code: o for o in OPDS}


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    english: str
    kind: str
    jp: int
    budget: int
    cohorts: tuple[tuple[date, date], ...]


PROGRAMS = [
    Programme(
        "manajemen_faskes",
        "Pelatihan Manajemen Rumah Sakit dan Puskesmas",
        "Hospital and health-centre management training",
        "pelatihan teknis",
        40,
        210_000_000,
        (
            (date(2025, 5, 19), date(2025, 5, 23)),
            (date(2025, 7, 14), date(2025, 7, 18)),
            (date(2025, 9, 8), date(2025, 9, 12)),
        ),
    ),
    Programme(
        "pelayanan_prima",
        "Pelatihan Pelayanan Prima",
        "Service excellence training",
        "pelatihan teknis",
        30,
        165_000_000,
        (
            (date(2025, 3, 10), date(2025, 3, 14)),
            (date(2025, 4, 21), date(2025, 4, 25)),
            (date(2025, 6, 16), date(2025, 6, 20)),
            (date(2025, 8, 4), date(2025, 8, 8)),
        ),
    ),
    Programme(
        "kearsipan_srikandi",
        "Pelatihan Kearsipan Digital (SRIKANDI)",
        "Digital records management (SRIKANDI) training",
        "bimbingan teknis",
        24,
        95_000_000,
        (
            (date(2025, 2, 17), date(2025, 2, 19)),
            (date(2025, 3, 24), date(2025, 3, 26)),
            (date(2025, 7, 28), date(2025, 7, 30)),
            (date(2025, 10, 6), date(2025, 10, 8)),
        ),
    ),
]
PROGRAM_BY_CODE = {p.code: p for p in PROGRAMS}

# Which program staff of a sector were sent to.
PROGRAM_MIX = {
    "kesehatan": (0.72, 0.18, 0.10),
    "kependudukan": (0.0, 0.78, 0.22),
    "perizinan": (0.0, 0.78, 0.22),
    "kewilayahan": (0.0, 0.72, 0.28),
    "sosial": (0.0, 0.70, 0.30),
    "keuangan": (0.0, 0.50, 0.50),
    "pertanian": (0.0, 0.50, 0.50),
    "pendidikan": (0.0, 0.35, 0.65),
    "umum": (0.0, 0.30, 0.70),
}

UNITS = [
    ("disdukcapil", "Dinas Dukcapil Kota Kupang", "Civil registration office", "kependudukan"),
    ("mpp", "Mal Pelayanan Publik (DPMPTSP)", "Public service mall", "perizinan"),
    ("rsud_sk_lerik", "RSUD S. K. Lerik (rawat jalan)", "Hospital outpatient", "kesehatan"),
    ("puskesmas_oepoi", "Puskesmas Oepoi", "Oepoi Health Centre", "kesehatan"),
    ("puskesmas_sikumana", "Puskesmas Sikumana", "Sikumana Health Centre", "kesehatan"),
    ("kantor_camat_oebobo", "Kantor Camat Oebobo", "Oebobo sub-district office", "kewilayahan"),
]

JABATAN = {
    "kesehatan": [
        "Perawat Ahli Pertama",
        "Perawat Terampil",
        "Bidan Terampil",
        "Bidan Ahli Pertama",
        "Administrator Kesehatan Ahli Muda",
        "Perekam Medis Terampil",
        "Kepala Tata Usaha Puskesmas",
        "Pranata Komputer Terampil",
    ],
    "kependudukan": ["Pengadministrasi Kependudukan", "Operator SIAK", "Kepala Seksi Pelayanan"],
    "perizinan": ["Analis Perizinan", "Pengelola Layanan Perizinan", "Petugas Front Office"],
    "kewilayahan": ["Pengadministrasi Umum Kelurahan", "Sekretaris Kelurahan", "Kasi Pelayanan"],
    "sosial": ["Pekerja Sosial Ahli Pertama", "Penyuluh Sosial", "Pengelola Data Kesejahteraan"],
    "keuangan": ["Analis Keuangan", "Bendahara Pengeluaran", "Pengelola Aset", "Verifikator"],
    "pertanian": ["Penyuluh Pertanian Ahli Pertama", "Analis Ketahanan Pangan", "Pengadministrasi"],
    "pendidikan": ["Pengelola Data Pendidikan", "Analis Kepegawaian", "Pengadministrasi Umum"],
    "umum": ["Arsiparis Terampil", "Analis Kebijakan Ahli Pertama", "Pengadministrasi Umum"],
}

APLIKASI = {
    "kesehatan": "SIMRS",
    "kependudukan": "SIAK",
    "perizinan": "OSS",
    "kewilayahan": "SIAK",
    "sosial": "SIKS-NG",
    "keuangan": "SIPD",
    "pertanian": "SRIKANDI",
    "pendidikan": "Dapodik",
    "umum": "SRIKANDI",
}
WARGA = {
    "kesehatan": "pasien",
    "kependudukan": "pemohon",
    "perizinan": "pemohon",
    "kewilayahan": "warga",
    "sosial": "warga",
}

MALE = [
    "Yohanes",
    "Fransiskus",
    "Yeremias",
    "Marthen",
    "Dominggus",
    "Melkianus",
    "Daniel",
    "Ferdinandus",
    "Agustinus",
    "Yosua",
    "Stefanus",
    "Petrus",
    "Markus",
    "Aleksander",
    "Kornelis",
    "Imanuel",
    "Gabriel",
    "Rudolf",
    "Hendrik",
    "Ruben",
    "Samuel",
    "Yakobus",
    "Albertus",
    "Benediktus",
    "Paulus",
    "Simon",
    "Obed",
    "Abraham",
    "Nikolaus",
    "Aris",
]
FEMALE = [
    "Maria",
    "Agustina",
    "Yosefina",
    "Elisabeth",
    "Selfina",
    "Margaretha",
    "Yuliana",
    "Magdalena",
    "Fransiska",
    "Theresia",
    "Adriana",
    "Febriana",
    "Oktaviana",
    "Natalia",
    "Anastasia",
    "Veronika",
    "Martha",
    "Priska",
    "Delfina",
    "Yanti",
    "Novita",
    "Christin",
    "Ester",
    "Ruth",
    "Debora",
    "Lusia",
    "Grace",
    "Sisilia",
    "Regina",
    "Melania",
]
FAMILY = [
    "Ndun",
    "Tefa",
    "Bani",
    "Lalo",
    "Manafe",
    "Fanggidae",
    "Ratu",
    "Lado",
    "Nope",
    "Bire",
    "Kana",
    "Riwu",
    "Pello",
    "Lake",
    "Messakh",
    "Taek",
    "Sinlae",
    "Tallo",
    "Amalo",
    "Benu",
    "Dethan",
    "Ndoen",
    "Nenobais",
    "Kolo",
    "Seran",
    "Nahak",
    "Bria",
    "Mau",
    "Nalle",
    "Pah",
    "Haning",
    "Dima",
    "Ully",
    "Tanone",
    "Nitbani",
    "Sabu",
    "Kase",
    "Wadu",
    "Lomi",
    "Funay",
]

# Likert construct targets on the 1–5 scale: (mean, loadings of its items, noise sd).
LIKERT = {
    "reaksi": (4.1, (0.8, 0.75, 0.4, 0.75), 0.85),
    "manfaat": (4.6, (0.85, 0.85, 0.8), 0.7),
    "relevansi": (4.45, (0.9, 0.85, 0.8), 0.7),
    "pengetahuan": (4.3, (0.85, 0.8, 0.85), 0.7),
    "keterampilan": (4.1, (0.85, 0.8, 0.8, 0.75), 0.75),
    "sikap": (4.3, (0.85, 0.8, 0.8), 0.65),
    "penerapan": (3.95, (0.9, 0.85, 0.8, 0.8), 0.62),
    "perubahan_perilaku": (4.0, (0.85, 0.8, 0.85, 0.8), 0.7),
    "dukungan": (3.3, (0.9, 0.85, 0.85), 0.62),
}

# --------------------------------------------------------------------------- helpers


def _kobo_time(
    rng: np.random.Generator, day: date, first_hour: int = 8, last_hour: int = 16
) -> datetime:
    """A submission time on `day` in office hours (WITA), returned in UTC as Kobo stores it."""
    local = datetime(day.year, day.month, day.day, first_hour) + timedelta(
        seconds=int(rng.integers(0, (last_hour - first_hour) * 3600))
    )
    return local - timedelta(hours=8)


def _weekday_after(day: date, days: int) -> date:
    out = day + timedelta(days=days)
    while out.weekday() >= 5:
        out += timedelta(days=1)
    return out


def _likert(
    rng: np.random.Generator, construct: str, factor: float, shift: float = 0.0
) -> list[int]:
    mean, loadings, noise = LIKERT[construct]
    raw = mean + shift + np.asarray(loadings) * factor + rng.normal(0, noise, len(loadings))
    return [int(v) for v in np.clip(np.rint(raw), 1, 5)]


def _register(rng: np.random.Generator) -> str:
    return str(rng.choice(["formal", "santai", "kupang"], p=[0.55, 0.30, 0.15]))


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _abbreviate(rng: np.random.Generator, text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        short = fragmen.SINGKATAN.get(word.lower())
        return short if short and rng.random() < 0.7 else word

    return re.sub(r"[A-Za-z]+", swap, text)


def _finish(
    rng: np.random.Generator,
    register: str,
    parts: list[str],
    slots: dict[str, str],
    opener: bool = True,
) -> str:
    """Join fragments into one answer in the register's style."""
    parts = [p.format(**slots) for p in parts]
    text = _pick(rng, fragmen.PEMBUKA[register]) if opener else ""
    for i, part in enumerate(parts):
        if i:
            connector = _pick(rng, fragmen.SAMBUNG[register])
            text += ", " + connector if register == "santai" else " " + connector
        if register == "santai":
            part = part.rstrip(".")
            text += part if not text or text.endswith(" ") else " " + part
        else:
            lead = text == "" or text.endswith(". ")
            if lead:
                text += part[0].upper() + part[1:]
            else:
                text += part[0].lower() + part[1:] if part[1:2].islower() else part
            if not text.endswith((".", "?", "!")):
                text += "."
    text = re.sub(r"\s+", " ", text).strip()
    if text and text[0].islower() and register != "santai":
        text = text[0].upper() + text[1:]
    if register == "santai":
        text = _abbreviate(rng, text)
        if rng.random() < 0.5:
            text = text.lower()
    return text


TUGAS_RUTIN = {
    "kesehatan": "kegiatan posyandu dan jadwal jaga",
    "kependudukan": "jadwal perekaman KTP-el keliling",
    "perizinan": "verifikasi berkas izin yang menumpuk",
    "kewilayahan": "pelayanan surat keterangan di kelurahan",
    "sosial": "penyaluran bantuan sosial",
    "keuangan": "penyusunan laporan keuangan akhir bulan",
    "pertanian": "kunjungan ke kelompok tani",
    "pendidikan": "pendataan Dapodik di sekolah",
    "umum": "rapat dan penyusunan laporan kantor",
}


def _slots(rng: np.random.Generator, sector: str) -> dict[str, str]:
    return {
        "tugas_rutin": TUGAS_RUTIN.get(sector, "tugas rutin kantor"),
        "warga": WARGA.get(sector, "masyarakat"),
        "aplikasi": APLIKASI.get(sector, "SRIKANDI"),
        "n": str(int(rng.integers(2, 5))),
    }


def _compose(
    rng: np.random.Generator,
    bank: dict[str, dict[str, list[str]]],
    keys: Sequence[str],
    sector: str,
    register: str | None = None,
    opener: bool = True,
) -> str:
    register = register or _register(rng)
    parts = []
    for key in keys:
        options = [p for p in bank[key][register] if p not in parts]
        if options:
            parts.append(_pick(rng, options))
    return _finish(rng, register, parts, _slots(rng, sector), opener)


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _nip(rng: np.random.Generator, female: bool, used: set[str]) -> str:
    """A structurally valid, fictitious 18-digit NIP."""
    while True:
        born = date(int(rng.integers(1968, 2000)), 1, 1) + timedelta(days=int(rng.integers(0, 365)))
        tmt_year = min(born.year + int(rng.integers(22, 33)), 2024)
        tmt_month = int(rng.choice([1, 2, 3, 4, 12]))
        serial = int(rng.integers(1, 400))
        nip = f"{born:%Y%m%d}{tmt_year}{tmt_month:02d}{2 if female else 1}{serial:03d}"
        if nip not in used:
            used.add(nip)
            return nip


# --------------------------------------------------------------------------- participants


@dataclass
class Participant:
    nip: str
    nama: str
    jenis_kelamin: str
    instansi: str
    sektor: str
    jabatan: str
    program: str
    angkatan: int
    kehadiran: float
    jp: int
    engagement: float  # latent general factor

    @property
    def cohort(self) -> tuple[date, date]:
        return PROGRAM_BY_CODE[self.program].cohorts[self.angkatan - 1]


def make_participants(rng: np.random.Generator) -> list[Participant]:
    used: set[str] = set()
    people = []
    for opd in OPDS:
        mix = PROGRAM_MIX[opd.sector]
        for _ in range(opd.staff):
            female = bool(rng.random() < (0.68 if opd.sector == "kesehatan" else 0.5))
            first = _pick(rng, FEMALE if female else MALE)
            second = _pick(rng, FEMALE if female else MALE) if rng.random() < 0.35 else ""
            nama = " ".join(filter(None, [first, second, _pick(rng, FAMILY)]))
            program = PROGRAMS[int(rng.choice(3, p=mix))]
            angkatan = int(rng.integers(1, len(program.cohorts) + 1))
            busy = 0.08 if opd.sector in ("kesehatan", "kependudukan") else 0.0
            kehadiran = float(np.clip(1 - rng.beta(1.2, 14) - busy * rng.random(), 0.5, 1.0))
            kehadiran = round(kehadiran, 2)
            people.append(
                Participant(
                    nip=_nip(rng, female, used),
                    nama=nama,
                    jenis_kelamin="P" if female else "L",
                    instansi=opd.code,
                    sektor=opd.sector,
                    jabatan=_pick(rng, JABATAN[opd.sector]),
                    program=program.code,
                    angkatan=angkatan,
                    kehadiran=kehadiran,
                    jp=int(round(program.jp * kehadiran)),
                    engagement=float(rng.normal()),
                )
            )
    return people


# --------------------------------------------------------------------------- responses

Answers = dict[str, object]


def _relevance_shift(person: Participant) -> float:
    if person.sektor in ("pertanian", "keuangan"):
        return -1.35 if person.program == "pelayanan_prima" else -0.75
    if person.sektor in ("pendidikan", "umum") and person.program == "pelayanan_prima":
        return -0.5
    return 0.0


HAMBATAN_P = {
    "beban_kerja": 0.52,
    "jadwal_bentrok": 0.44,
    "anggaran": 0.26,
    "akses_internet": 0.18,
    "materi_kurang": 0.16,
    "fasilitator": 0.06,
    "metode": 0.14,
    "dukungan_atasan": 0.17,
    "lainnya": 0.03,
}


def survei_peserta(
    rng: np.random.Generator, people: list[Participant]
) -> list[tuple[datetime, Answers]]:
    weights = np.array([p.kehadiran**3 for p in people])
    chosen = rng.choice(len(people), size=298, replace=False, p=weights / weights.sum())
    rows = []
    for index in sorted(chosen):
        person = people[index]
        g = person.engagement
        answers: Answers = {
            "persetujuan": "ya",
            "nip": person.nip,
            "instansi": person.instansi,
            "sektor": person.sektor,
            "program": person.program,
            "angkatan": person.angkatan,
        }
        for construct, prefix, names in (
            ("reaksi", "reaksi_", ["materi", "pengajar", "fasilitas", "metode"]),
            ("manfaat", "manfaat_", ["1", "2", "3"]),
            ("relevansi", "relevansi_", ["1", "2", "3"]),
            ("pengetahuan", "pengetahuan_", ["1", "2", "3"]),
            ("keterampilan", "keterampilan_", ["1", "2", "3", "4"]),
            ("sikap", "sikap_", ["1", "2", "3"]),
        ):
            factor = 0.55 * g + 0.85 * rng.normal()
            shift = _relevance_shift(person) if construct in ("relevansi", "manfaat") else 0.0
            if construct == "manfaat":
                shift *= 0.35
            values = _likert(rng, construct, factor, shift)
            for name, value in zip(names, values, strict=True):
                answers[prefix + name] = value
        for reverse in ("manfaat_3", "relevansi_3", "keterampilan_4"):
            answers[reverse] = 6 - int(answers[reverse])

        p = dict(HAMBATAN_P)
        if person.sektor in ("kesehatan", "kependudukan", "perizinan"):
            p["beban_kerja"] += 0.15
            p["jadwal_bentrok"] += 0.1
        if person.sektor == "kewilayahan":
            p["akses_internet"] += 0.15
        if person.program == "kearsipan_srikandi":
            p["akses_internet"] += 0.1
        chosen_obstacles = [code for code, share in p.items() if rng.random() < share]
        if "anggaran" in chosen_obstacles and rng.random() < 0.45:
            chosen_obstacles.append("materi_kurang")
        order = list(HAMBATAN_P)
        chosen_obstacles = sorted(set(chosen_obstacles), key=order.index)
        if not chosen_obstacles and rng.random() < 0.4:
            answers["hambatan"] = None
        else:
            answers["hambatan"] = chosen_obstacles
        register = _register(rng)
        if "lainnya" in chosen_obstacles:
            answers["hambatan_lainnya"] = _pick(rng, fragmen.LAINNYA[register])
        themes = [c for c in chosen_obstacles if c != "lainnya"]
        if themes and rng.random() < 0.82:
            rng.shuffle(themes)
            answers["hambatan_uraian"] = _compose(
                rng, fragmen.HAMBATAN, themes[: int(rng.integers(1, 3))], person.sektor, register
            )
        if rng.random() < 0.75:
            keys = ["lanjutan"]
            if "jadwal_bentrok" in themes or "beban_kerja" in themes:
                keys.append("jadwal")
            if "anggaran" in themes:
                keys.append("anggaran")
            if "akses_internet" in themes:
                keys.append("daring")
            if "metode" in themes or "materi_kurang" in themes:
                keys.append("praktik")
            if "dukungan_atasan" in themes:
                keys.append("pendampingan")
            if _relevance_shift(person) < -0.3:
                keys.append("relevansi")
            rng.shuffle(keys)
            answers["saran"] = _compose(
                rng, fragmen.SARAN, keys[: int(rng.integers(1, 3))], person.sektor, register
            )
        end = person.cohort[1]
        submitted = _kobo_time(rng, _weekday_after(end, int(rng.integers(0, 15))))
        rows.append((submitted, answers))
    # Two people opened the link and declined: a real export keeps those rows.
    for day in (date(YEAR, 3, 18), date(YEAR, 7, 22)):
        rows.append((_kobo_time(rng, day), {"persetujuan": "tidak"}))
    return rows


def survei_atasan(
    rng: np.random.Generator, people: list[Participant]
) -> list[tuple[datetime, Answers]]:
    chosen = rng.choice(len(people), size=152, replace=False)
    rows = []
    for index in sorted(chosen):
        person = people[index]
        # Supervisor support is split: some units back their staff, others do not.
        supportive = rng.random() < 0.55
        support = rng.normal(0.6, 0.5) if supportive else rng.normal(-0.8, 0.6)
        if person.sektor == "kesehatan":
            support -= 0.3
        answers: Answers = {
            "persetujuan": "ya",
            "nip_peserta": person.nip,
            "instansi": person.instansi,
            "sektor": person.sektor,
            "program": person.program,
            "lama_membawahi": int(rng.integers(3, 61)),
        }
        applied = 0.45 * support + 0.4 * person.engagement + 0.6 * rng.normal()
        changed = 0.8 * applied + 0.5 * rng.normal()
        for prefix, construct, factor in (
            ("penerapan_", "penerapan", applied),
            ("perilaku_", "perubahan_perilaku", changed),
            ("dukungan_", "dukungan", support),
        ):
            for number, value in enumerate(_likert(rng, construct, factor), start=1):
                answers[f"{prefix}{number}"] = value
        answers["penerapan_4"] = 6 - int(answers["penerapan_4"])
        answers["dukungan_3"] = 6 - int(answers["dukungan_3"])
        register = _register(rng)
        if rng.random() < 0.85:
            level = "baik" if changed > -0.2 else "sedikit"
            keys = [level, level] if rng.random() < 0.4 else [level]
            answers["perubahan_uraian"] = _compose(
                rng, fragmen.PERUBAHAN, keys, person.sektor, register, opener=False
            )
        if rng.random() < 0.5:
            answers["saran"] = _finish(
                rng,
                register,
                [_pick(rng, fragmen.SARAN_ATASAN[register])],
                _slots(rng, person.sektor),
                opener=False,
            )
        end = person.cohort[1]
        submitted = _kobo_time(rng, _weekday_after(end, int(rng.integers(75, 110))))
        rows.append((submitted, answers))
    return rows


def knowledge_tests(
    rng: np.random.Generator, people: list[Participant]
) -> tuple[list[tuple[datetime, Answers]], list[tuple[datetime, Answers]]]:
    items = bi.TEST_ITEMS
    difficulty = np.linspace(-1.3, 1.6, len(items))
    rng.shuffle(difficulty)
    discrimination = rng.uniform(0.9, 1.8, len(items))
    order = rng.permutation(len(people))
    pre_only, both, post_only = order[:18], order[18:352], order[352:368]
    pre_rows, post_rows = [], []

    def answer(ability: float) -> dict[str, str]:
        out = {}
        for number, (_q, _e, _o, correct) in enumerate(items, start=1):
            p = 1 / (1 + np.exp(-discrimination[number - 1] * (ability - difficulty[number - 1])))
            if rng.random() < p:
                out[f"soal_{number:02d}"] = correct
            else:
                out[f"soal_{number:02d}"] = _pick(rng, [c for c in "abcd" if c != correct])
        return out

    for index in sorted([*pre_only, *both, *post_only]):
        person = people[index]
        identity: Answers = {
            "nip": person.nip,
            "instansi": person.instansi,
            "sektor": person.sektor,
            "program": person.program,
            "angkatan": person.angkatan,
        }
        start, end = person.cohort
        ability = 0.6 * person.engagement + 0.8 * rng.normal() - 0.15
        gain = 1.05 + 0.35 * rng.normal() + 0.3 * (person.kehadiran - 0.9) * 5
        if index in pre_only or index in both:
            pre_rows.append((_kobo_time(rng, start, 8, 10), {**identity, **answer(ability)}))
        if index in post_only or index in both:
            post = {**identity, **answer(ability + gain)}
            post_rows.append((_kobo_time(rng, end, 13, 16), post))
    return pre_rows, post_rows


def observasi(rng: np.random.Generator) -> list[tuple[datetime, Answers]]:
    base_minutes = {
        "disdukcapil": 17.0,
        "mpp": 21.0,
        "rsud_sk_lerik": 11.0,
        "puskesmas_oepoi": 8.0,
        "puskesmas_sikumana": 9.0,
        "kantor_camat_oebobo": 14.0,
    }
    base_yes = [0.78, 0.66, 0.6, 0.62, 0.86, 0.45, 0.8, 0.7]
    rows = []
    day = date(YEAR, 8, 18)
    for unit, _name, _en, sector in UNITS:
        for _ in range(11):
            day = _weekday_after(day, int(rng.integers(0, 2)))
            trained = rng.random() < 0.5
            answers: Answers = {
                "tanggal": day,
                "unit": unit,
                "sektor": sector,
                "sudah_pelatihan": "ya" if trained else "tidak",
            }
            skill = rng.normal() + (0.9 if trained else 0.0)
            for (name, _id, _label), p in zip(bi.OBSERVED, base_yes, strict=True):
                logit = np.log(p / (1 - p)) + 1.5 * skill - (0.4 if not trained else 0.2)
                answers[name] = "ya" if rng.random() < 1 / (1 + np.exp(-logit)) else "tidak"
            minutes = base_minutes[unit] * (0.74 if trained else 1.0) * np.exp(rng.normal(0, 0.3))
            answers["waktu_layanan"] = round(float(minutes), 1)
            if rng.random() < 0.9:
                notes = [_pick(rng, fragmen.OBSERVASI[sector])]
                notes += [
                    _pick(rng, fragmen.OBSERVASI["umum"]) for _ in range(int(rng.integers(0, 3)))
                ]
                text = " ".join(dict.fromkeys(notes))
                answers["catatan"] = text.format(n=int(rng.integers(3, 25)))
            rows.append((_kobo_time(rng, day, 9, 15) + timedelta(hours=1), answers))
    return rows


SKM_MEANS = [3.3, 3.2, 2.72, 3.62, 3.3, 3.35, 3.45, 2.9, 3.15]
SKM_UNIT_SHIFT = {
    "disdukcapil": -0.18,
    "mpp": 0.12,
    "rsud_sk_lerik": -0.12,
    "puskesmas_oepoi": 0.06,
    "puskesmas_sikumana": -0.02,
    "kantor_camat_oebobo": 0.08,
}


def skm(rng: np.random.Generator) -> list[tuple[datetime, Answers]]:
    rows = []
    counts = [58, 54, 52, 46, 44, 48]
    for (unit, _name, _en, _sector), count in zip(UNITS, counts, strict=True):
        for _ in range(count):
            day = _weekday_after(date(YEAR, 9, 1), int(rng.integers(0, 60)))
            answers: Answers = {
                "tanggal": day,
                "unit": unit,
                "jenis_kelamin": str(rng.choice(["l", "p"])),
                "usia": str(
                    rng.choice(
                        ["17_25", "26_35", "36_45", "46_55", "56_plus"],
                        p=[0.2, 0.3, 0.24, 0.16, 0.1],
                    )
                ),
                "pendidikan": str(
                    rng.choice(
                        ["sd", "smp", "sma", "diploma", "s1", "s2_plus"],
                        p=[0.08, 0.12, 0.42, 0.1, 0.25, 0.03],
                    )
                ),
                "pekerjaan": str(
                    rng.choice(
                        [
                            "pns",
                            "tni_polri",
                            "swasta",
                            "wirausaha",
                            "petani_nelayan",
                            "pelajar",
                            "irt",
                            "lainnya",
                        ],
                        p=[0.12, 0.03, 0.2, 0.2, 0.1, 0.12, 0.15, 0.08],
                    )
                ),
            }
            citizen = rng.normal()
            for number, mean in enumerate(SKM_MEANS, start=1):
                raw = mean + SKM_UNIT_SHIFT[unit] + 0.42 * citizen + rng.normal(0, 0.45)
                answers[f"u{number}"] = int(np.clip(np.rint(raw), 1, 4))
            if rng.random() < 0.55:
                register = _register(rng)
                picks = [_pick(rng, fragmen.SARAN_SKM[register])]
                if rng.random() < 0.25:
                    picks.append(_pick(rng, fragmen.SARAN_SKM[register]))
                answers["saran"] = _finish(
                    rng, register, list(dict.fromkeys(picks)), {}, opener=False
                )
            rows.append((_kobo_time(rng, day), answers))
    return rows


# --------------------------------------------------------------------------- writing

KOBO_META = [
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


def kobo_columns(form) -> list[tuple[str, str, str | None]]:
    """(header, question name, option) for each export column, in Kobo's order."""
    columns = []
    groups: list[str] = []
    for r in form.survey:
        kind = r["type"]
        if kind == "begin_group":
            groups.append(r["name"])
        elif kind == "end_group":
            groups.pop()
        elif kind == "note":
            continue
        else:
            path = "/".join([*groups, r["name"]])
            columns.append((path, r["name"], None))
            if kind.startswith("select_multiple "):
                for option in form.choices[kind.split()[1]]:
                    columns.append((f"{path}/{option[0]}", r["name"], option[0]))
    return columns


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_kobo_csv(
    path: Path,
    form,
    rows: list[tuple[datetime, Answers]],
    rng: np.random.Generator,
    first_id: int,
) -> None:
    """Write responses as KoboToolbox's exporter does ("XML values and headers")."""
    columns = kobo_columns(form)
    version = "v" + "".join(
        rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"), 21)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([header for header, _, _ in columns] + KOBO_META)
        next_id = first_id
        for index, (submitted, answers) in enumerate(sorted(rows, key=lambda r: r[0]), start=1):
            next_id += int(rng.integers(1, 40))
            out = []
            for _header, name, option in columns:
                value = answers.get(name)
                if option is None:
                    out.append(" ".join(value) if isinstance(value, list) else _cell(value))
                elif isinstance(value, list):
                    out.append("1" if option in value else "0")
                else:
                    out.append("")
            meta = [
                str(next_id),
                _uuid(rng),
                submitted.strftime("%Y-%m-%dT%H:%M:%S"),
                "",
                "",
                "submitted_via_web",
                "",
                version,
                "",
                str(index),
            ]
            writer.writerow(out + meta)


def write_peserta(path: Path, people: list[Participant]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["nip", "nama", "jenis_kelamin", "instansi", "sektor", "jabatan", "program"]
            + ["angkatan", "kehadiran", "jp", "tahun"]
        )
        # A roster comes from the personnel system: agencies and programs by their names,
        # not by the choice codes the forms use.
        program_names = {program.code: program.name for program in PROGRAMS}
        for p in people:
            writer.writerow(
                [p.nip, p.nama, p.jenis_kelamin, OPD_BY_CODE[p.instansi].name, p.sektor]
                + [p.jabatan, program_names[p.program], p.angkatan, f"{p.kehadiran:.2f}"]
                + [p.jp, YEAR]
            )


def write_evaluasi(path: Path, people: list[Participant]) -> None:
    lines = [
        "# Demo evaluation (fictitious). Generated by generate.py; edit there, not here.",
        f'title: "Evaluasi Program Pembinaan ASN Kota Kupang {YEAR}"',
        'organisation: "BKPSDM Kota Kupang"',
        f"period: {YEAR}",
        *([f"previous: {PREVIOUS}"] if PREVIOUS else []),
        "programs:",
    ]
    for program in PROGRAMS:
        enrolled = sum(p.program == program.code for p in people)
        lines += [
            f'  - name: "{program.name}"',
            f'    kind: "{program.kind}"',
            f"    jp: {program.jp}",
            f"    dates: {{start: {program.cohorts[0][0]}, end: {program.cohorts[-1][1]}}}",
            f"    budget: {program.budget}",
            f"    participants: {enrolled}",
        ]
    lines += [
        "objectives:",
        '  - "Menilai manfaat dan relevansi program bagi tugas pelayanan peserta."',
        '  - "Mengukur peningkatan pengetahuan, keterampilan, dan sikap peserta."',
        '  - "Menilai perubahan perilaku kerja peserta menurut atasan langsung dan observasi '
        'lapangan."',
        '  - "Mengukur kepuasan masyarakat pada unit layanan tempat peserta bertugas."',
        '  - "Mengidentifikasi hambatan penyelenggaraan dan merumuskan rekomendasi perbaikan."',
        "instruments:",
        "  survei_peserta: {kind: survei_peserta}",
        "  survei_atasan: {kind: survei_atasan}",
        f"  pretest: {{kind: tes_awal, test: {TEST_NAME}}}",
        f"  posttest: {{kind: tes_akhir, test: {TEST_NAME}}}",
        "  observasi: {kind: observasi, compare_by: sudah_pelatihan}",
        "  skm: {kind: skm, unit: unit}",
        "thresholds: {}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def demo_forms() -> dict[str, object]:
    """The standard forms with Kota Kupang's agencies, programs and service units."""
    opd = [(o.code, o.name, o.english) for o in OPDS] + [("lainnya", "Lainnya", "Other")]
    programs = [(p.code, p.name, p.english) for p in PROGRAMS]
    units = [(code, name, en) for code, name, en, _sector in UNITS]
    forms = bi.build_forms(opd, programs, units)
    del forms["tes_pengetahuan"]
    for form_id, title in (("pretest", "Tes Awal"), ("posttest", "Tes Akhir")):
        forms[form_id] = bi.tes_pengetahuan(
            opd, programs, form_id=form_id, title=f"{title} — Pengetahuan Pelayanan Publik"
        )
    for form_id, names in OMIT_QUESTIONS.items():
        forms[form_id].survey = [r for r in forms[form_id].survey if r.get("name") not in names]
    return forms


def generate(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    forms = demo_forms()
    for form_id, form in forms.items():
        bi.write_xlsform(form, out / "instrumen" / f"{form_id}.xlsx")
    people = make_participants(rng)
    write_peserta(out / "peserta.csv", people)
    write_evaluasi(out / "evaluasi.yaml", people)
    pre, post = knowledge_tests(rng, people)
    datasets = {
        "survei_peserta": survei_peserta(rng, people),
        "survei_atasan": survei_atasan(rng, people),
        "pretest": pre,
        "posttest": post,
        "observasi": observasi(rng),
        "skm": skm(rng),
    }
    for number, (form_id, rows) in enumerate(datasets.items(), start=1):
        first_id = 310_000_000 + number * 1_000_000
        write_kobo_csv(out / "data" / f"{form_id}.csv", forms[form_id], rows, rng, first_id)


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
