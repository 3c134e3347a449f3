from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tilik.web.evaluations.models import Evaluation, Member


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Pengguna"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Peran"), choices=Member.Role.choices)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.get_username()})" if u.get_full_name() else u.get_username()
        )


class RetentionForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["retention_months"]
