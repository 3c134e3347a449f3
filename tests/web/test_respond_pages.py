"""A long respondent form in pages (one top-level group a page) without JavaScript: each move
is a request, answers of every page travel with it, errors keep one on the page they are on."""

from __future__ import annotations

import re
import uuid

import pytest

from tilik.web.collection import services
from tilik.web.collection.models import RespondentLink, Submission

pytestmark = pytest.mark.django_db
NIP = "198503122010011001"


@pytest.fixture
def token(cast):
    (instrument,) = services.add_standard_instruments(cast.evaluation_a, ["survei_peserta"])
    _, token = RespondentLink.make(instrument, "single")
    return token, instrument


def _current(page: str) -> int:
    return int(re.search(r'name="_page" value="(\d+)"', page).group(1))


def _visible_sections(page: str) -> list[str]:
    return re.findall(r'<section class="page" id="(bagian-\d+)"', page)


def _all_answers(instrument) -> dict:
    form = instrument.form()
    answers = {"persetujuan": "ya", "nip": NIP, "angkatan": "2", "hambatan": "beban_kerja"}
    for q in form.data_questions():
        if q.type == "select_one" and q.name not in answers:
            answers[q.name] = form.choice_names(q)[-1]
    return answers


def test_it_shows_the_first_page_with_its_place_in_the_form(client, token):
    link, _ = token
    page = client.get(f"/f/{link}/").content.decode()
    assert "Bagian 1 dari 6" in page and _visible_sections(page) == ["bagian-0"]
    assert page.count('class="page page-off"') == 5  # the others are there, hidden
    assert 'value="next" class="primary big" data-nav="next">' in page


def test_it_checks_only_the_page_it_leaves(client, token):
    link, _ = token
    page = client.post(f"/f/{link}/", {"_page": "0", "_nav": "next"})
    assert page.status_code == 400 and _current(page.content.decode()) == 0
    body = page.content.decode()
    assert "Pertanyaan ini wajib dijawab." in body and 'id="err-nip"></p>' in body
    page = client.post(f"/f/{link}/", {"_page": "0", "_nav": "next", "persetujuan": "ya"})
    assert page.status_code == 200 and _current(page.content.decode()) == 1
    assert re.search(
        r"Bagian 2 dari 6</span><span data-page-title>: Identitas", page.content.decode()
    )
    back = client.post(f"/f/{link}/", {"_page": "1", "_nav": "prev", "persetujuan": "ya"})
    assert _current(back.content.decode()) == 0
    assert 'name="persetujuan" value="ya" id="f-persetujuan" checked' in back.content.decode()


def test_it_sends_errors_on_other_pages_to_their_page_from_the_summary(client, token):
    link, _ = token
    sent = {"_page": "5", "persetujuan": "ya", "_instance_id": str(uuid.uuid4())}
    page = client.post(f"/f/{link}/", sent)
    body = page.content.decode()
    assert page.status_code == 400 and _current(body) == 1  # the first page with an error
    assert 'name="_goto" value="2:reaksi_materi"' in body  # a button: it carries the answers
    assert 'data-target="f-nip" href="#f-nip">' in body  # on this page: a link to the input
    jump = client.post(f"/f/{link}/", {**sent, "_goto": "2:reaksi_materi"}).content.decode()
    assert _current(jump) == 2 and re.search(r'value="1" id="f-reaksi_materi"\s+autofocus', jump)
    assert not Submission.objects.exists()


def test_it_stores_what_every_page_carried(client, token):
    link, instrument = token
    answers = _all_answers(instrument)
    page = client.post(f"/f/{link}/", {**answers, "_page": "5", "_instance_id": str(uuid.uuid4())})
    assert page.status_code == 200 and "Terima kasih" in page.content.decode()
    stored = Submission.objects.get().answers
    assert stored["nip"] == NIP and stored["hambatan"] == ["beban_kerja"]


def test_it_ends_on_the_first_page_when_the_respondent_declines(client, token):
    link, _ = token
    page = client.post(f"/f/{link}/", {"_page": "0", "_nav": "next", "persetujuan": "tidak"})
    body = page.content.decode()
    assert _current(body) == 0 and "Bagian 1 dari 1" in body
    assert 'class="primary big" data-send>' in body and 'data-nav="next" hidden' in body
    sent = client.post(f"/f/{link}/", {"persetujuan": "tidak", "_instance_id": str(uuid.uuid4())})
    assert sent.status_code == 200 and Submission.objects.get().answers["persetujuan"] == "tidak"


def test_the_privacy_notice_is_read_in_full_first_and_folded_on_later_pages(client, token):
    link, _ = token
    first = client.get(f"/f/{link}/").content.decode()
    assert '<details id="privasi-rincian" open>' in first
    second = client.post(f"/f/{link}/", {"_page": "0", "_nav": "next", "persetujuan": "ya"})
    body = second.content.decode()
    assert '<details id="privasi-rincian">' in body  # folded, one tap away
    assert "Pemberitahuan privasi" in body and "Hak Anda" in body
