"""Speed of the theme coder on short texts (goal: >= 2,000 texts/s on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_themes.py [N]``. Prints texts/s of the batch
coder (rules + classifier + sentiment) and, in the same run, two baselines:
the rule-only path, and a naive coder that codes one text at a time and re-stems every
word (no stem cache), as a first version would.
"""

from __future__ import annotations

import random
import sys
import time

from tilik.core.themes import Coder
from tilik.core.themes.coder import load_seed
from tilik.core.themes.normalize import _expand_cached, stem

SMS = {"tidak": "tdk", "yang": "yg", "sudah": "udh", "dengan": "dgn", "saya": "sy", "untuk": "utk"}
PLACES = ["Ende", "Maumere", "Waingapu", "Atambua", "Kalabahi", "Ba'a", "Soe", "Ruteng", "Lewoleba"]


def make_texts(n: int, seed: int = 7) -> list[str]:
    """Short varied texts: seed sentences with SMS spellings, places and numbers mixed in."""
    rng = random.Random(seed)
    base = [row["text"] for row in load_seed()]
    out = []
    for i in range(n):
        words = rng.choice(base).split()
        words = [SMS.get(w, w) if rng.random() < 0.4 else w for w in words]
        if rng.random() < 0.5:
            words.append(f"di {rng.choice(PLACES)}")
        if rng.random() < 0.3:
            words.append(f"({i % 97} hari)")
        out.append(" ".join(words))
    return out


def rate(label: str, n: int, wall: float, cpu: float) -> float:
    """Print wall-clock and CPU-time rates (the machine is shared: wall time includes
    waiting for a core)."""
    per_second = n / wall
    print(
        f"{label:<46} {n:>6} texts {wall:>6.2f} s {per_second:>7.0f} texts/s"
        f"   (CPU {cpu:>5.2f} s, {n / cpu:>6.0f} texts/CPU-s)"
    )
    return per_second


class Timer:
    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    texts = make_texts(n)
    words = sum(len(t.split()) for t in texts) / n
    print(f"{n} short texts, {words:.1f} words on average")

    t0 = time.perf_counter()
    coder = Coder()
    _ = coder.model
    print(f"model fit (seed set + codebook examples): {time.perf_counter() - t0:.2f} s")

    coder.code_many(texts[:200])  # warm the stem cache a little, as a real run would
    with Timer() as t:
        coder.code_many(texts)
    full = rate("batch coder (rules + classifier + sentiment)", n, t.wall, t.cpu)

    rules = Coder(use_model=False)
    with Timer() as t:
        rules.code_many(texts)
    rate("baseline: rule-only path", n, t.wall, t.cpu)

    m = min(n, 300)
    with Timer() as t:
        for text in texts[:m]:
            stem.cache_clear()
            _expand_cached.cache_clear()
            coder.code(text, spans=False)
    naive = rate("baseline: one at a time, no stem cache", m, t.wall, t.cpu)
    print(
        f"speed-up over the naive baseline: {full / naive:.1f}x; goal 2,000 texts/s: "
        f"{'met' if full >= 2000 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
