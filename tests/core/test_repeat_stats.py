"""Answers inside repeat groups: per instance and per submission, with the unit stated."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from tilik.core.bundle import read_bundle
from tilik.core.hasil import build_hasil
from tilik.report.pipeline import validate_hasil

SURVEY = [
    ["type", "name", "label::Indonesian (id)", "construct"],
    ["select_one opd", "instansi", "Instansi", ""],
    ["text", "nip", "NIP", ""],
    ["begin_repeat", "kegiatan", "Kegiatan", ""],
    ["integer", "peserta", "Jumlah peserta", ""],
    ["select_one moda", "moda", "Moda", ""],
    ["select_one setuju", "guna_1", "Kegiatan berguna", "kegunaan"],
    ["select_one setuju", "guna_2", "Kegiatan dipakai lagi", "kegunaan"],
    ["text", "nama_pelatih", "Nama pelatih", ""],
    ["end_repeat", "", "", ""],
]
CHOICES = [["list_name", "name", "label::Indonesian (id)"]]
CHOICES += [["setuju", str(i), f"Skala {i}"] for i in range(1, 6)]
CHOICES += [["moda", "kelas", "Kelas"], ["moda", "daring", "Daring"]]
CHOICES += [["opd", "a", "Dinas A"], ["opd", "b", "Dinas B"]]

# submissions: (instansi, [(peserta, moda, guna_1, guna_2), ...])
SUBMISSIONS = [
    ("a", [(10, "kelas", 5, 4), (4, "daring", 4, 4)]),
    ("a", [(12, "kelas", 5, 5)]),
    ("a", []),
    ("a", [(3, "daring", 2, 3), (6, "daring", 3, 3), (8, "kelas", 4, 5)]),
    ("a", [(7, "kelas", 4, 4)]),
    ("a", [(9, "kelas", 5, 4)]),
    ("b", [(2, "daring", 2, 2)]),
    ("b", [(5, "daring", 3, 2), (5, "kelas", 2, 3)]),
    ("b", [(4, "daring", 1, 2)]),
    ("b", [(6, "kelas", 3, 3)]),
    ("b", [(3, "daring", 2, 1), (2, "daring", 3, 2)]),
]


@pytest.fixture
def hasil(tmp_path):
    root = tmp_path / "bundel"
    book = openpyxl.Workbook()
    book.active.title = "survey"
    for row in SURVEY:
        book["survey"].append([v or None for v in row])
    choices = book.create_sheet("choices")
    for row in CHOICES:
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    settings.append(["kegiatan_unit", "Kegiatan unit", "1", "Indonesian (id)"])
    (root / "instrumen").mkdir(parents=True)
    book.save(root / "instrumen" / "kegiatan_unit.xlsx")
    most = max(len(instances) for _, instances in SUBMISSIONS)
    header = ["instansi", "nip"]
    for k in range(1, most + 1):
        header += [f"kegiatan[{k}]/{q}" for q in ("peserta", "moda", "guna_1", "guna_2")]
        header.append(f"kegiatan[{k}]/nama_pelatih")
    lines = [",".join(header)]
    for index, (opd, instances) in enumerate(SUBMISSIONS):
        row = [opd, f"1985031220100110{index:02d}"]
        for k in range(most):
            if k < len(instances):
                row += [str(v) for v in instances[k]] + ["Yohanes Ndun"]
            else:
                row += [""] * 5
        lines.append(",".join(row))
    (root / "data").mkdir()
    (root / "data" / "kegiatan_unit.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "evaluasi.yaml").write_text(
        "title: Uji\norganisation: Uji\nperiod: 2025\n"
        "instruments:\n  kegiatan_unit: {kind: lainnya}\n",
        encoding="utf-8",
    )
    bundle = read_bundle(root)
    assert not bundle.errors, [p.render() for p in bundle.errors]
    return build_hasil(bundle)


def _t_ci(x):
    x = np.asarray(x, dtype=float)
    return stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))


def test_it_summarises_numbers_per_instance_and_per_submission(hasil):
    peserta = hasil["repeats"]["kegiatan_unit"]["kegiatan"]["questions"]["peserta"]
    every = [i[0] for _, instances in SUBMISSIONS for i in instances]
    totals = [sum(i[0] for i in instances) for _, instances in SUBMISSIONS if instances]
    one = peserta["per_instance"]
    assert one["unit_of_analysis"] == "instance" and one["n"] == len(every) == 15
    assert one["mean"] == pytest.approx(np.mean(every))
    assert one["mean_ci"] == pytest.approx(list(_t_ci(every)))
    each = peserta["per_submission"]
    assert each["unit_of_analysis"] == "submission" and each["statistic"] == "sum"
    assert each["n"] == 10 and each["mean"] == pytest.approx(np.mean(totals))
    assert each["mean_ci"] == pytest.approx(list(_t_ci(totals)))


def test_it_gives_shares_per_instance_and_per_submission_with_wilson_intervals(hasil):
    online = hasil["repeats"]["kegiatan_unit"]["kegiatan"]["questions"]["moda"]["choices"]["daring"]
    hits = sum(i[1] == "daring" for _, ins in SUBMISSIONS for i in ins)
    subs = sum(any(i[1] == "daring" for i in ins) for _, ins in SUBMISSIONS if ins)
    assert (online["per_instance"]["count"], online["per_instance"]["n"]) == (hits, 15)
    assert online["per_instance"]["share_ci"] == pytest.approx(
        list(proportion_confint(hits, 15, method="wilson"))
    )
    assert (online["per_submission"]["count"], online["per_submission"]["n"]) == (subs, 10)
    assert online["per_submission"]["share_ci"] == pytest.approx(
        list(proportion_confint(subs, 10, method="wilson"))
    )


def test_it_counts_instances_per_submission(hasil):
    kegiatan = hasil["repeats"]["kegiatan_unit"]["kegiatan"]
    counts = [len(instances) for _, instances in SUBMISSIONS]
    assert kegiatan["n_submissions"] == 11 and kegiatan["n_instances"] == sum(counts)
    assert kegiatan["n_submissions_with_instances"] == 10
    assert kegiatan["instances_per_submission"]["mean"] == pytest.approx(np.mean(counts))


def test_it_puts_repeat_constructs_beside_the_others_with_both_units(hasil):
    construct = hasil["constructs"]["kegiatan_unit"]["kegiatan/kegunaan"]
    scores = [[(i[2] + i[3]) / 2 for i in ins] for _, ins in SUBMISSIONS if ins]
    every = [s for ss in scores for s in ss]
    assert construct["unit_of_analysis"] == "instance" and construct["repeat"] == "kegiatan"
    assert construct["n"] == 15 and construct["mean"] == pytest.approx(np.mean(every))
    assert construct["alpha"] is not None and set(construct["items"]) == {"guna_1", "guna_2"}
    per = construct["per_submission"]
    means = [np.mean(ss) for ss in scores]
    assert per["unit_of_analysis"] == "submission" and per["n"] == 10
    assert per["mean"] == pytest.approx(np.mean(means))
    assert per["mean_ci"] == pytest.approx(list(_t_ci(means)))
    assert per["top2box"] == pytest.approx(np.mean([m >= 4 for m in means]))


def test_it_compares_groups_per_submission(hasil):
    cell = hasil["groups"]["kegiatan_unit"]["kegiatan/kegunaan"]
    assert cell["unit_of_analysis"] == "submission"
    by = cell["by"]["organisation"]
    a = [np.mean([(i[2] + i[3]) / 2 for i in ins]) for o, ins in SUBMISSIONS if ins and o == "a"]
    b = [np.mean([(i[2] + i[3]) / 2 for i in ins]) for o, ins in SUBMISSIONS if ins and o == "b"]
    assert by["cells"]["a"]["n"] == 5 and by["cells"]["b"]["n"] == 5
    assert by["test"]["p"] == pytest.approx(stats.kruskal(a, b).pvalue)


def test_it_never_summarises_personal_fields_and_the_result_validates(hasil):
    trainer = hasil["repeats"]["kegiatan_unit"]["kegiatan"]["questions"]["nama_pelatih"]
    assert trainer["personal"] is True and "choices" not in trainer
    assert "Ndun" not in str(hasil)
    validate_hasil(hasil)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_report_appendix_names_the_unit_of_every_column(hasil, lang):
    from tilik.report.narrative import build_report

    appendix = next(s for s in build_report(hasil, lang).sections if s.id == "lampiran")
    section = next(c for c in appendix.children if c.id == "lampiran-berulang")
    [note, *tables] = section.blocks
    [table] = [t for t in tables if t.caption.endswith("Kegiatan")]
    unit = {"id": ("Per isian «Kegiatan»", "Per kiriman"), "en": ("Per instance", "Per submission")}
    assert table.header[1].startswith(unit[lang][0]) and table.header[2] == unit[lang][1]
    rows = {row[0]: row for row in table.rows}
    online = rows["Moda: daring"]
    assert online[1].startswith("53,3%" if lang == "id" else "53.3%") and online[1].endswith("8/15")
    assert online[2].endswith("6/10")
    trainer = rows["Nama pelatih"]
    assert "Ndun" not in " ".join(trainer) and trainer[2] == "–"
