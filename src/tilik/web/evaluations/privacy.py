"""What members who are not evaluators see of personal data (UU 27/2022).

Evaluators hold the data and see it whole. Leaders and viewers read the evaluation through
these helpers: names, NIPs, phone numbers and e-mail addresses inside texts are masked
(:mod:`tilik.core.personal`), personal fields are not shown at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from tilik.core.ingest import is_personal_field
from tilik.core.personal import mask_text

HIDDEN = "•••"


def sees_personal(evaluation, user) -> bool:
    """Whether ``user`` may see the evaluation's personal data: its evaluators only."""
    return evaluation.can_edit(user)


def roster_names(evaluation) -> list[str]:
    """The participants' names: masked wherever they appear in a text."""
    from tilik.web.evaluations.models import Employee

    return list(
        Employee.objects.filter(enrolments__cohort__program__evaluation=evaluation)
        .exclude(name="")
        .values_list("name", flat=True)
        .distinct()
    )


class Shown:
    """Texts as one member sees them: whole for evaluators, masked for everyone else."""

    def __init__(self, evaluation, user) -> None:
        self.personal = sees_personal(evaluation, user)
        self._evaluation = evaluation
        self._names: list[str] | None = None

    @property
    def names(self) -> list[str]:
        if self._names is None:
            self._names = roster_names(self._evaluation)
        return self._names

    def text(self, value) -> str:
        text = "" if value is None else str(value)
        return text if self.personal else mask_text(text, self.names)

    def texts(self, values: Iterable) -> list[str]:
        return [self.text(v) for v in values]

    def field(self, name: str, value) -> str:
        """An answer of field ``name``: personal fields hidden, texts masked."""
        if not self.personal and is_personal_field(name.rsplit("/", 1)[-1]):
            return HIDDEN if value not in (None, "") else ""
        return self.text(value)
