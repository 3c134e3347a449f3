from django import forms
from django.utils.translation import gettext_lazy as _

from tilik.core.themes import Codebook
from tilik.core.themes.sentiment import SENTIMENTS
from tilik.web.coding.models import SENTIMENT_LABELS, CodeChange

CODE_HELP = _("huruf kecil, angka dan garis bawah, mis. kualitas_materi")
SOURCES = [
    ("", _("Semua sumber")),
    ("survey", _("Survei")),
    ("interview", _("Wawancara")),
    ("observation", _("Observasi")),
]
STATUSES = [
    ("", _("Semua teks")),
    ("unreviewed", _("Belum ditinjau")),
    ("uncoded", _("Tanpa kode")),
    ("low", _("Keyakinan rendah")),
    ("reviewed", _("Sudah ditinjau")),
]

ORDERS = [
    ("", _("Keyakinan terendah dulu")),
    ("asal", _("Urutan data")),
]


SENTIMENT_CHOICES = [("", "—")] + [(s, SENTIMENT_LABELS[s]) for s in SENTIMENTS]


def _theme_choices(codebook: Codebook, lang: str) -> list[tuple[str, str]]:
    return [(c.code, c.label(lang)) for c in codebook]


class FilterForm(forms.Form):
    sumber = forms.ChoiceField(label=_("Sumber"), choices=SOURCES, required=False)
    tema = forms.ChoiceField(label=_("Tema"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    q = forms.CharField(label=_("Cari teks"), max_length=200, required=False)
    urut = forms.ChoiceField(label=_("Urutan"), choices=ORDERS, required=False)
    per = forms.TypedChoiceField(
        label=_("Per halaman"),
        choices=[(25, "25"), (50, "50")],
        coerce=int,
        required=False,
        empty_value=25,
    )

    def __init__(self, *args, codebook: Codebook, lang: str = "id", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tema"].choices = [("", _("Semua tema"))] + _theme_choices(codebook, lang)


class CodeForm(forms.Form):
    """The evaluator's decision on one text."""

    ACTIONS = [
        ("save", _("Simpan")),
        ("accept", _("Terima seperti dikodekan")),
        ("reset", _("Kembalikan ke otomatis")),
    ]

    key = forms.CharField(max_length=64)
    action = forms.ChoiceField(choices=ACTIONS, required=False)
    themes = forms.MultipleChoiceField(required=False)
    sentiment = forms.ChoiceField(choices=SENTIMENT_CHOICES, required=False)
    # What the screen showed as coded: what "accept" confirms.
    suggested = forms.MultipleChoiceField(required=False)
    suggested_sentiment = forms.ChoiceField(choices=SENTIMENT_CHOICES, required=False)

    def __init__(self, *args, codebook: Codebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = _theme_choices(codebook, "id")
        self.fields["suggested"].choices = _theme_choices(codebook, "id")

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "save"


class _ChangeForm(forms.Form):
    label_id = forms.CharField(label=_("Label (Bahasa Indonesia)"), max_length=120, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=120, required=False)

    def __init__(self, *args, codebook: Codebook, lang: str = "id", **kwargs):
        super().__init__(*args, **kwargs)
        self.codebook = codebook
        self.lang = lang

    def change(self) -> CodeChange:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.change().apply(self.codebook)
            except (KeyError, ValueError) as exc:
                raise forms.ValidationError(str(exc.args[0]) if exc.args else str(exc)) from exc
        return cleaned


class AddCodeForm(_ChangeForm):
    prefix = "tambah"
    code = forms.RegexField(
        label=_("Kode"), regex=r"^[a-z][a-z0-9_]*$", max_length=60, help_text=CODE_HELP
    )
    definition = forms.CharField(
        label=_("Definisi"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    field_order = ["code", "label_id", "label_en", "definition"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label_id"].required = True

    def change(self) -> CodeChange:
        d = self.cleaned_data
        return CodeChange(
            action=CodeChange.Action.ADD,
            code=d["code"],
            label_id=d.get("label_id", ""),
            label_en=d.get("label_en", ""),
            definition=d.get("definition", ""),
        )


class RenameCodeForm(_ChangeForm):
    prefix = "ganti"
    old = forms.ChoiceField(label=_("Kode lama"))
    code = forms.RegexField(
        label=_("Kode baru"), regex=r"^[a-z][a-z0-9_]*$", max_length=60, help_text=CODE_HELP
    )
    field_order = ["old", "code", "label_id", "label_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = _theme_choices(self.codebook, self.lang)

    def change(self) -> CodeChange:
        d = self.cleaned_data
        return CodeChange(
            action=CodeChange.Action.RENAME,
            code=d["code"],
            sources=[d["old"]],
            label_id=d.get("label_id", ""),
            label_en=d.get("label_en", ""),
        )


class MergeCodesForm(_ChangeForm):
    prefix = "gabung"
    sources = forms.MultipleChoiceField(
        label=_("Kode yang digabung"), widget=forms.CheckboxSelectMultiple
    )
    code = forms.RegexField(
        label=_("Menjadi kode"), regex=r"^[a-z][a-z0-9_]*$", max_length=60, help_text=CODE_HELP
    )
    field_order = ["sources", "code", "label_id", "label_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = _theme_choices(self.codebook, self.lang)

    def clean_sources(self) -> list[str]:
        sources = self.cleaned_data["sources"]
        if len(sources) < 2:
            raise forms.ValidationError(_("Pilih paling sedikit dua kode."))
        return sources

    def change(self) -> CodeChange:
        d = self.cleaned_data
        return CodeChange(
            action=CodeChange.Action.MERGE,
            code=d["code"],
            sources=list(d["sources"]),
            label_id=d.get("label_id", ""),
            label_en=d.get("label_en", ""),
        )
