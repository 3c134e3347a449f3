"""Fitting the coder's calibration by cross-validation on its training texts.

For every code, the out-of-fold decision values of the classifier are mapped to
probabilities by Platt scaling (a logistic regression on the one score), and the
decision threshold is the probability that gives the best out-of-fold F1. Only the
packaged training texts are used — never an evaluation corpus. The result is written
to ``data/kalibrasi.json`` by ``tools/fit_theme_calibration.py``; a test checks that the
shipped file matches the training texts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from .codebook import Codebook, default_codebook
from .coder import Calibration, Coder, best_threshold, load_seed

__all__ = [
    "FOLDS",
    "fit_calibration",
    "folds_of",
    "out_of_fold_scores",
    "training_digest",
    "training_stems",
]

FOLDS = 5


def training_stems(codebook: Codebook | None = None) -> dict[str, str]:
    """Every word the first fit stems (in the training texts and the codebook's examples),
    stemmed by PySastrawi: ``data/kata_dasar.tsv``."""
    from .normalize import NEG_PREFIX, normalize, sastrawi_stem
    from .segment import clean_text

    codebook = codebook or default_codebook()
    texts = [row["text"] for row in load_seed()] + [e for c in codebook for e in c.examples]
    words = {
        token.removeprefix(NEG_PREFIX)
        for text in texts
        for token in normalize(clean_text(text)).tokens
    }
    return {w: sastrawi_stem(w) for w in sorted(words) if len(w) > 3 and w.isalpha()}


def training_digest(rows: Sequence[Mapping[str, Any]]) -> str:
    """A fingerprint of the training texts (to tell whether a calibration is stale)."""
    blob = json.dumps([[r["text"], sorted(r["themes"])] for r in rows], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def folds_of(n: int, folds: int = FOLDS, seed: int = 13) -> np.ndarray:
    """A fold number per row: a fixed shuffle, so the calibration is reproducible."""
    order = np.random.default_rng(seed).permutation(n)
    out = np.empty(n, dtype=int)
    out[order] = np.arange(n) % folds
    return out


def out_of_fold_scores(
    rows: Sequence[Mapping[str, Any]],
    codebook: Codebook | None = None,
    folds: int = FOLDS,
) -> np.ndarray:
    """Decision values of every row by a coder that did not see it (rows × codes)."""
    book = codebook or default_codebook()
    fold = folds_of(len(rows), folds)
    scores = np.zeros((len(rows), len(book)))
    for f in range(folds):
        train = tuple(r for r, g in zip(rows, fold) if g != f)
        test = [r for r, g in zip(rows, fold) if g == f]
        coder = Coder(book, training=train, calibration=Calibration())
        scores[fold == f] = coder.decision_scores([r["text"] for r in test], test)
    return scores


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    clf = LogisticRegression(C=1e4, solver="lbfgs")
    clf.fit(z.reshape(-1, 1), y)
    return float(clf.coef_[0][0]), float(clf.intercept_[0])


def fit_calibration(
    rows: Sequence[Mapping[str, Any]] | None = None,
    codebook: Codebook | None = None,
    folds: int = FOLDS,
) -> dict[str, Any]:
    """The calibration as written to ``data/kalibrasi.json`` (see the module docstring)."""
    rows = list(rows) if rows is not None else load_seed()
    book = codebook or default_codebook()
    scores = out_of_fold_scores(rows, book, folds)
    codes: dict[str, dict[str, float]] = {}
    probs = np.zeros_like(scores)
    for k, code in enumerate(book.names):
        y = np.array([code in r["themes"] for r in rows], dtype=int)
        a, b = _platt(scores[:, k], y)
        probs[:, k] = expit(a * scores[:, k] + b)
        codes[code] = {
            "a": round(a, 6),
            "b": round(b, 6),
            "threshold": best_threshold(probs[:, k], y),
        }
    return {
        "about": "Platt scaling and thresholds per code, from "
        f"{folds}-fold cross-validation on the packaged training texts "
        "(tools/fit_theme_calibration.py).",
        "training_sha256": training_digest(rows),
        "n_training": len(rows),
        "default_threshold": 0.5,
        "fallback": 0.25,
        "codes": codes,
    }
