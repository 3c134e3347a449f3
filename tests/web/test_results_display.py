"""The results page's rows, from hasil, in words."""

from tilik.report.sample import sample_hasil
from tilik.web.reports.display import results_display


def test_it_flags_a_response_rate_above_100_percent_on_the_results_page():
    hasil = sample_hasil()
    assert results_display(hasil, "id", [])["rate_warnings"] == []
    form_id = next(k for k, v in hasil["instruments"].items() if v.get("response_rate"))
    hasil["instruments"][form_id]["response_rate"] = 1.13
    (warning,) = results_display(hasil, "id", [])["rate_warnings"]
    assert "113" in warning and "peserta terdaftar" in warning
