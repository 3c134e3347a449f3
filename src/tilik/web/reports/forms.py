from django import forms
from django.utils.translation import gettext_lazy as _

from tilik.web.reports.models import FollowUp, RecommendationEdit


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = RecommendationEdit
        fields = ["text_id", "text_en", "priority", "owner", "indicator"]
        widgets = {
            "text_id": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "text_id": _("Rekomendasi (Bahasa Indonesia)"),
            "text_en": _("Rekomendasi (English)"),
        }


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["status", "assignee", "due", "note"]
        widgets = {
            "due": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class RunForm(forms.Form):
    lang = forms.ChoiceField(
        label=_("Bahasa laporan"), choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )
