"""Scoring the coder against hand-labelled texts (precision, recall, F1, accuracy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .codebook import Codebook, default_codebook
from .coder import Coding

__all__ = ["score"]


def score(
    rows: Sequence[Mapping[str, Any]],
    codings: Sequence[Coding],
    codebook: Codebook | None = None,
) -> dict[str, Any]:
    """Compare codings with gold labels (``themes`` list, optional ``sentiment``).

    Returns ``{"n", "per_theme": {code: {precision, recall, f1, support}}, "macro_f1",
    "sentiment_accuracy", "n_sentiment"}``. The macro-F1 averages the codes that occur in
    the gold labels or in the predictions.
    """
    book = codebook or default_codebook()
    codes = [c for c in book.names]
    extra = sorted({t for r in rows for t in r.get("themes", []) if t not in codes})
    per: dict[str, dict[str, float | int]] = {}
    for code in codes + extra:
        tp = fp = fn = 0
        for row, coding in zip(rows, codings):
            gold = code in row.get("themes", [])
            pred = code in coding.codes
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
        if tp + fp + fn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[code] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    macro = sum(float(s["f1"]) for s in per.values()) / len(per) if per else 0.0
    with_sentiment = [(r, c) for r, c in zip(rows, codings) if r.get("sentiment")]
    accuracy = (
        sum(r["sentiment"] == c.sentiment for r, c in with_sentiment) / len(with_sentiment)
        if with_sentiment
        else None
    )
    return {
        "n": len(rows),
        "per_theme": per,
        "macro_f1": macro,
        "sentiment_accuracy": accuracy,
        "n_sentiment": len(with_sentiment),
    }
