"""The report's appendix on answers inside repeat groups (``hasil["repeats"]``).

One table per repeat group: each question per instance and per submission, so the unit of
analysis is named in every column header (see :mod:`tilik.core.repeat_stats`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tilik.core import labels
from tilik.core.findings import format_value

__all__ = ["repeat_appendix"]


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _mean(block: Mapping[str, Any] | None, lang: str, fmt: str = "num2") -> str:
    if not block or block.get("mean") is None:
        return "–"
    text = format_value(block["mean"], fmt, lang)
    lo, hi = (block.get("mean_ci") or [None, None])[:2]
    if lo is not None and hi is not None:
        text += f" ({format_value(lo, fmt, lang)}–{format_value(hi, fmt, lang)})"
    return f"{text}; n = {format_value(block.get('n'), 'int', lang)}"


def _share(block: Mapping[str, Any] | None, lang: str) -> str:
    if not block or block.get("share") is None:
        return "–"
    lo, hi = (block.get("share_ci") or [None, None])[:2]
    text = format_value(block["share"], "pct", lang)
    if lo is not None and hi is not None:
        text += f" ({format_value(lo, 'pct', lang)}–{format_value(hi, 'pct', lang)})"
    count, n = format_value(block.get("count"), "int", lang), format_value(block["n"], "int", lang)
    return f"{text}; {count}/{n}"


def _rows(
    hasil: Mapping[str, Any], form_id: str, repeat: Mapping[str, Any], lang: str
) -> list[list[str]]:
    rows = [
        [
            _t(lang, "Jumlah isian per kiriman", "Instances per submission"),
            "–",
            _mean(repeat.get("instances_per_submission"), lang),
        ]
    ]
    constructs = (hasil.get("constructs") or {}).get(form_id) or {}
    for key in repeat.get("constructs") or []:
        stats = constructs.get(key) or {}
        name = labels.construct_name(str(stats.get("construct") or key), lang, capital=True)
        rows.append(
            [
                _t(lang, f"{name} (skor konstruk)", f"{name} (construct score)"),
                _mean(stats, lang),
                _mean(stats.get("per_submission"), lang),
            ]
        )
    for name, question in (repeat.get("questions") or {}).items():
        label = str(question.get("label") or name)
        if question.get("personal"):
            rows.append(
                [
                    label,
                    _t(lang, "data pribadi: hanya dihitung", "personal data: counted only"),
                    "–",
                ]
            )
        elif "per_instance" in question:
            rows.append(
                [
                    label,
                    _mean(question["per_instance"], lang),
                    _t(lang, "jumlah ", "total ") + _mean(question.get("per_submission"), lang),
                ]
            )
        elif "choices" in question:
            for choice, shares in question["choices"].items():
                rows.append(
                    [
                        f"{label}: {choice}",
                        _share(shares.get("per_instance"), lang),
                        _share(shares.get("per_submission"), lang),
                    ]
                )
        else:
            rows.append(
                [
                    label,
                    _t(lang, "dijawab ", "answered ")
                    + format_value(question.get("n_instances"), "int", lang),
                    _t(lang, "dijawab ", "answered ")
                    + format_value(question.get("n_submissions"), "int", lang),
                ]
            )
    return rows


def repeat_appendix(hasil: Mapping[str, Any], lang: str = "id") -> list:
    """``[Section]`` of the appendix on repeat groups; empty when no form has repeats."""
    from tilik.report.narrative import Paragraph, Section, Sentence, Table

    found = hasil.get("repeats") or {}
    if not found:
        return []
    blocks: list[Any] = [
        Paragraph(
            [
                Sentence(
                    _t(
                        lang,
                        "Pertanyaan dalam kelompok berulang (misalnya setiap kegiatan yang "
                        "dilaporkan sebuah unit) diringkas dua kali: per isian, setiap isian "
                        "dihitung satu; dan per kiriman, setiap kiriman yang memiliki isian "
                        "dihitung satu — angka dijumlahkan atas isiannya, pilihan dihitung bila "
                        "salah satu isiannya memilihnya, dan skor konstruk dirata-ratakan. Uji "
                        "antarkelompok memakai nilai per kiriman, karena isian dari satu kiriman "
                        "tidak saling bebas. Dalam kurung: interval kepercayaan 95%.",
                        "Questions inside repeat groups (such as each activity a unit reports) "
                        "are summarised twice: per instance, each instance counting once; and "
                        "per submission, each submission with instances counting once — numbers "
                        "are added up over its instances, an option counts when any of its "
                        "instances chose it, and construct scores are averaged. Tests between "
                        "groups use the per-submission values, since instances of one "
                        "submission are not independent. In brackets: 95% confidence "
                        "intervals.",
                    ),
                    fixed=True,
                )
            ],
            "note",
        )
    ]
    for form_id, repeats in found.items():
        instrument = labels.instrument_name(hasil, form_id, lang)
        for name, repeat in repeats.items():
            label = str(repeat.get("label") or labels.humanise(name))
            blocks.append(
                Table(
                    f"{instrument}: {label}",
                    [
                        _t(lang, "Pertanyaan", "Question"),
                        _t(lang, f"Per isian «{label}»", f"Per instance of «{label}»"),
                        _t(lang, "Per kiriman", "Per submission"),
                    ],
                    _rows(hasil, form_id, repeat, lang),
                    [False, True, True],
                    _t(
                        lang,
                        f"{format_value(repeat.get('n_instances'), 'int', lang)} isian dari "
                        f"{format_value(repeat.get('n_submissions_with_instances'), 'int', lang)}"
                        f" kiriman (seluruhnya "
                        f"{format_value(repeat.get('n_submissions'), 'int', lang)} kiriman).",
                        f"{format_value(repeat.get('n_instances'), 'int', lang)} instances from "
                        f"{format_value(repeat.get('n_submissions_with_instances'), 'int', lang)}"
                        f" submissions (of "
                        f"{format_value(repeat.get('n_submissions'), 'int', lang)}).",
                    ),
                    anchor=f"tabel-berulang-{form_id}-{name}",
                )
            )
    return [
        Section(
            "lampiran-berulang",
            _t(lang, "Lampiran H. Kelompok Berulang", "Appendix H. Repeat Groups"),
            blocks,
        )
    ]
