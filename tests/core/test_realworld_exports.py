"""Every export in ``../shared/realworld/kobo-formpack`` read as KoboToolbox means it.

The truth is each fixture's ``submissions.json``: every valid submission is stored once with
exactly its answers (names, not labels; ``end`` kept as an answer; geopoints whole; repeats
from the XLSX sheets), and its ``_submission_time`` is the submission time. A row is invalid,
and must be quarantined with its reason, when the export itself makes it so (see
:func:`outcome`). The figures are printed by ``python -m tests.core.test_realworld_exports``.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.core import realworld as rw
from tilik.core.i18n import translate
from tilik.core.ingest import read_export_parallel
from tilik.core.xlsform import Form, read_xlsform

FIXTURES = rw.fixtures()


def _carried(folder: Path) -> list[dict[str, str]]:
    """The rows of the fixture's own names CSV: which answers the exports carry at all
    (formpack leaves some out, e.g. fields whose type changed between versions)."""
    path = folder / f"{folder.name}-xml.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    filled = [v for v in rows[0].values() if v] if rows else []
    if filled and all(v.startswith("#") for v in filled):  # the HXL hashtag row
        rows = rows[1:]
    return rows


def _in_export(row: dict[str, str], key: str, value: Any) -> bool:
    if isinstance(value, list):
        return True  # a repeat: the XLSX sheets carry it (a CSV has no room for it)
    for column in (key, key.rsplit("/", 1)[-1]):
        if column in row:
            return bool(row[column].strip())
    return False


def outcome(
    form: Form, submission: dict[str, Any], row: dict[str, str], *, labels: bool, csv_: bool
) -> tuple[str, dict[str, Any]]:
    """``("stored", answers)`` or ``("quarantined", {"reason": msgid})`` for one submission
    as this export carries it."""
    carried = {k: v for k, v in submission.items() if _in_export(row, k, v)}
    want = rw.expected(form, carried, repeats=not csv_)
    version = str(submission.get("__version__") or "")
    current = not version or version == form.version
    questions = {q.name: q for q in form.data_questions()}
    for name, value in want.answers.items():
        question = questions.get(name)
        if question is None:
            continue
        if question.type in ("dateTime", "datetime") and isinstance(value, str):
            return "quarantined", {"reason": "bukan tanggal dan jam"}
        if not current and question.is_select:
            # a row of an older version may name a choice the form no longer has: a label
            # export cannot name it (quarantined), a names export keeps the name; a value
            # that is the label of a choice the form has reads as that choice
            by_label = {
                label.casefold(): c.name
                for c in form.choices.get(question.list_name, [])
                for label in c.labels.values()
            }
            listed = value if isinstance(value, list) else [value]
            names = set(form.choice_names(question))
            unknown = [v for v in listed if v not in names and v.casefold() not in by_label]
            if unknown and labels:
                reason = "memuat pilihan yang tidak ada" if isinstance(value, list) else ""
                return "quarantined", {"reason": reason or "bukan salah satu pilihan"}
            read = [by_label.get(v.casefold(), v) if v not in names else v for v in listed]
            want.answers[name] = read if isinstance(value, list) else read[0]
    if current:
        for question in form.data_questions():
            if question.required and not question.relevant and question.name not in want.answers:
                return "quarantined", {"reason": "jawaban wajib kosong"}
    return "stored", want.answers


def walk(folder: Path, variant: str) -> tuple[Counter[str], list[str]]:
    """Import one export and compare it with the truth: the counts, and what is wrong."""
    name = folder.name
    form, _ = read_xlsform(folder / f"{name}.xlsx")
    assert form is not None
    path = folder / f"{name}{variant}"
    stored_rows: list[Any] = []
    result = read_export_parallel(
        path.read_bytes(), form, sink=stored_rows.extend, file_name=path.name, method="inline"
    )
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    by_id: dict[str, list[Any]] = {}
    for row in stored_rows:
        by_id.setdefault(row.instance_id, []).append(row)
    held = {q.instance_id: q for q in result.quarantined}
    if result.stopped:
        wrong.append(f"{name}{variant}: refused: {[p.render('en') for p in result.problems]}")
    wrong += [
        f"{name}{variant}: a row that is no submission"
        for q in result.quarantined
        if q.instance_id not in {rw.instance_id(s) for s in rw.truth(folder)["submissions"]}
    ]
    wrong += [f"{name}{variant} {i}: stored twice" for i, rows in by_id.items() if len(rows) > 1]
    truth = rw.truth(folder)["submissions"]
    seen: dict[str, dict[str, Any]] = {}
    for submission, row in zip(truth, _carried(folder), strict=True):
        counts["submissions"] += 1
        instance = rw.instance_id(submission)
        kind, want = outcome(
            form, submission, row, labels="-labels" in variant, csv_=variant.endswith(".csv")
        )
        if kind == "stored" and instance in seen:
            kind = "duplicate" if seen[instance] == want else "quarantined"
        seen.setdefault(instance, want)
        where = f"{name}{variant} {instance}"
        if kind == "quarantined":
            counts["invalid"] += 1
            if instance not in held:
                wrong.append(f"{where}: stored, but the export makes it invalid")
                counts["invalid stored"] += 1
            elif want.get("reason") and want["reason"] not in [
                p.message for p in held[instance].problems
            ]:
                wrong.append(f"{where}: quarantined for {_reasons(held[instance])}")
                counts["invalid quarantined for another reason"] += 1
            else:
                counts["invalid quarantined with its reason"] += 1
            continue
        counts["valid"] += 1
        if instance not in by_id:
            wrong.append(f"{where}: valid but {_reasons(held.get(instance))}")
            counts["valid quarantined" if instance in held else "valid lost"] += 1
            continue
        if kind == "duplicate":
            counts["valid stored once"] += 1
            continue
        got = by_id[instance][0]
        answers = rw.stored(form, _answers(got))
        if answers != want:
            diff = {k for k in set(answers) | set(want) if answers.get(k) != want.get(k)}
            wrong.append(f"{where}: answers differ in {sorted(diff)}")
            counts["valid stored with other answers"] += 1
        elif got.submitted_at != datetime.fromisoformat(submission["_submission_time"]):
            wrong.append(f"{where}: submitted_at {got.submitted_at}")
            counts["valid stored with another submission time"] += 1
        else:
            counts["valid stored once"] += 1
    return counts, wrong


def _answers(row: Any) -> dict[str, Any]:
    import json

    return json.loads(row.answers_json)


def _reasons(quarantined: Any) -> list[str]:
    if quarantined is None:
        return ["(missing)"]
    return [translate(p.message, "en") + f" {p.column}={p.value!r}" for p in quarantined.problems]


CASES = [
    pytest.param(folder, variant, id=f"{folder.name}{variant}")
    for folder in FIXTURES
    for variant in rw.VARIANTS
    if (folder / f"{folder.name}{variant}").exists()
]


@pytest.mark.parametrize(("folder", "variant"), CASES)
def test_it_stores_every_valid_submission_of_a_real_export_once_as_its_truth(folder, variant):
    counts, wrong = walk(folder, variant)
    assert not wrong
    assert counts["valid stored once"] == counts["valid"]


def test_it_finds_the_real_exports():
    from tests.conftest import require

    require(len(CASES) >= 100, "../shared/realworld/kobo-formpack")


if __name__ == "__main__":  # the figures for a report
    total: Counter[str] = Counter()
    for case in CASES:
        folder, variant = case.values
        found, problems = walk(folder, variant)
        total += found
        for line in problems:
            print(line, file=sys.stderr)
    print(dict(total))


def test_it_writes_the_other_text_of_a_real_export_back_as_kobotoolbox_does(tmp_path):
    """Import → Tilik's own Kobo CSV and XLSX → import again: the ``…_other`` texts stay."""
    from tilik.core.ingest import kobo_header, read_export, write_kobo_csv, write_kobo_xlsx
    from tilik.core.xlsform import read_xlsform

    folder = rw.KOBO / "or_other"
    require(folder.is_dir(), "../shared/realworld")
    form, _ = read_xlsform((folder / "or_other.xlsx").read_bytes(), file_name="or_other.xlsx")
    first = read_export(folder / "or_other-xml.csv", form).responses
    others = {r.instance_id: r.answers.get("fav_emperor_other") for r in first}
    assert any(others.values())
    header = kobo_header(form)
    assert header[:2] == ["fav_emperor", "fav_emperor_other"]
    assert header[header.index("fav_emperors/other") + 1] == "fav_emperors_other"
    for data, name in (
        (write_kobo_csv(form, first), "k.csv"),
        (write_kobo_xlsx(form, first), "k.xlsx"),
    ):
        again = read_export(data, form, file_name=name).responses
        assert {r.instance_id: r.answers for r in again} == {
            r.instance_id: r.answers for r in first
        }
