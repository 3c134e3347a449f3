"""IKM per PermenPANRB 14/2017 (and the 2004 regime)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tilik.core.ikm import compute_ikm, ikm_from_nrr, mutu

SUMS = [105, 101, 100, 116, 102, 105, 106, 105, 115]  # 29 respondents, per-unsur sums
UNSUR = [f"u{i}" for i in range(1, 10)]


def _respondents(sums, n=29):
    cols = {}
    for i, total in enumerate(sums):
        values = np.full(n, total // n)
        values[: total - values.sum()] += 1
        cols[f"u{i + 1}"] = values
    return pl.DataFrame(cols)


def test_it_reproduces_the_regulation_test_vector():
    row = compute_ikm(_respondents(SUMS), UNSUR).row(0, named=True)
    assert row["unit"] == "_all" and row["n"] == 29
    assert round(row["ikm"], 2) == 91.48
    assert row["mutu"] == "A" and row["kinerja"] == "Sangat Baik"
    assert row["nrr"][0] == pytest.approx(105 / 29)
    assert row["index"] == pytest.approx(sum(SUMS) / 29 / 9)


def test_it_rounds_to_two_decimals_before_banding():
    assert mutu(88.305) == ("A", "Sangat Baik")
    assert mutu(88.30) == ("B", "Baik")
    assert mutu(76.605) == ("B", "Baik")
    assert mutu(76.6049) == ("C", "Kurang Baik")
    assert mutu(64.994) == ("D", "Tidak Baik")
    assert mutu(64.995) == ("C", "Kurang Baik")


def test_it_supports_the_2004_regime():
    assert mutu(81.26, "2004") == ("A", "Sangat Baik")
    assert mutu(81.25, "2004") == ("B", "Baik")
    assert mutu(43.75, "2004") == ("D", "Tidak Baik")
    res = ikm_from_nrr([3.0] * 14, "2004")
    assert res["ikm"] == pytest.approx(75.0) and res["mutu"] == "B"


def test_it_refuses_the_wrong_number_of_unsur():
    with pytest.raises(ValueError):
        compute_ikm(_respondents(SUMS), UNSUR[:8])


def test_it_reports_units_and_withholds_small_ones():
    data = _respondents(SUMS).with_columns(unit=pl.Series(["rsud"] * 25 + ["kelurahan"] * 4))
    table = compute_ikm(data, UNSUR, unit="unit")
    assert table.get_column("unit").to_list() == ["_all", "kelurahan", "rsud"]
    assert table.get_column("withheld").to_list() == [False, True, False]


def test_it_uses_available_answers_per_unsur():
    data = _respondents(SUMS).with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("u1")).alias("u1")
    )
    row = compute_ikm(data, UNSUR).row(0, named=True)
    assert row["n"] == 29
    assert row["nrr"][0] == pytest.approx(data["u1"].drop_nulls().mean())
