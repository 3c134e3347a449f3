"""Recommendations from rules kept as data (``rules/rekomendasi.yaml``).

A rule is a structured condition over ``hasil`` (no ``eval``: see the YAML file's header for
the small language), a text in Indonesian and English with placeholders, a priority, an
owner role and an indicator to follow up. ``build_recommendations(hasil)`` returns::

    {"rule": "akp_sektor", "key": "akp_sektor:survei_peserta/Pendidikan",
     "instance": {"form": "survei_peserta", "sector": "Pendidikan"},
     "text": {"id": "...", "en": "..."}, "template": {"id": "...", "en": "..."},
     "params": {"share": {"value": 0.39, "path": "groups/.../top2box", "fmt": "pct"}, ...},
     "priority": "tinggi", "owner": {...}, "indicator": {...},
     "measures": ["groups/survei_peserta/relevansi/by/sector/Pendidikan/top2box"],
     "evidence": ["groups/survei_peserta/relevansi/by/sector/Pendidikan/top2box", ...]}

Thresholds default to the YAML file's ``thresholds``; ``hasil["evaluation"]["thresholds"]``
(from ``evaluasi.yaml``) and the ``thresholds`` argument override them, in that order.

Evaluator edits survive a re-run: ``apply_edits(generated, edits)`` with ``edits`` keyed by
``key`` (rule id, plus ``:instance`` for per-instance rules)::

    {"jadwal_fleksibel": {"text": {"id": "..."}},          # edited text (or other fields)
     "akp_sektor:survei_peserta/Perizinan": {"removed": True},
     "manual:1": {"added": True, "text": {"id": "..."}, "priority": "sedang"}}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

from tilik.core.findings import (
    CONSTRUCT_LABELS,
    Param,
    escape_step,
    render_template,
)

__all__ = [
    "PRIORITIES",
    "apply_edits",
    "build_recommendations",
    "default_rules",
    "render_text",
    "stale_edits",
]

PRIORITIES = ("tinggi", "sedang", "rendah")
_MISSING = object()


class RuleError(ValueError):
    """A rule file that does not follow the rule language."""


@cache
def _default_rules_text() -> str:
    return resources.files("tilik.core").joinpath("rules/rekomendasi.yaml").read_text("utf-8")


def default_rules() -> dict[str, Any]:
    """The default rule set (a fresh copy)."""
    loaded = yaml.safe_load(_default_rules_text())
    if not isinstance(loaded, dict) or "rules" not in loaded:
        raise RuleError("rekomendasi.yaml: missing 'rules'")
    return loaded


# --------------------------------------------------------------------------- paths

_SELECT = re.compile(r"^(?P<name>[^\[]+)\[(?P<field>\w+)=(?P<value>[^\]]*)\]$")


def _steps(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s and s != "."]


def _walk(node: Any, steps: Sequence[str], prefix: list[str]) -> Iterator[tuple[Any, list[str]]]:
    """Yield (value, concrete path steps) for every match of ``steps`` under ``node``."""
    if not steps:
        yield node, prefix
        return
    step, rest = steps[0], steps[1:]
    select = _SELECT.match(step)
    if select:
        container = node.get(select["name"]) if isinstance(node, Mapping) else None
        if isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, Mapping) and str(item.get(select["field"])) == select["value"]:
                    yield from _walk(item, rest, [*prefix, escape_step(select["name"]), str(index)])
        return
    if step == "*":
        if isinstance(node, Mapping):
            for key, value in node.items():
                yield from _walk(value, rest, [*prefix, escape_step(str(key))])
        return
    if isinstance(node, Mapping) and step in node:
        yield from _walk(node[step], rest, [*prefix, escape_step(step)])
    elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
        yield from _walk(node[int(step)], rest, [*prefix, step])


_BIND = re.compile(r"^\{(\w+)\}$")


Binding = tuple[str, str]  # (key, hasil path of that key)


def _instances(
    node: Any, steps: list[str], binds: dict[str, Binding], prefix: list[str]
) -> Iterator[tuple[dict[str, Binding], Any, list[str]]]:
    """Expand for_each pattern steps: yield (bindings, value, concrete steps)."""
    if not steps:
        yield binds, node, prefix
        return
    step, rest = steps[0], steps[1:]
    bind = _BIND.match(step)
    if bind:
        if not isinstance(node, Mapping):
            return
        for key, value in node.items():
            # Cells are dicts; a bare number is only an instance at the pattern's end.
            if rest and not isinstance(value, Mapping):
                continue
            if not rest and not isinstance(value, Mapping | int | float):
                continue
            concrete = [*prefix, escape_step(str(key))]
            yield from _instances(
                value, rest, {**binds, bind[1]: (str(key), "/".join(concrete))}, concrete
            )
        return
    for value, concrete in _walk(node, [step], prefix):
        yield from _instances(value, rest, binds, concrete)


# --------------------------------------------------------------------------- conditions

_OPS = {
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "in": lambda a, b: a in b,
}


class _Context:
    def __init__(
        self,
        root: Mapping[str, Any],
        thresholds: Mapping[str, Any],
        instance: tuple[Any, list[str]] | None,
        binds: Mapping[str, str],
    ) -> None:
        self.root = root
        self.thresholds = thresholds
        self.instance = instance
        self.binds = binds
        self.params: dict[str, Param] = {}
        self.evidence: list[str] = []

    def operand(self, value: Any) -> Any:
        if isinstance(value, str) and value in self.thresholds:
            return self.thresholds[value]
        return value

    def matches(self, path: str) -> Iterator[tuple[Any, list[str]]]:
        for name, bound in self.binds.items():
            path = path.replace("{" + name + "}", escape_step(bound))
        if path.startswith("/") or self.instance is None:
            yield from _walk(self.root, _steps(path), [])
        else:
            node, prefix = self.instance
            yield from _walk(node, _steps(path), prefix)


def _evaluate(condition: Mapping[str, Any], ctx: _Context) -> bool:
    if "all" in condition:
        results = [_evaluate(c, ctx) for c in condition["all"]]
        return all(results)
    if "any" in condition:
        # Evaluate every branch so the text can cite each reason that holds.
        results = [_evaluate(c, ctx) for c in condition["any"]]
        return any(results)
    if "not" in condition:
        inner = _Context(ctx.root, ctx.thresholds, ctx.instance, ctx.binds)
        return not _evaluate(condition["not"], inner)
    if "path" not in condition:
        raise RuleError(f"condition without path: {condition!r}")
    ops = [op for op in condition if op in _OPS or op == "exists"]
    if len(ops) != 1:
        raise RuleError(f"condition needs exactly one operator: {condition!r}")
    op = ops[0]
    for value, steps in ctx.matches(str(condition["path"])):
        if op == "exists":
            if not condition["exists"]:
                return False
            holds = True
        elif not isinstance(value, int | float | str) or isinstance(value, bool):
            continue
        else:
            try:
                holds = bool(_OPS[op](value, ctx.operand(condition[op])))
            except TypeError:
                continue
        if holds:
            path = "/".join(steps)
            if "as" in condition:
                shown = value if op != "exists" else ""
                ctx.params[condition["as"]] = {
                    "value": shown,
                    "path": path if op != "exists" else None,
                    "fmt": condition.get("fmt", "text"),
                }
            ctx.evidence.append(path)
            return True
    return bool(op == "exists" and not condition["exists"])


# --------------------------------------------------------------------------- text

_SEGMENT = re.compile(r"\[\[(.*?)\]\]", re.S)
_NAMES = re.compile(r"\{\??(\w+)(?:\|\w+)?\}")


def render_text(template: str, params: Mapping[str, Param], lang: str = "id") -> str:
    """Render a rule text: drop ``[[...]]`` segments whose values are missing, fill the rest."""

    def segment(match: re.Match[str]) -> str:
        names = _NAMES.findall(match.group(1))
        return match.group(1) if all(n in params for n in names) else ""

    text = _SEGMENT.sub(segment, template)
    text = re.sub(r"\{\?\w+\}", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return render_template(text, params, lang)


def _bind_param(value: str, path: str, fmt: str | None) -> Param:
    if fmt == "construct":
        entry = CONSTRUCT_LABELS.get(value, {"id": value, "en": value})
        return {"value": dict(entry), "path": None, "fmt": "i18n"}
    if fmt == "label":
        return {"value": value.replace("_", " "), "path": None, "fmt": "text"}
    if fmt == "unsur":
        return {"value": value, "path": None, "fmt": "unsur"}
    # A plain key (a sector, a year) is printed as is and traced to where it sits.
    return {"value": value, "path": path, "fmt": "key"}


# --------------------------------------------------------------------------- public


def _thresholds(
    rules: Mapping[str, Any], hasil: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    merged = dict(rules.get("thresholds") or {})
    evaluation = hasil.get("evaluation") or {}
    for source in (evaluation.get("thresholds"), hasil.get("thresholds"), overrides):
        if isinstance(source, Mapping):
            merged.update({k: v for k, v in source.items() if k in merged})
    return merged


def build_recommendations(
    hasil: Mapping[str, Any],
    *,
    findings: Sequence[Mapping[str, Any]] | None = None,
    rules: Mapping[str, Any] | None = None,
    thresholds: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Apply the recommendation rules to the results of an evaluation.

    Parameters
    ----------
    hasil
        The results dict (``hasil.json`` contract).
    findings
        Findings to reason over (``findings[key=...]`` in rule paths); defaults to
        ``hasil["findings"]``.
    rules
        A rule set shaped like ``rules/rekomendasi.yaml``; defaults to that file.
    thresholds
        Overrides of the rule thresholds (after those of ``evaluasi.yaml``).

    Returns
    -------
    list of dict
        One recommendation per firing rule instance, high priority first, then in rule
        order; each cites its evidence as paths into ``hasil``.
    """
    rule_set = rules if rules is not None else default_rules()
    limits = _thresholds(rule_set, hasil, thresholds)
    root = dict(hasil)
    if findings is not None:
        root["findings"] = list(findings)
    out: list[dict[str, Any]] = []
    for order, rule in enumerate(rule_set["rules"]):
        patterns = rule.get("for_each")
        if isinstance(patterns, str):
            patterns = [patterns]
        bind_fmt = rule.get("bind_fmt") or {}
        instances: list[tuple[dict[str, Binding], tuple[Any, list[str]] | None]]
        if patterns:
            instances = [
                (binds, (value, steps))
                for pattern in patterns
                for binds, value, steps in _instances(root, _steps(pattern), {}, [])
            ]
        else:
            instances = [({}, None)]
        for binds, instance in instances:
            keys = {name: key for name, (key, _) in binds.items()}
            ctx = _Context(root, limits, instance, keys)
            if not _evaluate(rule["when"], ctx):
                continue
            params: dict[str, Param] = {
                name: _bind_param(key, path, bind_fmt.get(name))
                for name, (key, path) in binds.items()
            }
            params.update(ctx.params)
            suffix = "/".join(keys.values())
            template = {lang: str(text) for lang, text in rule["text"].items()}
            out.append(
                {
                    "rule": rule["id"],
                    "key": f"{rule['id']}:{suffix}" if suffix else rule["id"],
                    "instance": keys,
                    "text": {lang: render_text(t, params, lang) for lang, t in template.items()},
                    "template": template,
                    "params": params,
                    "priority": rule.get("priority", "sedang"),
                    "owner": dict(rule.get("owner") or {}),
                    "indicator": dict(rule.get("indicator") or {}),
                    "evidence": list(dict.fromkeys(ctx.evidence)),
                    "measures": _measures(rule, keys),
                    "_order": order,
                }
            )
    out = _merged(out, rule_set["rules"])
    out.sort(key=lambda r: (_priority_rank(r["priority"]), r["_order"]))
    for rec in out:
        del rec["_order"]
    return out


def _measures(rule: Mapping[str, Any], keys: Mapping[str, str]) -> list[str]:
    """The rule's ``measures`` with this instance's bindings filled in (escaped as path steps)."""
    out = []
    for pattern in rule.get("measures") or []:
        path = str(pattern)
        for name, key in keys.items():
            path = path.replace("{" + name + "}", escape_step(key))
        out.append(path)
    return out


_ITEM_PLACEHOLDER = re.compile(r"\{(\??)(\w+)((?:\|\w+)?)\}")


def _join(items: Sequence[str], lang: str) -> str:
    """``A, B dan C`` / ``A, B and C``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + (" dan " if lang == "id" else " and ") + items[-1]


def _merged(out: list[dict[str, Any]], rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One recommendation per rule with ``merge`` (its instances listed in one text).

    ``merge: {item: {id, en}, text: {id, en}}``: each firing instance gives an ``item`` (its
    values named as in ``text`` of the rule), the items are joined into ``{items}`` of
    ``text``. Every value keeps its path (as ``name_1``, ``name_2``…), so each number in the
    merged text is traced like any other. The key is the rule id.
    """
    merging = {rule["id"]: rule["merge"] for rule in rules if rule.get("merge")}
    if not merging:
        return out
    kept: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for rec in out:
        if rec["rule"] in merging:
            if rec["rule"] not in groups:
                kept.append(rec)  # holds the place of the merged one
            groups.setdefault(rec["rule"], []).append(rec)
        else:
            kept.append(rec)
    result = []
    for rec in kept:
        fired = groups.get(rec["rule"])
        if fired is None:
            result.append(rec)
            continue
        spec = merging[rec["rule"]]
        params: dict[str, Param] = {}
        items: dict[str, list[str]] = {lang: [] for lang in spec["text"]}
        for number, one in enumerate(fired, start=1):
            params.update({f"{name}_{number}": p for name, p in one["params"].items()})
            for lang in items:

                def renamed(match: re.Match[str], number: int = number) -> str:
                    return (
                        "{" + match.group(1) + f"{match.group(2)}_{number}" + match.group(3) + "}"
                    )

                items[lang].append(_ITEM_PLACEHOLDER.sub(renamed, str(spec["item"][lang])))
        template = {
            lang: str(text).replace("{items}", _join(items[lang], lang))
            for lang, text in spec["text"].items()
        }
        names = list(dict.fromkeys(name for one in fired for name in one["instance"]))
        result.append(
            {
                **rec,
                "key": rec["rule"],
                "instance": {name: [one["instance"].get(name) for one in fired] for name in names},
                "text": {lang: render_text(t, params, lang) for lang, t in template.items()},
                "template": template,
                "params": params,
                "evidence": list(dict.fromkeys(p for one in fired for p in one["evidence"])),
                "measures": list(dict.fromkeys(m for one in fired for m in one["measures"])),
            }
        )
    return result


def _priority_rank(priority: str) -> int:
    return PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)


def apply_edits(
    generated: Sequence[Mapping[str, Any]], edits: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Merge an evaluator's edits into freshly generated recommendations.

    Parameters
    ----------
    generated
        Output of ``build_recommendations`` for the current analysis.
    edits
        Keyed by recommendation ``key``: ``{"removed": True}`` drops it; other fields
        (``text``, ``priority``, ``owner``, ``indicator``) replace the generated ones and mark
        it ``edited``; ``{"added": True, ...}`` under a new key adds a recommendation.

    Returns
    -------
    list of dict
        The merged list. Edits whose rule no longer fires are left out (see
        ``stale_edits``); an edited text carries no ``params``, since its numbers are the
        evaluator's.
    """
    merged: list[dict[str, Any]] = []
    for rec in generated:
        edit = edits.get(rec["key"])
        if edit is None:
            merged.append(dict(rec))
            continue
        if edit.get("removed"):
            continue
        updated = dict(rec)
        for field in ("text", "priority", "owner", "indicator"):
            if field in edit:
                value = edit[field]
                if isinstance(value, Mapping) and isinstance(rec.get(field), Mapping):
                    value = {**rec[field], **value}
                updated[field] = value
        if "text" in edit:
            updated.pop("params", None)
            updated.pop("template", None)
        updated["edited"] = True
        merged.append(updated)
    keys = {rec["key"] for rec in generated}
    for key, edit in edits.items():
        if edit.get("added") and key not in keys:
            merged.append(
                {
                    "rule": "manual",
                    "key": key,
                    "instance": {},
                    "text": dict(edit.get("text") or {}),
                    "priority": edit.get("priority", "sedang"),
                    "owner": dict(edit.get("owner") or {}),
                    "indicator": dict(edit.get("indicator") or {}),
                    "evidence": list(edit.get("evidence") or []),
                    "added": True,
                }
            )
    return merged


def stale_edits(
    generated: Sequence[Mapping[str, Any]], edits: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Keys of edits that no longer match a generated recommendation (not additions)."""
    keys = {rec["key"] for rec in generated}
    return [key for key, edit in edits.items() if key not in keys and not edit.get("added")]
