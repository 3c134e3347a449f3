"""Other shapes of the same real submissions: KoBoCAT's legacy CSV (``n/a`` for no answer,
True/False option columns and no summary column), and a real export re-saved by Excel as
"Unicode text" (UTF-16, tab-separated). Forms and submissions are the real ones in
``../shared/realworld/kobo-formpack``; the truth is ``submissions.json``."""

from __future__ import annotations

import csv
import io

import pytest

from tests.core import realworld as rw
from tilik.core.ingest import read_export
from tilik.core.xlsform import Form, read_xlsform

MISSING = "n/a"  # KoBoCAT's NA_REP: pandas writes it for every missing value


def kobocat_csv(form: Form, submissions: list[dict]) -> bytes:
    """As KoBoCAT's CSVDataFrameBuilder writes them (onadata/apps/viewer/
    pandas_mongo_bridge.py): select_multiple split into True/False option columns without a
    summary column, geopoints followed by ``_q_latitude`` …, ``_uuid``, ``_submission_time``,
    ``_tags``, ``_notes``, ``_validation_status`` last, and ``n/a`` for anything missing."""
    columns: list[tuple[str, object]] = []
    for question in form.data_questions():
        if question.type == "select_multiple":
            for name in form.choice_names(question):
                columns.append((f"{question.path}/{name}", (question, name)))
            continue
        columns.append((question.path, (question, None)))
        if question.type == "geopoint":
            for part in ("latitude", "longitude", "altitude", "precision"):
                columns.append((f"_{question.name}_{part}", (question, part)))
    meta = ["_uuid", "_submission_time", "_tags", "_notes", "_validation_status"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c for c, _ in columns] + meta)
    for submission in submissions:
        row = []
        for _column, (question, part) in columns:
            value = submission.get(question.path)
            if value in (None, ""):
                row.append(MISSING)
            elif question.type == "select_multiple":
                row.append(str(part in str(value).split()))
            elif part is not None:
                parts = str(value).split()
                index = ("latitude", "longitude", "altitude", "precision").index(part)
                row.append(parts[index] if index < len(parts) else MISSING)
            else:
                row.append(str(value))
        row += [rw.instance_id(submission), submission["_submission_time"], "", "", "{}"]
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("name", ["auto_report", "dietary_needs", "favorite_coffee"])
def test_it_reads_kobocat_n_a_as_no_answer(name):
    folder = rw.KOBO / name
    form, _ = read_xlsform(folder / f"{name}.xlsx")
    assert form is not None
    names = {q.name for q in form.data_questions()}
    submissions = [
        s
        for s in rw.truth(folder)["submissions"]
        if all(  # answers to choices a later version dropped: not the point here
            v in form.choice_names(q)
            for q in form.data_questions()
            if q.type == "select_multiple" and s.get(q.path)
            for v in str(s[q.path]).split()
        )
    ]
    result = read_export(kobocat_csv(form, submissions), form, file_name="kobocat.csv")
    assert not result.quarantined, [p.render("en") for q in result.quarantined for p in q.problems]
    assert len(result.responses) == len(submissions) > 0
    for response, submission in zip(result.responses, submissions, strict=True):
        want = rw.expected(form, submission).answers
        assert rw.stored(form, response.answers) == {k: v for k, v in want.items() if k in names}
        assert MISSING not in response.answers.values()


@pytest.mark.parametrize(
    "file",
    ["grouped_translated/grouped_translated-labels.csv", "literacy_test/literacy_test-xml.csv"],
)
def test_it_reads_a_real_export_resaved_as_excel_unicode_text(file):
    path = rw.KOBO / file
    form, _ = read_xlsform(path.parent / f"{path.parent.name}.xlsx")
    assert form is not None
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    tabbed = io.StringIO(newline="")
    csv.writer(tabbed, delimiter="\t", lineterminator="\r\n").writerows(rows)
    original = read_export(path.read_bytes(), form, file_name=path.name)
    resaved = read_export(tabbed.getvalue().encode("utf-16"), form, file_name="unicode.txt")
    assert [r.answers for r in resaved.responses] == [r.answers for r in original.responses]
    assert len(resaved.responses) == len(rw.truth(path.parent)["submissions"])


def _relabel(path, replace_header, replace_value):
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    rows[0] = [replace_header(h) for h in rows[0]]
    rows[1:] = [[replace_value(v) for v in row] for row in rows[1:]]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_it_reads_a_label_export_in_another_language_with_group_labels_and_percent():
    """KoboToolbox's export options: labels in Español, group labels in the headers, and
    ``%`` between the levels (grouped_translated: a real form with two languages)."""
    folder = rw.KOBO / "grouped_translated"
    form, _ = read_xlsform(folder / "grouped_translated.xlsx")
    assert form is not None
    english = {}
    for question in form.questions:
        if "english" in question.labels:
            english[question.labels["english"]] = question
    words = {c.labels["english"]: c.labels["español"] for cs in form.choices.values() for c in cs}
    group = "Características externas"

    def header(text: str) -> str:
        stem, _, option = text.partition("/")
        question = english.get(stem)
        if question is None:
            return text
        spanish = question.labels["español"]
        if question.group:
            spanish = f"{group}%{spanish}"
        return f"{spanish}%{words[option]}" if option else spanish

    def value(text: str) -> str:
        if text in words:
            return words[text]
        parts = text.split()
        if parts and all(p in words for p in parts):
            return " ".join(words[p] for p in parts)
        return text

    path = folder / "grouped_translated-labels.csv"
    spanish = read_export(_relabel(path, header, value), form, file_name="es.csv")
    truth = rw.truth(folder)["submissions"]
    assert not spanish.quarantined
    assert [rw.stored(form, r.answers) for r in spanish.responses] == [
        rw.expected(form, s).answers for s in truth
    ]
