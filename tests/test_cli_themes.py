"""`tilik themes` in-process: code, eval, help on every command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tilik.cli.themes import themes

ROWS = [
    {
        "text": "Materinya tidak sesuai dengan tugas saya.",
        "themes": ["relevansi_rendah"],
        "sentiment": "negatif",
        "source": "survey",
    },
    {
        "text": "Widyaiswara sangat menguasai materi.",
        "themes": ["fasilitator"],
        "sentiment": "positif",
    },
]


def _write(tmp_path, rows):
    path = tmp_path / "teks.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_it_codes_a_jsonl_file(tmp_path):
    source = _write(
        tmp_path, [{"text": r["text"], "source": r.get("source", "survey")} for r in ROWS]
    )
    out = tmp_path / "hasil.jsonl"
    result = CliRunner().invoke(themes, ["code", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["themes"] == ["relevansi_rendah"] and lines[0]["source"] == "survey"
    assert lines[1]["sentiment"] == "positif"


def test_it_scores_a_labelled_file(tmp_path):
    result = CliRunner().invoke(themes, ["eval", str(_write(tmp_path, ROWS))])
    assert result.exit_code == 0, result.output
    assert "macro-F1: 1.000" in result.output
    assert "akurasi sentimen: 1.000" in result.output


def test_it_reports_a_bad_line_without_traceback(tmp_path):
    path = tmp_path / "rusak.jsonl"
    path.write_text('{"text": "ok"}\nbukan json\n', encoding="utf-8")
    result = CliRunner().invoke(themes, ["code", str(path)])
    assert result.exit_code != 0
    assert "baris 2" in result.output and "Traceback" not in result.output


def test_it_has_help_on_every_command():
    for name, command in themes.commands.items():
        assert command.help, name
        result = CliRunner().invoke(themes, [name, "--help"])
        assert result.exit_code == 0


LEARN = ROWS + [
    {"text": "Jadwal pelatihan bentrok dengan tutup buku.", "themes": ["jadwal"]},
    {"text": "Uang harian belum cair dua bulan.", "themes": ["anggaran"]},
    {"text": "Sinyal di kantor desa sering hilang.", "themes": ["sarana_akses"]},
]


def test_it_reports_calibration_beside_f1(tmp_path):
    result = CliRunner().invoke(themes, ["eval", str(_write(tmp_path, ROWS)), "--json"])
    assert result.exit_code == 0, result.output
    cal = json.loads(result.output)["calibration"]
    assert 0 <= cal["theme_brier"] < 0.1 and 0 <= cal["theme_ece"] < 0.2
    text = CliRunner().invoke(themes, ["eval", str(_write(tmp_path, ROWS))]).output
    assert "kalibrasi tema: Brier" in text and "ECE" in text


def test_it_measures_learning_from_corrections(tmp_path):
    args = ["eval", str(_write(tmp_path, LEARN)), "--learn", "2", "--repeats", "1"]
    result = CliRunner().invoke(themes, args)
    assert result.exit_code == 0, result.output
    assert "belajar dari 2 koreksi (1 undian, 3 teks lain dinilai)" in result.output


def test_it_refuses_to_learn_from_every_text(tmp_path):
    result = CliRunner().invoke(themes, ["eval", str(_write(tmp_path, LEARN)), "--learn", "5"])
    assert result.exit_code != 0
    assert "--learn 5" in result.output and "Traceback" not in result.output


def test_it_refuses_to_learn_from_unknown_codes(tmp_path):
    rows = LEARN + [{"text": "Kopi pagi dulu.", "themes": ["budaya_kopi"]}]
    result = CliRunner().invoke(themes, ["eval", str(_write(tmp_path, rows)), "--learn", "2"])
    assert result.exit_code != 0 and "budaya_kopi" in result.output


def test_it_trains_on_another_labelled_file_for_honest_splits(tmp_path):
    training = tmp_path / "latih.jsonl"
    training.write_text("\n".join(json.dumps(r) for r in LEARN * 3) + "\n", encoding="utf-8")
    args = ["eval", str(_write(tmp_path, ROWS)), "--training", str(training), "--json"]
    result = CliRunner().invoke(themes, args)
    assert result.exit_code == 0, result.output
    packaged = CliRunner().invoke(themes, ["eval", str(_write(tmp_path, ROWS)), "--json"])
    brier = [json.loads(r.output)["calibration"]["theme_brier"] for r in (result, packaged)]
    assert brier[0] != brier[1]  # a coder fitted on 18 texts is not the packaged one


def test_it_refuses_a_training_file_without_labels(tmp_path):
    training = tmp_path / "latih.jsonl"
    training.write_text(json.dumps({"text": "tanpa label"}) + "\n", encoding="utf-8")
    args = ["eval", str(_write(tmp_path, ROWS)), "--training", str(training)]
    result = CliRunner().invoke(themes, args)
    assert result.exit_code != 0 and "tidak ada baris berlabel" in result.output
