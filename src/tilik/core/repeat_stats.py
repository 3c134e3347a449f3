"""Answers inside repeat groups, summarised per instance and per submission.

A repeat group is answered any number of times in one submission (the activities of a unit,
the sessions of an activity). Its answers are summarised twice, and each summary says its
unit of analysis (``unit_of_analysis``):

* **per instance** (``instance``): every instance is one observation — the activities;
* **per submission** (``submission``): every submission that has at least one instance is
  one observation — the units that reported activities. Numbers are added up over the
  submission's instances (``jumlah``: participants over all its activities); shares say
  whether *any* of its instances chose the option; Likert construct scores are the mean of
  its instances' scores.

Instances of one submission are not independent, so tests between groups (``groups``) use
the per-submission values only. Decisions made here (documented once):

* **Where**: Likert constructs inside a repeat go to ``constructs[form_id]`` under
  ``"<repeat>/<construct>"`` (items, reliability and the Wilson/t intervals per instance,
  ``per_submission`` beside them) and their group comparisons to ``groups[form_id]`` under
  the same key; every repeat (nested ones included) gets ``repeats[form_id][repeat]``: how
  many instances each submission has, and each other question's counts, means and shares
  with 95% intervals at both units.
* **Personal fields** (NIP, names, phone numbers) are counted, never summarised.
* **Missing**: an unanswered question leaves the instance (or the submission, when none of
  its instances answered) out of that question's figures; don't-know codes of a Likert
  list are missing values, as at the top level.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from tilik.core.hasil import BY_KEYS, constructs_section
from tilik.core.ingest import is_personal_field
from tilik.core.stats import describe_values, group_compare, summarize_likert, wilson_ci

__all__ = ["repeat_summaries"]

_NUMERIC = {"integer", "decimal", "range"}
_GROUP_COLUMNS = ("instansi", "sektor", "program", "angkatan")


def _instances(answers: Mapping[str, Any], line: Sequence[str]) -> Iterator[Mapping[str, Any]]:
    """The instances of the repeat at the end of ``line`` (outer repeats first)."""
    if not line:
        return
    for instance in answers.get(line[0]) or []:
        if not isinstance(instance, Mapping):
            continue
        if len(line) == 1:
            yield instance
        else:
            yield from _instances(instance, line[1:])


def _line(form: Any, name: str) -> list[str]:
    repeats = {r.name: r for r in form.repeats}
    line = [name]
    parent = repeats[name].parent if name in repeats else ""
    while parent and parent not in line:
        line.insert(0, parent)
        parent = repeats[parent].parent if parent in repeats else ""
    return line


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _describe(values: Sequence[float], unit: str) -> dict[str, Any]:
    d = describe_values(np.asarray(values, dtype=float))
    return {
        "unit_of_analysis": unit,
        "n": d["n"],
        "mean": d["mean"],
        "mean_ci": [d["mean_ci_low"], d["mean_ci_high"]],
        "sd": d["sd"],
        "median": d["median"],
        "not_computable": {k: v for k, v in d["not_computable"].items() if v and k == "mean_ci"},
    }


def _share(hits: int, n: int, unit: str) -> dict[str, Any]:
    lo, hi = wilson_ci(hits, n)
    return {
        "unit_of_analysis": unit,
        "n": n,
        "count": hits,
        "share": hits / n if n else None,
        "share_ci": [float(lo[0]), float(hi[0])] if n else [None, None],
    }


def _chosen(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value).split()


def _question(
    form: Any, question: Any, per_submission: Sequence[Sequence[Mapping[str, Any]]]
) -> dict[str, Any]:
    """One question of a repeat, per instance and per submission."""
    key = question.key
    answered = [
        [i[key] for i in instances if i.get(key) not in (None, "", [])]
        for instances in per_submission
    ]
    flat = [v for values in answered for v in values]
    with_answers = [values for values in answered if values]
    entry: dict[str, Any] = {
        "type": question.type,
        "label": question.label,
        "n_instances": len(flat),
        "n_submissions": len(with_answers),
    }
    if is_personal_field(question.name):
        entry["personal"] = True
        return entry
    if question.type in _NUMERIC:
        numbers = [[n for v in values if (n := _number(v)) is not None] for values in answered]
        entry["per_instance"] = _describe([n for ns in numbers for n in ns], "instance")
        entry["per_submission"] = {
            **_describe([sum(ns) for ns in numbers if ns], "submission"),
            "statistic": "sum",
        }
    elif question.type in ("select_one", "select_multiple"):
        choices = form.choice_names(question) or sorted({c for v in flat for c in _chosen(v)})
        entry["choices"] = {
            choice: {
                "per_instance": _share(
                    sum(choice in _chosen(v) for v in flat), len(flat), "instance"
                ),
                "per_submission": _share(
                    sum(any(choice in _chosen(v) for v in values) for values in with_answers),
                    len(with_answers),
                    "submission",
                ),
            }
            for choice in choices
        }
    return entry


def _likert_items(form: Any, repeat: str) -> dict[str, list[Any]]:
    """The repeat's Likert items (select_one, a construct, whole-number choices) by construct."""
    out: dict[str, list[Any]] = {}
    for question in form.repeat_questions(repeat):
        if question.type != "select_one" or not question.construct:
            continue
        try:
            form.scale(question)
        except ValueError:
            continue
        out.setdefault(question.construct, []).append(question)
    return out


def _construct_blocks(
    form: Any,
    repeat: str,
    rows: Sequence[tuple[int, Mapping[str, Any]]],
    n_submissions: int,
) -> tuple[dict[str, Any], dict[str, pl.Series], dict[str, tuple[int, int]]]:
    """Constructs of the repeat per instance (with ``per_submission``), and per-submission
    scores for the group comparisons (indexed by submission)."""
    items = _likert_items(form, repeat)
    if not items or not rows:
        return {}, {}, {}
    constructs: dict[str, list[str]] = {}
    scales: dict[str, tuple[int, int]] = {}
    columns: dict[str, list[Any]] = {"_sub": [sub for sub, _ in rows]}
    dont_know: dict[str, int] = {}
    for cname, questions in items.items():
        first = form.scale(questions[0])
        kept = [q for q in questions if form.scale(q) == first]
        constructs[cname] = [q.name for q in kept]
        for q in kept:
            scales[q.name] = first
            missing = set(form.missing_choices(q))
            values = [instance.get(q.key) for _, instance in rows]
            dont_know[q.name] = sum(str(v).strip() in missing for v in values if v is not None)
            columns[q.name] = [
                None if v is None or str(v).strip() in missing else str(v) for v in values
            ]
    frame = pl.DataFrame(columns, schema={c: pl.Utf8 for c in columns} | {"_sub": pl.Int64})
    reverse = [q.name for qs in items.values() for q in qs if q.reverse]
    summary = summarize_likert(frame, constructs, scale=scales, reverse=reverse)
    labels = {q.name: q.label for qs in items.values() for q in qs}
    levels = {
        c: max(
            (q.level for q in qs if q.level),
            key=lambda lv: sum(q.level == lv for q in qs),
            default="",
        )
        for c, qs in items.items()
    }
    section = constructs_section(
        summary, labels=labels, scales=scales, levels=levels, dont_know=dont_know
    )
    scores = summary.scores.with_columns(frame.get_column("_sub"))
    out: dict[str, Any] = {}
    by_submission: dict[str, pl.Series] = {}
    construct_scales: dict[str, tuple[int, int]] = {}
    for cname, stats in section.items():
        scale = scales[constructs[cname][0]]
        means = (
            scores.group_by("_sub")
            .agg(pl.col(cname).drop_nans().mean())
            .filter(pl.col(cname).is_not_null())
        )
        d = describe_values(means.get_column(cname), scale=scale)
        full = np.full(n_submissions, np.nan)
        full[means.get_column("_sub").to_numpy()] = means.get_column(cname).to_numpy()
        by_submission[cname] = pl.Series(cname, full)
        construct_scales[cname] = scale
        out[f"{repeat}/{cname}"] = {
            **stats,
            "repeat": repeat,
            "construct": cname,
            "unit_of_analysis": "instance",
            "per_submission": {
                "unit_of_analysis": "submission",
                "statistic": "mean",
                "n": d["n"],
                "mean": d["mean"],
                "mean_ci": [d["mean_ci_low"], d["mean_ci_high"]],
                "sd": d["sd"],
                "median": d["median"],
                "top2box": d["top2box"],
                "top2box_ci": [d["top2box_ci_low"], d["top2box_ci_high"]],
                "not_computable": {k: v for k, v in d["not_computable"].items() if v},
            },
        }
    return out, by_submission, construct_scales


def _groups(
    top: pl.DataFrame,
    scores: Mapping[str, pl.Series],
    scales: Mapping[str, tuple[int, int]],
    repeat: str,
    min_cell: int,
) -> dict[str, Any]:
    """Per-submission construct scores compared between the submissions' groups."""
    out: dict[str, Any] = {}
    by = [c for c in _GROUP_COLUMNS if c in top.columns]
    for cname, series in scores.items():
        data = top.select(
            [pl.col(c).cast(pl.Utf8).replace("", None).alias(c) for c in by]
        ).with_columns(series.alias("_score"))
        found: dict[str, Any] = {}
        for var in by:
            if data.get_column(var).drop_nulls().n_unique() < 2:
                continue
            found[BY_KEYS.get(var, var)] = group_compare(
                data.filter(pl.col("_score").is_not_nan()),
                "_score",
                var,
                scale=scales[cname],
                min_cell=min_cell,
                pairwise_below=0.05,
            )
        if found:
            out[f"{repeat}/{cname}"] = {"by": found, "unit_of_analysis": "submission"}
    return out


def repeat_summaries(
    bundle: Any,
    frames: Mapping[str, pl.DataFrame],
    *,
    roster_frame: Any = None,
    min_cell: int = 5,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Summaries of every repeat group of the bundle's forms.

    Parameters
    ----------
    bundle : tilik.core.bundle.Bundle
    frames : mapping form_id -> polars.DataFrame
        The top-level frames of the forms (one row per stored response, ``_instance_id``
        first), for the group columns (``instansi``, ``sektor``, ``program``, ``angkatan``).
    roster_frame : callable, optional
        ``frame -> frame`` adding the roster's ``program``/``angkatan`` by respondent key.
    min_cell : int
        Groups with fewer submissions are withheld.

    Returns
    -------
    (repeats, constructs, groups)
        ``repeats[form_id][repeat]``, and the entries to add to ``constructs[form_id]`` and
        ``groups[form_id]`` (keys ``"<repeat>/<construct>"``), as the module notes say.
    """
    repeats: dict[str, Any] = {}
    constructs: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    for form_id, dataset in bundle.data.items():
        form = dataset.form
        if not form.repeats or not dataset.responses:
            continue
        responses = dataset.responses
        n = len(responses)
        top = frames.get(form_id)
        if top is not None and "_instance_id" in top.columns:
            order = {iid: i for i, iid in enumerate(top.get_column("_instance_id").to_list())}
            rows_of = [order.get(r.instance_id) for r in responses]
            if None not in rows_of:
                top = top[[int(i) for i in rows_of if i is not None]]
            if roster_frame is not None:
                top = roster_frame(top)
        for repeat in form.repeats:
            likert = {q.name for qs in _likert_items(form, repeat.name).values() for q in qs}
            line = _line(form, repeat.name)
            per_submission = [list(_instances(r.answers, line)) for r in responses]
            counts = [len(instances) for instances in per_submission]
            entry: dict[str, Any] = {
                "label": repeat.label,
                "parent": repeat.parent,
                "n_submissions": n,
                "n_submissions_with_instances": sum(1 for c in counts if c),
                "n_instances": sum(counts),
                "instances_per_submission": _describe(counts, "submission"),
                "questions": {
                    q.name: _question(form, q, per_submission)
                    for q in form.repeat_questions(repeat.name)
                    if q.name not in likert
                },
            }
            rows = [(i, inst) for i, instances in enumerate(per_submission) for inst in instances]
            found, scores, scales = _construct_blocks(form, repeat.name, rows, n)
            if found:
                constructs.setdefault(form_id, {}).update(found)
                entry["constructs"] = sorted(found)
                if top is not None and top.height == n:
                    compared = _groups(top, scores, scales, repeat.name, min_cell)
                    if compared:
                        groups.setdefault(form_id, {}).update(compared)
            repeats.setdefault(form_id, {})[repeat.name] = entry
    return repeats, constructs, groups
