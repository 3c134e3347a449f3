"""An evaluator's theme codes and codebook changes, stored per evaluation.

A :class:`ManualCode` always wins over the automatic coding of the same text; all of them
together retrain the evaluation's coder (:mod:`tilik.web.coding.services`) and reach the
report through :func:`corrections_for`. A :class:`CodeChange` is one step (add, rename,
merge) applied to the default codebook, in order, by :func:`codebook_for`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilik.core.themes import Codebook, default_codebook
from tilik.core.themes.sentiment import SENTIMENTS
from tilik.web.evaluations.models import Evaluation

if TYPE_CHECKING:
    from tilik.core.themes import Correction

SENTIMENT_LABELS = {
    "positif": _("positif"),
    "negatif": _("negatif"),
    "campuran": _("campuran"),
    "netral": _("netral"),
}


def text_key(text: str, source: str) -> str:
    """The stable key of a text: the same answer from the same kind of source codes alike."""
    return hashlib.sha256(f"{source}\n{text.strip()}".encode()).hexdigest()


class ManualCode(models.Model):
    """The themes (and sentiment) an evaluator confirmed or corrected for one text."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="manual_codes"
    )
    key = models.CharField(_("kunci teks"), max_length=64)
    source = models.CharField(_("sumber"), max_length=20)
    # Who wrote the text (peserta, atasan, observer...): the coder weighs a cue by it.
    role = models.CharField(_("peran"), max_length=20, blank=True)
    origin = models.CharField(_("asal"), max_length=255, blank=True)
    # The text itself is kept so corrections survive without rebuilding the bundle.
    text = models.TextField(_("teks"))
    themes = models.JSONField(_("tema"), default=list, blank=True)
    sentiment = models.CharField(
        _("sentimen"),
        max_length=10,
        blank=True,
        choices=[(s, SENTIMENT_LABELS[s]) for s in SENTIMENTS],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("kode manual")
        verbose_name_plural = _("kode manual")
        ordering = ["evaluation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "key"], name="manual_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {', '.join(self.themes) or '—'}"

    def as_correction(self) -> Correction:
        from tilik.core.themes import Correction

        return Correction(
            self.text, tuple(self.themes), self.sentiment or None, self.source, self.role
        )


class CodeChange(models.Model):
    """One change of the evaluation's codebook; replayed in order over the default one."""

    class Action(models.TextChoices):
        ADD = "add", _("Tambah kode")
        RENAME = "rename", _("Ganti nama")
        MERGE = "merge", _("Gabung kode")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="code_changes"
    )
    action = models.CharField(_("perubahan"), max_length=10, choices=Action.choices)
    code = models.CharField(_("kode"), max_length=60)
    sources = models.JSONField(_("kode asal"), default=list, blank=True)
    label_id = models.CharField(_("label (Indonesia)"), max_length=120, blank=True)
    label_en = models.CharField(_("label (Inggris)"), max_length=120, blank=True)
    definition = models.TextField(_("definisi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan buku kode")
        verbose_name_plural = _("perubahan buku kode")
        ordering = ["evaluation", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {', '.join(self.sources)} → {self.code}"

    def labels(self) -> dict[str, str] | None:
        if not self.label_id and not self.label_en:
            return None
        return {"id": self.label_id or self.label_en, "en": self.label_en or self.label_id}

    def apply(self, codebook: Codebook) -> Codebook:
        """The codebook after this change (``ValueError`` when it no longer fits)."""
        if self.action == self.Action.ADD:
            return codebook.add(
                self.code,
                self.labels() or self.code,
                definition=self.definition,
                obstacle=False,
            )
        if self.action == self.Action.RENAME:
            return codebook.rename(self.sources[0], self.code, self.labels())
        return codebook.merge(self.sources, self.code, self.labels())

    def relabel(self, themes: list[str]) -> list[str]:
        """Stored theme codes after this change (a rename or merge moves them along)."""
        if self.action == self.Action.ADD:
            return themes
        out: list[str] = []
        for theme in themes:
            new = self.code if theme in self.sources else theme
            if new not in out:
                out.append(new)
        return out


def _replay(evaluation: Evaluation) -> tuple[Codebook, dict[str, str | None]]:
    """The evaluation's codebook, and for each code the default code it came from."""
    codebook = default_codebook()
    origin: dict[str, str | None] = {c: c for c in codebook.names}
    for change in evaluation.code_changes.order_by("id"):
        try:
            codebook = change.apply(codebook)
        except (KeyError, ValueError):
            continue  # validated when made; a change that no longer fits is skipped
        if change.action == CodeChange.Action.ADD:
            origin[change.code] = None
        else:
            first = next((origin[s] for s in change.sources if origin.get(s)), None)
            for source in change.sources:
                origin.pop(source, None)
            origin[change.code] = first
    return codebook, origin


def codebook_for(evaluation: Evaluation) -> Codebook:
    """The evaluation's codebook: the default one with its changes applied in order."""
    return _replay(evaluation)[0]


def manual_corrections(evaluation: Evaluation, codebook: Codebook) -> list[Correction]:
    """The evaluator's codes as the coder learns from them (with sentiment, source and
    role), in ``codebook``'s codes; one whose code is no longer in it is left out. The
    coding screen and the report retrain with the same list, so both code alike."""
    return [
        m.as_correction()
        for m in evaluation.manual_codes.order_by("id")
        if all(t in codebook for t in m.themes)
    ]


def corrections_for(evaluation: Evaluation, *, native: bool = False) -> list[tuple[str, list[str]]]:
    """The (text, themes) pairs the evaluator confirmed or corrected.

    By default themes are given as codes of the *default* codebook, which is the one the
    report pipeline codes with: a renamed code goes back to its original name, a merged
    code to the first default code merged into it, and codes the evaluator added are left
    out. With ``native=True`` the evaluation's own codes are returned.
    """
    rows = evaluation.manual_codes.order_by("id").values_list("text", "themes")
    if native:
        return [(text, list(themes)) for text, themes in rows]
    _, origin = _replay(evaluation)
    out: list[tuple[str, list[str]]] = []
    for text, themes in rows:
        mapped: list[str] = []
        for theme in themes:
            default = origin.get(theme)
            if default and default not in mapped:
                mapped.append(default)
        out.append((text, mapped))
    return out
