from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tilik.web.evaluations.models import Program
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


class DraftForm(forms.Form):
    """What a draft built from the evaluation's own data covers."""

    programs = forms.ModelMultipleChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Satu rencana dapat memuat beberapa program: setiap program mendapat modulnya "
            "sendiri, pesertanya hanya mengikuti modul programnya, dan staf minimum unit dijaga "
            "untuk semuanya sekaligus."
        ),
        error_messages={"required": _("Pilih paling sedikit satu program.")},
    )
    start = forms.DateField(
        label=_("Mulai (Senin)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    weeks = forms.IntegerField(label=_("Lama (minggu)"), min_value=1, max_value=26, initial=8)

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start.weekday() != 0:  # the plan's weeks run Monday to Friday
            raise ValidationError(
                _("Tanggal mulai harus hari Senin: %(date)s hari %(day)s."),
                params={"date": start.isoformat(), "day": _weekday(start)},
            )
        return start

    def __init__(self, *args, programs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programs"]
        field.queryset = programs if programs is not None else Program.objects.none()
        field.initial = list(field.queryset)
        field.label_from_instance = _program_label


def _weekday(day: date) -> str:
    """The day's name in the page's language (Babel's calendar names)."""
    from babel.dates import format_date

    return format_date(day, "EEEE", locale="en" if get_language() == "en" else "id")


def _program_label(program: Program) -> str:
    if program.jp:
        return f"{program.name} ({program.jp.normalize():f} JP)"
    return _("%(name)s (JP belum diisi; draf memakai 16 JP)") % {"name": program.name}
