"""The demo evaluation bundle examples/kupang-2025."""

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

BUNDLE = Path(__file__).resolve().parents[1] / "examples" / "kupang-2025"
DATA = sorted((BUNDLE / "data").glob("*.csv"))
KOBO_META = [
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
    "_status", "_submitted_by", "__version__", "_tags", "_index",
]  # fmt: skip


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _nips(path: Path) -> set[str]:
    nips = set()
    for row in _read(path):
        for column, value in row.items():
            if column.split("/")[-1] in {"nip", "nip_peserta"} and value:
                nips.add(value)
    return nips


def _nip_is_valid(nip: str) -> bool:
    if len(nip) != 18 or not nip.isdigit():
        return False
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    return (
        born.year + 17 <= tmt_year <= 2025
        and 1 <= tmt_month <= 12
        and nip[14] in "12"
        and nip[15:] != "000"
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("kupang")
    subprocess.run([sys.executable, str(BUNDLE / "generate.py"), str(out)], check=True)
    return out


@pytest.fixture(scope="module")
def roster():
    return {row["nip"]: row for row in csv.DictReader((BUNDLE / "peserta.csv").open())}


def test_it_regenerates_the_committed_files_byte_for_byte(regenerated):
    generated = sorted(p.relative_to(regenerated) for p in regenerated.rglob("*") if p.is_file())
    assert len(generated) == 14
    for relative in generated:
        assert (regenerated / relative).read_bytes() == (BUNDLE / relative).read_bytes(), relative


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.stem)
def test_it_writes_data_as_kobo_exports_it(path):
    raw = path.read_bytes()
    assert raw.startswith(b'"') and not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    header = next(csv.reader([lines[0].decode()], delimiter=";"))
    assert header[-10:] == KOBO_META
    assert all(line.startswith(b'"') and line.endswith(b'"') for line in lines[:-1])


def test_it_splits_select_multiple_into_option_columns():
    row = next(r for r in _read(BUNDLE / "data/survei_peserta.csv") if r["kendala/hambatan"])
    chosen = row["kendala/hambatan"].split()
    options = {c.rsplit("/", 1)[1]: v for c, v in row.items() if c.startswith("kendala/hambatan/")}
    assert {name for name, value in options.items() if value == "1"} == set(chosen)
    assert set(options.values()) == {"0", "1"}


def test_it_uses_only_nips_of_enrolled_participants(roster):
    for path in DATA:
        assert _nips(path) <= set(roster), path.name


def test_it_uses_structurally_valid_nips(roster):
    assert len(roster) == 400
    assert all(_nip_is_valid(nip) for nip in roster)


def test_it_pairs_most_pre_and_post_tests():
    pre, post = _nips(BUNDLE / "data/pretest.csv"), _nips(BUNDLE / "data/posttest.csv")
    assert len(pre & post) >= 0.9 * len(post)
    assert pre - post and post - pre


def test_it_has_enough_responses_for_every_instrument():
    counts = {path.stem: len(_read(path)) for path in DATA}
    assert counts["observasi"] >= 60
    assert 280 <= counts["skm"] <= 320
    assert 280 <= counts["survei_peserta"] <= 320
    assert counts["survei_atasan"] >= 140


def test_it_has_twenty_transcripts_listed_in_the_index():
    index = list(csv.DictReader((BUNDLE / "wawancara/index.csv").open(encoding="utf-8")))
    assert len(index) >= 20
    for row in index:
        text = (BUNDLE / "wawancara" / row["file"]).read_text(encoding="utf-8")
        assert 300 <= len(text.split()) <= 1000, row["file"]
        assert row["role"] in {"pejabat", "atasan", "peserta", "penyelenggara"}


def test_it_ships_a_form_for_every_data_file():
    for path in DATA:
        settings = load_workbook(BUNDLE / "instrumen" / f"{path.stem}.xlsx")["settings"]
        assert settings["A2"].value == path.stem


PREVIOUS = BUNDLE.parent / "kupang-2024"


def test_it_regenerates_the_previous_cycle_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(PREVIOUS / "generate.py"), str(tmp_path)], check=True)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert Path("tindak_lanjut.csv") in generated and len(generated) == 15
    for relative in generated:
        assert (tmp_path / relative).read_bytes() == (PREVIOUS / relative).read_bytes(), relative


def test_the_demo_report_compares_2025_with_2024_and_follows_its_recommendations(tmp_path):
    from tilik.core.bundle import read_bundle
    from tilik.report.pipeline import analyse

    hasil = analyse(read_bundle(BUNDLE))
    comparison = hasil["comparison"]
    assert comparison["previous"]["period"] == 2024
    followed = {r["key"]: r for r in comparison["recommendations"]}
    with (PREVIOUS / "tindak_lanjut.csv").open(encoding="utf-8") as handle:
        states = {row["key"]: row["status"] for row in csv.DictReader(handle)}
    assert states and all(followed[key]["status"] == status for key, status in states.items())
    workload = next(
        i
        for i in followed["jadwal_fleksibel"]["indicators"]
        if i["metric"] == "challenges[code=waktu_beban_kerja]/share"
    )
    assert workload["current"] < workload["previous"] and workload["moved"] is True
    assert {(n["construct"], n["reason"]) for n in comparison["not_comparable"]} == {
        ("sikap", "construct_added")
    }
