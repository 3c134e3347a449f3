"""Tilik's standard instruments: XLSForms and interview guides shipped with the package.

The XLSForms in ``standard/`` are built by ``tools/build_instruments.py``; edit that
script, not the workbooks. The interview guides are hand-written Markdown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tilik.core.xlsform import Form

__all__ = [
    "OTHER",
    "STANDARD_DIR",
    "ListChoice",
    "choice_name",
    "interview_guides",
    "replace_choice_lists",
    "standard_instruments",
]

STANDARD_DIR = Path(__file__).resolve().parent / "standard"

_GUIDE_PREFIX = "panduan_wawancara_"


def standard_instruments() -> dict[str, Path]:
    """Return the standard XLSForms.

    Returns
    -------
    dict[str, pathlib.Path]
        Form id (``survei_peserta``, ``survei_atasan``, ``tes_pengetahuan``,
        ``observasi``, ``skm``) mapped to the workbook path, sorted by form id.
    """
    return {path.stem: path for path in sorted(STANDARD_DIR.glob("*.xlsx"))}


def interview_guides() -> dict[str, Path]:
    """Return the semi-structured interview guides.

    Returns
    -------
    dict[str, pathlib.Path]
        Interviewee role (``pejabat``, ``atasan``, ``peserta``, ``penyelenggara``)
        mapped to the Markdown guide, sorted by role.
    """
    return {
        path.stem.removeprefix(_GUIDE_PREFIX): path
        for path in sorted(STANDARD_DIR.glob(f"{_GUIDE_PREFIX}*.md"))
    }


@dataclass(frozen=True)
class ListChoice:
    """One option of a choice list made for an evaluation: its name and its labels."""

    name: str
    label_id: str
    label_en: str = ""


#: The option every generated list ends with: a respondent outside the list still answers.
OTHER = ListChoice("lainnya", "Lainnya", "Other")

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def choice_name(text: str, taken: Iterable[str] = ()) -> str:
    """A choice name for ``text`` (``Dinas Kesehatan`` → ``dinas_kesehatan``): ASCII letters,
    digits and ``_``, starting with a letter, not one of ``taken`` (``_2``, ``_3`` … added)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = _NOT_NAME.sub("_", ascii_text.lower()).strip("_")[:60].rstrip("_") or "pilihan"
    if not name[0].isalpha():
        name = f"p_{name}"
    taken = set(taken)
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _label_language(column: str, default_language: str) -> str | None:
    """``label::Indonesian (id)`` → ``id``; ``label`` → the form's default language; None for
    any other column."""
    if column == "label":
        return default_language
    head, _, rest = column.partition("::")
    if head != "label" or not rest:
        return None
    match = re.search(r"\(([^)]+)\)\s*$", rest)
    return (match.group(1) if match else rest).strip().lower()


def replace_choice_lists(form: Form, lists: Mapping[str, Sequence[ListChoice]]) -> bool:
    """Put ``lists`` in place of the choice lists of the same names in ``form``'s choices sheet
    (only lists the form has; each at the place of its first row). Labels go to every label
    column: Indonesian in ``id`` columns and those of other languages, English in ``en``.
    Returns whether the sheet changed; ``form.choices`` is not rebuilt (write the form and
    read it again)."""
    present = {row.get("list_name", "") for row in form.choice_rows}
    wanted = {name: options for name, options in lists.items() if name in present and options}
    if not wanted:
        return False
    languages = {
        column: _label_language(column, form.default_language) for column in form.choice_columns
    }
    rows: list[dict[str, str]] = []
    placed: set[str] = set()
    for row in form.choice_rows:
        list_name = row.get("list_name", "")
        if list_name not in wanted:
            rows.append(row)
            continue
        if list_name in placed:
            continue
        placed.add(list_name)
        for option in wanted[list_name]:
            new = {"list_name": list_name, "name": option.name}
            for column, lang in languages.items():
                if lang is not None:
                    english = lang.startswith("en") and option.label_en
                    new[column] = option.label_en if english else option.label_id
            rows.append(new)
    if rows == form.choice_rows:
        return False
    form.choice_rows = rows
    return True
