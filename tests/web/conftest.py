"""Fixtures the web tests share."""

from __future__ import annotations

import pytest

from tests.builders import write_form


@pytest.fixture
def survey(cast, tmp_path):
    """Evaluation A's participant survey (the builders' form), added as an instrument."""
    from tilik.web.collection import services

    data = write_form(tmp_path / "survei_peserta.xlsx").read_bytes()
    instrument, problems = services.add_instrument(
        cast.evaluation_a, data, "survei_peserta.xlsx", "survei_peserta"
    )
    assert instrument is not None, problems
    return instrument
