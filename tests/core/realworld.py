"""The real KoboToolbox exports in ``../shared/realworld/kobo-formpack`` and their truth.

Each fixture folder holds a form (``<name>.xlsx``), the exports KoboToolbox's own export code
(formpack) made of its submissions (``-xml`` and ``-labels``, CSV and XLSX) and the
submissions themselves (``submissions.json``): what an import must store. The files are read
where they are, never copied into the project.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tilik.core.xlsform import Form, Question

KOBO = Path(__file__).parents[2] / ".." / "shared" / "realworld" / "kobo-formpack"
VARIANTS = ("-xml.csv", "-xml.xlsx", "-labels.csv", "-labels.xlsx")
_META_STARTS = ("_", "meta/", "formhub/")


def fixtures() -> list[Path]:
    """The fixture folders that hold a form and its submissions."""
    if not KOBO.is_dir():
        return []
    return sorted(p for p in KOBO.iterdir() if (p / "submissions.json").is_file())


def truth(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "submissions.json").read_text(encoding="utf-8"))


def instance_id(submission: dict[str, Any]) -> str:
    found = submission.get("_uuid") or submission.get("meta/instanceID") or ""
    return str(found).removeprefix("uuid:")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def normal(question: Question, value: Any) -> Any:
    """An answer in one comparable shape, whether it came as text (the truth) or typed (as
    an import stores it): lists of names, numbers, dates and aware date-times as values."""
    if value is None or value == "" or value == []:
        return None
    kind = question.type
    try:
        if kind == "select_multiple":
            return value if isinstance(value, list) else str(value).split()
        if kind == "integer":
            return int(value)
        if kind == "decimal":
            return float(value)
        if kind == "date":
            return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        if kind in ("dateTime", "datetime", "start", "end"):
            return value if isinstance(value, datetime) else _moment(str(value))
    except ValueError:
        pass  # not a value of its type (the truth holds some): compared as text
    return str(value)


@dataclass
class Expected:
    """What one submission must be stored as: answers by question name (repeats as lists of
    instances), and the truth's keys the form has no question for."""

    answers: dict[str, Any]
    foreign: dict[str, Any] = field(default_factory=dict)


def expected(form: Form, submission: dict[str, Any], *, repeats: bool = True) -> Expected:
    """The answers ``submission`` must be stored with. A question is found by its path, else
    by its name (a question moved into a group in a later version of the form). Without
    ``repeats`` (a CSV export, which has no room for them) the repeats are left out."""
    top = {q.path: q for q in form.data_questions()}
    names = {q.name: q for q in form.data_questions()}
    others = {f"{q.path}_other": q for q in form.data_questions() if q.or_other}
    groups = {r.path: r for r in form.repeats}
    out = Expected({})
    for key, value in submission.items():
        question = top.get(key) or names.get(key.rsplit("/", 1)[-1])
        if key in groups:
            if repeats:
                out.answers[groups[key].name] = _instances(form, groups[key].name, value)
        elif question is not None:
            found = normal(question, value)
            if found is not None:
                out.answers[question.name] = found
        elif key in others:
            if value not in (None, ""):
                out.answers[f"{others[key].name}_other"] = str(value)
        elif not (key.startswith(_META_STARTS) or key.startswith("__")):
            out.foreign[key] = value
    return out


def _instances(form: Form, repeat: str, listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    questions = {q.name: q for q in form.repeat_questions(repeat)}
    children = {r.name: r for r in form.child_repeats(repeat)}
    out = []
    for instance in listed:
        shaped: dict[str, Any] = {}
        for key, value in instance.items():
            name = key.rsplit("/", 1)[-1]
            if name in children:
                shaped[name] = _instances(form, name, value)
            elif name in questions:
                found = normal(questions[name], value)
                if found is not None:
                    shaped[name] = found
        out.append(shaped)
    return out


def stored(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    """Stored answers in the shape of :func:`expected` (empty answers left out)."""
    questions = {q.name: q for q in form.data_questions()}
    others = {f"{q.name}_other" for q in form.data_questions() if q.or_other}
    out: dict[str, Any] = {}
    for name, value in answers.items():
        repeat = form.repeat(name)
        if repeat is not None and isinstance(value, list):
            out[name] = [_stored_instance(form, name, i) for i in value]
        elif name in questions:
            found = normal(questions[name], value)
            if found is not None:
                out[name] = found
        elif name in others and value not in (None, ""):
            out[name] = str(value)
    return out


def _stored_instance(form: Form, repeat: str, instance: dict[str, Any]) -> dict[str, Any]:
    questions = {q.name: q for q in form.repeat_questions(repeat)}
    out: dict[str, Any] = {}
    for name, value in instance.items():
        if form.repeat(name) is not None and isinstance(value, list):
            out[name] = [_stored_instance(form, name, i) for i in value]
        elif name in questions:
            found = normal(questions[name], value)
            if found is not None:
                out[name] = found
    return out
