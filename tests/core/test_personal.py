"""Person names and contact details in Indonesian text (tilik.core.personal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tilik.core.personal import find_personal, has_personal, mask_text
from tilik.core.themes.quotes import mask_personal

SHARED = Path(__file__).parents[2] / ".." / "shared"

MASKED = [
    ("Menurut Maria Goreti Seran, jadwalnya padat.", "Menurut [nama], jadwalnya padat."),
    ("Hubungi Pak Yohanes di 0812-3456-7890", "Hubungi Pak [nama] di [telepon]"),
    ("Kata Om Frans, sonde ada waktu.", "Kata Om [nama], sonde ada waktu."),
    ("Maria bilang pelatihan bagus.", "[nama] bilang pelatihan bagus."),
    ("Narasumber dr. Yohanes Bria, Sp.A sangat jelas.", "Narasumber dr. [nama] sangat jelas."),
    ("Drs. Petrus Nahak, M.Si menjelaskan materi.", "Drs. [nama] menjelaskan materi."),
    ("Romo Gerardus memberi sambutan.", "Romo [nama] memberi sambutan."),
    ("Haji Ahmad dan Hj. Siti hadir.", "Haji [nama] dan Hj. [nama] hadir."),
    ("td sy tanya ke pak yohanes, dia bilang nanti", "td sy tanya ke pak [nama], dia bilang nanti"),
    ("kata maria jadwal bentrok", "kata [nama] jadwal bentrok"),
    ("Yohanes Ndun, S.Pd. guru SD.", "[nama] guru SD."),
    ("Saya Wilfridus Nggebu dari Kecamatan Alak.", "Saya [nama] dari Kecamatan Alak."),
    ("Beta su bilang ke Mama Yuliana Tefa.", "Beta su bilang ke Mama [nama]."),
    ("Umbu Ndapa dan Rambu Lende dari Sumba.", "[nama] dan [nama] dari Sumba."),
    ("Bapak Marthen Luther Tanone sangat baik.", "Bapak [nama] sangat baik."),
    ("Bu Sari bilang bagus.", "Bu [nama] bilang bagus."),
    ("Saya ketemu Indah di kantor.", "Saya ketemu [nama] di kantor."),
    ("NIP 198503122010011001, NIK 5371012345678901", "NIP [NIP], NIK [NIK]"),
    ("NIP 19850312 201001 1 001 ya", "NIP [NIP] ya"),
    ("surel: yohanes.ndun@gmail.com", "surel: [email]"),
    ("Telepon kantor (0380) 821234.", "Telepon kantor [telepon]."),
    ("WA +62 812 3456 7890", "WA [telepon]"),
]

KEPT = [
    "Pak Camat mendukung pelatihan ini.",
    "Ibu Kadis sangat mendukung.",
    "Kepala Dinas bilang anggaran terbatas.",
    "Bagus sekali pelatihannya, materi relevan.",
    "Mau ikut tapi tidak ada waktu.",
    "Pelatihan di Kota Kupang bermanfaat untuk Dinas Kesehatan.",
    "Materi dari BKPSDM dan BPSDM NTT kurang praktis.",
    "Pelatihan lewat Zoom Meeting susah krn internet.",
    "Peserta dari Puskesmas Oesapa datang terlambat.",
    "Pelatihan Sangat Bermanfaat Bagi Kami",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_it_masks_names_and_contacts(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_it_keeps_positions_places_and_words(text):
    assert mask_text(text) == text


def test_it_masks_roster_names_and_their_parts():
    roster = ["Kristina Lobo"]
    assert mask_text("Kristina Lobo datang. Lobo juga bertanya.", roster) == (
        "[nama] datang. [nama] juga bertanya."
    )


def test_mask_personal_calls_the_detector():
    assert mask_personal("Menurut Maria Goreti Seran, …") == "Menurut [nama], …"


def test_it_reports_spans_in_order_without_overlap():
    text = "Pak Yohanes Bria (yohanes@bkpsdm.go.id)"
    spans = find_personal(text)
    assert [s.kind for s in spans] == ["name", "email"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert has_personal(text) and not has_personal("Sangat bermanfaat.")


def test_it_leaves_the_labelled_corpus_almost_untouched():
    # The development corpus has no personal data: what the detector masks there is a false
    # alarm. Measured: 0 of 320 texts changed.
    corpus = SHARED / "corpus" / "dev.jsonl"
    rows = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line]
    changed = sum(mask_text(r["text"]) != r["text"] for r in rows)
    assert changed <= len(rows) // 100
