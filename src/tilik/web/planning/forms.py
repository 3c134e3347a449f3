from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tilik.web.planning.models import SchedulePlan, parse_plan_text

MAX_PLAN_BYTES = 5 * 1024 * 1024


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def check_plan(text: str) -> str:
    """``text`` if it is a plan that can be solved; otherwise every error, in the user's words."""
    plan, problems = parse_plan_text(text)
    if plan is None:
        errors = [p for p in problems if p.severity == "error"] or problems
        raise ValidationError([p.render(_lang()) for p in errors])
    return text


class PlanForm(forms.ModelForm):
    class Meta:
        model = SchedulePlan
        fields = ["title", "source"]
        widgets = {
            "source": forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "code"}),
        }
        help_texts = {
            "source": _(
                "Peserta, unit (staf minimum dan masa sibuk), modul, moda, pelatih, ruang, dan "
                "kecamatan, dalam format jadwal.yaml (lihat README)."
            )
        }

    def clean_source(self) -> str:
        return check_plan(self.cleaned_data["source"])


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas rencana (jadwal.yaml)"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PLAN_BYTES:
            raise ValidationError(_("Berkas terlalu besar (paling besar 5 MB)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("Berkas bukan teks UTF-8.")) from exc
        return check_plan(text)
