"""Property tests of tilik.core.stats (hypothesis)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilik.core import stats

answers = st.lists(st.integers(1, 5), min_size=3, max_size=40)


def matrix(n_items: int):
    return st.integers(3, 30).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=n, max_size=n),
            min_size=n_items,
            max_size=n_items,
        )
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=stats.MIN_N_ALPHA, max_size=40))
def test_it_gives_alpha_one_for_identical_items(values):
    if len(set(values)) < 2:
        values = [*values, 1 if values[0] != 1 else 5]
    data = pl.DataFrame({"a": values, "b": values, "c": values})
    row = stats.summarize_likert(data, {"c": ["a", "b", "c"]}).constructs.row(0, named=True)
    assert row["alpha"] == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(matrix(4), st.randoms(use_true_random=False))
def test_it_is_unchanged_by_shuffling_respondents(cols, rnd):
    data = pl.DataFrame(
        {f"q{i}": c for i, c in enumerate(cols)}, schema={f"q{i}": pl.Int64 for i in range(4)}
    )
    order = list(range(data.height))
    rnd.shuffle(order)
    spec = {"a": ["q0", "q1"], "b": ["q2", "q3"]}
    one = stats.summarize_likert(data, spec, reverse=["q1"])
    two = stats.summarize_likert(data[order], spec, reverse=["q1"])
    for left, right in ((one.items, two.items), (one.constructs, two.constructs)):
        for col in left.columns:
            a, b = left.get_column(col).to_list(), right.get_column(col).to_list()
            if left.schema[col] == pl.Float64:
                assert np.allclose(
                    np.array(a, dtype=float), np.array(b, dtype=float), equal_nan=True
                ), col
            else:
                assert a == b, col


@settings(max_examples=40, deadline=None)
@given(answers)
def test_it_mirrors_the_mean_of_a_reversed_item(values):
    data = pl.DataFrame({"q": values})
    plain = stats.describe_items(data, ["q"]).row(0, named=True)
    rev = stats.describe_items(data, ["q"], reverse=["q"]).row(0, named=True)
    assert rev["mean"] == pytest.approx(6 - plain["mean"])
    assert rev["median"] == pytest.approx(6 - plain["median"])
    assert rev["dist"] == plain["dist"][::-1]


@settings(max_examples=40, deadline=None)
@given(answers)
def test_it_agrees_with_numpy_on_median_mean_and_sd(values):
    row = stats.describe_items(pl.DataFrame({"q": values}), ["q"]).row(0, named=True)
    x = np.array(values, dtype=float)
    assert row["median"] == np.median(x)
    assert row["mean"] == pytest.approx(x.mean())
    assert row["sd"] == pytest.approx(x.std(ddof=1), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_it_keeps_the_wilson_interval_in_0_1_around_the_share(kn):
    k, n = kn
    lo, hi = stats.wilson_ci(k, n)
    assert 0.0 <= lo[0] <= k / n <= hi[0] <= 1.0


@settings(max_examples=30, deadline=None)
@given(matrix(3))
def test_it_never_counts_more_answers_than_respondents(cols):
    data = pl.DataFrame(
        {f"q{i}": c for i, c in enumerate(cols)}, schema={f"q{i}": pl.Int64 for i in range(3)}
    )
    s = stats.summarize_likert(data, {"c": ["q0", "q1", "q2"]})
    for row in s.items.iter_rows(named=True):
        assert row["n"] + row["n_missing"] == data.height
        assert sum(row["dist"]) == row["n"]
    row = s.constructs.row(0, named=True)
    assert row["n_alpha"] <= row["n"] <= data.height
