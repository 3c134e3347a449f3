"""The tests of test_stored.py on PostgreSQL (run with -m postgres and DATABASE_URL)."""

from __future__ import annotations

import pytest

from tests.web.test_stored import (  # noqa: F401 - collected here again
    test_it_checks_stored_answers_again_against_the_current_form,
    test_it_exports_and_reads_a_form_with_repeats_as_before,
    test_it_reads_an_instrument_with_many_chunks_in_export_order,
    test_it_reads_the_example_evaluation_from_the_database_as_its_export,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
