"""Signing in and out, one's own account, two-step sign-in, invitations, and the pages an
organisation's administrator uses to manage its people."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tilik.web.accounts import throttle
from tilik.web.accounts.forms import (
    AcceptInviteForm,
    InviteForm,
    MemberForm,
    SignInTokenForm,
    TokenForm,
    UnitForm,
)
from tilik.web.accounts.models import Invitation, Organisation, OrganisationMember
from tilik.web.accounts.secondfactor import required_for
from tilik.web.audit.models import Action
from tilik.web.audit.services import record

User = get_user_model()


# Signing in -----------------------------------------------------------------------------


class SignIn(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:150]
        wait = throttle.wait_seconds(request, username)
        if wait:
            form = self.get_form()
            form.is_valid = lambda: False  # not checked: the attempt is not made at all
            form.errors.clear()
            form.add_error(
                None,
                _(
                    "Akun ini sedang menerima banyak percobaan masuk yang gagal. Dari "
                    "perangkat ini, coba lagi dalam %(seconds)s detik."
                )
                % {"seconds": wait},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.remember_device(self.request, response, form.get_user().get_username())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_ended"] = self.request.GET.get("sesi") == "habis"
        return context


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes' answer while this (account, address) pair is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class PasswordChange(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)  # other sessions of this user end here
        record(self.request, Action.PASSWORD_CHANGED)
        messages.success(self.request, _("Kata sandi diganti; sesi di perangkat lain berakhir."))
        return response


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request, Action.RESET_USED, user=form.user)
        messages.success(self.request, _("Kata sandi baru disimpan. Silakan masuk."))
        return response


@login_required
def account(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    backup = StaticToken.objects.filter(device__user=request.user).count()
    return render(
        request,
        "accounts/account.html",
        {
            "devices": devices,
            "backup_left": backup,
            "otp_required": required_for(request.user),
            "administered": _administered(request.user),
            "idle_minutes": settings.TILIK_SESSION_IDLE_MINUTES,
        },
    )


# Two-step sign-in -----------------------------------------------------------------------


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return buffer.getvalue().decode()


@login_required
@never_cache
def otp_setup(request):
    """Add an authenticator: scan the QR code (or type the key), then prove it with a code."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next(request, '')})}"
        )
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Tilik", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            record(request, Action.OTP_ENABLED)
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return _show_backup_codes(request, _new_backup_codes(request.user))
        form.add_error("token", _("Kode tidak cocok. Periksa jam ponsel dan coba lagi."))
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "required": required_for(request.user),
            "next": _next(request, ""),
        },
    )


@login_required
@never_cache
def otp_verify(request):
    """The second step of signing in."""
    if not user_has_device(request.user):
        return redirect(_next(request, reverse("evaluations:list")))
    form = SignInTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = throttle.wait_seconds(request, f"otp:{request.user.get_username()}")
        token = form.cleaned_data["token"]
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if not wait and device.verify_token(token):
                otp_login(request, device)
                return redirect(_next(request, reverse("evaluations:list")))
        for backup in StaticDevice.objects.filter(user=request.user, confirmed=True):
            if not wait and backup.verify_token(token):  # used once, then gone
                otp_login(request, backup)
                left = backup.token_set.count()
                record(request, Action.OTP_BACKUP_USED, left=left)
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode cadangan; sisa %(n)s kode. Buat kode baru di "
                        "halaman Akun saya bila hampir habis."
                    )
                    % {"n": left},
                )
                return redirect(_next(request, reverse("evaluations:list")))
        record(request, Action.LOGIN_FAILED, second_step=True)
        form.add_error("token", _("Kode tidak cocok."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request, "")})


@login_required
@require_POST
def otp_disable(request):
    if required_for(request.user):
        messages.error(request, _("Instansi Anda mewajibkan verifikasi dua langkah untuk admin."))
        return redirect("accounts:account")
    form = TokenForm(request.POST)
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if form.is_valid() and any(d.verify_token(form.cleaned_data["token"]) for d in devices):
        devices.delete()
        StaticDevice.objects.filter(user=request.user).delete()
        record(request, Action.OTP_DISABLED)
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
    else:
        messages.error(request, _("Kode tidak cocok; verifikasi dua langkah tetap aktif."))
    return redirect("accounts:account")


BACKUP_CODES = 10


def _new_backup_codes(user) -> list[str]:
    """Ten one-time codes for signing in without the phone; older ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(_("Kode cadangan")), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _show_backup_codes(request, codes: list[str]):
    """The codes are shown once: only their hashes' owner, django-otp, keeps them after this."""
    response = render(
        request,
        "accounts/otp_codes.html",
        {"codes": [f"{c[:4]}-{c[4:]}" for c in codes], "next": _next(request, "")},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def otp_codes(request):
    """New backup codes, for a user signed in with their second step."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_setup")
    if not request.user.is_verified():
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': reverse('accounts:account')})}"
        )
    record(request, Action.OTP_CODES_RENEWED)
    return _show_backup_codes(request, _new_backup_codes(request.user))


# Invitations ----------------------------------------------------------------------------


@never_cache
def accept_invite(request, token: str):
    invitation = Invitation.by_token(token)
    if invitation is None or not invitation.usable:
        return render(request, "accounts/invite_closed.html", status=410)
    form = AcceptInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            taken = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
                accepted_at=timezone.now()
            )
            if not taken:
                return render(request, "accounts/invite_closed.html", status=410)
            user = User.objects.create_user(
                data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
            OrganisationMember.objects.create(
                organisation=invitation.organisation, user=user, role=invitation.role
            )
        record(
            request,
            Action.INVITE_ACCEPTED,
            user=user,
            organisation=invitation.organisation,
            target=f"invitation:{invitation.pk}",
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Selamat datang di Tilik."))
        return redirect("evaluations:list")
    return render(request, "accounts/invite_accept.html", {"form": form, "invitation": invitation})


# Organisation administration ------------------------------------------------------------


def _administered(user) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            members__user=user, members__role=OrganisationMember.Role.ADMIN
        ).distinct()
    )


def organisation_for(request, org_id: int) -> Organisation:
    """The organisation if ``request.user`` administers it (404 otherwise)."""
    organisation = get_object_or_404(Organisation, pk=org_id)
    if not organisation.administered_by(request.user):
        raise Http404
    return organisation


@login_required
def organisations(request):
    administered = _administered(request.user)
    if len(administered) == 1:
        return redirect("accounts:organisation", administered[0].pk)
    return render(request, "accounts/organisations.html", {"organisations": administered})


def _people(organisation: Organisation):
    units = organisation.tree()
    return (
        OrganisationMember.objects.filter(organisation__in=units)
        .select_related("user", "organisation")
        .order_by("user__username", "organisation__name")
    )


@login_required
def organisation(request, org_id: int):
    org = organisation_for(request, org_id)
    units = org.tree()
    invitations = Invitation.objects.filter(organisation__in=units).select_related(
        "organisation", "accepted_by"
    )[:50]
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "units": units[1:],
            "people": _people(org),
            "with_second_step": set(
                TOTPDevice.objects.filter(user__in=_people(org).values("user")).values_list(
                    "user_id", flat=True
                )
            ),
            "invitations": invitations,
            "invite_form": InviteForm(organisation=org),
            "member_form": MemberForm(organisation=org),
            "unit_form": UnitForm(),
            "new_link": request.session.pop("tilik_new_link", None),
        },
    )


def _show_link_once(request, url: str, what: str) -> None:
    """A link holding a secret is shown once, on the next page, and kept nowhere else."""
    request.session["tilik_new_link"] = {"url": url, "what": what}


@login_required
@require_POST
def invite(request, org_id: int):
    org = organisation_for(request, org_id)
    form = InviteForm(request.POST, organisation=org)
    if not form.is_valid():
        messages.error(request, _("Undangan tidak dibuat: periksa unit dan peran."))
        return redirect("accounts:organisation", org.pk)
    unit, role = form.cleaned_data["unit"], form.cleaned_data["role"]
    invitation, token = Invitation.make(unit, role, request.user, form.cleaned_data["note"])
    url = request.build_absolute_uri(reverse("accounts:invite", args=[token]))
    _show_link_once(request, url, _("Tautan undangan"))
    record(
        request,
        Action.USER_INVITED,
        organisation=unit,
        target=f"invitation:{invitation.pk}",
        role=role,
    )
    return redirect("accounts:organisation", org.pk)


@login_required
@require_POST
def withdraw_invite(request, org_id: int, invitation_id: int):
    org = organisation_for(request, org_id)
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, organisation__in=org.tree(), accepted_at__isnull=True
    )
    invitation.withdrawn_at = invitation.withdrawn_at or timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    messages.success(request, _("Undangan ditarik."))
    return redirect("accounts:organisation", org.pk)


def _member(org: Organisation, user_id: int) -> User:
    """A user who belongs to ``org`` or one of its units."""
    member = (
        OrganisationMember.objects.filter(organisation__in=org.tree(), user_id=user_id)
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    return member.user


@login_required
@require_POST
def set_active(request, org_id: int, user_id: int):
    org = organisation_for(request, org_id)
    person = _member(org, user_id)
    if person == request.user or person.is_superuser:
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])  # an inactive user's sessions end at once
        record(
            request,
            Action.USER_REACTIVATED if active else Action.USER_DEACTIVATED,
            organisation=org,
            target=f"user:{person.pk}",
        )
    messages.success(request, _("Pengguna diaktifkan.") if active else _("Pengguna dinonaktifkan."))
    return redirect("accounts:organisation", org.pk)


@login_required
@require_POST
def place_member(request, org_id: int, user_id: int):
    """Put a user into a unit with a role (replacing their place in this organisation)."""
    org = organisation_for(request, org_id)
    person = _member(org, user_id)
    form = MemberForm(request.POST, organisation=org)
    if not form.is_valid():
        messages.error(request, _("Perubahan tidak disimpan: periksa unit dan peran."))
        return redirect("accounts:organisation", org.pk)
    unit, role = form.cleaned_data["unit"], form.cleaned_data["role"]
    if person == request.user and role != OrganisationMember.Role.ADMIN:
        messages.error(request, _("Anda tidak dapat mencabut peran admin Anda sendiri."))
        return redirect("accounts:organisation", org.pk)
    with transaction.atomic():
        OrganisationMember.objects.filter(organisation__in=org.tree(), user=person).exclude(
            organisation=unit
        ).delete()
        OrganisationMember.objects.update_or_create(
            organisation=unit, user=person, defaults={"role": role}
        )
    record(
        request,
        Action.ORG_ROLE_CHANGED,
        organisation=unit,
        target=f"user:{person.pk}",
        role=role,
    )
    messages.success(request, _("Unit dan peran disimpan."))
    return redirect("accounts:organisation", org.pk)


@login_required
@require_POST
def issue_reset(request, org_id: int, user_id: int):
    """A one-time link to set a new password, for an office without a mail server: the
    administrator hands it over in person or by a trusted channel."""
    org = organisation_for(request, org_id)
    person = _member(org, user_id)
    if person.is_superuser:
        raise PermissionDenied
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    url = request.build_absolute_uri(reverse("accounts:reset", args=[uid, token]))
    _show_link_once(
        request, url, _("Tautan atur ulang kata sandi untuk %(user)s") % {"user": person}
    )
    record(request, Action.RESET_ISSUED, organisation=org, target=f"user:{person.pk}")
    return redirect("accounts:organisation", org.pk)


@login_required
@require_POST
def reset_second_step(request, org_id: int, user_id: int):
    """Remove a user's authenticator and backup codes (a lost phone): they set it up again at
    their next sign-in when their organisation requires it."""
    org = organisation_for(request, org_id)
    person = _member(org, user_id)
    if person == request.user or person.is_superuser:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    record(request, Action.OTP_RESET, organisation=org, target=f"user:{person.pk}")
    messages.success(
        request,
        _("Verifikasi dua langkah %(user)s diatur ulang; ia memasangnya lagi saat masuk.")
        % {"user": person},
    )
    return redirect("accounts:organisation", org.pk)


@login_required
@require_POST
def add_unit(request, org_id: int):
    org = organisation_for(request, org_id)
    form = UnitForm(request.POST)
    if form.is_valid():
        Organisation.objects.get_or_create(
            parent=org,
            name=form.cleaned_data["name"].strip(),
            defaults={"kind": form.cleaned_data["kind"]},
        )
        record(request, Action.ORG_SETTINGS_CHANGED, organisation=org, unit_added=True)
        messages.success(request, _("Unit ditambahkan."))
    return redirect("accounts:organisation", org.pk)


@login_required
@require_POST
def organisation_settings(request, org_id: int):
    org = organisation_for(request, org_id)
    wanted = request.POST.get("require_2fa_admins") == "1"
    if org.require_2fa_admins != wanted:
        org.require_2fa_admins = wanted
        org.save(update_fields=["require_2fa_admins"])
        record(request, Action.ORG_SETTINGS_CHANGED, organisation=org, require_2fa_admins=wanted)
    messages.success(request, _("Pengaturan instansi disimpan."))
    return redirect("accounts:organisation", org.pk)


@login_required
def organisation_audit(request, org_id: int):
    from tilik.web.audit.views import audit_page

    org = organisation_for(request, org_id)
    return audit_page(request, org.tree(), organisation=org)


@login_required
def organisation_audit_csv(request, org_id: int):
    from tilik.web.audit.views import audit_csv

    org = organisation_for(request, org_id)
    return audit_csv(request, org.tree(), organisation=org, name=f"jejak-instansi-{org.pk}")
