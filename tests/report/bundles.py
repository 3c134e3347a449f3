"""Small evaluations built as real bundles, for tests that run the whole analysis on them."""

from __future__ import annotations

from pathlib import Path

import openpyxl

COLUMNS = ["type", "name", "label::Indonesian (id)", "construct", "level", "correct"]
LIKERT = [
    ("select_one setuju5", f"manfaat_{i}", "Pelatihan bermanfaat", "manfaat", "reaksi", "")
    for i in (1, 2, 3)
] + [
    (
        "select_one setuju5",
        f"pengetahuan_{i}",
        "Pengetahuan saya bertambah",
        "pengetahuan",
        "pembelajaran",
        "",
    )
    for i in (1, 2)
]
TEST_ITEMS = [("select_one abc", f"soal_{i}", f"Soal {i}", "", "", "b") for i in range(1, 6)]


def _form(path: Path, form_id: str, rows: list[tuple[str, ...]]) -> None:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(COLUMNS)
    survey.append(["text", "nip", "NIP", None, None, None])
    for row in rows:
        survey.append([v or None for v in row])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Indonesian (id)"])
    for i in range(1, 6):
        choices.append(["setuju5", str(i), f"Skala {i}"])
    for name in "abc":
        choices.append(["abc", name, name.upper()])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    settings.append([form_id, form_id.replace("_", " ").title(), "1", "Indonesian (id)"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def nip(i: int) -> str:
    return f"19850312201001{i:04d}"


def write_evaluation(
    root: Path,
    ratings: list[int],
    *,
    knowledge: list[int] | None = None,
    tests: tuple[list[int], list[int]] | None = None,
) -> Path:
    """A bundle with a participant survey (one rating per person for every manfaat item,
    ``knowledge`` for the pengetahuan items) and, with ``tests``, a pre- and a post-test
    (number of right answers, 0–5, per person)."""
    instruments = "instruments:\n  survei_peserta: {kind: survei_peserta}\n"
    _form(root / "instrumen" / "survei_peserta.xlsx", "survei_peserta", LIKERT)
    knowledge = knowledge or ratings
    header = ["nip"] + [r[1] for r in LIKERT]
    rows = [
        [nip(i)] + [str(r)] * 3 + [str(k)] * 2 for i, (r, k) in enumerate(zip(ratings, knowledge))
    ]
    _csv(root / "data" / "survei_peserta.csv", header, rows)
    if tests:
        for form_id, kind, right in (
            ("pretest", "tes_awal", tests[0]),
            ("posttest", "tes_akhir", tests[1]),
        ):
            instruments += f"  {form_id}: {{kind: {kind}, test: pengetahuan_layanan}}\n"
            _form(root / "instrumen" / f"{form_id}.xlsx", form_id, TEST_ITEMS)
            answers = [
                [nip(i)] + ["b" if q < n else "a" for q in range(5)] for i, n in enumerate(right)
            ]
            _csv(root / "data" / f"{form_id}.csv", ["nip"] + [t[1] for t in TEST_ITEMS], answers)
    (root / "evaluasi.yaml").write_text(
        'title: "Evaluasi Uji"\norganisation: "BKPSDM Uji"\nperiod: 2025\n'
        "programs:\n  - name: Pelatihan Uji\n    kind: pelatihan teknis\n    jp: 30\n"
        f"    participants: {max(len(ratings), 1)}\n" + instruments,
        encoding="utf-8",
    )
    return root
