"""What Tilik says about a form's expressions when it is uploaded.

pyxform accepts expressions it does not evaluate; Tilik evaluates them (web forms, imports),
so each one is compiled here once:

- one nested too deeply or too long (a form made to exhaust the server) is refused;
- a ``regex()`` pattern that RE2 cannot run in linear time (back-references,
  look-arounds) is refused: Tilik never runs a pattern that could take minutes on an answer;
- a function that needs a file the form does not carry (``pulldata()``, choices from a
  CSV, ``search()``) is named, as is any construct Tilik cannot evaluate: the form is
  accepted, and what depends on such an expression is left to ODK Collect / KoboCollect
  (a web form never refuses an answer because of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tilik.core.i18n import gettext_noop
from tilik.core.problems import Problem
from tilik.core.xlsform import Form, Group, Question
from tilik.core.xpath import (
    MAX_DEPTH,
    XPathError,
    compile_expression,
    compile_regex,
)

__all__ = ["expression_problems", "needs_files"]

_FILE_FUNCTIONS = ("pulldata", "search")
_CALL = re.compile(r"([A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)\s*\(")
_LIMIT_WORDS = ("nested deeper", "levels of operations", "longer than")


def _expressions(form: Form) -> Iterator[tuple[str, str, str, str]]:
    """``(question name, column, expression, kind)`` for every expression of the form."""
    for question in form.questions:
        for column, text in (
            ("relevant", question.own_relevant if form.read_by_pyxform else question.relevant),
            ("constraint", question.constraint),
            ("calculation", question.calculation),
            ("choice_filter", question.choice_filter),
        ):
            if text:
                yield question.name, column, text, column
        if question.default and _looks_dynamic(question.default):
            yield question.name, "default", question.default, "default"
    stack: list[Group | Question] = list(form.body)
    while stack:
        element = stack.pop()
        if isinstance(element, Group):
            if element.relevant:
                yield element.name, "relevant", element.relevant, "relevant"
            stack.extend(element.children)
    for repeat in form.repeats:
        if repeat.count and not repeat.count.isdigit():
            yield repeat.name, "repeat_count", repeat.count, "repeat_count"


def _looks_dynamic(default: str) -> bool:
    return "${" in default or "(" in default


def needs_files(text: str) -> list[str]:
    """The functions of an expression that read files the form does not carry."""
    return sorted({m.group(1) for m in _CALL.finditer(text) if m.group(1) in _FILE_FUNCTIONS})


def _row_of(form: Form, name: str) -> int | None:
    for position, row in enumerate(form.survey_rows, start=2):
        if any(k.strip().lower() == "name" and v == name for k, v in row.items()):
            return position
    return None


def expression_problems(form: Form, label: str) -> list[Problem]:
    """Expressions refused (errors) or that Tilik leaves to ODK Collect (warnings)."""
    problems: list[Problem] = []
    for name, column, text, _kind in _expressions(form):
        row = _row_of(form, name)
        shown = text if len(text) <= 200 else text[:200] + "…"
        files = needs_files(text)
        if files:
            problems.append(
                Problem(
                    gettext_noop(
                        "{functions}() membaca berkas yang tidak dibawa formulir ini; "
                        "formulir web Tilik tidak dapat menghitungnya, jadi pertanyaan yang "
                        "bergantung padanya diisi dengan ODK Collect / KoboCollect"
                    ),
                    file=label,
                    row=row,
                    column=f"survey/{column}",
                    value=shown,
                    severity="warning",
                    params={"functions": "(), ".join(files)},
                )
            )
            continue
        try:
            tree = compile_expression(text)
        except XPathError as exc:
            if any(word in str(exc) for word in _LIMIT_WORDS):
                problems.append(
                    Problem(
                        gettext_noop(
                            "ungkapan terlalu bersarang atau terlalu panjang (paling banyak "
                            "{depth} tingkat kurung)"
                        ),
                        file=label,
                        row=row,
                        column=f"survey/{column}",
                        value=shown[:80] + ("…" if len(shown) > 80 else ""),
                        params={"depth": MAX_DEPTH},
                    )
                )
            else:
                problems.append(
                    Problem(
                        gettext_noop(
                            "Tilik tidak dapat menghitung ungkapan ini ({detail}); di formulir "
                            "web ia dilewati (tidak pernah menolak jawaban), ODK Collect / "
                            "KoboCollect menghitungnya"
                        ),
                        file=label,
                        row=row,
                        column=f"survey/{column}",
                        value=shown,
                        severity="warning",
                        params={"detail": str(exc)},
                    )
                )
            continue
        for pattern in _regex_patterns(tree):
            try:
                compile_regex(pattern)
            except XPathError:
                problems.append(
                    Problem(
                        gettext_noop(
                            "pola regex tidak dapat dijalankan dengan aman (RE2 menolak "
                            "rujukan balik dan lookaround); tulis ulang polanya"
                        ),
                        file=label,
                        row=row,
                        column=f"survey/{column}",
                        value=pattern,
                        expected=gettext_noop("pola tanpa \\1 dan tanpa (?=, (?!, (?<="),
                    )
                )
    for question in form.questions:
        if question.type.endswith("_from_file"):
            problems.append(
                Problem(
                    gettext_noop(
                        "pilihan diambil dari berkas {file} yang tidak dibawa formulir ini; "
                        "pertanyaan ini diisi dengan ODK Collect / KoboCollect, formulir web "
                        "Tilik menampilkannya sebagai catatan"
                    ),
                    file=label,
                    row=_row_of(form, question.name),
                    column="survey/type",
                    value=question.name,
                    severity="warning",
                    params={"file": question.itemset},
                )
            )
    return problems


def _regex_patterns(node: list) -> Iterator[str]:
    """The literal patterns of the ``regex()`` calls in a compiled expression."""
    stack: list = [node]
    while stack:
        part = stack.pop()
        if not isinstance(part, list) or not part:
            continue
        if isinstance(part[0], str):
            if part[0] == "call" and part[1] == "regex" and len(part[2]) == 2:
                pattern = part[2][1]
                if pattern[0] == "str":
                    yield pattern[1]
            stack.extend(p for p in part[1:] if isinstance(p, list))
        else:
            stack.extend(part)
