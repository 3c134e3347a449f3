"""Speed of the whole report (goal: HTML + PDF + DOCX of a realistic hasil in < 10 s).

Run: ``.venv/bin/python benchmarks/bench_report.py``. Uses the analysed Kota Kupang example
bundle when it is there (analysis not timed), else the packaged sample hasil. Prints the
seconds of each format and, in the same run, the baseline it is compared with: the HTML
alone (model + charts + template), which every other format starts from.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

from tilik.report import render
from tilik.report.sample import sample_hasil

GOAL_SECONDS = 10.0


def realistic_hasil() -> tuple[dict, str]:
    bundle_dir = Path(__file__).resolve().parent.parent / "examples" / "kupang-2025"
    if bundle_dir.exists():
        try:
            from tilik.core.bundle import read_bundle
            from tilik.report.pipeline import analyse

            return analyse(read_bundle(bundle_dir)), f"examples/{bundle_dir.name} (analysed)"
        except Exception as exc:  # the example is someone else's moving target
            print(f"example bundle not usable ({exc}); using the sample", file=sys.stderr)
    return sample_hasil(), "tilik.report.sample"


def timed(hasil: dict, formats: tuple[str, ...], lang: str = "id") -> float:
    best = float("inf")
    for _ in range(2):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            render(hasil, Path(out), lang=lang, formats=formats)
            best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    hasil, source = realistic_hasil()
    # Warm-up: imports (WeasyPrint, python-docx, fonts) are paid once per process.
    warm_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        render(hasil, Path(out))
    warm = time.perf_counter() - warm_start
    rows = [
        ("html (baseline)", timed(hasil, ("html",))),
        ("docx", timed(hasil, ("docx",))),
        ("pdf (html + print)", timed(hasil, ("pdf",))),
        ("all: html + pdf + docx", timed(hasil, ("html", "pdf", "docx"))),
        ("all, English", timed(hasil, ("html", "pdf", "docx"), "en")),
    ]
    baseline = rows[0][1]
    print(f"hasil: {source}; Python {platform.python_version()}, {platform.machine()}")
    print(f"first full render in a fresh process (imports included): {warm:.2f} s")
    print("| output | seconds | vs html |")
    print("|---|---:|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / baseline:.1f}× |")
    total = rows[3][1]
    verdict = "OK" if max(total, warm) < GOAL_SECONDS else "TOO SLOW"
    print(
        f"all formats: {total:.2f} s warm, {warm:.2f} s cold (goal < {GOAL_SECONDS:.0f} s): "
        f"{verdict}"
    )


if __name__ == "__main__":
    main()
