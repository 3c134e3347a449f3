"""The multi-user path on PostgreSQL: run by `make test` with TILIK_TEST_POSTGRES_URL set."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.builders import kobo_row, write_bundle
from tilik.web.collection.models import Submission
from tilik.web.collection.services import store_rows
from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db

pytestmark = [pytest.mark.postgres]


@pytest.mark.django_db
def test_it_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_it_imports_idempotently_on_postgresql(tmp_path):
    root = write_bundle(tmp_path / "b", [kobo_row(i) for i in range(3)] + [kobo_row(0)])
    import_bundle(read_bundle_for_db(root))
    import_bundle(read_bundle_for_db(root))
    assert Submission.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_it_stores_concurrent_resubmissions_once(tmp_path):
    from django.db import IntegrityError, connections, transaction

    summary = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "b", [kobo_row(0)])))
    instrument = summary.evaluation.instruments.get()
    response = (
        read_bundle_for_db(write_bundle(tmp_path / "c", [kobo_row(7)]))
        .data["survei_peserta"]
        .responses
    )
    errors: list[Exception] = []

    def submit() -> None:
        try:
            with transaction.atomic():
                store_rows(instrument, response, Submission.Source.WEB)
        except IntegrityError:
            pass  # the loser of the race: the row is already there
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Submission.objects.filter(instance_id="uuid-0007").count() == 1


@pytest.mark.django_db
def test_it_copies_awkward_text_into_postgresql_exactly(tmp_path):
    awkward = 'tab\there\\back slash\r\nnew line \x0b\x0c\x08 "kutip" ; 𝛼 café'
    rows = [kobo_row(0, saran=awkward, _uuid="uuid\\with\ttab"), kobo_row(1)]
    root = write_bundle(tmp_path / "b", rows)
    import_bundle(read_bundle_for_db(root))
    stored = Submission.objects.get(instance_id="uuid\\with\ttab")
    assert stored.answers["saran"] == awkward
    assert stored.raw["saran"] == awkward
    assert Submission.objects.count() == 2


def _stored(instrument_id: int) -> list[tuple]:
    return list(
        Submission.objects.filter(instrument_id=instrument_id)
        .order_by("instance_id")
        .values_list("instance_id", "answers", "raw", "content_hash", "respondent_key", "row")
    )


@pytest.mark.django_db
def test_it_streams_a_new_instruments_rows_in_parts_as_the_checked_path_stores_them(
    tmp_path, monkeypatch
):
    from django.db import transaction

    from tilik.web.collection import services

    awkward = 'tab\there\\back slash\r\nnew line "kutip" 𝛼'
    rows = [kobo_row(i, saran=f"{awkward} {i}") for i in range(7)]
    first = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "a", rows[:1])))
    instrument = first.evaluation.instruments.get()
    dataset = read_bundle_for_db(write_bundle(tmp_path / "b", rows)).data["survei_peserta"]
    prepared = [services.stored_row(r, b"k") for r in dataset.responses]
    services.store_prepared(instrument, prepared, Submission.Source.BUNDLE)  # looked up
    checked = _stored(instrument.pk)

    monkeypatch.setattr(services, "_COPY_PART_ROWS", 3)
    other = first.evaluation.instruments.create(form_id="lain", kind="lainnya", title="Lain")
    with transaction.atomic(), services.fresh_rows(other, Submission.Source.BUNDLE) as send:
        assert [send(prepared[i : i + 2]) for i in range(0, 7, 2)] == [2, 2, 2, 1]
    assert _stored(other.pk) == checked and len(checked) == 7
    from django.utils import timezone

    moment = timezone.now()
    monkeypatch.setattr(services.timezone, "now", lambda: moment)
    line = services._copy_lines_function(other, "bundle", None)
    values = services._row_values(other, "bundle", None)
    assert line(prepared) == "".join(services._copy_line(values(row)) for row in prepared)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_none_of_a_streamed_file_when_it_fails_part_way(tmp_path, monkeypatch):
    from django.db import transaction

    from tilik.web.collection import services

    summary = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "a", [kobo_row(0)])))
    other = summary.evaluation.instruments.create(form_id="lain", kind="lainnya", title="Lain")
    dataset = read_bundle_for_db(
        write_bundle(tmp_path / "b", [kobo_row(i) for i in range(5)])
    ).data["survei_peserta"]
    prepared = [services.stored_row(r, b"k") for r in dataset.responses]
    monkeypatch.setattr(services, "_COPY_PART_ROWS", 2)
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        services.fresh_rows(other, Submission.Source.BUNDLE) as send,
    ):
        send(prepared[:2])  # a whole part, its COPY ended
        send(prepared[2:3])
        raise RuntimeError("the reader failed")
    assert not Submission.objects.filter(instrument=other).exists()
    assert Submission.objects.count() == 1  # the connection is usable and the first row kept


@pytest.mark.django_db
def test_it_copies_quarantined_rows_with_their_text_and_reasons(tmp_path):
    from tilik.web.collection.models import QuarantinedRow

    awkward = 'tab\there\\back slash\r\n"kutip" 𝛼'
    rows = [kobo_row(i, umur="seratus", saran=awkward) for i in range(3)] + [kobo_row(3)]
    summary = import_bundle(read_bundle_for_db(write_bundle(tmp_path / "b", rows)))
    held = list(QuarantinedRow.objects.order_by("row"))
    assert [h.raw["saran"] for h in held] == [awkward] * 3
    assert all(h.status == "open" and h.created_at and h.batch_id for h in held)
    assert all("umur" in str(h.problems) for h in held)
    assert summary.quarantined == {"survei_peserta": 3}
