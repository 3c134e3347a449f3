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
