"""Build ``hasil.json`` (schema ``tilik.hasil/1``) from an evaluation bundle.

:func:`build_hasil` runs the statistics of :mod:`tilik.core.stats`, :mod:`tilik.core.ikm`,
:mod:`tilik.core.jp` and :mod:`tilik.core.kirkpatrick` over a
:class:`tilik.core.bundle.Bundle` and returns a JSON-ready dictionary that validates
against ``schema/hasil.schema.json``. Sections filled by other modules (``themes``,
``challenges`` from open text and interviews, ``findings``, ``recommendations``) are merged
in from ``extra``.

Decisions made here (documented once):

* **Response rate** = stored responses (distinct respondent keys when the form has them)
  / enrolled participants (sum of ``programs[].participants``, else the roster size), for
  participant and supervisor instruments; null for observation, SKM and other forms.
* **Pre/post pairs**: a ``tes_awal`` and a ``tes_akhir`` with the same ``test`` name are
  paired (a lone pre and post with no test names are paired too); scores are percent
  correct (0–100), so the normalised gain uses ``max = 100``, and the statistics are
  computed from the counts of correct items (``n_items`` of each test), so ties are exact.
  A test item is scored by its ``correct`` key: one choice, or for a select_multiple
  every right choice (all or nothing; :func:`tilik.core.stats.score_test`).
* **Don't-know codes** ("tidak tahu", "tidak berlaku") that a form declares on a Likert
  list (:meth:`tilik.core.xlsform.Form.missing_choices`) are missing values: they are not
  scale points, they are counted per item in ``n_dont_know`` (and in ``n_missing``).
* **Not computable**: every statistic that can be null says why in ``not_computable``
  (field → code of :data:`tilik.core.stats.REASONS`) on items, constructs, group cells,
  tests and pre/post results.
* **Groups**: survey constructs by the ``instansi`` and ``sektor`` columns of the form
  (keys ``organisation``, ``sector``), by ``program`` and ``angkatan`` (``program``,
  ``cohort``; from the roster, joined on the respondent key, when the form lacks them),
  and observation constructs by their ``compare_by`` field (key = the field name). A
  grouping with fewer than two non-empty groups is left out.
  Pairwise Mann–Whitney tests (Holm) are run only where the Kruskal–Wallis test is
  significant at 0.05 (``pairwise_done`` says whether they ran).
* **Closed-question challenges**: a select_multiple whose choices carry ``theme`` codes
  gives, per obstacle theme (positive codes such as *manfaat* excluded), the share of
  respondents who answered the question that chose at least one option of that theme,
  with a Wilson CI.
* Numbers: NaN and infinities become ``null``; proportions are 0–1; CIs are ``[lo, hi]``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from importlib import resources
from typing import Any

import numpy as np
import polars as pl

from tilik.core import kirkpatrick
from tilik.core.cycles import form_fingerprint
from tilik.core.ikm import REGIMES, compute_ikm
from tilik.core.jp import jp_summary, roster_frame
from tilik.core.stats import (
    MIN_CELL,
    LikertSummary,
    group_compare,
    pair_scores,
    prepost,
    reasons_dict,
    score_test,
    summarize_likert,
    wilson_ci,
)

__all__ = [
    "group_labels",
    "BY_KEYS",
    "POSITIVE_THEMES",
    "SCHEMA_ID",
    "build_hasil",
    "clean_json",
    "chosen_lists",
    "closed_challenges",
    "constructs_section",
    "load_schema",
    "merge_extra",
]

SCHEMA_ID = "tilik.hasil/1"

#: Theme codes that stand for a benefit, not an obstacle (left out of ``challenges``).
POSITIVE_THEMES = frozenset({"manfaat", "pengetahuan", "keterampilan", "sikap", "dampak_layanan"})

_PARTICIPANT_KINDS = {"survei_peserta", "survei_atasan", "tes_awal", "tes_akhir"}
_SURVEY_KINDS = {"survei_peserta", "survei_atasan", "observasi", "lainnya"}
_GROUP_COLUMNS = ("instansi", "sektor")
_ROSTER_GROUPS = ("program", "angkatan")
#: Column name in the data -> key under ``groups[form][construct]["by"]`` (DESIGN.md names).
BY_KEYS = {
    "instansi": "organisation",
    "sektor": "sector",
    "program": "program",
    "angkatan": "cohort",
}


def load_schema() -> dict[str, Any]:
    """The committed JSON Schema (Draft 2020-12) of ``hasil.json``."""
    text = resources.files("tilik.core").joinpath("schema/hasil.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def clean_json(value: Any) -> Any:
    """Make a value JSON-safe: NaN/inf → None, numpy scalars → Python, tuples → lists,
    dates → ISO strings."""
    if isinstance(value, Mapping):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [clean_json(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _ci(row: Mapping[str, Any], prefix: str) -> list[Any]:
    return [row.get(f"{prefix}_ci_low"), row.get(f"{prefix}_ci_high")]


def _desc(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "n": row["n"],
        "mean": row.get("mean"),
        "mean_ci": _ci(row, "mean"),
        "sd": row.get("sd"),
        "median": row.get("median"),
        "top2box": row.get("top2box"),
        "top2box_ci": _ci(row, "top2box"),
        "not_computable": reasons_dict(row.get("not_computable")),
    }


def constructs_section(
    summary: LikertSummary,
    *,
    labels: Mapping[str, str] | None = None,
    scales: Mapping[str, tuple[int, int]] | None = None,
    levels: Mapping[str, str] | None = None,
    dont_know: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The ``constructs[form_id]`` part of ``hasil.json`` from a :class:`LikertSummary`."""
    labels = labels or {}
    scales = scales or {}
    levels = levels or {}
    dont_know = dont_know or {}
    items_by_construct: dict[str, dict[str, Any]] = {}
    for row in summary.items.iter_rows(named=True):
        lo = scales.get(row["item"], (1, len(row["dist"] or [])))[0]
        items_by_construct.setdefault(row["construct"], {})[row["item"]] = {
            "label": labels.get(row["item"], ""),
            **_desc(row),
            "n_missing": row["n_missing"],
            "n_dont_know": dont_know.get(row["item"], 0),
            "reverse": row["reverse"],
            "distribution": {str(lo + i): c for i, c in enumerate(row["dist"] or [])},
            "item_rest_r": row["item_rest_r"],
            "alpha_if_deleted": row["alpha_if_deleted"],
        }
    out: dict[str, Any] = {}
    for row in summary.constructs.iter_rows(named=True):
        name = row["construct"]
        out[name] = {
            **_desc(row),
            "level": levels.get(name, ""),
            "k": row["k"],
            "n_no_score": row["n_no_score"],
            "alpha": row["alpha"],
            "alpha_ci": [row["alpha_ci_low"], row["alpha_ci_high"]],
            "alpha_n": row["n_alpha"],
            "n_incomplete": row["n_incomplete"],
            "alpha_flagged": row["alpha_flagged"],
            "items": items_by_construct.get(name, {}),
        }
    return out


def closed_challenges(
    frame: pl.DataFrame, form: Any, *, source: str = "survei"
) -> list[dict[str, Any]]:
    """Per-theme shares from select_multiple questions whose choices carry theme codes."""
    out: list[dict[str, Any]] = []
    for q in form.questions:
        if q.type != "select_multiple" or q.name not in frame.columns:
            continue
        themes: dict[str, set[str]] = {}
        for choice in form.choices.get(q.list_name, []):
            if choice.theme and choice.theme not in POSITIVE_THEMES:
                themes.setdefault(choice.theme, set()).add(choice.name)
        if not themes:
            continue
        answered = chosen_lists(frame.get_column(q.name)).drop_nulls()
        n = answered.len()
        for code, names in themes.items():
            hits = int(answered.list.eval(pl.element().is_in(sorted(names))).list.any().sum())
            lo, hi = wilson_ci(hits, n)
            share = hits / n if n else None
            out.append(
                {
                    "code": code,
                    "share": share,
                    "share_ci": [lo[0], hi[0]],
                    "n": n,
                    "n_mentions": hits,
                    "sources": {
                        source: {
                            "form_id": form.form_id,
                            "question": q.name,
                            "n": n,
                            "n_mentions": hits,
                            "share": share,
                        }
                    },
                }
            )
    return out


def chosen_lists(column: pl.Series) -> pl.Series:
    """select_multiple answers as lists of choice names (a text answer split on white space,
    as Kobo writes them), null where unanswered."""
    if isinstance(column.dtype, pl.List):
        return column.cast(pl.List(pl.Utf8))
    return column.map_elements(
        lambda v: v if isinstance(v, list) else str(v).split(), return_dtype=pl.List(pl.Utf8)
    )


def _sort_challenges(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda c: (-(c.get("share") or 0.0), str(c.get("code"))))


def _merge_challenges(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_code: dict[str, dict[str, Any]] = {}
    for item in items:
        code = str(item.get("code"))
        if code not in by_code:
            by_code[code] = {**item, "sources": dict(item.get("sources") or {})}
            continue
        merged = by_code[code]
        merged["sources"].update(item.get("sources") or {})
        if (item.get("share") or 0) > (merged.get("share") or 0):
            for key in ("share", "share_ci", "n", "n_mentions"):
                if key in item:
                    merged[key] = item[key]
    return _sort_challenges(list(by_code.values()))


def merge_extra(hasil: dict[str, Any], extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """Merge other modules' sections into ``hasil``.

    Dict sections are updated key by key; ``challenges`` are merged by theme code (sources
    combined, the larger share kept) and re-sorted, largest first; other lists are
    extended; anything else replaces.
    """
    for key, value in (extra or {}).items():
        current = hasil.get(key)
        if key == "challenges":
            hasil[key] = _merge_challenges([*(current or []), *value])
        elif isinstance(current, dict) and isinstance(value, Mapping):
            current.update(value)
        elif isinstance(current, list) and isinstance(value, list | tuple):
            current.extend(value)
        else:
            hasil[key] = value
    return hasil


# ----------------------------------------------------------------------- sections


_YES, _NO = "ya", "tidak"


def _checklist_items(form: Any) -> list[Any]:
    """select_one items with a construct whose choices are exactly ya/tidak (checklists)."""
    return [
        q
        for q in form.questions
        if q.type == "select_one" and q.construct and set(form.choice_names(q)) == {_YES, _NO}
    ]


def _binary_columns(frame: pl.DataFrame, form: Any) -> pl.DataFrame:
    """Checklist answers as 1 (ya) / 0 (tidak) so they are described like a 0–1 scale."""
    cols = [q.name for q in _checklist_items(form) if q.name in frame.columns]
    return frame.with_columns(
        pl.col(c)
        .cast(pl.Utf8)
        .replace_strict({_YES: 1, _NO: 0}, default=None, return_dtype=pl.Int64)
        for c in cols
    )


def _likert_spec(form: Any, columns: Sequence[str]) -> dict[str, Any]:
    constructs: dict[str, list[str]] = {}
    scales: dict[str, tuple[int, int]] = {}
    labels: dict[str, str] = {}
    missing: dict[str, list[str]] = {}
    reverse: list[str] = []
    item_levels: dict[str, dict[str, int]] = {}
    checklist = {q.name for q in _checklist_items(form)}
    for q in [*form.likert_items(), *_checklist_items(form)]:
        if q.name not in columns:
            continue
        try:
            scales[q.name] = (0, 1) if q.name in checklist else form.scale(q)
        except ValueError:
            continue
        constructs.setdefault(q.construct, []).append(q.name)
        labels[q.name] = q.label
        if q.name not in checklist and form.missing_choices(q):
            missing[q.name] = form.missing_choices(q)
        if q.reverse:
            reverse.append(q.name)
        if q.level:
            counts = item_levels.setdefault(q.construct, {})
            counts[q.level] = counts.get(q.level, 0) + 1
    # A construct whose items disagree on the scale keeps the items on its first scale.
    for cname, items in list(constructs.items()):
        first = scales[items[0]]
        constructs[cname] = [i for i in items if scales[i] == first]
    levels = {c: max(v, key=lambda lv: v[lv]) for c, v in item_levels.items()}
    return {
        "constructs": constructs,
        "scales": scales,
        "labels": labels,
        "reverse": reverse,
        "levels": levels,
        "missing": missing,
    }


def _without_dont_know(
    frame: pl.DataFrame, missing: Mapping[str, Sequence[str]]
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Don't-know answers set to null (missing values), and how many each item had."""
    if not missing:
        return frame, {}
    codes = {name: [str(c) for c in names] for name, names in missing.items()}
    counted = frame.select(
        pl.col(name).cast(pl.Utf8).str.strip_chars().is_in(names).sum().alias(name)
        for name, names in codes.items()
    ).row(0, named=True)
    cleared = frame.with_columns(
        pl.when(pl.col(name).cast(pl.Utf8).str.strip_chars().is_in(names))
        .then(None)
        .otherwise(pl.col(name))
        .alias(name)
        for name, names in codes.items()
    )
    return cleared, {name: int(v or 0) for name, v in counted.items()}


def _dont_know_codes(form: Any, columns: Sequence[str]) -> dict[str, list[str]]:
    return {
        q.name: form.missing_choices(q)
        for q in form.likert_items()
        if q.name in columns and form.missing_choices(q)
    }


def _response_rate(kind: str, frame: pl.DataFrame, enrolled: int | None) -> float | None:
    if kind not in _PARTICIPANT_KINDS or not enrolled:
        return None
    keys = frame.get_column("_key").drop_nulls().n_unique() if "_key" in frame.columns else 0
    n = keys if keys else frame.height
    return n / enrolled


def _with_roster(frame: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    if roster.is_empty() or "_key" not in frame.columns:
        return frame
    extra = [c for c in _ROSTER_GROUPS if c not in frame.columns]
    if not extra:
        return frame
    lookup = roster.select(pl.col("key").alias("_key"), *extra).unique("_key", keep="first")
    return frame.join(lookup, on="_key", how="left")


def _groups_for(
    frame: pl.DataFrame,
    scores: pl.DataFrame,
    by: Sequence[str],
    scales: Mapping[str, tuple[int, int]],
    min_cell: int,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not by:  # no grouping column: nothing to compare (and no zero-height frame to stack)
        return out
    # each grouping column as text, "" as no group: once, not once per construct
    data = frame.select(
        [
            pl.when(pl.col(var).cast(pl.Utf8) == "")
            .then(None)
            .otherwise(pl.col(var).cast(pl.Utf8))
            .alias(var)
            for var in by
        ]
    ).hstack(scores)
    compared = [var for var in by if data.get_column(var).drop_nulls().n_unique() >= 2]
    for cname in scores.columns:
        by_out: dict[str, Any] = {}
        for var in compared:
            by_out[BY_KEYS.get(var, var)] = group_compare(
                data,
                cname,
                var,
                scale=scales.get(cname),
                min_cell=min_cell,
                pairwise_below=0.05,
            )
        if by_out:
            out[cname] = {"by": by_out}
    return out


def _ikm_section(bundle: Any, frames: Mapping[str, pl.DataFrame]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    notes: list[str] = []
    regime_override = str((bundle.meta.thresholds or {}).get("ikm_regime", "") or "")
    for form_id, form in bundle.forms.items():
        spec = bundle.spec(form_id)
        if spec.kind != "skm" or form_id not in frames:
            continue
        frame, _ = _without_dont_know(
            frames[form_id], _dont_know_codes(form, frames[form_id].columns)
        )
        unsur = [q.name for q in form.likert_items("skm") if q.name in frame.columns]
        regime = regime_override or {9: "2017", 14: "2004"}.get(len(unsur), "")
        if regime not in REGIMES or REGIMES[regime]["n_unsur"] != len(unsur):
            notes.append(f"{form_id}: {len(unsur)} unsur SKM; perlu 9 (2017) atau 14 (2004)")
            continue
        unit = spec.unit if spec.unit and spec.unit in frame.columns else None
        table = compute_ikm(frame, unsur, unit=unit, regime=regime)
        # A second SKM form's rows are keyed "<form_id>:<unit>" so nothing is overwritten.
        prefix = f"{form_id}:" if out else ""
        for row in table.iter_rows(named=True):
            entry: dict[str, Any] = {"n": row["n"], "withheld": row["withheld"]}
            if not row["withheld"]:
                entry.update(
                    nrr={f"u{i + 1}": v for i, v in enumerate(row["nrr"])},
                    index=row["index"],
                    ikm=row["ikm"],
                    ikm_rounded=row["ikm_rounded"],
                    mutu=row["mutu"],
                    kinerja=row["kinerja"],
                )
            entry.update(form_id=form_id, regime=regime, unsur=unsur)
            out[prefix + row["unit"]] = entry
    if notes:
        out.setdefault("_notes", notes)
    return out


def _prepost_section(bundle: Any, frames: Mapping[str, pl.DataFrame]) -> dict[str, Any]:
    pres = [f for f in bundle.forms if bundle.spec(f).kind == "tes_awal" and f in frames]
    posts = [f for f in bundle.forms if bundle.spec(f).kind == "tes_akhir" and f in frames]
    out: dict[str, Any] = {}
    used: set[str] = set()
    for pre in pres:
        test = bundle.spec(pre).test
        match = [p for p in posts if p not in used and bundle.spec(p).test == test]
        if not match and len(pres) == 1 and len(posts) == 1:
            match = posts
        if not match:
            continue
        post = match[0]
        used.add(post)
        scored = []
        for form_id in (pre, post):
            form = bundle.forms[form_id]
            correct = {q.name: q.correct for q in form.questions if q.correct}
            scored.append(score_test(frames[form_id], correct))
        pairs, counts = pair_scores(scored[0], scored[1])
        n_pre, n_items = (int(s.height and s.item(0, "n_items")) for s in scored)
        res = prepost(
            pairs.get_column("pre"),
            pairs.get_column("post"),
            max_score=100.0,
            n_items=(n_pre, n_items) if n_pre and n_items else None,
        )
        name = test or f"{pre}__{post}"
        out[name] = {
            "pre_form": pre,
            "post_form": post,
            "n_items": n_items,
            "n_items_pre": n_pre,
            "max_score": 100.0,
            **res,
            **{k: v for k, v in counts.items() if k != "n_pairs"},
        }
    return out


def build_hasil(
    bundle: Any, *, extra: Mapping[str, Any] | None = None, min_cell: int = MIN_CELL
) -> dict[str, Any]:
    """Compute every statistics section of ``hasil.json`` for a bundle.

    Parameters
    ----------
    bundle : tilik.core.bundle.Bundle
    extra : mapping, optional
        Sections from other modules (``themes``, ``challenges``, ``findings``,
        ``recommendations``, …) merged in with :func:`merge_extra`.
    min_cell : int
        Per-group cells with fewer respondents are withheld.

    Returns
    -------
    dict
        JSON-ready (no NaN), schema ``tilik.hasil/1``.
    """
    meta = bundle.meta
    enrolled = sum(p.participants or 0 for p in meta.programs) or len(bundle.roster) or None
    roster = roster_frame(bundle.roster)
    frames: dict[str, pl.DataFrame] = {fid: ds.frame() for fid, ds in bundle.data.items()}

    instruments: dict[str, Any] = {}
    constructs: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    challenges: list[dict[str, Any]] = []
    construct_levels: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    comparisons: dict[str, str] = {}
    for form_id, form in bundle.forms.items():
        spec = bundle.spec(form_id)
        kinds[form_id] = spec.kind
        ds = bundle.data.get(form_id)
        frame = frames.get(form_id)
        instruments[form_id] = {
            "kind": spec.kind,
            "kind_inferred": bool(spec.inferred),
            "title": form.title,
            "n_responses": ds.n_responses if ds else 0,
            "n_quarantined": len(ds.quarantined) if ds else 0,
            "n_duplicates": int(getattr(ds, "duplicates", 0) or 0) if ds else 0,
            "fingerprint": form_fingerprint(form),
            "response_rate": _response_rate(spec.kind, frame, enrolled)
            if frame is not None
            else None,
        }
        if frame is None or frame.is_empty():
            continue
        if spec.kind in _SURVEY_KINDS:
            challenges.extend(closed_challenges(frame, form))
        if spec.kind not in _SURVEY_KINDS:
            continue
        frame = _binary_columns(frame, form)
        ls = _likert_spec(form, frame.columns)
        if not ls["constructs"]:
            continue
        frame, dont_know = _without_dont_know(frame, ls["missing"])
        summary = summarize_likert(
            frame, ls["constructs"], scale=ls["scales"], reverse=ls["reverse"]
        )
        construct_levels[form_id] = ls["levels"]
        constructs[form_id] = constructs_section(
            summary,
            labels=ls["labels"],
            scales=ls["scales"],
            levels=ls["levels"],
            dont_know=dont_know,
        )
        by = [c for c in _GROUP_COLUMNS if c in frame.columns]
        if spec.kind == "observasi" and spec.compare_by and spec.compare_by in frame.columns:
            by.append(spec.compare_by)
            comparisons[form_id] = spec.compare_by
        gframe = _with_roster(frame, roster)
        by += [c for c in _ROSTER_GROUPS if c in gframe.columns and c not in by]
        cscales = {c: ls["scales"][items[0]] for c, items in ls["constructs"].items()}
        section = _groups_for(gframe, summary.scores, by, cscales, min_cell)
        if section:
            groups[form_id] = section

    hasil: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "evaluation": meta.to_dict(),
        "instruments": instruments,
        "constructs": constructs,
        "prepost": _prepost_section(bundle, frames),
        "groups": groups,
        "ikm": _ikm_section(bundle, frames),
        "jp": jp_summary(
            roster,
            program_jp={p.name: p.jp for p in meta.programs if p.jp is not None},
            default_year=_as_year(meta.period),
            min_cell=min_cell,
        )
        if not roster.is_empty()
        else {},
        "themes": {},
        "challenges": _sort_challenges(challenges),
        "findings": [],
        "recommendations": [],
        "data_quality": {
            "n_problems": len(bundle.problems),
            "n_errors": sum(1 for p in bundle.problems if p.severity == "error"),
            "n_warnings": sum(1 for p in bundle.problems if p.severity != "error"),
            "min_cell": min_cell,
        },
    }
    notes = hasil["ikm"].pop("_notes", None)
    if notes:
        hasil["data_quality"]["notes"] = notes
    _add_repeats(hasil, bundle, frames, roster, min_cell)
    hasil["kirkpatrick"] = kirkpatrick.summarize(
        hasil, construct_levels=construct_levels, kinds=kinds, comparisons=comparisons
    )
    hasil["labels"] = group_labels(bundle)
    hasil = merge_extra(hasil, extra)
    return dict(clean_json(hasil))


def _add_repeats(
    hasil: dict[str, Any],
    bundle: Any,
    frames: Mapping[str, pl.DataFrame],
    roster: pl.DataFrame,
    min_cell: int,
) -> None:
    """Answers inside repeat groups (:mod:`tilik.core.repeat_stats`): their constructs and
    group comparisons beside the others, every repeat in ``repeats``."""
    from tilik.core.repeat_stats import repeat_summaries  # it imports this module

    repeats, constructs, groups = repeat_summaries(
        bundle, frames, roster_frame=lambda f: _with_roster(f, roster), min_cell=min_cell
    )
    for form_id, found in constructs.items():
        hasil["constructs"].setdefault(form_id, {}).update(found)
    for form_id, found in groups.items():
        hasil["groups"].setdefault(form_id, {}).update(found)
    if repeats:
        hasil["repeats"] = repeats


_LABELLED_FIELDS = {**BY_KEYS, "unit": "unit"}


def group_labels(bundle: Any) -> dict[str, dict[str, dict[str, str]]]:
    """Display names of the group codes used in ``groups``, ``ikm`` and ``challenges``.

    ``{"organisation": {"dinas_kesehatan": {"id": "Dinas Kesehatan Kota Kupang", "en": ...}}}``,
    taken from the choices of the forms' select_one questions of those names.
    """
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for form in bundle.forms.values():
        for question in form.questions:
            key = _LABELLED_FIELDS.get(question.name)
            if key is None or question.type != "select_one":
                continue
            for choice in form.choices.get(question.list_name, []):
                names = {lang: text for lang, text in choice.labels.items() if text}
                if names:
                    labels.setdefault(key, {}).setdefault(choice.name, names)
    return labels


def _as_year(period: Any) -> int | None:
    try:
        return int(str(period)[:4])
    except (TypeError, ValueError):
        return None
