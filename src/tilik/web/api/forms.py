from django import forms
from django.utils.translation import gettext_lazy as _

from tilik.web.accounts.models import Organisation


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya «Dasbor BKN regional»."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Instansi"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Token hanya membaca evaluasi instansi ini (dan instansi di bawahnya)."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            members__user=user
        ).distinct()
