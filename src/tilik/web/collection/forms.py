from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from tilik.core.bundle import KINDS
from tilik.core.instruments import standard_instruments
from tilik.web.accounts.models import Organisation, OrganisationMember
from tilik.web.collection.models import KIND_LABELS, PrivacyNotice, RespondentLink

MAX_FORM_BYTES = 10 * 1024 * 1024
MAX_DATA_BYTES = 200 * 1024 * 1024
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024


def check_upload(upload, suffixes: tuple[str, ...], limit: int):
    name = Path(upload.name or "").name
    if not name.lower().endswith(suffixes):
        raise forms.ValidationError(
            _("Jenis berkas tidak didukung; gunakan %(suffixes)s."),
            params={"suffixes": ", ".join(suffixes)},
        )
    if upload.size > limit:
        raise forms.ValidationError(
            _("Berkas terlalu besar (paling besar %(mb)d MB)."), params={"mb": limit // 2**20}
        )
    return upload


STANDARD_LABELS = {
    "survei_peserta": _("Survei peserta"),
    "survei_atasan": _("Survei atasan"),
    "tes_pengetahuan": _("Tes pengetahuan (pre-test dan post-test)"),
    "observasi": _("Lembar observasi pelayanan"),
    "skm": _("Survei Kepuasan Masyarakat (SKM)"),
}


def standard_choices(exclude: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The standard instruments as choices, those named in ``exclude`` left out."""
    return [
        (form_id, STANDARD_LABELS.get(form_id, form_id))
        for form_id in standard_instruments()
        if form_id not in exclude
    ]


class NewEvaluationForm(forms.Form):
    title = forms.CharField(label=_("Judul evaluasi"), max_length=250)
    period = forms.CharField(label=_("Periode"), max_length=20, help_text=_("misalnya 2025"))
    organisation = forms.ModelChoiceField(label=_("Instansi"), queryset=Organisation.objects.none())
    programs = forms.CharField(
        label=_("Program yang dievaluasi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("satu program per baris"),
    )
    instruments = forms.MultipleChoiceField(
        label=_("Instrumen standar yang ditambahkan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluators (and administrators) of an organisation create its evaluations;
        # leaders follow up.
        organisations = Organisation.objects.filter(
            members__user=user,
            members__role__in=[OrganisationMember.Role.EVALUATOR, OrganisationMember.Role.ADMIN],
        ).distinct()
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # the only one the user works for
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["instruments"].choices = standard_choices()
        self.fields["instruments"].initial = [c for c, _ in self.fields["instruments"].choices]

    def program_names(self) -> list[str]:
        lines = self.cleaned_data.get("programs", "").splitlines()
        return list(dict.fromkeys(line.strip()[:250] for line in lines if line.strip()))


class StandardInstrumentsForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label=_("Instrumen standar"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Pilihan program, instansi, dan sektor di formulirnya diambil dari program dan "
            "instansi evaluasi ini."
        ),
    )

    def __init__(self, *args, present: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = standard_choices(present)


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSForm (.xlsx, .xls, .ods)"))
    kind = forms.ChoiceField(
        label=_("Jenis instrumen"), required=False, choices=[(k, KIND_LABELS[k]) for k in KINDS]
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], (".xlsx", ".xls", ".ods"), MAX_FORM_BYTES)


class DataUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas data (CSV, XLSX atau ZIP)"),
        help_text=_(
            "Ekspor KoboToolbox (XLSX dengan lembar kelompok berulang), ODK Central (CSV, atau "
            "ZIP berisi satu CSV per kelompok berulang), atau tabel CSV/XLSX biasa."
        ),
    )

    def clean_file(self):
        return check_upload(
            self.cleaned_data["file"], (".csv", ".xlsx", ".txt", ".zip"), MAX_DATA_BYTES
        )


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis tautan"),
        choices=RespondentLink.Kind.choices,
        widget=forms.RadioSelect,
        initial=RespondentLink.Kind.SINGLE,
    )
    count = forms.IntegerField(
        label=_("Jumlah tautan sekali pakai"), min_value=1, max_value=500, initial=10
    )
    label = forms.CharField(
        label=_("Keterangan"),
        max_length=200,
        required=False,
        help_text=_("misalnya nama angkatan; jangan tulis nama responden"),
    )
    codes = forms.CharField(
        label=_("Kode responden (opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Satu kode per baris: dibuat satu tautan sekali pakai per kode, dengan kode itu "
            "sebagai keterangannya (jumlah di atas diabaikan). Jangan tulis nama atau NIP."
        ),
    )
    expires_at = forms.DateTimeField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    deliver = forms.ChoiceField(
        label=_("Tautan baru"),
        choices=[
            ("page", _("tampilkan di halaman ini (dengan kode QR)")),
            ("csv", _("unduh sebagai CSV (untuk surat atau pesan massal)")),
        ],
        widget=forms.RadioSelect,
        initial="page",
        required=False,
    )

    def clean_codes(self) -> list[str]:
        codes = [line.strip() for line in self.cleaned_data.get("codes", "").splitlines()]
        codes = [c[:200] for c in codes if c]
        if len(codes) > 500:
            raise forms.ValidationError(_("Paling banyak 500 kode sekaligus."))
        if len(set(codes)) != len(codes):
            raise forms.ValidationError(_("Ada kode yang ditulis lebih dari sekali."))
        return codes


class PrivacyNoticeForm(forms.ModelForm):
    class Meta:
        model = PrivacyNotice
        # How long data is kept is not free text: the respondent reads the evaluation's
        # retention period (Evaluation.retention_months), which the purge carries out.
        fields = ["collector", "purpose", "contact"]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in fields}


class InterviewForm(forms.Form):
    file = forms.FileField(label=_("Transkrip (.txt, .md, .docx)"))
    role = forms.CharField(
        label=_("Peran narasumber"),
        max_length=60,
        required=False,
        help_text=_("misalnya pejabat, atasan, peserta, penyelenggara"),
    )
    instansi = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    sector = forms.CharField(label=_("Sektor"), max_length=60, required=False)
    date = forms.DateField(
        label=_("Tanggal wawancara"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_file(self):
        return check_upload(
            self.cleaned_data["file"], (".txt", ".md", ".docx"), MAX_TRANSCRIPT_BYTES
        )


class SettingsForm(forms.Form):
    anonymous = forms.BooleanField(
        label=_("Survei anonim: tautan tidak dicatat pada respons"), required=False
    )
