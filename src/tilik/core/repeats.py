"""Repeat groups: where their answers live, how expressions see them, how they are named.

A ``begin_repeat`` block is answered any number of times. Tilik stores a submission's answers
as one dict; a repeat's answers are a list under the repeat's name, one dict per instance,
holding the answers to the questions directly inside it and the lists of the repeats nested
in it::

    {"nama_unit": "Puskesmas Oesapa",
     "kegiatan": [{"judul": "Kelas layanan", "peserta": 12, "sesi": [{"jam": 2}, {"jam": 3}]},
                  {"judul": "Coaching", "peserta": 4, "sesi": []}]}

Flat names for one answer of an instance (form fields, columns of a "wide" export, the
cells of a quarantined row) follow XPath, 1-based: ``kegiatan[2]/peserta``,
``kegiatan[1]/sesi[2]/jam``.

Expressions are evaluated in a :class:`Scope`, as ODK does: inside an instance, ``${q}`` of a
sibling is that instance's answer; outside the repeat it is the answers across all instances
(a :class:`~tilik.core.xpath.NodeSet`, for ``count()``, ``sum()``, ``max()``…); ``${repeat}``
is the instances themselves (``count(${kegiatan})``); ``position(..)`` is the instance's
1-based position.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tilik.core.xlsform import Form, RepeatGroup
from tilik.core.xpath import POSITION, NodeSet

__all__ = [
    "Scope",
    "flat_key",
    "flatten",
    "instances",
    "nest",
    "parse_key",
]

_STEP = re.compile(r"([A-Za-z_][\w.\-]*)\[(\d+)\]")

MAX_INSTANCES = 500  # instances of one repeat a web form may add
Chain = tuple[tuple[str, Mapping[str, Any], int], ...]  # (repeat, instance, position), outer first


class _Index:
    """What the scope needs to know of a form, made once per form."""

    __slots__ = ("ancestors", "owner", "repeats")

    def __init__(self, form: Form) -> None:
        self.repeats = {r.name: r for r in form.repeats}
        # question or repeat name → the repeat that holds it ("" at the top level)
        self.owner: dict[str, str] = {}
        for question in form.all_data_questions():
            if question.repeat:
                self.owner[question.name] = question.repeat
        for repeat in form.repeats:
            self.owner.setdefault(repeat.name, repeat.parent)
        # repeat → its chain of repeats from the top level down to itself
        self.ancestors: dict[str, tuple[str, ...]] = {}
        for repeat in form.repeats:
            line = [repeat.name]
            parent = repeat.parent
            while parent:
                line.append(parent)
                parent = self.repeats[parent].parent if parent in self.repeats else ""
            self.ancestors[repeat.name] = tuple(reversed(line))


_INDEXES: dict[int, tuple[Form, _Index]] = {}


def _index(form: Form) -> _Index:
    found = _INDEXES.get(id(form))
    if found is None or found[0] is not form:
        found = (form, _Index(form))
        if len(_INDEXES) > 256:
            _INDEXES.clear()
        _INDEXES[id(form)] = found
    return found[1]


class Scope(Mapping[str, Any]):
    """The answers as an expression sees them from a place in the form.

    ``chain`` is the path of instances from the top level down to the current one (empty at
    the top level): ``(repeat name, instance dict, 1-based position)`` for each level.
    """

    __slots__ = ("_chain", "_index", "_inner", "_top")

    def __init__(self, form: Form, top: Mapping[str, Any], chain: Chain = ()) -> None:
        self._index = _index(form)
        self._top = top
        self._chain = chain
        self._inner = {name: (instance, position) for name, instance, position in chain}

    def child(self, repeat: str, instance: Mapping[str, Any], position: int) -> Scope:
        """The scope inside one instance of ``repeat``, a repeat directly below this place."""
        scope = Scope.__new__(Scope)
        scope._index = self._index
        scope._top = self._top
        scope._chain = (*self._chain, (repeat, instance, position))
        scope._inner = {**self._inner, repeat: (instance, position)}
        return scope

    @property
    def position(self) -> int | None:
        return self._chain[-1][2] if self._chain else None

    def get(self, name: str, default: Any = None) -> Any:
        owner = self._index.owner.get(name)
        if owner is None:  # a top-level question (or not a question at all)
            if name == POSITION:
                return self.position
            return self._top.get(name, default)
        is_repeat = name in self._index.repeats
        if not is_repeat and owner in self._inner:
            return self._inner[owner][0].get(name, default)
        # Outside the instance that holds it: every instance reachable from here.
        line = self._index.ancestors[name if is_repeat else owner]
        holders: list[Mapping[str, Any]] = [self._top]
        for step in line:
            if step in self._inner and step != name:  # ${rep} inside rep: all its siblings
                holders = [self._inner[step][0]]
                continue
            found: list[Mapping[str, Any]] = []
            for holder in holders:
                value = holder.get(step)
                if isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, Mapping))
            holders = found
        if is_repeat:
            return NodeSet(holders)
        return NodeSet(h.get(name) for h in holders)

    def __getitem__(self, name: str) -> Any:
        missing = object()
        value = self.get(name, missing)
        if value is missing:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._top)

    def __len__(self) -> int:
        return len(self._top)


def flat_key(chain: Chain | Sequence[tuple[str, int]], name: str) -> str:
    """``rep[2]/sub[1]/name`` for the answer ``name`` in the instance at ``chain``."""
    steps = [f"{step[0]}[{step[-1]}]" for step in chain]
    return "/".join([*steps, name])


def parse_key(key: str) -> tuple[list[tuple[str, int]], str] | None:
    """``("rep[2]/sub[1]/q")`` → ``([("rep", 2), ("sub", 1)], "q")``; None for a plain name.

    Group names before a repeat step (``grup/rep[2]/q``, as some exports write) are skipped.
    """
    if "[" not in key:
        return None
    parts = key.split("/")
    steps: list[tuple[str, int]] = []
    for part in parts[:-1]:
        match = _STEP.fullmatch(part)
        if match is not None:
            steps.append((match.group(1), int(match.group(2))))
        elif steps:
            continue  # a group inside the repeat
    if not steps or "[" in parts[-1]:
        return None
    return steps, parts[-1]


def nest(form: Form, data: Mapping[str, Any]) -> dict[str, Any]:
    """Flat names (``rep[2]/q``) gathered into the nested lists of instances.

    Keys that are not flat repeat names are kept as they are; ``_count:rep[1]/sub`` style
    counts (from a web form: instances left blank still count) make sure that many instances
    exist. Positions must be 1, 2, 3…; gaps are closed up in order.
    """
    index = _index(form)
    out: dict[str, Any] = {}
    slots: dict[tuple[tuple[str, int], ...], dict[str, Any]] = {}
    counts: dict[tuple[tuple[tuple[str, int], ...], str], int] = {}

    def holder(steps: list[tuple[str, int]]) -> dict[str, Any] | None:
        """The instance dict at ``steps``, made on the way down."""
        here: dict[str, Any] = out
        made: tuple[tuple[str, int], ...] = ()
        for name, position in steps:
            if name not in index.repeats:
                return None
            made = (*made, (name, position))
            slot = slots.get(made)
            if slot is None:
                slot = slots[made] = {}
                here.setdefault(name, {})
                if not isinstance(here[name], dict):
                    here[name] = {}
                here[name][position] = slot
            here = slot
        return here

    for key, value in data.items():
        if key.startswith("_count:"):
            # "_count:rep" or "_count:rep[2]/sub": how many instances the page showed
            where, _, name = key[len("_count:") :].rpartition("/")
            prefix = tuple(
                (m.group(1), int(m.group(2)))
                for part in where.split("/")
                if (m := _STEP.fullmatch(part)) is not None
            )
            text = value[0] if isinstance(value, list) and value else value
            with contextlib.suppress(ValueError):
                counts[(prefix, name)] = max(0, min(int(str(text)), MAX_INSTANCES))
            continue
        parsed = parse_key(key)
        if parsed is None:
            out[key] = value
            continue
        steps, name = parsed
        target_holder = holder(steps)
        if target_holder is None:
            out[key] = value
            continue
        target_holder[name] = value

    # outer counts first; a count for instances inside an instance that does not exist (a
    # hand-made request: the page never sends one) makes nothing
    for (prefix, name), count in sorted(counts.items(), key=lambda item: len(item[0][0])):
        if name not in index.repeats:
            continue
        if prefix and prefix not in slots:
            continue
        parent = holder(list(prefix)) if prefix else out
        if parent is None:
            continue
        existing = parent.setdefault(name, {})
        if isinstance(existing, dict):
            for position in range(1, count + 1):
                if position not in existing:
                    holder([*prefix, (name, position)])

    def close(node: dict[str, Any]) -> None:
        for key, value in list(node.items()):
            if key in index.repeats and isinstance(value, dict):
                node[key] = [value[p] for p in sorted(value)]
                for instance in node[key]:
                    close(instance)

    close(out)
    return out


def flatten(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`nest`: every answer of every instance under its flat name."""
    out: dict[str, Any] = {}
    repeats = {r.name for r in form.repeats}

    def walk(node: Mapping[str, Any], chain: list[tuple[str, int]]) -> None:
        for key, value in node.items():
            if key in repeats and isinstance(value, list):
                for position, instance in enumerate(value, start=1):
                    if isinstance(instance, Mapping):
                        walk(instance, [*chain, (key, position)])
            else:
                out[flat_key(chain, key) if chain else key] = value

    walk(answers, [])
    return out


def instances(
    form: Form, answers: Mapping[str, Any], parent: str = "", scope: Scope | None = None
) -> Iterator[tuple[RepeatGroup, Scope, Mapping[str, Any]]]:
    """Every instance of every repeat, outer before inner: ``(repeat, scope, instance)``.

    ``scope`` is the scope inside the instance (its position included).
    """
    scope = scope if scope is not None else Scope(form, answers)
    holder = answers if not scope._chain else scope._chain[-1][1]
    for repeat in form.child_repeats(parent):
        value = holder.get(repeat.name)
        if not isinstance(value, list):
            continue
        for position, instance in enumerate(value, start=1):
            if not isinstance(instance, Mapping):
                continue
            inner = scope.child(repeat.name, instance, position)
            yield repeat, inner, instance
            yield from instances(form, answers, repeat.name, inner)
