"""From a bundle to ``hasil.json`` and the report: the one path the CLI and the web app share.

1. statistics (:func:`tilik.core.hasil.build_hasil`),
2. theme coding of open answers, transcripts and observation notes
   (:mod:`tilik.core.themes.results`), with the evaluator's manual codes winning,
3. findings (:mod:`tilik.core.findings`) and recommendations from rules
   (:mod:`tilik.core.recommend`), with the evaluator's edits kept,
4. the comparison with the previous cycles (:mod:`tilik.core.cycles`), when the evaluation
   names one: the caller passes them (the web app, from its database), or they are read
   from the bundles ``previous:`` links to (:func:`previous_cycles`),
5. the report files (:func:`tilik.report.render`).

A caller that shows progress passes ``progress``: it is called with the name of each stage
(:data:`STAGES`, in that order) as the stage begins.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tilik.core.bundle import Bundle, read_bundle
from tilik.core.cycles import Cycle, compare_cycles
from tilik.core.findings import add_challenge_breakdown, build_findings
from tilik.core.hasil import build_hasil, clean_json, load_schema
from tilik.core.previous import MAX_CYCLES, resolve_previous
from tilik.core.recommend import apply_edits, build_recommendations
from tilik.core.themes import Codebook, Coder, Correction
from tilik.core.themes.results import bundle_texts, code_items, text_challenges, themes_section
from tilik.report import FORMATS, render
from tilik.report.pdf import Printer

__all__ = [
    "STAGES",
    "Progress",
    "analyse",
    "build_report",
    "previous_cycles",
    "validate_hasil",
    "write_hasil",
]

STAGES = ("themes", "statistics", "findings", "report")
"""The stages of :func:`build_report` in the order they run."""

Progress = Callable[[str], None]


def _noop(stage: str) -> None:
    """No progress wanted."""


def analyse(
    bundle: Bundle,
    *,
    codebook: Codebook | None = None,
    corrections: Sequence[Correction | tuple[str, Sequence[str]]] = (),
    recommendation_edits: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress | None = None,
    previous: Sequence[Cycle] | None = None,
) -> dict[str, Any]:
    """Every section of ``hasil.json`` for ``bundle``.

    ``codebook`` is the evaluation's own codebook (codes added, renamed or merged);
    ``corrections`` are the codings an evaluator confirmed (:class:`Correction`, with
    sentiment, source and role, or (text, themes) pairs), in that codebook's codes: they
    retrain the coder for this evaluation and win over its automatic codes.
    ``previous`` are the earlier cycles, nearest first; without it they are read from the
    bundle's ``previous:`` link (``[]``: compare with nothing).
    """
    note = progress or _noop
    note("themes")
    coder = Coder.default()
    if codebook is not None:
        coder = coder.with_codebook(codebook)
    if corrections:
        coder = coder.with_corrections(list(corrections))
    items = bundle_texts(bundle)
    coded = code_items(items, coder)
    extra = {
        # Roster names are masked in quotes even where a respondent wrote a colleague's name.
        "themes": themes_section(items, coded=coded, names=[p.nama for p in bundle.roster]),
        "challenges": text_challenges(items, coded=coded),
    }
    note("statistics")
    hasil = build_hasil(bundle, extra=extra)
    note("findings")
    add_challenge_breakdown(hasil, bundle)
    hasil["findings"] = build_findings(hasil)
    generated = build_recommendations(hasil, thresholds=bundle.meta.thresholds or None)
    hasil["recommendations"] = apply_edits(generated, recommendation_edits or {})
    if previous is None:
        previous, notes = previous_cycles(bundle)
        if notes:
            hasil["data_quality"].setdefault("notes", []).extend(notes)
    comparison = compare_cycles(hasil, previous)
    if comparison:
        hasil["comparison"] = comparison
    return clean_json(hasil)


def previous_cycles(bundle: Bundle) -> tuple[list[Cycle], list[str]]:
    """The earlier cycles a bundle links to (``previous:``), nearest first, each analysed.

    Every link is resolved inside the folder that holds ``bundle`` (see
    :mod:`tilik.core.previous`); a chain stops at :data:`MAX_CYCLES`, at a loop, or at a
    bundle that cannot be read, and the notes say where and why.
    """
    chain: list[Cycle] = []
    notes: list[str] = []
    allowed = Path(os.path.realpath(bundle.path)).parent
    seen = {os.path.realpath(bundle.path)}
    current = bundle
    while len(chain) < MAX_CYCLES:
        value = current.meta.raw.get("previous")
        if value in (None, ""):
            break
        path, problem = resolve_previous(current.path, value, cycles_root=allowed)
        if path is None:
            if problem is not None and current is not bundle:  # the first is in problems
                notes.append(f"{current.path.name}/evaluasi.yaml: previous: {problem.message}")
            break
        if str(path) in seen:
            notes.append(
                f"{current.path.name}/evaluasi.yaml: previous: {path.name} sudah ada dalam "
                "rantai siklus (berputar); rantai dihentikan"
            )
            break
        seen.add(str(path))
        earlier = read_bundle(path, hash_key=bundle.hash_key)
        if earlier.refusals:
            notes.append(
                f"{path.name}: {len(earlier.refusals)} kesalahan menolak bundel ini; siklus "
                "ini tidak dibandingkan"
            )
            break
        follow_ups = {
            key: {"status": state.get("status"), "due": state.get("due")}
            for key, state in earlier.follow_ups.items()
        }
        chain.append(Cycle(analyse(earlier, previous=[]), follow_ups, path.name))
        current = earlier
    return chain, notes


def validate_hasil(hasil: Mapping[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``hasil`` breaks the committed schema."""
    import jsonschema

    # the committed schema is checked by the tests; here only the document is
    validator = jsonschema.Draft202012Validator(load_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(hasil))
    if error is not None:
        raise error


def write_hasil(hasil: Mapping[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "hasil.json"
    path.write_text(json.dumps(hasil, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def build_report(
    bundle: Bundle,
    out: Path,
    *,
    lang: str = "id",
    formats: Iterable[str] = FORMATS,
    codebook: Codebook | None = None,
    corrections: Sequence[Correction | tuple[str, Sequence[str]]] = (),
    recommendation_edits: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress | None = None,
    schedule: Mapping[str, Any] | None = None,
    previous: Sequence[Cycle] | None = None,
    printer: Printer | None = None,
) -> dict[str, Path]:
    """Analyse ``bundle`` and write ``hasil.json``, the report files and charts into ``out``.

    ``printer``: a PDF printer the caller started before reading the bundle (its WeasyPrint
    import then overlaps the reading); one is started here otherwise. Closed either way.

    ``schedule`` is the summary of a flexible schedule (``ringkasan.json`` of
    ``tilik schedule``, ``tilik.jadwal/1``): kept as the ``jadwal`` section of ``hasil`` and
    given its own chapter in the report.
    """
    formats = tuple(formats)
    # the PDF printer imports WeasyPrint in another process while the statistics run here
    if "pdf" not in formats and printer is not None:
        printer.close()
        printer = None
    elif "pdf" in formats and printer is None:
        printer = Printer.start()
    try:
        hasil = analyse(
            bundle,
            codebook=codebook,
            corrections=corrections,
            recommendation_edits=recommendation_edits,
            progress=progress,
            previous=previous,
        )
        if schedule:
            hasil["jadwal"] = clean_json(dict(schedule))
        (progress or _noop)("report")
        written: dict[str, Path] = {}

        def check_and_keep() -> None:
            # while the PDF prints: a hasil that breaks the contract is never written
            validate_hasil(hasil)
            written["hasil.json"] = write_hasil(hasil, out)

        rendered = render(
            hasil, out, lang=lang, formats=formats, printer=printer, meanwhile=check_and_keep
        )
    finally:
        if printer is not None:
            printer.close()
    for name, path in rendered.items():
        written[path.name if name != "grafik" else "grafik/"] = path
    return written
