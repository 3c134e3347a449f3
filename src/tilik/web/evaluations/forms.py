from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tilik.web.collection.forms import check_upload
from tilik.web.evaluations.models import Cohort, Evaluation, Member, Program

#: Kinds of programs an evaluator picks from (or writes another).
PROGRAM_KINDS = [
    _("pelatihan teknis"),
    _("pelatihan fungsional"),
    _("pelatihan kepemimpinan"),
    _("pelatihan dasar CPNS"),
    _("seminar atau lokakarya"),
    _("coaching atau mentoring"),
    _("e-learning"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["name", "kind", "jp", "start", "end", "budget", "participants_planned"]
        widgets = {
            "kind": forms.TextInput(attrs={"list": "jenis-program"}),
            "start": DateInput(),
            "end": DateInput(),
            "jp": forms.NumberInput(attrs={"min": "0", "step": "0.5", "inputmode": "decimal"}),
            "budget": forms.NumberInput(attrs={"min": "0", "step": "1", "inputmode": "numeric"}),
            "participants_planned": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
        }
        help_texts = {
            "kind": _("misalnya pelatihan teknis; pilih dari daftar atau tulis sendiri"),
            "participants_planned": _("penyebut tingkat respons"),
        }

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.kinds = [str(k) for k in PROGRAM_KINDS]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Program.objects.filter(evaluation=self.evaluation, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Evaluasi ini sudah punya program dengan nama itu."))
        return name

    def clean_jp(self):
        jp = self.cleaned_data.get("jp")
        if jp is not None and jp <= 0:
            raise forms.ValidationError(_("JP harus lebih dari 0."))
        return jp

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("Anggaran tidak boleh negatif."))
        return budget

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Tanggal selesai sebelum tanggal mulai."))
        return data


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}
        labels = {"name": _("Nama angkatan")}
        help_texts = {"name": _("misalnya 1, 2, atau Angkatan II")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolled = self.instance.enrolments.count() if self.instance.pk else 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Tanggal selesai sebelum tanggal mulai."))
        return data


class BaseCohortFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" not in form.fields:
            return
        if not form.instance.pk:  # a new angkatan is simply left empty
            del form.fields["DELETE"]
            return
        enrolled = getattr(form, "enrolled", 0)
        form.fields["DELETE"].label = (
            ngettext(
                "Hapus angkatan ini (%(n)d peserta ikut dihapus dari program)",
                "Hapus angkatan ini (%(n)d peserta ikut dihapus dari program)",
                enrolled,
            )
            % {"n": enrolled}
            if enrolled
            else _("Hapus angkatan ini")
        )

    def clean(self) -> None:
        super().clean()
        names: set[str] = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            name = (form.cleaned_data.get("name") or "").strip().lower()
            if name in names:
                form.add_error("name", _("Nama angkatan ini ditulis dua kali."))
            names.add(name)


CohortFormSet = forms.inlineformset_factory(
    Program,
    Cohort,
    form=CohortForm,
    formset=BaseCohortFormSet,
    extra=1,
    can_delete=True,
)


MAX_ROSTER_BYTES = 20 * 1024 * 1024


class ParticipantUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Daftar peserta (CSV atau XLSX)"),
        help_text=_(
            "Satu baris per peserta, dengan judul kolom NIP dan Nama; juga dibaca: Instansi, "
            "Unit Kerja, Jabatan, Golongan, Program, Angkatan (judul kolom ekspor SIASN "
            "seperti NIP BARU, UNOR, GOL. RUANG juga dikenali)."
        ),
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("sesuai kolom Program di berkas"),
        help_text=_("untuk baris yang tidak menyebut programnya"),
    )
    angkatan = forms.CharField(
        label=_("Angkatan"),
        max_length=100,
        required=False,
        help_text=_("untuk baris yang tidak menyebut angkatannya; kosong berarti angkatan 1"),
    )

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = evaluation.programs.order_by("name")

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], (".csv", ".xlsx", ".txt"), MAX_ROSTER_BYTES)


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
