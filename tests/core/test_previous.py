"""A bundle names its previous cycle; nothing outside the folder holding it is read."""

from __future__ import annotations

import os
from pathlib import Path

from tests.report.bundles import write_evaluation
from tilik.core.bundle import read_bundle
from tilik.core.previous import resolve_previous


def _linked(tmp_path: Path, previous: str) -> Path:
    root = write_evaluation(tmp_path / "cycles" / "uji-2025", [5, 4, 4, 5, 3, 4])
    meta = root / "evaluasi.yaml"
    meta.write_text(meta.read_text("utf-8") + f"previous: {previous}\n", encoding="utf-8")
    return root


def _problems(root: Path) -> list:
    return [p for p in read_bundle(root).problems if p.column == "previous"]


def test_it_reads_a_previous_cycle_beside_the_bundle(tmp_path):
    write_evaluation(tmp_path / "cycles" / "uji-2024", [3, 3, 4, 2, 3, 4])
    root = _linked(tmp_path, "../uji-2024")
    bundle = read_bundle(root)
    assert bundle.meta.previous == "../uji-2024"
    assert _problems(root) == []


def test_it_refuses_a_previous_cycle_outside_the_folder_holding_the_bundle(tmp_path):
    write_evaluation(tmp_path / "elsewhere", [3, 3, 4, 2, 3, 4])
    root = _linked(tmp_path, "../../elsewhere")
    [problem] = _problems(root)
    assert problem.severity == "error" and problem.value == "../../elsewhere"
    assert "luar folder" in problem.message
    assert read_bundle(root).meta.previous == ""


def test_it_refuses_a_previous_cycle_reached_through_a_symbolic_link(tmp_path):
    write_evaluation(tmp_path / "elsewhere", [3, 3, 4, 2, 3, 4])
    root = _linked(tmp_path, "../uji-2024")
    os.symlink(tmp_path / "elsewhere", tmp_path / "cycles" / "uji-2024")
    [problem] = _problems(root)
    assert problem.severity == "error"
    inside = tmp_path / "cycles" / "inside-2024"
    write_evaluation(inside, [3, 3, 4, 2, 3, 4])
    os.symlink(inside, tmp_path / "cycles" / "link-2024")
    path, refused = resolve_previous(root, "../link-2024")
    assert path is None and "tautan simbolik" in refused.message


def test_it_refuses_absolute_paths_and_the_bundle_itself(tmp_path):
    root = _linked(tmp_path, str(tmp_path))
    assert _problems(root)[0].severity == "error"
    assert resolve_previous(root, "../uji-2025")[1].severity == "error"
    assert resolve_previous(root, ".")[1].severity == "error"


def test_it_warns_when_the_previous_cycle_is_missing(tmp_path):
    root = _linked(tmp_path, "../uji-2024")
    [problem] = _problems(root)
    assert problem.severity == "warning" and problem.file == "evaluasi.yaml"
    assert read_bundle(root).refusals == []


def test_it_reads_follow_ups_and_names_each_bad_row(tmp_path):
    root = write_evaluation(tmp_path / "uji", [5, 4, 4, 5, 3, 4])
    (root / "tindak_lanjut.csv").write_text(
        "key,status,due,assignee,note\n"
        "jadwal_fleksibel,Selesai,2025-06-30,Bidang PKASN,\n"
        "transfer_kerja,ditunda,,,\n"
        "target_jp:2024,proses,30/06/2025,,\n"
        "efisiensi_anggaran,Dalam proses,,,\n"
        "jadwal_fleksibel,belum,,,\n",
        encoding="utf-8",
    )
    bundle = read_bundle(root)
    assert bundle.follow_ups["jadwal_fleksibel"]["status"] == "selesai"
    assert bundle.follow_ups["jadwal_fleksibel"]["due"] == "2025-06-30"
    assert bundle.follow_ups["efisiensi_anggaran"]["status"] == "proses"
    found = {
        (p.row, p.column, p.value, p.severity)
        for p in bundle.problems
        if p.file == "tindak_lanjut.csv"
    }
    assert found == {
        (3, "status", "ditunda", "error"),
        (4, "due", "30/06/2025", "error"),
        (6, "key", "jadwal_fleksibel", "warning"),
    }
