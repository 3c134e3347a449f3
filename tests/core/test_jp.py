"""JP (jam pelajaran) per ASN per year and the 20 JP target of PP 17/2020."""

from __future__ import annotations

import pytest

from tilik.core.bundle import Participant
from tilik.core.jp import jp_per_asn, jp_summary, minutes_to_jp, roster_frame


def _p(key, instansi="A", program="P", jp=None, kehadiran=None, year=2025):
    return Participant(
        key=key, instansi=instansi, program=program, jp=jp, kehadiran=kehadiran, year=year
    )


def test_it_converts_minutes_to_jp():
    assert minutes_to_jp(90) == 2


def test_it_adds_up_jp_per_asn_and_falls_back_to_program_jp():
    roster = roster_frame(
        [_p("a", jp=12), _p("a", program="Q"), _p("b", program="Q", kehadiran=0.5)]
    )
    per_asn, counts = jp_per_asn(roster, program_jp={"Q": 30})
    assert dict(per_asn.select("key", "jp").iter_rows()) == {"a": 42.0, "b": 15.0}
    assert counts["n_rows_no_jp"] == 0


def test_it_shares_asn_meeting_20_jp_with_wilson_ci():
    roster = roster_frame([_p(f"k{i}", jp=25 if i < 6 else 10) for i in range(10)])
    year = jp_summary(roster)["2025"]
    assert year["n_asn"] == 10 and year["share_meeting_20"] == 0.6
    lo, hi = year["share_meeting_20_ci"]
    assert lo < 0.6 < hi


def test_it_withholds_small_organisations():
    roster = roster_frame([_p(f"k{i}", instansi="A" if i < 6 else "B", jp=20) for i in range(8)])
    by = jp_summary(roster)["2025"]["by_organisation"]
    assert by["B"] == {"n_asn": 2, "withheld": True}
    assert by["A"]["share_meeting_20"] == pytest.approx(1.0)


def test_it_uses_the_evaluation_year_when_a_row_has_none():
    roster = roster_frame([_p("a", jp=5, year=None)])
    assert list(jp_summary(roster, default_year=2024)) == ["2024"]
