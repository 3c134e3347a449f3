from __future__ import annotations

import pytest

from tilik.web.coding import services
from tilik.web.coding.models import CodeChange, ManualCode, corrections_for, text_key
from tilik.web.collection.models import Interview

pytestmark = pytest.mark.django_db

TRANSCRIPT = """P: Bagaimana pelatihannya?
N: Materinya sangat bermanfaat untuk pelayanan di loket, saya jadi lebih sabar.
P: Ada kendala?
N: Jadwal pelatihan bentrok dengan jam pelayanan, jadi saya sering keluar kelas.
P: Siapa yang membantu?
N: Pak Yohanes Ndun dari BKPSDM, NIP 198504122010011003, selalu membantu kami.
"""
LOCAL = [
    "Petugas pakai bahasa Dawan waktu jelaskan syarat, warga jadi mengerti.",
    "Contoh pelayanan pakai bahasa daerah bikin mama-mama di desa lebih paham.",
    "Materi sebaiknya pakai contoh adat dan bahasa daerah supaya cocok dengan warga desa.",
]


@pytest.fixture
def texts(cast):
    """Evaluation A with one interview: three respondent turns to code."""
    services.clear_caches()
    Interview.objects.create(
        evaluation=cast.evaluation_a,
        file_name="01.txt",
        role="peserta",
        sector="kesehatan",
        transcript=TRANSCRIPT,
    )
    return cast.evaluation_a


def url(evaluation, rest=""):
    return f"/evaluasi/{evaluation.pk}/pengodean/{rest}"


def key_of(text):
    return text_key(text, "interview")


SCHEDULE = "Jadwal pelatihan bentrok dengan jam pelayanan, jadi saya sering keluar kelas."


def test_it_shows_texts_with_source_role_and_summary(client, cast, texts):
    client.force_login(cast.alice)
    response = client.get(url(texts))
    assert response.status_code == 200
    page = response.content.decode()
    assert "bentrok dengan jam pelayanan" in page
    assert "seorang ASN di bidang kesehatan" in page
    assert response.context["state"].n_texts == 3
    assert 'data-hotkey="1"' in page


def test_it_masks_names_and_nips(client, cast, texts):
    client.force_login(cast.alice)
    page = client.get(url(texts)).content.decode()
    assert "Yohanes" not in page and "198504122010011003" not in page
    assert "[NIP]" in page


def test_it_lets_the_leader_read_but_not_change_codes(client, cast, texts):
    client.force_login(cast.charlie)
    assert client.get(url(texts)).status_code == 200
    response = client.post(url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["sikap"]})
    assert response.status_code == 403
    add = {"action": "add", "tambah-code": "x", "tambah-label_id": "X"}
    assert client.post(url(texts, "buku-kode/"), add).status_code == 403
    assert not ManualCode.objects.exists() and not CodeChange.objects.exists()


def test_it_hides_the_screen_from_other_agencies(client, cast, texts):
    for user in (cast.bob, cast.mallory):
        client.force_login(user)
        assert client.get(url(texts)).status_code == 404
        assert client.get(url(texts, "buku-kode/")).status_code == 404
        save = {"key": key_of(SCHEDULE), "themes": ["sikap"]}
        assert client.post(url(texts, "simpan/"), save).status_code == 404
    assert not ManualCode.objects.exists()


def test_it_saves_a_manual_code(client, cast, texts):
    client.force_login(cast.alice)
    response = client.post(
        url(texts, "simpan/"),
        {
            "key": key_of(SCHEDULE),
            "action": "save",
            "themes": ["jadwal", "waktu_beban_kerja"],
            "sentiment": "negatif",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#t-" + key_of(SCHEDULE)[:12])
    manual = ManualCode.objects.get(evaluation=texts)
    assert manual.themes == ["jadwal", "waktu_beban_kerja"] and manual.sentiment == "negatif"
    assert manual.updated_by == cast.alice and manual.text == SCHEDULE
    assert manual.source == "interview" and manual.role == "peserta"


def test_it_retrains_the_report_with_the_screens_corrections(client, cast, texts):
    from tilik.core.themes import Correction
    from tilik.web.reports.services import coding_inputs

    client.force_login(cast.alice)
    save = {"key": key_of(SCHEDULE), "themes": ["jadwal"], "sentiment": "negatif"}
    client.post(url(texts, "simpan/"), save)
    expected = Correction(SCHEDULE, ("jadwal",), "negatif", "interview", "peserta")
    assert coding_inputs(texts)["corrections"] == [expected]
    assert services.coder_for(texts).coder.corrections == (expected,)


def test_it_saves_by_fetch_and_answers_json(client, cast, texts):
    client.force_login(cast.alice)
    response = client.post(
        url(texts, "simpan/"),
        {"key": key_of(SCHEDULE), "themes": ["sikap"]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["themes"] == ["sikap"] and response.json()["n_reviewed"] == 1


def test_it_accepts_and_resets_the_automatic_coding(client, cast, texts):
    client.force_login(cast.alice)
    data = {"key": key_of(SCHEDULE), "suggested": ["jadwal"], "suggested_sentiment": "negatif"}
    client.post(url(texts, "simpan/"), {**data, "action": "accept", "themes": ["sikap"]})
    assert ManualCode.objects.get().themes == ["jadwal"]
    assert client.post(url(texts, "simpan/"), {**data, "action": "reset"}).status_code == 302
    assert not ManualCode.objects.exists()


def test_it_refuses_unknown_texts_and_codes(client, cast, texts):
    client.force_login(cast.alice)
    assert client.post(url(texts, "simpan/"), {"key": "0" * 64}).status_code == 404
    response = client.post(url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["nope"]})
    assert response.status_code == 302
    assert not ManualCode.objects.exists()


def test_manual_code_wins_in_corrections_and_in_the_coded_result(client, cast, texts):
    client.force_login(cast.alice)
    client.post(url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["anggaran"]})
    assert corrections_for(texts) == [(SCHEDULE, ["anggaran"])]
    review = services.review_for(texts)
    row = next(r for r in review.rows if r.key == key_of(SCHEDULE))
    assert row.themes == ["anggaran"] and review.n_reviewed == 1
    assert review.coder.code(SCHEDULE).codes == ["anggaran"]


def test_it_retrains_the_coder_with_corrections(client, cast, texts):
    client.force_login(cast.alice)
    client.post(
        url(texts, "buku-kode/"),
        {"action": "add", "tambah-code": "kearifan_lokal", "tambah-label_id": "Kearifan lokal"},
    )
    for i, text in enumerate(LOCAL):
        Interview.objects.create(evaluation=texts, file_name=f"l{i}.txt", transcript=f"N: {text}")
        client.post(url(texts, "simpan/"), {"key": key_of(text), "themes": ["kearifan_lokal"]})
    state = services.coder_for(texts)
    assert state.n_corrections == 3
    similar = state.coder.code("Pelayanan dengan bahasa daerah Dawan membuat warga kampung paham")
    assert "kearifan_lokal" in similar.codes
    assert client.get(url(texts, "?tema=kearifan_lokal")).context["page"].paginator.count == 3


def test_it_adds_renames_and_merges_codes_and_manual_codes_follow(client, cast, texts):
    client.force_login(cast.alice)
    client.post(url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["jadwal", "sikap"]})
    response = client.post(
        url(texts, "buku-kode/"),
        {"action": "rename", "ganti-old": "jadwal", "ganti-code": "jadwal_pelatihan"},
    )
    assert response.status_code == 302
    assert ManualCode.objects.get().themes == ["jadwal_pelatihan", "sikap"]
    client.post(
        url(texts, "buku-kode/"),
        {
            "action": "merge",
            "gabung-sources": ["jadwal_pelatihan", "sikap"],
            "gabung-code": "waktu_dan_sikap",
        },
    )
    assert ManualCode.objects.get().themes == ["waktu_dan_sikap"]
    assert services.coder_for(texts).codebook.names.count("waktu_dan_sikap") == 1
    # The report pipeline codes with the default codebook: it gets the original code back.
    assert corrections_for(texts) == [(SCHEDULE, ["jadwal"])]
    assert corrections_for(texts, native=True) == [(SCHEDULE, ["waktu_dan_sikap"])]


def test_it_refuses_a_code_that_exists(client, cast, texts):
    client.force_login(cast.alice)
    response = client.post(
        url(texts, "buku-kode/"),
        {"action": "add", "tambah-code": "manfaat", "tambah-label_id": "Manfaat"},
    )
    assert response.status_code == 400
    assert not CodeChange.objects.exists()


def test_it_filters_by_source_status_and_search(client, cast, texts):
    client.force_login(cast.alice)
    client.post(url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["jadwal"]})
    count = lambda q: client.get(url(texts, q)).context["page"].paginator.count  # noqa: E731
    assert count("?sumber=survey") == 0
    assert count("?sumber=interview") == 3
    assert count("?status=reviewed") == 1
    assert count("?status=unreviewed") == 2
    assert count("?q=BENTROK") == 1


def test_it_gives_the_report_only_codes_the_default_coder_knows(client, cast, texts):
    from tilik.core.themes import Coder

    client.force_login(cast.alice)
    add = {"action": "add", "tambah-code": "kearifan_lokal", "tambah-label_id": "Kearifan lokal"}
    client.post(url(texts, "buku-kode/"), add)
    client.post(
        url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["kearifan_lokal", "jadwal"]}
    )
    assert corrections_for(texts) == [(SCHEDULE, ["jadwal"])]
    assert Coder.default().with_corrections(corrections_for(texts)).code(SCHEDULE).codes == [
        "jadwal"
    ]


def test_it_links_the_screen_from_the_evaluation_tabs(client, cast, texts):
    client.force_login(cast.charlie)
    page = client.get(f"/evaluasi/{texts.pk}/").content.decode()
    assert f'href="/evaluasi/{texts.pk}/pengodean/"' in page


def test_it_carries_an_added_code_into_the_report(client, cast, texts):
    from tilik.web.reports.services import run_analysis

    client.force_login(cast.alice)
    add = {"action": "add", "tambah-code": "kearifan_lokal", "tambah-label_id": "Kearifan lokal"}
    client.post(url(texts, "buku-kode/"), add)
    client.post(url(texts, "simpan/"), {"key": key_of(SCHEDULE), "themes": ["kearifan_lokal"]})
    run = run_analysis(texts, cast.alice)
    assert run.hasil["themes"]["kearifan_lokal"]["n_segments"] >= 1


SIMILAR = """P: Kendala?
N: Internet di kantor sering putus waktu e-learning.
P: Lainnya?
N: Internet kantor sering putus saat e-learning, jadi kami ketinggalan.
P: Materi?
N: Ya begitulah, seperti biasa saja.
P: Widyaiswara?
N: Widyaiswara sangat menguasai materi dan sabar menjelaskan.
"""


@pytest.fixture
def similar(cast):
    services.clear_caches()
    Interview.objects.create(
        evaluation=cast.evaluation_a, file_name="02.txt", role="peserta", transcript=SIMILAR
    )
    return cast.evaluation_a


def test_it_lists_low_confidence_codings_first(client, cast, similar):
    client.force_login(cast.alice)
    rows = list(client.get(url(similar)).context["page"].object_list)
    flags = [r.low_confidence for r in rows]
    assert flags[0] and flags == sorted(flags, reverse=True)
    low = [r.confidence for r in rows if r.low_confidence]
    assert low == sorted(low)
    assert rows[0].text.item.text == "Ya begitulah, seperti biasa saja."
    in_order = list(client.get(url(similar, "?urut=asal")).context["page"].object_list)
    assert in_order[0].text.item.text.startswith("Internet di kantor")


def test_it_moves_reviewed_texts_to_the_end(client, cast, similar):
    client.force_login(cast.alice)
    vague = key_of("Ya begitulah, seperti biasa saja.")
    client.post(url(similar, "simpan/"), {"key": vague, "themes": ["manfaat"]})
    rows = list(client.get(url(similar)).context["page"].object_list)
    assert rows[-1].key == vague and rows[-1].confidence == 1.0


def test_it_says_how_many_similar_texts_a_correction_recoded(client, cast, similar):
    client.force_login(cast.alice)
    first = key_of("Internet di kantor sering putus waktu e-learning.")
    other = key_of("Internet kantor sering putus saat e-learning, jadi kami ketinggalan.")
    before = services.review_for(similar)
    assert "jadwal" not in next(r for r in before.rows if r.key == other).themes
    response = client.post(
        url(similar, "simpan/"),
        {"key": first, "themes": ["sarana_akses", "jadwal"], "sentiment": "negatif"},
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert other in data["recoded"] and first not in data["recoded"]
    assert data["n_recoded"] == len(data["recoded"])
    assert f"{data['n_recoded']} teks serupa dikode ulang" in data["message"]
    after = services.review_for(similar)
    assert "jadwal" in next(r for r in after.rows if r.key == other).themes
    page = client.get(url(similar)).content.decode()
    assert "data-recoded hidden" in page


def test_it_tells_the_plain_form_how_many_texts_were_recoded(client, cast, similar):
    client.force_login(cast.alice)
    first = key_of("Internet di kantor sering putus waktu e-learning.")
    response = client.post(
        url(similar, "simpan/"), {"key": first, "themes": ["sarana_akses", "jadwal"]}, follow=True
    )
    assert "teks serupa dikode ulang" in response.content.decode()
