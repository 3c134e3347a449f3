"""Tilik's standard instruments in an evaluation: their program, organisation, sector and unit
choice lists made from the evaluation's own programs and organisations.

The shipped XLSForms (``tilik.core.instruments``) carry example lists. When a standard
instrument is added to an evaluation, those lists are replaced by the evaluation's; when its
programs or organisations change, every standard instrument that still uses them gets a new
form version with the lists of the day (:func:`tilik.web.collection.services.refresh_choice_lists`).
Only those lists change: an evaluator's own edits of the form (downloaded, changed, uploaded)
stay.
"""

from __future__ import annotations

import functools

from tilik.core.instruments import OTHER, ListChoice, choice_name, standard_instruments
from tilik.core.xlsform import Form, read_xlsform
from tilik.web.evaluations.models import Employee, Evaluation

#: The choice lists an evaluation fills, by their name in the standard forms.
PROGRAMS, ORGANISATIONS, SECTORS, UNITS = "program", "opd", "sektor", "unit"

#: Standard form → instruments it becomes: (form_id, kind); the knowledge test is used twice.
COPIES: dict[str, list[tuple[str, str]]] = {
    "survei_peserta": [("survei_peserta", "survei_peserta")],
    "survei_atasan": [("survei_atasan", "survei_atasan")],
    "tes_pengetahuan": [("pretest", "tes_awal"), ("posttest", "tes_akhir")],
    "observasi": [("observasi", "observasi")],
    "skm": [("skm", "skm")],
}


def organisation_choice(organisation, taken: list[str]) -> ListChoice:
    """An organisation as a choice: its own code when it has a usable one, else its name."""
    code = organisation.code.strip().lower()
    name = code if code and choice_name(code) == code else choice_name(organisation.name)
    if name in taken:
        name = choice_name(organisation.name, taken)
    return ListChoice(name, organisation.name, organisation.name)


@functools.cache
def _shipped_sectors() -> dict[str, ListChoice]:
    """The sectors of the standard forms, with their labels in both languages."""
    path = standard_instruments()["survei_peserta"]
    form, _problems = read_xlsform(path.read_bytes(), file_name=path.name)
    assert form is not None  # a shipped form always reads
    return {
        c.name: ListChoice(c.name, c.labels.get("id", c.label), c.labels.get("en", c.label))
        for c in form.choices.get(SECTORS, [])
    }


def sector_label(code: str, lang: str = "id") -> str:
    """A sector code as the standard forms name it (the code itself when they do not)."""
    choice = _shipped_sectors().get(code)
    if choice is None:
        return code
    return (choice.label_en if lang == "en" else "") or choice.label_id or code


def choice_lists(evaluation: Evaluation) -> dict[str, list[ListChoice]]:
    """The evaluation's own choice lists, each ending with "Lainnya".

    Programs by their stable code; organisations from :meth:`Evaluation.organisations`;
    sectors those the organisations and participants are in (the full national list while
    none is known); units the participants' unit kerja (left as shipped while there are none).
    """
    programs = [ListChoice(p.code, p.name, p.name) for p in evaluation.programs.order_by("name")]
    organisations: list[ListChoice] = []
    taken = [OTHER.name]
    for organisation in evaluation.organisations():
        choice = organisation_choice(organisation, taken)
        organisations.append(choice)
        taken.append(choice.name)
    lists = {
        PROGRAMS: [*programs, OTHER],
        ORGANISATIONS: [*organisations, OTHER],
    }
    shipped = _shipped_sectors()
    known = {o.sector for o in evaluation.organisations() if o.sector}
    known |= set(
        Employee.objects.filter(enrolments__cohort__program__evaluation=evaluation)
        .exclude(sector="")
        .values_list("sector", flat=True)
    )
    known.discard(OTHER.name)
    if known:
        lists[SECTORS] = [
            shipped.get(code) or ListChoice(choice_name(code), code, code) for code in sorted(known)
        ] + [shipped.get(OTHER.name, OTHER)]
    taken = [OTHER.name]
    units = []
    for unit in evaluation.units():
        choice = organisation_choice(unit, taken)
        units.append(choice)
        taken.append(choice.name)
    if units:
        lists[UNITS] = [*units, OTHER]
    return lists


def uses_lists(form: Form) -> bool:
    """Whether a form has any of the lists an evaluation fills."""
    return any(name in form.choices for name in (PROGRAMS, ORGANISATIONS, SECTORS, UNITS))
