"""Scoring the coder against hand-labelled texts: precision, recall, F1, accuracy and
calibration (how far the coder's stated confidence is from how often it is right)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from .codebook import Codebook, default_codebook
from .coder import Coder, Coding

__all__ = ["calibration", "is_kupang", "learning_protocol", "score", "style_split"]

#: Number of equal-width confidence bins of the expected calibration error.
ECE_BINS = 10


def _ece(pairs: Sequence[tuple[float, bool]], bins: int = ECE_BINS) -> float:
    """Expected calibration error: the share-weighted gap between mean confidence and
    the observed frequency, over equal-width bins of confidence."""
    if not pairs:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if inside:
            mean_p = sum(p for p, _ in inside) / len(inside)
            freq = sum(y for _, y in inside) / len(inside)
            total += len(inside) / len(pairs) * abs(mean_p - freq)
    return total


def calibration(
    rows: Sequence[Mapping[str, Any]], codings: Sequence[Coding], codes: Sequence[str]
) -> dict[str, Any]:
    """Calibration of the coder's probabilities on labelled ``rows``.

    - ``theme_brier``: mean squared gap between P(code) and the gold 0/1, over every text
      and code (0 is perfect; always saying the base rate scores its variance);
    - ``theme_ece``: expected calibration error of those probabilities (10 bins);
    - ``set_ece``: the same for ``Coding.confidence`` against "the set of codes is exactly
      right";
    - ``sentiment_ece``: the same for the sentiment's confidence against "the sentiment is
      right".
    """
    theme_pairs: list[tuple[float, bool]] = []
    set_pairs: list[tuple[float, bool]] = []
    sentiment_pairs: list[tuple[float, bool]] = []
    for row, coding in zip(rows, codings):
        gold = set(row.get("themes", []))
        if coding.probabilities:
            theme_pairs.extend((float(coding.probabilities.get(c, 0.0)), c in gold) for c in codes)
        set_pairs.append((coding.confidence, set(coding.codes) == gold))
        if row.get("sentiment"):
            sentiment_pairs.append(
                (coding.sentiment_confidence, coding.sentiment == row["sentiment"])
            )
    brier = sum((p - y) ** 2 for p, y in theme_pairs) / len(theme_pairs) if theme_pairs else None
    return {
        "theme_brier": brier,
        "theme_ece": _ece(theme_pairs) if theme_pairs else None,
        "set_ece": _ece(set_pairs),
        "set_exact": sum(y for _, y in set_pairs) / len(set_pairs) if set_pairs else None,
        "set_mean_confidence": (
            sum(p for p, _ in set_pairs) / len(set_pairs) if set_pairs else None
        ),
        "sentiment_ece": _ece(sentiment_pairs) if sentiment_pairs else None,
    }


def score(
    rows: Sequence[Mapping[str, Any]],
    codings: Sequence[Coding],
    codebook: Codebook | None = None,
) -> dict[str, Any]:
    """Compare codings with gold labels (``themes`` list, optional ``sentiment``).

    Returns ``{"n", "per_theme": {code: {precision, recall, f1, support}}, "macro_f1",
    "micro_f1", "sentiment_accuracy", "n_sentiment", "calibration"}`` (see
    :func:`calibration`). The macro-F1 averages the codes that occur in the gold labels or
    in the predictions; the micro-F1 pools every (text, code) decision, steadier on a few
    texts where a code with one or two instances swings the macro-F1.
    """
    book = codebook or default_codebook()
    codes = [c for c in book.names]
    extra = sorted({t for r in rows for t in r.get("themes", []) if t not in codes})
    per: dict[str, dict[str, float | int]] = {}
    totals = [0, 0, 0]
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
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[code] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    macro = sum(float(s["f1"]) for s in per.values()) / len(per) if per else 0.0
    tp, fp, fn = totals
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
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
        "micro_f1": micro,
        "sentiment_accuracy": accuracy,
        "n_sentiment": len(with_sentiment),
        "calibration": calibration(rows, codings, codes),
    }


def learning_protocol(
    coder: Coder,
    rows: Sequence[Mapping[str, Any]],
    n_corrections: int,
    *,
    repeats: int = 5,
    seed: int = 0,
) -> dict[str, Any]:
    """How much the coder learns from an evaluator's corrections.

    ``repeats`` times: draw ``n_corrections`` labelled rows at random as the evaluator's
    corrections (with their source, role and sentiment), and score the *other* rows with
    the coder before and after it is retrained with them. The corrected rows are never
    scored, so only generalisation counts. Returns the mean macro-F1 and sentiment
    accuracy before and after, and every draw.
    """
    if not 0 < n_corrections < len(rows):
        raise ValueError(
            f"Jumlah koreksi harus antara 1 dan {len(rows) - 1} (ada {len(rows)} teks berlabel)."
        )
    draws: list[dict[str, Any]] = []
    for r in range(repeats):
        order = list(range(len(rows)))
        random.Random(seed + r).shuffle(order)
        taken = [rows[i] for i in order[:n_corrections]]
        rest = [rows[i] for i in order[n_corrections:]]
        texts = [x["text"] for x in rest]
        before = score(rest, coder.code_many(texts, contexts=rest), coder.codebook)
        learnt = coder.with_corrections(taken)
        after = score(rest, learnt.code_many(texts, contexts=rest), coder.codebook)
        draws.append(
            {
                "seed": seed + r,
                "macro_f1_before": before["macro_f1"],
                "macro_f1_after": after["macro_f1"],
                "sentiment_before": before["sentiment_accuracy"],
                "sentiment_after": after["sentiment_accuracy"],
            }
        )

    def mean(key: str) -> float | None:
        values = [d[key] for d in draws if d[key] is not None]
        return sum(values) / len(values) if values else None

    return {
        "n_corrections": n_corrections,
        "n_scored": len(rows) - n_corrections,
        "repeats": repeats,
        "macro_f1_before": mean("macro_f1_before"),
        "macro_f1_after": mean("macro_f1_after"),
        "sentiment_before": mean("sentiment_before"),
        "sentiment_after": mean("sentiment_after"),
        "draws": draws,
    }


#: Words only Kupang Malay uses; one of them, or three words of the normalisation
#: table's Kupang register, marks a text as written in Kupang Malay.
KUPANG_MARKERS = frozenset(
    {"beta", "katong", "ketong", "kotong", "sonde", "bosong", "basong", "botong", "pung", "son"}
)
#: Sectors whose texts :func:`style_split` holds out (two sectors with their own words).
HELD_OUT_SECTORS = ("pertanian", "rumah_sakit")


@cache
def _kupang_words() -> frozenset[str]:
    table = resources.files("tilik.core.themes").joinpath("data", "normalisasi.tsv")
    words = set()
    for line in table.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip() == "kupang":
            words.add(parts[0].strip())
    return frozenset(words)


def is_kupang(text: str) -> bool:
    """Whether ``text`` is written in Kupang Malay (see :data:`KUPANG_MARKERS`)."""
    tokens = set(re.findall(r"[a-z']+", text.lower()))
    return bool(tokens & KUPANG_MARKERS) or len(tokens & _kupang_words()) >= 3


def style_split(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Labelled texts split into a base and a "new evaluation" written differently.

    Held out: every observer's note, every text in Kupang Malay and every text of the
    sectors :data:`HELD_OUT_SECTORS`. Trained on the base and corrected with some of
    the held-out texts, a coder shows how well it learns a style it was not trained on
    without touching the dev corpus (``benchmarks/bench_learning.py``).
    """
    base: list[Mapping[str, Any]] = []
    held: list[Mapping[str, Any]] = []
    for row in rows:
        new = (
            row.get("source") == "observation"
            or row.get("sector") in HELD_OUT_SECTORS
            or is_kupang(str(row["text"]))
        )
        (held if new else base).append(row)
    return base, held
