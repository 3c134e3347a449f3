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


class PreviousCycleForm(forms.Form):
    """Which evaluation is this one's previous cycle (of those the user reaches)."""

    previous = forms.ModelChoiceField(
        label=_("Siklus sebelumnya"),
        queryset=Evaluation.objects.none(),
        required=False,
        empty_label=_("— tidak ada —"),
        help_text=_(
            "Evaluasi program yang sama pada periode sebelumnya. Hasil analisis berikutnya "
            "memuat perbandingan dengannya."
        ),
    )

    def __init__(self, *args, evaluation: Evaluation, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        later = {e.pk for e in Evaluation.objects.filter(previous__isnull=False) if self._after(e)}
        self.fields["previous"].queryset = (
            Evaluation.objects.for_user(user)
            .exclude(pk=evaluation.pk)
            .exclude(pk__in=later)
            .select_related("organisation")
            .order_by("-period", "title")
        )
        self.fields["previous"].label_from_instance = lambda e: (
            f"{e.title} ({e.period}) · {e.organisation}"
        )
        self.initial.setdefault("previous", evaluation.previous_id)

    def _after(self, other: Evaluation) -> bool:
        """Whether ``other`` comes after this evaluation (linking it back would loop)."""
        return self.evaluation.pk in {e.pk for e in other.earlier_cycles()}

    def save(self) -> Evaluation:
        from tilik.web.evaluations.bundles import previous_folder

        previous = self.cleaned_data["previous"]
        self.evaluation.previous = previous
        settings = dict(self.evaluation.settings)
        settings.pop("previous", None)
        if previous is not None:
            settings["previous"] = previous_folder(previous)
        self.evaluation.settings = settings
        self.evaluation.save(update_fields=["previous", "settings", "updated_at"])
        return self.evaluation
