"""Speed of theme coding (goals: >= 2,000 texts/s; the model's fit at first use < 2 s).

Run: ``.venv/bin/python benchmarks/bench_themes.py [--texts N]``. Everything is timed as
the user runs it — ``tilik themes code FILE --out OUT`` in a fresh process — beside peers
in the same run:

- ``tilik themes code`` on N short texts, and on one text (start-up + fit + one text);
  their difference gives the coding rate with start-up and fit taken out;
- a fresh interpreter that only imports the coder (the floor of any run), and one that
  imports it and fits the model (the fit at first use = their difference);
- in one process: the batch coder, the rule-only path and a naive coder (one text at a
  time, no stem cache), as before;
- the coding screen's save: in a fresh process holding the screen's coder and its 2,000
  coded texts, 100 corrections retrain the coder and every text is coded again (goal
  <= 2 s), with the adaptation to the corrections and without it.

Cues found in a text are cached per codebook (the training texts are searched once per
process; a text repeated, or equal to a training text, is not searched again). The
command is also timed with that cache off, and the in-process runs empty it first.

The machine is shared, so wall time includes waiting for a core; CPU time of each
process is given too, and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tilik.core.themes import Coder
from tilik.core.themes.coder import _CUE_CACHE, load_seed
from tilik.core.themes.normalize import _expand_cached, stem

SMS = {"tidak": "tdk", "yang": "yg", "sudah": "udh", "dengan": "dgn", "saya": "sy", "untuk": "utk"}
PLACES = ["Ende", "Maumere", "Waingapu", "Atambua", "Kalabahi", "Ba'a", "Soe", "Ruteng", "Lewoleba"]
SOURCES = [("survey", "peserta")] * 8 + [("interview", "atasan"), ("observation", "observer")]
TILIK = Path(sys.executable).with_name("tilik")


def make_texts(n: int, seed: int = 7) -> list[str]:
    """Short varied texts: training sentences with SMS spellings, places and numbers mixed in."""
    return [text for text, _ in make_labelled(n, seed)]


def make_labelled(n: int, seed: int = 7) -> list[tuple[str, list[str]]]:
    """:func:`make_texts` with the themes of the training text each one was made from."""
    rng = random.Random(seed)
    base = load_seed()
    out = []
    for i in range(n):
        row = rng.choice(base)
        words = row["text"].split()
        words = [SMS.get(w, w) if rng.random() < 0.4 else w for w in words]
        if rng.random() < 0.5:
            words.append(f"di {rng.choice(PLACES)}")
        if rng.random() < 0.3:
            words.append(f"({i % 97} hari)")
        out.append((" ".join(words), list(row["themes"])))
    return out


def write_jsonl(path: Path, texts: list[str]) -> None:
    rng = random.Random(3)
    with path.open("w", encoding="utf-8") as fh:
        for text in texts:
            source, role = rng.choice(SOURCES)
            fh.write(json.dumps({"text": text, "source": source, "role": role}) + "\n")


def run(label: str, args: list[str]) -> tuple[float, float]:
    """Run ``args`` as a process; print and return its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{label:<58} {wall:>7.2f} s wall   {cpu:>6.2f} s CPU")
    return wall, cpu


def rate(label: str, n: int, wall: float, cpu: float) -> float:
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


def processes(n: int) -> tuple[float, float]:
    """The command as the user runs it. Returns (coding rate, fit at first use)."""
    texts = make_texts(n)
    words = sum(len(t.split()) for t in texts) / n
    print(f"\n{n} short texts, {words:.1f} words on average; load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="tilik-bench-themes-") as tmp:
        big, one, out = Path(tmp) / "big.jsonl", Path(tmp) / "one.jsonl", Path(tmp) / "out.jsonl"
        write_jsonl(big, texts)
        write_jsonl(one, texts[:1])
        py = sys.executable
        importing = "import tilik.core.themes.coder"
        fitting = "from tilik.core.themes import Coder; Coder().model"
        floor, _ = run("peer: python importing the coder (floor)", [py, "-c", importing])
        fitted, _ = run("python importing the coder and fitting it", [py, "-c", fitting])
        small, _ = run("tilik themes code (1 text)", [str(TILIK), "themes", "code", str(one)])
        full_wall, full_cpu = run(
            f"tilik themes code ({n:,} texts) --out",
            [str(TILIK), "themes", "code", str(big), "--out", str(out)],
        )
        lines = sum(1 for _ in out.open(encoding="utf-8"))
        assert lines == n, f"{lines} coded lines for {n} texts"
        # The same command with the cue cache cut to one text: texts repeated in the file
        # or equal to a training text are searched again (the speed without the cache).
        uncached = (
            "import sys; from tilik.core.themes import coder; coder._CUE_CACHE._size = 1; "
            "from tilik.cli.themes import themes; themes(sys.argv[1:])"
        )
        bare_wall, _ = run(
            "peer: the same with the cue cache off",
            [py, "-c", uncached, "code", str(big), "--out", str(out)],
        )
    distinct = len(set(texts))
    fit = fitted - floor
    marginal = n / max(full_wall - small, 1e-9)
    print(
        f"fit at first use (fresh process, minus the import floor): {fit:.2f} s "
        f"(goal < 2 s: {'met' if fit < 2 else 'NOT met'})"
    )
    print(
        f"whole command: {n / full_wall:,.0f} texts/s including start-up and fit; "
        f"coding alone (minus the 1-text run): {marginal:,.0f} texts/s "
        f"(goal >= 2,000: {'met' if marginal >= 2000 else 'NOT met'}); "
        f"CPU {n / full_cpu:,.0f} texts/CPU-s for the whole command"
    )
    print(
        f"{distinct:,} distinct texts of {n:,}; with the cue cache off: "
        f"{n / max(bare_wall - small, 1e-9):,.0f} texts/s coding alone"
    )
    return marginal, fit


def in_process(n: int) -> None:
    texts = make_texts(n)
    print(f"\nin one process, {n} texts; load {os.getloadavg()[0]:.1f}")
    coder = Coder()
    with Timer() as t:
        _ = coder.model
    print(f"model fit (training texts + codebook examples): {t.wall:.2f} s wall, {t.cpu:.2f} s CPU")
    coder.code_many(texts[:200])  # warm the stem cache a little, as a real run would
    distinct = len(set(texts))
    print(f"{distinct} distinct texts; the cue cache is emptied before each timed run")
    _CUE_CACHE.clear()
    with Timer() as t:
        coder.code_many(texts)
    full = rate("batch coder (cues + classifiers + sentiment)", n, t.wall, t.cpu)
    with Timer() as t:
        coder.code_many(texts)
    rate("the same texts again (cues cached: a recode)", n, t.wall, t.cpu)
    rules = Coder(use_model=False)
    _CUE_CACHE.clear()
    with Timer() as t:
        rules.code_many(texts)
    rate("baseline: rule-only path", n, t.wall, t.cpu)
    m = min(n, 300)
    with Timer() as t:
        for text in texts[:m]:
            stem.cache_clear()
            _expand_cached.cache_clear()
            _CUE_CACHE.clear()
            coder.code(text, spans=False)
    naive = rate("baseline: one at a time, no stem cache", m, t.wall, t.cpu)
    print(f"speed-up over the naive baseline: {full / naive:.1f}x")


def retrain_child(texts: int, corrections: int, adapt: bool) -> None:
    """One save on the coding screen, in this process: the screen's coder and codings are
    there (the default coder, ``texts`` texts coded); ``corrections`` manual codes retrain
    it and every text is coded again. Prints the timing of that step as JSON."""
    from tilik.core.themes import coder as coder_module

    if not adapt:
        coder_module.ADAPT_FOLDS = 0
    labelled = make_labelled(texts, seed=11)
    rng = random.Random(5)
    contexts = [dict(zip(("source", "role"), rng.choice(SOURCES))) for _ in labelled]
    items = [t for t, _ in labelled]
    coder = Coder.default()
    before = coder.code_many(items, contexts=contexts)
    manual = [
        {"text": t, "themes": themes, **ctx}
        for (t, themes), ctx in zip(labelled[:corrections], contexts[:corrections])
    ]
    with Timer() as t:
        started = time.perf_counter()
        learnt = coder.with_corrections(manual)
        _ = learnt.model
        fit = time.perf_counter() - started
        after = learnt.code_many(items, contexts=contexts)
    recoded = sum(
        not a.manual and (set(a.codes) != set(b.codes) or a.sentiment != b.sentiment)
        for a, b in zip(after, before)
    )
    print(json.dumps({"wall": t.wall, "cpu": t.cpu, "fit": fit, "recoded": recoded}))


def retraining(texts: int = 2000, corrections: int = 100) -> None:
    """The coding screen's save, timed in fresh processes (goal: <= 2 s)."""
    load = os.getloadavg()[0]
    print(f"\nretrain on save: {texts} texts, {corrections} corrections; load {load:.1f}")
    for adapt, label in ((False, "retraining only (adaptation off)"), (True, "as shipped")):
        args = [sys.executable, __file__, "--retrain-child", str(texts), str(corrections)]
        if not adapt:
            args.append("--no-adapt")
        started = time.perf_counter()
        done = subprocess.run(args, check=True, capture_output=True, text=True)
        whole = time.perf_counter() - started
        data = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{label:<40} save -> codes: {data['wall']:.2f} s wall, {data['cpu']:.2f} s CPU "
            f"(fit {data['fit']:.2f} s); {data['recoded']} texts recoded; whole process "
            f"{whole:.2f} s (goal <= 2 s: {'met' if data['wall'] <= 2 else 'NOT met'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=20_000)
    parser.add_argument("--retrain-child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-adapt", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.retrain_child:
        retrain_child(*args.retrain_child, adapt=not args.no_adapt)
        return
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU; load {os.getloadavg()}")
    processes(args.texts)
    retraining()
    in_process(min(args.texts, 10_000))
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
