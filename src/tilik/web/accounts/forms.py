from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from tilik.web.accounts.models import Organisation, OrganisationMember


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "").replace("-", "").lower()
        if token.isdigit() and len(token) == 6:
            return token
        if self.backup and len(token) == 8 and token.isalnum():
            return token  # a backup code (letters a–z and digits 2–7)
        raise forms.ValidationError(_("Kode terdiri atas 6 angka."))

    backup = False


class SignInTokenForm(TokenForm):
    """The second step of signing in: a code from the app, or a one-time backup code."""

    backup = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _(
            "Kode 6 angka dari aplikasi autentikator, atau kode cadangan"
        )
        self.fields["token"].max_length = 10


class InviteForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Peran"), choices=OrganisationMember.Role.choices)
    note = forms.CharField(
        label=_("Untuk siapa (catatan Anda, tidak dikirim)"), max_length=200, required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisation.tree()]
        )
        self.fields["unit"].initial = organisation.pk


class MemberForm(forms.Form):
    """An administrator places a user in a unit of the organisation with a role."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Peran"), choices=OrganisationMember.Role.choices)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisation.tree()]
        )


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Nama unit atau OPD"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[
            (Organisation.Kind.OPD, Organisation.Kind.OPD.label),
            (Organisation.Kind.UNIT, Organisation.Kind.UNIT.label),
        ],
    )


class AcceptInviteForm(forms.Form):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Huruf, angka dan @/./+/-/_ saja. Jangan memakai NIP."),
    )
    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        model = get_user_model()
        model.username_validator(username)
        if model._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif data.get("password1"):
            user = get_user_model()(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
