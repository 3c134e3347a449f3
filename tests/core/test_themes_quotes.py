"""Quotes: masking of personal data, attribution, diversity; results for hasil.json."""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl

from tilik.core.themes.quotes import QuoteCandidate, attribution, mask_personal, select_quotes
from tilik.core.themes.results import TextItem, bundle_texts, text_challenges, themes_section


def test_it_masks_nip_phone_email_and_names():
    text = (
        "Pak Yohanes (NIP 19780512 200312 1 003) bisa dihubungi di 0812-3456-7890, "
        "+62 813 1234 5678 atau yohanes@kupangkota.go.id"
    )
    masked = mask_personal(text)
    assert "Yohanes" not in masked and "1978" not in masked and "0812" not in masked
    assert "@" not in masked and "+62" not in masked
    assert "[NIP]" in masked and "[telepon]" in masked and "[email]" in masked


def test_it_keeps_positions_after_honorifics():
    assert mask_personal("Pak Camat mendukung") == "Pak Camat mendukung"


def test_it_masks_names_from_a_list():
    assert mask_personal("kata maria ndun tadi", names=["Maria Ndun"]) == "kata [nama] tadi"


def test_it_attributes_by_role_and_sector_only():
    assert attribution("peserta", "kesehatan") == "seorang ASN di bidang kesehatan"
    assert attribution("peserta", "kesehatan", "en") == "a civil servant in the health sector"


def _candidate(text, respondent, confidence=0.9):
    return QuoteCandidate(text, "peserta", "pendidikan", "survey", respondent, confidence, 1)


def test_it_picks_different_quotes():
    candidates = [
        _candidate("Jadwal pelatihan bentrok dengan ujian semester di sekolah.", "a"),
        _candidate("Jadwal pelatihan bentrok dengan ujian semester di sekolah kami.", "b"),
        _candidate("Pelatihan diadakan pas musim panen, petani butuh penyuluh.", "c"),
        _candidate("Undangan datang sehari sebelumnya, tidak sempat atur kelas.", "d"),
    ]
    quotes = select_quotes(candidates, 3)
    assert len(quotes) == 3
    assert sum("ujian semester" in q.text for q in quotes) == 1


def test_it_takes_one_quote_per_respondent():
    candidates = [_candidate("Modul usang sekali.", "a"), _candidate("Proyektor rusak.", "a")]
    assert len(select_quotes(candidates, 3)) == 1


def test_it_masks_quotes():
    quotes = select_quotes([_candidate("Hubungi Ibu Sri di 081234567890 soal jadwal.", "a")])
    assert "0812" not in quotes[0].text and "Sri" not in quotes[0].text


ITEMS = [
    TextItem(
        "Jadwal pelatihan bentrok dengan tutup buku akhir tahun.",
        "survey",
        "peserta",
        "keuangan",
        "r1",
    ),
    TextItem(
        "Sinyal internet lemah, e-learning tidak bisa dibuka.",
        "survey",
        "peserta",
        "pendidikan",
        "r2",
    ),
    TextItem("Widyaiswara menguasai materi, sangat jelas.", "survey", "peserta", "kesehatan", "r3"),
    TextItem(
        "Kami kekurangan staf, jadi tidak bisa meninggalkan puskesmas.",
        "interview",
        "pejabat",
        "kesehatan",
        "w1",
    ),
]


def test_it_builds_the_themes_section():
    section = themes_section(ITEMS)
    assert section["jadwal"]["n_segments"] == 1
    assert section["jadwal"]["share_respondents"] == 0.25
    assert section["waktu_beban_kerja"]["by_source"]["interview"]["n_segments"] == 1
    quote = section["sarana_akses"]["quotes"][0]
    assert set(quote) >= {"text", "role", "sector", "source"}


def test_it_counts_only_negative_mentions_as_challenges():
    challenges = text_challenges(ITEMS)
    codes = [c["code"] for c in challenges]
    assert "jadwal" in codes and "fasilitator" not in codes
    top = challenges[0]
    assert 0 <= top["share_ci"][0] <= top["share"] <= top["share_ci"][1] <= 1


def _bundle():
    question = SimpleNamespace(name="saran", type="text", repeat="")
    nip = SimpleNamespace(name="nip", type="text", repeat="")
    form = SimpleNamespace(questions=[nip, question], repeats=[])
    response = SimpleNamespace(
        answers={"saran": "Modulnya usang.", "nip": "197805122003121003", "sektor": "umum"},
        key="k1",
        instance_id="i1",
    )
    empty = SimpleNamespace(answers={"saran": "-"}, key="k2", instance_id="i2")
    rows = [response, empty]
    dataset = SimpleNamespace(
        form=form,
        responses=rows,
        frame=lambda: pl.DataFrame(
            {
                "_key": [r.key for r in rows],
                "_instance_id": [r.instance_id for r in rows],
                **{n: [r.answers.get(n) for r in rows] for n in ("nip", "saran", "sektor")},
            }
        ),
    )
    interview = SimpleNamespace(
        file="01.txt",
        role="pejabat",
        sector="kesehatan",
        text="[Catatan]\nP: Apa kendalanya?\nN: Tenaga kami terbatas.",
    )
    return SimpleNamespace(
        data={"survei_peserta": dataset},
        interviews=[interview],
        spec=lambda form_id: SimpleNamespace(kind="survei_peserta"),
    )


def test_it_collects_bundle_texts_without_personal_fields_or_interviewer():
    items = bundle_texts(_bundle())
    assert [(i.text, i.source) for i in items] == [
        ("Modulnya usang.", "survey"),
        ("Tenaga kami terbatas.", "interview"),
    ]


def test_it_accepts_plain_dicts_as_items():
    items = [{"text": "Anggaran pelatihan dipotong.", "source": "survey", "respondent_id": "x"}]
    section = themes_section(items)
    assert section["anggaran"]["share_respondents"] == 1.0


def test_model_explanations_are_words_of_the_text():
    """A newcomer saw «ruangan, kembali, dit» and «beri, seperti» as reasons: pieces of words
    and stems. Every word given as a reason is a word of the (normalised) text."""
    from tilik.core.themes.coder import Coder
    from tilik.core.themes.normalize import normalize
    from tilik.core.themes.segment import clean_text

    coder = Coder.default()
    texts = [
        "Atasan sering memberikan tugas mendadak, jadi saya ditelepon balik ke kantor.",
        "Bahan dong kasi cuma slide, sonde ada buku panduan. Pulang su lupa.",
        "Diskusi kelompoknya seru, fasilitator pinter mancing kita ngomong.",
        "Tugas LMS nya bnyk bgt, sy kerjain malam krn siang ngajar + urus dapodik.",
    ]
    for text, coding in zip(texts, coder.code_many(texts), strict=True):
        words = f" {' '.join(t.removeprefix('NEG_') for t in normalize(clean_text(text)).tokens)} "
        for theme in coding.themes:
            if theme.source != "model":
                continue
            for reason in filter(None, theme.explanation.split(", ")):
                assert f" {reason} " in words, (reason, text)
