"""``tilik themes``: code open answers into themes, and measure the coder.

Registered in the main CLI by ``cli.add_command(themes)``; also runnable alone with
``python -m tilik.cli.themes``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click

__all__ = ["themes"]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(
                    f"{path}, baris {number}: bukan JSON yang sah ({exc.msg}). "
                    "Diharapkan satu objek JSON per baris dengan kunci 'text'."
                ) from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise click.ClickException(
                    f"{path}, baris {number}: kolom 'text' tidak ada atau bukan teks."
                )
            rows.append(row)
    return rows


def _coder(corrections: Path | None, training: Path | None = None) -> Any:
    from tilik.core.themes import Coder

    coder = Coder.default()
    if training is not None:
        rows = [r for r in _read_jsonl(training) if isinstance(r.get("themes"), list)]
        if not rows:
            raise click.ClickException(f"{training}: tidak ada baris berlabel 'themes'.")
        coder = Coder(training=tuple(rows))
    if corrections is not None:
        coder = coder.with_corrections(_read_jsonl(corrections))
    return coder


corrections_option = click.option(
    "--corrections",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON lines of manual codings ({text, themes[, sentiment, source, role]}) to "
    "retrain with; a manual code always wins for the same text.",
)


@click.group()
def themes() -> None:
    """Theme coding of open answers, interviews and observation notes (pengodean tema)."""


@themes.command("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the coded JSON lines here (default: standard output).",
)
@click.option("--explain", is_flag=True, help="Also add confidence and explanation per theme.")
@corrections_option
def code_command(file: Path, out: Path | None, explain: bool, corrections: Path | None) -> None:
    """Code FILE.jsonl (one object with 'text' per line; optional source, role, sector).

    Each line is written back with 'themes' (list of codes) and 'sentiment' added. The
    source (survey, interview, observation) and role (peserta, atasan, pejabat,
    penyelenggara, observer, warga) are evidence too: give them when known.
    """
    rows = _read_jsonl(file)
    codings = _coder(corrections).code_many([r["text"] for r in rows], contexts=rows)
    handle: TextIO = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        for row, coding in zip(rows, codings):
            row = dict(row)
            row["themes"] = coding.codes
            row["sentiment"] = coding.sentiment
            if explain:
                row["explanation"] = [
                    {"code": t.code, "confidence": t.confidence, "why": t.explanation}
                    for t in coding.themes
                ]
                row["confidence"] = round(coding.confidence, 3)
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if out:
            handle.close()
    if out:
        click.echo(f"{len(rows)} teks dikode -> {out}", err=True)


@themes.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@corrections_option
@click.option(
    "--learn",
    type=click.IntRange(min=1),
    help="Also measure learning: take N labelled texts as the evaluator's corrections, "
    "score the others before and after retraining (repeated, see --repeats).",
)
@click.option("--repeats", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="First random draw.")
@click.option(
    "--training",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Train on these labelled JSON lines instead of the packaged training texts "
    "(for honest splits, e.g. texts by other authors only).",
)
def eval_command(
    file: Path,
    as_json: bool,
    corrections: Path | None,
    learn: int | None,
    repeats: int,
    seed: int,
    training: Path | None,
) -> None:
    """Score the coder on FILE.jsonl labelled with 'themes' and 'sentiment'.

    Prints precision, recall and F1 per theme, macro-F1, sentiment accuracy and the
    calibration of the coder's confidence (Brier score, expected calibration error).
    """
    from tilik.core.themes.evaluate import learning_protocol, score

    rows = _read_jsonl(file)
    labelled = [r for r in rows if isinstance(r.get("themes"), list)]
    if not labelled:
        raise click.ClickException(f"{file}: tidak ada baris berlabel 'themes'.")
    coder = _coder(corrections, training)
    unknown = sorted({t for r in labelled for t in r["themes"] if t not in coder.codebook})
    codings = coder.code_many([r["text"] for r in labelled], contexts=labelled)
    result = score(labelled, codings, coder.codebook)
    if learn is not None:
        if unknown:
            raise click.ClickException(
                f"{file}: kode tema tidak dikenal {', '.join(unknown)}; --learn memakai "
                "label sebagai koreksi, jadi semua kode harus ada di buku kode."
            )
        try:
            result["learning"] = learning_protocol(
                coder, labelled, learn, repeats=repeats, seed=seed
            )
        except ValueError as exc:
            raise click.ClickException(f"--learn {learn}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'tema':<20} {'presisi':>8} {'recall':>8} {'F1':>6} {'n':>5}")
    for code, s in result["per_theme"].items():
        p, r, f1, n = s["precision"], s["recall"], s["f1"], s["support"]
        click.echo(f"{code:<20} {p:>8.3f} {r:>8.3f} {f1:>6.3f} {n:>5}")
    click.echo(
        f"macro-F1: {result['macro_f1']:.3f}  micro-F1: {result['micro_f1']:.3f}  "
        f"(n = {result['n']})"
    )
    if result["sentiment_accuracy"] is not None:
        click.echo(
            f"akurasi sentimen: {result['sentiment_accuracy']:.3f}  (n = {result['n_sentiment']})"
        )
    cal = result["calibration"]
    if cal["theme_brier"] is not None:
        click.echo(
            f"kalibrasi tema: Brier {cal['theme_brier']:.4f}, ECE {cal['theme_ece']:.3f}; "
            f"set kode tepat {cal['set_exact']:.3f} vs. keyakinan rata-rata "
            f"{cal['set_mean_confidence']:.3f} (ECE {cal['set_ece']:.3f})"
        )
    if cal["sentiment_ece"] is not None:
        click.echo(f"kalibrasi sentimen: ECE {cal['sentiment_ece']:.3f}")
    if "learning" in result:
        lr = result["learning"]
        click.echo(
            f"belajar dari {lr['n_corrections']} koreksi ({lr['repeats']} undian, "
            f"{lr['n_scored']} teks lain dinilai): macro-F1 {lr['macro_f1_before']:.3f} -> "
            f"{lr['macro_f1_after']:.3f}, sentimen {lr['sentiment_before']:.3f} -> "
            f"{lr['sentiment_after']:.3f}"
        )


@themes.command("text")
@click.argument("text")
def text_command(text: str) -> None:
    """Code one TEXT and show themes, confidence, explanation and sentence spans."""
    coding = _coder(None).code(text)
    click.echo(json.dumps(coding.as_dict(), ensure_ascii=False, indent=2))


@themes.command("bundle")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Language of quote attributions.",
)
def bundle_command(path: Path, lang: str) -> None:
    """Print the 'themes' and 'challenges' sections of hasil.json for the bundle at PATH."""
    from tilik.core.bundle import read_bundle
    from tilik.core.themes.results import bundle_texts, code_items, text_challenges, themes_section

    items = bundle_texts(read_bundle(path))
    coded = code_items(items)
    out = {
        "themes": themes_section(items, coded=coded, lang=lang),
        "challenges": text_challenges(items, coded=coded),
    }
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    themes()
