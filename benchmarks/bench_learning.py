"""How much the theme coder learns from an evaluator's corrections, in two honest checks.

Run: ``.venv/bin/python benchmarks/bench_learning.py [--draws 20] [--corrections 60]``.

1. **Another author** (uses the dev corpus, for measuring only): the coder is trained on
   ``seed_voices.jsonl`` and ``seed_field.jsonl`` alone (no text by the dev corpus's
   author), ``--corrections`` dev texts drawn at random become the evaluator's
   corrections, the other dev texts are scored before and after; as ``tilik themes eval
   dev.jsonl --training OTHERS --learn 60`` runs it (packaged calibration), and again
   with the calibration refitted on those texts alone. Also the plain shipped coder.
2. **Another style, no dev text at all**: the texts of those two files split by
   :func:`tilik.core.themes.evaluate.style_split` — observers' notes, Kupang Malay and two
   sectors held out as the "new evaluation"; the coder (and its calibration) is trained on
   the rest, corrected with texts of the held-out part, scored on the others.

Each check is scored three ways on the same draws: before corrections, after them with
plain retraining only (the adaptation of thresholds and fallback switched off), and after
them as shipped. The gain of the adaptation is paired per draw.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tilik.core.themes import Coder
from tilik.core.themes import coder as coder_module
from tilik.core.themes.calibrate import fit_calibration
from tilik.core.themes.coder import Calibration, _read_jsonl
from tilik.core.themes.evaluate import learning_protocol, style_split

DEV = Path(__file__).parents[1] / ".." / "shared" / "corpus" / "dev.jsonl"


def calibration_of(rows: Sequence[Mapping[str, Any]]) -> Calibration:
    """The calibration ``tools/fit_theme_calibration.py`` would fit on ``rows``."""
    data = fit_calibration(rows)
    codes = data["codes"]
    return Calibration(
        platt={c: (v["a"], v["b"]) for c, v in codes.items()},
        thresholds={c: v["threshold"] for c, v in codes.items()},
        default_threshold=data["default_threshold"],
        fallback=data["fallback"],
    )


def protocol(coder: Coder, rows: Sequence[Mapping[str, Any]], n: int, draws: int) -> dict:
    folds = coder_module.ADAPT_FOLDS
    try:
        coder_module.ADAPT_FOLDS = 0  # retraining only
        plain = learning_protocol(coder, rows, n, repeats=draws)
    finally:
        coder_module.ADAPT_FOLDS = folds
    started = time.perf_counter()
    shipped = learning_protocol(coder, rows, n, repeats=draws)
    seconds = time.perf_counter() - started
    return {"plain": plain, "shipped": shipped, "seconds": seconds}


def report(label: str, result: dict) -> dict[str, Any]:
    plain, shipped = result["plain"]["draws"], result["shipped"]["draws"]
    before = [d["macro_f1_before"] for d in shipped]
    retrain = [d["macro_f1_after"] for d in plain]
    after = [d["macro_f1_after"] for d in shipped]
    paired = [a - r for a, r in zip(after, retrain)]
    sentiment = [d["sentiment_after"] for d in shipped]
    line = {
        "check": label,
        "n_scored": result["shipped"]["n_scored"],
        "draws": len(after),
        "before": statistics.mean(before),
        "retrain_only": statistics.mean(retrain),
        "after": statistics.mean(after),
        "after_sd": statistics.pstdev(after),
        "after_min": min(after),
        "after_max": max(after),
        "adaptation_gain": statistics.mean(paired),
        "adaptation_gain_se": statistics.pstdev(paired) / len(paired) ** 0.5,
        "adaptation_wins": sum(p > 0 for p in paired),
        "adaptation_losses": sum(p < 0 for p in paired),
        "sentiment_before": result["shipped"]["sentiment_before"],
        "sentiment_after": statistics.mean(sentiment),
        "seconds_per_draw": result["seconds"] / len(after),
    }
    print(
        f"{label:<44} before {line['before']:.3f}  retrain only {line['retrain_only']:.3f}  "
        f"shipped {line['after']:.3f} (sd {line['after_sd']:.3f}, "
        f"{line['after_min']:.3f}-{line['after_max']:.3f})  adaptation "
        f"{line['adaptation_gain']:+.4f} ± {line['adaptation_gain_se']:.4f} "
        f"(better in {line['adaptation_wins']}, worse in {line['adaptation_losses']} "
        f"of {line['draws']})  sentiment {line['sentiment_before']:.3f} -> "
        f"{line['sentiment_after']:.3f}",
        flush=True,
    )
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--corrections", type=int, default=60)
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    seed = _read_jsonl("seed.jsonl")
    voices = _read_jsonl("seed_voices.jsonl") + _read_jsonl("seed_field.jsonl")
    checks: list[tuple[str, Callable[[], tuple[Coder, list]]]] = []
    if DEV.exists():
        dev = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
        checks += [
            ("1. another author (--training voices)", lambda: (Coder(training=tuple(voices)), dev)),
            (
                "1. another author, calibration on voices",
                lambda: (Coder(training=tuple(voices), calibration=calibration_of(voices)), dev),
            ),
            ("plain shipped coder on dev", lambda: (Coder(), dev)),
        ]
    else:
        print(f"{DEV} not found: check 1 skipped")
    base, held = style_split(voices)
    checks.append(
        (
            f"2. another style ({len(held)} held out)",
            lambda: (
                Coder(training=tuple(seed + base), calibration=calibration_of(seed + base)),
                held,
            ),
        )
    )
    lines = []
    for label, make in checks:
        coder, rows = make()
        lines.append(report(label, protocol(coder, rows, args.corrections, args.draws)))
    print(f"load average after: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(lines, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
