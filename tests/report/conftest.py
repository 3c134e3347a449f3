import pytest

from tilik.report.sample import clean_hasil, sample_hasil


@pytest.fixture
def hasil():
    """A realistic result set (Kota Kupang 2025) with typical problems to report."""
    return sample_hasil()


@pytest.fixture
def clean():
    """The same result set with every problem fixed."""
    return clean_hasil()
