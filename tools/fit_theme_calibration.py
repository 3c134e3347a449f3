"""Fit the theme coder's calibration and write ``src/tilik/core/themes/data/kalibrasi.json``.

Also writes ``data/kata_dasar.tsv``, the PySastrawi stems of every word of the training
texts (the first fit then stems none of them). Run after changing the training texts, the
codebook's cues or the coder's features:
``.venv/bin/python tools/fit_theme_calibration.py``. Platt scaling and the threshold of
every code come from 5-fold cross-validation on the packaged training texts only
(``tilik.core.themes.calibrate``); the dev corpus is never read. A test
(``tests/core/test_themes_calibration.py``) fails when the file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tilik.core.themes.calibrate import fit_calibration, training_stems
from tilik.core.themes.normalize import STEMS_FILE

DATA = Path(__file__).parents[1] / "src" / "tilik" / "core" / "themes" / "data"
OUT = DATA / "kalibrasi.json"


def main() -> None:
    stems = training_stems()
    (DATA / STEMS_FILE).write_text(
        "".join(f"{word}\t{stem}\n" for word, stem in stems.items()), encoding="utf-8"
    )
    print(f"{len(stems)} stems -> {DATA / STEMS_FILE}", file=sys.stderr)
    data = fit_calibration()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    width = max(len(c) for c in data["codes"])
    for code, v in data["codes"].items():
        print(f"{code:<{width}}  a={v['a']:+.3f}  b={v['b']:+.3f}  threshold={v['threshold']:.3f}")
    print(f"{data['n_training']} training texts -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
