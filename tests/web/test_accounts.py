"""Accounts and sessions (OWASP ASVS level 2): throttled sign-in, passwords, sessions that
end, two-step sign-in, invitations and the organisation administrator's pages."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tilik.web.accounts.middleware import LAST_SEEN
from tilik.web.accounts.models import Invitation, OrganisationMember
from tilik.web.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def _login(client, username, password, ip="203.0.113.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_signs_in_and_records_it(client, cast):
    response = _login(client, "alice", "pw-alice")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == cast.alice and event.ip == "203.0.113.1"


def test_a_guesser_is_locked_out_at_their_address_only(client, cast):
    codes = [_login(client, "alice", "salah", ip="198.51.100.66").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # AXES_FAILURE_LIMIT = 5
    assert _login(client, "alice", "pw-alice", ip="198.51.100.66").status_code == 429
    elsewhere = Client()
    assert _login(elsewhere, "alice", "pw-alice", ip="203.0.113.9").status_code == 302
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert failed.count() >= 5 and all(e.actor == cast.alice for e in failed)
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).exists()


def test_failed_sign_ins_to_unknown_accounts_keep_what_was_typed_out(client, cast):
    _login(client, "198503122010011001", "x")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor is None and "198503122010011001" not in str(event.detail)


@override_settings(TILIK_ACCOUNT_SLOWDOWN_AFTER=6, TILIK_ACCOUNT_SLOWDOWN_SECONDS=60)
def test_a_spread_out_guesser_is_slowed_but_the_owner_is_not(client, cast):
    owner = Client()
    assert _login(owner, "alice", "pw-alice", ip="203.0.113.9").status_code == 302
    owner.post("/akun/keluar/")
    codes = [_login(Client(), "alice", "salah", ip=f"198.51.100.{n}").status_code for n in range(8)]
    # from the 7th failure on, the account takes one attempt a minute from unknown browsers
    assert codes == [200] * 7 + [429]
    slowed = _login(Client(), "alice", "pw-alice", ip="198.51.100.201")
    assert slowed.status_code == 429
    assert "coba lagi dalam 60 detik" in slowed.content.decode()
    # The owner's browser signed in before: its device cookie spares it the slow-down.
    assert _login(owner, "alice", "pw-alice", ip="203.0.113.9").status_code == 302


def test_changing_the_password_ends_the_other_sessions(cast):
    phone, laptop = Client(), Client()
    _login(phone, "alice", "pw-alice")
    _login(laptop, "alice", "pw-alice")
    response = laptop.post(
        "/akun/kata-sandi/",
        {
            "old_password": "pw-alice",
            "new_password1": "Kupang-2025-baru!",
            "new_password2": "Kupang-2025-baru!",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/evaluasi/").status_code == 200
    assert phone.get("/evaluasi/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, actor=cast.alice).exists()


@override_settings(TILIK_SESSION_IDLE_MINUTES=30)
def test_an_idle_session_ends(client, cast):
    client.force_login(cast.alice)
    assert client.get("/evaluasi/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/evaluasi/")
    assert response.status_code == 302 and "sesi=habis" in response["Location"]
    assert client.get("/evaluasi/").status_code == 302


def test_deactivating_a_user_ends_their_sessions_at_once(client, cast):
    client.force_login(cast.bob)
    assert client.get("/evaluasi/").status_code == 200
    admin = Client()
    admin.force_login(cast.diana)
    OrganisationMember.objects.create(organisation=cast.agency_a, user=cast.bob, role="evaluator")
    response = admin.post(
        f"/akun/instansi/{cast.agency_a.pk}/pengguna/{cast.bob.pk}/aktif/", {"active": "0"}
    )
    assert response.status_code == 302
    assert client.get("/evaluasi/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.USER_DEACTIVATED).exists()


def test_an_administrator_issues_a_one_time_reset_link(client, cast):
    client.force_login(cast.diana)
    client.post(f"/akun/instansi/{cast.agency_a.pk}/pengguna/{cast.alice.pk}/atur-ulang/")
    page = client.get(f"/akun/instansi/{cast.agency_a.pk}/").content.decode()
    url = page.split("/akun/atur-ulang/")[1].split('"')[0]
    assert (
        "/akun/atur-ulang/"
        not in client.get(f"/akun/instansi/{cast.agency_a.pk}/").content.decode()
    )
    user = Client()
    form = user.get(f"/akun/atur-ulang/{url}", follow=True)
    assert form.status_code == 200
    target = form.redirect_chain[-1][0]
    done = user.post(
        target, {"new_password1": "Sabu-Raijua-77!", "new_password2": "Sabu-Raijua-77!"}
    )
    assert done.status_code == 302
    assert _login(Client(), "alice", "Sabu-Raijua-77!").status_code == 302
    again = Client().get(f"/akun/atur-ulang/{url}", follow=True).content.decode()
    assert "sudah dipakai atau kedaluwarsa" in again
    assert AuditEvent.objects.filter(action=Action.RESET_ISSUED).exists()
    assert AuditEvent.objects.filter(action=Action.RESET_USED, actor=cast.alice).exists()


def test_an_administrator_manages_only_their_organisation(client, cast):
    client.force_login(cast.diana)
    assert client.get(f"/akun/instansi/{cast.agency_a.pk}/").status_code == 200
    assert client.get(f"/akun/instansi/{cast.agency_b.pk}/").status_code == 404
    assert (
        client.post(f"/akun/instansi/{cast.agency_b.pk}/pengguna/{cast.bob.pk}/aktif/").status_code
        == 404
    )
    client.force_login(cast.alice)
    assert client.get(f"/akun/instansi/{cast.agency_a.pk}/").status_code == 404


def test_an_invitation_works_once_and_places_the_user(client, cast):
    client.force_login(cast.diana)
    client.post(
        f"/akun/instansi/{cast.agency_a.pk}/unit/", {"name": "Dinas Kesehatan", "kind": "opd"}
    )
    unit = cast.agency_a.children.get()
    client.post(
        f"/akun/instansi/{cast.agency_a.pk}/undang/", {"unit": unit.pk, "role": "evaluator"}
    )
    page = client.get(f"/akun/instansi/{cast.agency_a.pk}/").content.decode()
    token = page.split("/akun/undangan/")[1].split("/")[0]
    newcomer = Client()
    data = {"username": "ester", "password1": "Flores-Timur-9!", "password2": "Flores-Timur-9!"}
    assert newcomer.post(f"/akun/undangan/{token}/", data).status_code == 302
    assert OrganisationMember.objects.get(user__username="ester").organisation == unit
    assert (
        Client().post(f"/akun/undangan/{token}/", {**data, "username": "lagi"}).status_code == 410
    )
    assert Invitation.objects.get().accepted_at is not None
    assert AuditEvent.objects.filter(action=Action.INVITE_ACCEPTED).exists()


def test_a_leader_cannot_create_evaluations(client, cast):
    client.force_login(cast.charlie)
    response = client.get("/evaluasi/baru/")
    assert response.status_code == 302
    post = client.post(
        "/evaluasi/baru/", {"organisation": cast.agency_a.pk, "title": "X", "period": "2025"}
    )
    assert post.status_code == 302
    assert not cast.agency_a.evaluations.filter(title="X").exists()


def test_django_admin_is_for_the_superuser_only(client, cast):
    cast.alice.is_staff = True
    cast.alice.save()
    client.force_login(cast.alice)
    assert client.get("/admin/").status_code == 302
    root = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_two_step_sign_in(client, cast):
    client.force_login(cast.alice)
    client.get("/akun/2fa/pasang/")
    device = TOTPDevice.objects.get(user=cast.alice)
    assert client.post("/akun/2fa/pasang/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down the next try after a wrong code
    shown = client.post("/akun/2fa/pasang/", {"token": _code(device)})
    assert shown.status_code == 200 and "Kode cadangan" in shown.content.decode()
    fresh = Client()
    assert _login(fresh, "alice", "pw-alice").status_code == 302
    blocked = fresh.get("/evaluasi/")
    assert blocked.status_code == 302 and "/akun/2fa/verifikasi/" in blocked["Location"]
    device.refresh_from_db()
    device.last_t = -1  # the code was just used to confirm; a new one is not yet due
    device.save()
    assert fresh.post("/akun/2fa/verifikasi/", {"token": _code(device)}).status_code == 302
    assert fresh.get("/evaluasi/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.OTP_ENABLED).exists()


def test_an_organisation_can_require_two_steps_for_its_administrators(client, cast):
    client.force_login(cast.diana)
    client.post(f"/akun/instansi/{cast.agency_a.pk}/pengaturan/", {"require_2fa_admins": "1"})
    response = client.get(f"/akun/instansi/{cast.agency_a.pk}/")
    assert response.status_code == 302 and "/akun/2fa/pasang/" in response["Location"]
    client.force_login(cast.alice)  # not an administrator: not required
    assert client.get("/evaluasi/").status_code == 200


def test_the_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TILIK_", "DATABASE_URL"))}
    env["TILIK_DATA"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--settings=tilik.web.settings", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
    )
    for name in ("tilik.sqlite3", "secret_key"):
        assert oct((tmp_path / name).stat().st_mode & 0o777) == "0o600", name


def _enable_second_step(client, user) -> tuple[TOTPDevice, list[str]]:
    client.force_login(user)
    client.get("/akun/2fa/pasang/")
    device = TOTPDevice.objects.get(user=user)
    page = client.post("/akun/2fa/pasang/", {"token": _code(device)}).content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
    return device, codes


def test_a_backup_code_signs_in_once(client, cast):
    _device, codes = _enable_second_step(client, cast.alice)
    assert len(codes) == 10
    fresh = Client()
    _login(fresh, "alice", "pw-alice")
    assert fresh.post("/akun/2fa/verifikasi/", {"token": codes[0]}).status_code == 302
    assert fresh.get("/evaluasi/").status_code == 200
    again = Client()
    _login(again, "alice", "pw-alice")
    assert again.post("/akun/2fa/verifikasi/", {"token": codes[0]}).status_code == 200  # used
    assert again.get("/evaluasi/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.OTP_BACKUP_USED).count() == 1


def test_new_backup_codes_replace_the_old_ones(client, cast):
    _device, old = _enable_second_step(client, cast.alice)
    page = client.post("/akun/2fa/kode-cadangan/").content.decode()
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    fresh = Client()
    _login(fresh, "alice", "pw-alice")
    assert fresh.post("/akun/2fa/verifikasi/", {"token": old[1]}).status_code == 200
    for device in StaticDevice.objects.filter(user=cast.alice):
        device.throttle_reset()  # django-otp slows down the next try after a wrong code
    assert fresh.post("/akun/2fa/verifikasi/", {"token": new[1]}).status_code == 302


def test_an_administrator_resets_a_lost_second_step(client, cast):
    _enable_second_step(Client(), cast.alice)
    client.force_login(cast.diana)
    page = client.get(f"/akun/instansi/{cast.agency_a.pk}/").content.decode()
    url = f"/akun/instansi/{cast.agency_a.pk}/pengguna/{cast.alice.pk}/2fa-ulang/"
    assert url in page
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()
    assert AuditEvent.objects.filter(
        action=Action.OTP_RESET, target=f"user:{cast.alice.pk}"
    ).exists()
    fresh = Client()
    _login(fresh, "alice", "pw-alice")
    assert fresh.get("/evaluasi/").status_code == 200  # no second step until she sets one up
    client.force_login(cast.bob)  # another agency's evaluator
    assert client.post(url).status_code in (403, 404)
