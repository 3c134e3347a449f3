"""Theme coding: normalisation, negation, Kupang Malay, coding, corrections, codebook."""

from __future__ import annotations

import pytest

from tilik.core.themes import (
    Coder,
    default_codebook,
    normalize_tokens,
    split_sentences,
    split_turns,
)
from tilik.core.themes.normalize import normalize


@pytest.fixture(scope="module")
def coder():
    return Coder.default()


def test_it_expands_sms_abbreviations():
    assert normalize_tokens("yg tdk sy krn blm", mark_negation=False) == [
        "yang",
        "tidak",
        "saya",
        "karena",
        "belum",
    ]


def test_it_expands_kupang_malay():
    tokens = normalize_tokens("beta sonde su iko deng katong", mark_negation=False)
    assert tokens == ["saya", "tidak", "sudah", "ikut", "dengan", "kami"]


def test_it_collapses_reduplication():
    assert normalize_tokens("pelan2 teman-teman", mark_negation=False) == ["pelan", "teman"]


def test_it_marks_negation_scope():
    assert normalize_tokens("tidak relevan")[-1] == "NEG_relevan"
    assert normalize_tokens("sangat relevan")[-1] == "relevan"


def test_it_ends_negation_scope_at_contrast():
    tokens = normalize_tokens("tidak ada modul tapi fasilitator bagus")
    assert "fasilitator" in tokens and "NEG_fasilitator" not in tokens


def test_it_stems_with_sastrawi():
    assert normalize("pelatihannya bermanfaat").stems == ("latih", "manfaat")


def test_it_codes_negated_relevance_as_low_relevance(coder):
    assert "relevansi_rendah" in coder.code("Materinya tidak relevan dengan tugas saya.").codes


def test_it_codes_positive_relevance_as_benefit(coder):
    codes = coder.code("Materinya sangat relevan dengan tugas saya.").codes
    assert "manfaat" in codes and "relevansi_rendah" not in codes


def test_it_understands_kupang_malay_workload(coder):
    coding = coder.code("beta sonde punya waktu ikut pelatihan, karja di kantor banya")
    assert "waktu_beban_kerja" in coding.codes
    assert coding.sentiment == "negatif"


def test_it_understands_sms_style(coder):
    coding = coder.code("materinya kurang sesuai dgn tugas sehari2, gak nyambung")
    assert coding.codes[0] == "relevansi_rendah"


def test_it_explains_each_theme(coder):
    coding = coder.code("Widyaiswara menguasai materi dan sabar menjelaskan.")
    assert coding.themes[0].code == "fasilitator"
    assert "widyaiswara" in coding.themes[0].explanation.lower()
    assert coding.themes[0].confidence > 0


def test_it_gives_at_most_three_themes(coder):
    text = (
        "Jadwal bentrok, anggaran kurang, modul usang, fasilitator terlambat, "
        "internet lemot dan atasan tidak mendukung."
    )
    assert len(coder.code(text).codes) <= 3


def test_it_gives_mixed_sentiment_for_contrast(coder):
    assert coder.code("Materinya bagus, tapi jadwalnya terlalu padat.").sentiment == "campuran"


def test_it_gives_neutral_sentiment_for_suggestions(coder):
    assert coder.code("Sebaiknya pelatihan diadakan pada hari Sabtu.").sentiment == "netral"


def test_it_returns_sentence_spans(coder):
    coding = coder.code("Modulnya usang. Sinyal internet di desa lemah.")
    assert [s.text for s in coding.spans] == ["Modulnya usang.", "Sinyal internet di desa lemah."]
    assert "sarana_akses" in [t.code for t in coding.spans[1].themes]


def test_it_lets_a_manual_code_win(coder):
    text = "Saya membuat jadwal kunjungan rutin ke kelompok tani."
    corrected = coder.with_corrections([(text, ["sikap"])])
    coding = corrected.code(text)
    assert coding.codes == ["sikap"]
    assert coding.themes[0].source == "manual"


def test_it_retrains_with_corrections(coder):
    texts = [
        "Kalau urusan kopi pagi di kantor, semua jadi lambat.",
        "Gara-gara kopi pagi, layanan mulai setengah jam kemudian.",
        "Kopi pagi bersama membuat loket buka telat.",
    ]
    book = coder.codebook.add("budaya_kopi", "Budaya kopi pagi")
    retrained = coder.with_codebook(book).with_corrections([(t, ["budaya_kopi"]) for t in texts])
    assert "budaya_kopi" in retrained.code("Tiap hari kopi pagi dulu, loket telat buka.").codes


def test_it_refuses_unknown_codes_in_corrections(coder):
    with pytest.raises(ValueError):
        coder.with_corrections([("teks", ["tidak_ada_kode"])])


def test_it_has_the_fourteen_default_codes():
    book = default_codebook()
    assert len(book) == 14
    assert book["jadwal"].label("en") == "Scheduling"


def test_it_renames_and_merges_codes():
    book = default_codebook().rename("jadwal", "waktu_pelaksanaan", "Waktu pelaksanaan")
    assert "waktu_pelaksanaan" in book and "jadwal" not in book
    merged = book.merge(["waktu_pelaksanaan", "waktu_beban_kerja"], into="waktu")
    assert "waktu" in merged and len(merged) == 13
    assert merged["waktu"].obstacle


def test_it_splits_interview_turns():
    turns = split_turns(
        "P: Apa kendalanya?\nN: Jadwalnya bentrok.\nlanjutan jawaban\nBu Maria: Setuju."
    )
    assert [(t.speaker, t.interviewer) for t in turns] == [
        ("P", True),
        ("N", False),
        ("Bu Maria", False),
    ]
    assert turns[1].text == "Jadwalnya bentrok. lanjutan jawaban"


def test_it_keeps_abbreviations_in_one_sentence():
    assert split_sentences("Saya dari Kab. Kupang. Jalan jauh.") == [
        "Saya dari Kab. Kupang.",
        "Jalan jauh.",
    ]


# Texts below are written for these tests; none is a training text.
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Di seksi kami tinggal tiga pegawai untuk melayani dua kecamatan.", "waktu_beban_kerja"),
        ("Saya tangani sendiri semua berkas, tidak ada yang bantu.", "waktu_beban_kerja"),
        ("Selama kelas HP saya berdering terus, kantor menanyakan data.", "waktu_beban_kerja"),
        ("Kabid menyuruh kami kembali memakai format laporan yang lama.", "dukungan_atasan"),
        (
            "Kepala dinas menerbitkan surat tugas dan menyusun jadwal piket supaya kami fokus.",
            "dukungan_atasan",
        ),
        (
            "Sejak petugas dilatih, warga tidak perlu datang dua kali mengurus akta.",
            "dampak_layanan",
        ),
    ],
)
def test_it_understands_themes_said_without_their_keywords(coder, text, code):
    assert code in coder.code(text, spans=False).codes


def test_it_reads_conduct_in_an_observation_note_as_attitude(coder):
    note = "Petugas loket menyapa pemohon, mempersilakan lansia duduk lebih dulu, lalu menjelaskan."
    coding = coder.code(note, spans=False, context={"source": "observation", "role": "observer"})
    assert coding.codes[0] == "sikap"


def test_it_codes_peak_work_as_workload_and_schedule_together(coder):
    text = "Minggu pelatihan bertepatan dengan penyaluran bansos, saya dua kali dipanggil balik."
    assert {"jadwal", "waktu_beban_kerja"} <= set(coder.code(text, spans=False).codes)


def test_it_does_not_take_every_place_or_practice_for_facilities_or_method(coder):
    assert "sarana_akses" not in coder.code("Saya bertugas di Alor, pelatihan ini membantu.").codes
    daily = "Dalam praktik sehari-hari di puskesmas saya sudah menerapkan konseling yang diajarkan."
    assert "metode" not in coder.code(daily).codes


def test_it_gives_calibrated_probabilities_and_a_confidence(coder):
    coding = coder.code("Modulnya usang dan penuh salah ketik.", spans=False)
    assert set(coding.probabilities) == set(coder.codebook.names)
    assert coding.probabilities["kualitas_materi"] > 0.8
    assert coding.probabilities["anggaran"] < 0.1
    assert 0 < coding.confidence <= 1
    vague = coder.code("Ya begitulah, seperti biasa.", spans=False)
    assert vague.confidence < coding.confidence


def test_it_changes_similar_texts_after_a_correction(coder):
    corrected = "Internet di kantor sering putus waktu e-learning."
    similar = "Internet kantor sering putus saat e-learning, jadi kami ketinggalan."
    assert "jadwal" not in coder.code(similar, spans=False).codes
    learnt = coder.with_corrections([(corrected, ["sarana_akses", "jadwal"])])
    assert {"sarana_akses", "jadwal"} <= set(learnt.code(similar, spans=False).codes)
    assert learnt.code(corrected, spans=False).manual


def test_it_refuses_contexts_that_do_not_match_the_texts(coder):
    with pytest.raises(ValueError):
        coder.code_many(["satu", "dua"], contexts=[{"source": "survey"}])
