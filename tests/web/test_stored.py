"""An evaluation's submissions read from the database by columns, against the old path:
exporting the evaluation as a bundle and reading the export back (``export_bundle`` then
``read_bundle_for_db``). Same frames, quarantined rows and problems; every number of
``hasil.json`` of the example bundle the same."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from tests.builders import kobo_row, write_bundle
from tilik.report.pipeline import analyse
from tilik.web.collection.models import Submission
from tilik.web.evaluations.bundles import (
    export_bundle,
    import_bundle,
    read_bundle_for_db,
    read_evaluation,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parents[2] / "examples" / "kupang-2025"


def _problems(problems):
    return [(p.message, p.file, p.row, p.column, p.value, p.expected, p.severity) for p in problems]


def _exported(evaluation, tmp_path):
    """The old path: the evaluation written as a bundle folder and read back."""
    return read_bundle_for_db(
        export_bundle(evaluation, tmp_path / "export"), check_forms=False, read_data=True
    )


def same_bundles(new, old) -> None:
    assert list(new.data) == list(old.data)
    for form_id, dataset in new.data.items():
        before = old.data[form_id]
        assert dataset.file == before.file
        assert_frame_equal(dataset.frame(), before.frame())
        assert [
            (q.row, q.instance_id, q.raw, _problems(q.problems)) for q in dataset.quarantined
        ] == [(q.row, q.instance_id, q.raw, _problems(q.problems)) for q in before.quarantined]
        assert dataset.duplicates == before.duplicates
    assert _problems(new.problems) == _problems(old.problems)


def same_numbers(a, b, path="hasil") -> None:
    """Equal structure; floats within 1e-12 relative, everything else exactly."""
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            same_numbers(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_numbers(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0) or a == b, (path, a, b)
    else:
        assert a == b, (path, a, b)


def test_it_reads_the_example_evaluation_from_the_database_as_its_export(tmp_path):
    evaluation = import_bundle(read_bundle_for_db(EXAMPLE)).evaluation
    new, old = read_evaluation(evaluation), _exported(evaluation, tmp_path)
    assert all(d._responses is None for d in new.data.values())  # read by columns
    same_bundles(new, old)
    same_numbers(analyse(new), analyse(old))


def test_it_checks_stored_answers_again_against_the_current_form(tmp_path):
    rows = [kobo_row(i) for i in range(6)]
    evaluation = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "b", rows))).evaluation
    # answers a form no longer accepts, odd JSON an export writes its own way, text that
    # needs escaping: the export and the columns must agree on every one
    odd = {
        "uuid-0000": {"umur": 12},  # breaks the constraint now
        "uuid-0001": {"saran": True, "hambatan": "waktu dana"},
        "uuid-0002": {"umur": 1e-07, "saran": -0.0},
        "uuid-0003": {"instansi": "Dinas Kesehatan", "saran": "tab\tdan\nbaris \\ «kutip»"},
        "uuid-0004": {"hambatan": [], "tanggal": "14/03/2025"},
        "uuid-0005": {"saran": ["satu", "dua"]},  # polars refuses the chunk: read by rows
    }
    for instance_id, changes in odd.items():
        stored = Submission.objects.get(instance_id=instance_id)
        stored.answers = {**stored.answers, **changes}
        stored.save(update_fields=["answers"])
    new, old = read_evaluation(evaluation), _exported(evaluation, tmp_path)
    same_bundles(new, old)
    quarantined = [q.instance_id for q in new.data["survei_peserta"].quarantined]
    assert quarantined == ["uuid-0000", "uuid-0002"]  # 12 breaks the constraint, 1e-07 is no age


def test_it_reads_an_instrument_with_many_chunks_in_export_order(tmp_path, monkeypatch):
    import tilik.web.collection.stored as stored

    monkeypatch.setattr(stored, "CHUNK", 4)
    rows = [kobo_row(i, _submission_time=f"2025-03-{20 - i % 7:02d}T08:12:33") for i in range(11)]
    rows.append(kobo_row(11, _submission_time=""))
    evaluation = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "b", rows))).evaluation
    new, old = read_evaluation(evaluation), _exported(evaluation, tmp_path)
    same_bundles(new, old)
    assert new.data["survei_peserta"].frame().height == 12


def test_it_exports_and_reads_a_form_with_repeats_as_before(tmp_path):
    from tests.repeat_builders import kobo_repeat_xlsx, write_repeat_form

    root = tmp_path / "r"
    write_repeat_form(root / "instrumen" / "kegiatan_unit.xlsx")
    (root / "data").mkdir()
    (root / "data" / "kegiatan_unit.xlsx").write_bytes(kobo_repeat_xlsx())
    (root / "evaluasi.yaml").write_text(
        "title: Kegiatan\norganisation: BKPSDM Uji\nperiod: 2025\n", encoding="utf-8"
    )
    evaluation = import_bundle(read_bundle_for_db(root)).evaluation
    new, old = read_evaluation(evaluation), _exported(evaluation, tmp_path)
    same_bundles(new, old)
    assert new.data["kegiatan_unit"].frame().height == 3
