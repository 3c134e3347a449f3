import pytest

pytestmark = pytest.mark.django_db


def test_it_serves_the_login_page_in_indonesian(client):
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert "Masuk ke Tilik" in response.content.decode()


def test_it_speaks_indonesian_whatever_the_browser_prefers(client):
    response = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Masuk ke Tilik" in response.content.decode()


def test_it_serves_the_login_page_in_english_when_chosen(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert "Sign in to Tilik" in response.content.decode()


def test_it_redirects_anonymous_users_to_login(client, cast):
    response = client.get(f"/evaluasi/{cast.evaluation_a.pk}/")
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_it_lists_only_the_users_evaluations(client, cast):
    client.force_login(cast.alice)
    body = client.get("/evaluasi/").content.decode()
    assert "Evaluasi A" in body
    assert "Evaluasi B" not in body


def test_it_hides_other_agencies_evaluations(client, cast):
    client.force_login(cast.bob)
    assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/").status_code == 404
    assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/peserta/").status_code == 404
    assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/observasi/").status_code == 404


def test_it_lets_a_leader_read(client, cast):
    client.force_login(cast.charlie)
    assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/").status_code == 200


def test_it_gives_an_outsider_nothing(client, cast):
    client.force_login(cast.mallory)
    assert "Evaluasi A" not in client.get("/evaluasi/").content.decode()
    assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/").status_code == 404


def test_it_serves_its_own_stylesheet(client):
    assert client.get("/static/tilik/tilik.css").status_code == 200


def test_it_answers_the_health_check(client):
    assert client.get("/healthz").json() == {"status": "ok"}
