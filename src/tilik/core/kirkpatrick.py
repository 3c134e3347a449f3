"""Kirkpatrick's four levels, summarised from the sections of ``hasil.json``.

======  ============  ======================================================
level   name          evidence used here
======  ============  ======================================================
1       reaksi        constructs of instruments (or items) at level *reaksi*;
                      by default the participant survey
2       pembelajaran  pre/post tests (gain, effect size); constructs at level
                      *pembelajaran*
3       perilaku      constructs at level *perilaku* (supervisor survey,
                      observation); trained vs untrained in observations
4       hasil         IKM from the SKM; constructs at level *hasil*
======  ============  ======================================================

A construct's level is the level most of its items carry (XLSForm column ``level``); when
its items carry none, the instrument kind decides (:data:`DEFAULT_LEVEL`).

Reference: Kirkpatrick, D. L. & Kirkpatrick, J. D. (2006). *Evaluating Training
Programs: The Four Levels* (3rd ed.).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_LEVEL", "LEVELS", "summarize"]

#: Level number, code and labels (Indonesian, English).
LEVELS: list[dict[str, Any]] = [
    {"level": 1, "code": "reaksi", "label": {"id": "Reaksi", "en": "Reaction"}},
    {"level": 2, "code": "pembelajaran", "label": {"id": "Pembelajaran", "en": "Learning"}},
    {"level": 3, "code": "perilaku", "label": {"id": "Perilaku", "en": "Behaviour"}},
    {"level": 4, "code": "hasil", "label": {"id": "Hasil", "en": "Results"}},
]

#: Level of an instrument kind's constructs when its items name none.
DEFAULT_LEVEL: dict[str, str] = {
    "survei_peserta": "reaksi",
    "survei_atasan": "perilaku",
    "observasi": "perilaku",
    "skm": "hasil",
    "tes_awal": "pembelajaran",
    "tes_akhir": "pembelajaran",
}


def summarize(
    hasil: Mapping[str, Any],
    *,
    construct_levels: Mapping[str, Mapping[str, str]] | None = None,
    kinds: Mapping[str, str] | None = None,
    comparisons: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Summarise the evidence for each Kirkpatrick level.

    Parameters
    ----------
    hasil : mapping
        The sections of ``hasil.json`` built so far (``constructs``, ``prepost``,
        ``groups``, ``ikm``).
    construct_levels : mapping form_id -> {construct: level}, optional
        Levels named in the instruments; missing ones fall back to the instrument kind.
    kinds : mapping form_id -> kind, optional
    comparisons : mapping form_id -> grouping variable, optional
        Observation forms' ``compare_by`` field (trained vs untrained).

    Returns
    -------
    dict
        ``{code: {level, label, indicators: [...], instruments: [form_id, ...],
        has_evidence}}`` in level order. Each indicator has ``source`` (form id or test
        name), ``kind`` (``construct``, ``prepost``, ``comparison``, ``ikm``), ``name``,
        ``value`` and, where known, ``ci``, ``n`` and ``field`` — the JSON path of the
        number in ``hasil.json``, so narrative text can cite it.
    """
    construct_levels = construct_levels or {}
    kinds = kinds or {}
    comparisons = comparisons or {}
    out: dict[str, Any] = {
        lv["code"]: {
            "level": lv["level"],
            "label": lv["label"],
            "indicators": [],
            "instruments": [],
        }
        for lv in LEVELS
    }

    def add(code: str, instrument: str, indicator: dict[str, Any]) -> None:
        if code not in out:
            return
        out[code]["indicators"].append(indicator)
        if instrument not in out[code]["instruments"]:
            out[code]["instruments"].append(instrument)

    for form_id, constructs in (hasil.get("constructs") or {}).items():
        for cname, c in constructs.items():
            level = (construct_levels.get(form_id) or {}).get(cname) or DEFAULT_LEVEL.get(
                kinds.get(form_id, ""), ""
            )
            add(
                level,
                form_id,
                {
                    "source": form_id,
                    "kind": "construct",
                    "name": cname,
                    "value": c.get("mean"),
                    "ci": c.get("mean_ci"),
                    "top2box": c.get("top2box"),
                    "top2box_ci": c.get("top2box_ci"),
                    "n": c.get("n"),
                    "field": f"constructs.{form_id}.{cname}.mean",
                },
            )
    for name, pp in (hasil.get("prepost") or {}).items():
        add(
            "pembelajaran",
            pp.get("post_form") or name,
            {
                "source": name,
                "kind": "prepost",
                "name": name,
                "value": pp.get("normalized_gain"),
                "mean_pre": pp.get("mean_pre"),
                "mean_post": pp.get("mean_post"),
                "d_z": pp.get("d_z"),
                "p": pp.get("p"),
                "n": pp.get("n_pairs"),
                "field": f"prepost.{name}.normalized_gain",
            },
        )
        pre_form = pp.get("pre_form")
        if pre_form and pre_form not in out["pembelajaran"]["instruments"]:
            out["pembelajaran"]["instruments"].append(pre_form)
    for form_id, var in comparisons.items():
        for cname, g in ((hasil.get("groups") or {}).get(form_id) or {}).items():
            comp = (g.get("by") or {}).get(var)
            if not comp:
                continue
            add(
                "perilaku",
                form_id,
                {
                    "source": form_id,
                    "kind": "comparison",
                    "name": cname,
                    "by": var,
                    "value": (comp.get("test") or {}).get("epsilon2"),
                    "p": (comp.get("test") or {}).get("p"),
                    "cells": {k: v.get("mean") for k, v in comp.get("cells", {}).items()},
                    "n": (comp.get("test") or {}).get("n"),
                    "field": f"groups.{form_id}.{cname}.by.{var}.test.epsilon2",
                },
            )
    ikm = hasil.get("ikm") or {}
    if "_all" in ikm:
        overall = ikm["_all"]
        add(
            "hasil",
            overall.get("form_id") or "skm",
            {
                "source": overall.get("form_id") or "skm",
                "kind": "ikm",
                "name": "IKM",
                "value": overall.get("ikm"),
                "mutu": overall.get("mutu"),
                "kinerja": overall.get("kinerja"),
                "n": overall.get("n"),
                "field": "ikm._all.ikm",
            },
        )
    for entry in out.values():
        entry["has_evidence"] = bool(entry["indicators"])
    return out
