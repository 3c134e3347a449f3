"""The respondent's web form: what the page shows, and the server's check of what it sends.

Rendered from the instrument (:func:`form_items`); answers are checked on the server with
the same rules as imports (:func:`validate_answers`), whatever the browser did.

Repeat groups are shown as one block per repeat holding one fieldset per instance. Their
fields are named by flat keys (``kegiatan[2]/peserta``, see :mod:`tilik.core.repeats`), and
each block carries a hidden ``_count:<path>`` field with the number of instances it shows,
so that an instance left blank still counts. Without JavaScript the add and remove buttons
are submit buttons (``_add=<repeat path>``, ``_remove=<instance prefix>``) and the page comes
back with the instance added or removed (:func:`page_answers`); with JavaScript ``form.js``
does the same in the page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tilik.core.answertypes import COLLECTED_ELSEWHERE, check_answer, range_bounds
from tilik.core.i18n import gettext_noop, translate
from tilik.core.ingest import (
    CONSTRAINT_PROBLEM,
    REQUIRED_PROBLEM,
    RepeatIssue,
    check_repeats,
    convert_value,
)
from tilik.core.repeats import MAX_INSTANCES, Scope, instances, nest, parse_key
from tilik.core.xlsform import DEVICE_METADATA, Form, Group, Question, RepeatGroup
from tilik.core.xpath import (
    UNKNOWN,
    NodeSet,
    XPathError,
    compile_expression,
    evaluate,
    number_text,
    references,
    truthy,
)

__all__ = [
    "Item",
    "choice_filter_names",
    "dom_id",
    "expression_env",
    "Paging",
    "form_items",
    "form_pages",
    "key_pages",
    "page_answers",
    "page_of_key",
    "paging",
    "previous_answers",
    "scope_json",
    "validate_answers",
]

_SKIPPED_TYPES = (
    frozenset({"calculate", "hidden", "xml-external", "csv-external"}) | DEVICE_METADATA
)
_NOT_AVAILABLE = gettext_noop("Pilihan ini tidak tersedia.")
_WRITE_OTHER = gettext_noop("Tuliskan pilihan lainnya.")
_REQUIRED_HERE = gettext_noop("Pertanyaan ini wajib dijawab.")
_NOT_MET = gettext_noop("Jawaban tidak memenuhi syarat.")


@dataclass
class Item:
    """One thing on a respondent's page, in page order.

    ``kind`` is one of: ``begin``/``end`` (a group), ``note``, ``question``; for a repeat:
    ``repeat`` (the block opens, with its ``_count:`` field), ``instance``/``instance_end``
    (one instance's fieldset), ``instances_end``, ``template``/``template_end`` (a blank
    instance the browser clones to add one) and ``repeat_end`` (the add button).
    """

    kind: str
    name: str
    label: str = ""
    hint: str = ""
    question: Question | None = None
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # name, label, row JSON
    relevant: str = ""  # the compiled tree as JSON, for the browser
    constraint: str = ""
    choice_filter: str = ""
    constraint_message: str = ""
    required: bool = False
    input_type: str = "text"
    or_other: bool = False
    repeat: bool = False
    key: str = ""  # the field's name: the question's name, or its flat key in an instance
    dom_id: str = ""  # ``key`` made safe for ids (see :func:`dom_id`)
    where: str = ""  # the instances around it, for the error summary: "Kegiatan 2 › Sesi 1"
    path: str = ""  # repeat blocks: ``kegiatan`` or ``kegiatan[2]/sesi``
    prefix: str = ""  # instances: ``kegiatan[2]``
    position: int = 0
    count: int = 0  # repeat blocks: the instances shown
    fixed: bool = False  # repeat_count decides the instances: no add or remove buttons
    count_expression: str = ""  # repeat_count as a compiled tree (JSON), when not a number
    pristine: bool = False  # inside a template: never given values or errors
    autofocus: bool = False
    values: list[str] = field(default_factory=list)
    error: str = ""
    other_value: str = ""
    widget: str = ""  # "select", "input", "textarea", "range", "geopoint", "rank", "elsewhere"
    minimum: str = ""  # range: start, end, step
    maximum: str = ""
    step: str = ""
    choices_from: str = ""  # select from a previous repeat's answers: the question's key
    page: int = 0  # the page of a form of several pages it is on

    @property
    def rank_rows(self) -> list[tuple[int, str]]:
        """A rank question's places, each with the choice given to it (or "")."""
        return [
            (n, self.values[n - 1] if n <= len(self.values) else "")
            for n in range(1, len(self.choices) + 1)
        ]


def dom_id(key: str) -> str:
    """An element id for a flat key: ``kegiatan[2]/sesi[1]/jam`` → ``kegiatan:2:sesi:1:jam``.

    Question names never hold ``:``, so these ids cannot meet a top-level question's.
    """
    return key.replace("]/", ":").replace("[", ":").replace("]", "").replace("/", ":")


def _expression_json(text: str) -> str:
    if not text:
        return ""
    try:
        return json.dumps(compile_expression(text))
    except XPathError:
        return ""  # checked on the server only


def _label(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("id") or next(iter(labels.values()), "") or fallback


_INPUT_TYPES = {
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "text": "text",
    "time": "time",
    "datetime": "datetime-local",
    "range": "number",
}


# The page ---------------------------------------------------------------------------------


def _repeat_count(repeat: RepeatGroup, scope: Mapping[str, Any]) -> int | None:
    """The instances ``repeat_count`` asks for here; None when it is unset or unreadable."""
    text = repeat.count
    if not text:
        return None
    if text.isdigit():
        return min(int(text), MAX_INSTANCES)
    try:
        value = evaluate(text, scope)
    except XPathError:
        return None
    if isinstance(value, NodeSet):
        value = value[0] if value else ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if math.isnan(number) or math.isinf(number):
        return 0  # as ODK: a count not answered yet shows no instance
    return max(0, min(int(number), MAX_INSTANCES))


def _sized(instances: list[Any], count: int | None) -> list[Any]:
    if count is None:
        return instances
    return [*instances[:count], *({} for _ in range(count - len(instances)))]


class _Page:
    """Builds the items of one page, walking the survey tree with the answers shown."""

    def __init__(self, form: Form, lang: str, focus: str) -> None:
        self.form = form
        self.lang = lang
        self.focus = focus
        self.items: list[Item] = []
        self.focus_given = False

    def walk(
        self,
        nodes: list[Group | Question],
        chain: tuple[tuple[str, int], ...],
        holder: Mapping[str, Any],
        scope: Scope,
        where: tuple[str, ...],
        pristine: bool,
    ) -> None:
        for node in nodes:
            if isinstance(node, Question):
                self.question(node, chain, where, pristine)
            elif node.kind == "group":
                self.items.append(
                    Item(
                        "begin",
                        node.name,
                        _label(node.labels, self.lang, ""),
                        relevant=_expression_json(node.relevant),
                    )
                )
                self.walk(node.children, chain, holder, scope, where, pristine)
                self.items.append(Item("end", node.name))
            else:
                self.repeat(node, chain, holder, scope, where, pristine)

    def repeat(
        self,
        node: Group,
        chain: tuple[tuple[str, int], ...],
        holder: Mapping[str, Any],
        scope: Scope,
        where: tuple[str, ...],
        pristine: bool,
    ) -> None:
        name = node.name
        repeat = self.form.repeat(name)
        if repeat is None:  # a repeat without a name: its rows still show, once
            self.walk(node.children, chain, holder, scope, where, pristine)
            return
        label = _label(repeat.labels, self.lang, repeat.name)
        path = _path(chain, name)
        found = None if pristine else holder.get(name)
        instances: list[Any] = list(found) if isinstance(found, list) else [{}]
        fixed_number = repeat.count.isdigit()
        if repeat.count and (fixed_number or not pristine):
            instances = _sized(instances, _repeat_count(repeat, scope))
        self.items.append(
            Item(
                "repeat",
                name,
                label,
                relevant=_expression_json(node.relevant),
                repeat=True,
                path=path,
                dom_id=dom_id(path),
                count=len(instances),
                fixed=bool(repeat.count),
                count_expression="" if fixed_number else _expression_json(repeat.count),
                pristine=pristine,
            )
        )
        for position, instance in enumerate(instances, start=1):
            self.instance(node, repeat, label, chain, position, instance, scope, where, pristine)
        self.items.append(Item("instances_end", name, path=path))
        if not fixed_number:
            # The browser clones this blank instance to add one (nested repeats: one each).
            self.items.append(Item("template", name, path=path))
            self.instance(node, repeat, label, chain, 1, {}, scope, where, True)
            self.items.append(Item("template_end", name, path=path))
        self.items.append(
            Item("repeat_end", name, label, path=path, fixed=bool(repeat.count), repeat=True)
        )

    def instance(
        self,
        node: Group,
        repeat: RepeatGroup,
        label: str,
        chain: tuple[tuple[str, int], ...],
        position: int,
        instance: Any,
        scope: Scope,
        where: tuple[str, ...],
        pristine: bool,
    ) -> None:
        inner_chain = (*chain, (repeat.name, position))
        prefix = _path(chain, f"{repeat.name}[{position}]")
        values = instance if isinstance(instance, Mapping) else {}

        def boundary(kind: str) -> Item:
            return Item(
                kind,
                repeat.name,
                label,
                prefix=prefix,
                dom_id=dom_id(prefix),
                position=position,
                fixed=bool(repeat.count),
                pristine=pristine,
            )

        self.items.append(boundary("instance"))
        self.walk(
            node.children,
            inner_chain,
            values,
            scope.child(repeat.name, values, position),
            (*where, f"{label} {position}"),
            pristine,
        )
        self.items.append(boundary("instance_end"))

    def question(
        self,
        q: Question,
        chain: tuple[tuple[str, int], ...],
        where: tuple[str, ...],
        pristine: bool,
    ) -> None:
        if q.type in _SKIPPED_TYPES:
            return
        lang = self.lang
        key = _path(chain, q.key)
        label = _label(q.labels, lang, q.name)
        hint = _label(q.hints, lang, "") if q.hints else ""
        around = " › ".join(where)
        if q.type == "note" or q.type in COLLECTED_ELSEWHERE:
            self.items.append(
                Item(
                    "note",
                    q.name,
                    label,
                    hint,
                    q,
                    relevant=_expression_json(q.relevant),
                    pristine=pristine,
                    key=key,
                    dom_id=dom_id(key),
                    where=around,
                    widget="elsewhere" if q.type != "note" else "",
                )
            )
            return
        choices = [
            (
                c.name,
                _label(c.labels, lang, c.name),
                json.dumps(c.columns) if q.choice_filter else "",
            )
            for c in self.form.choices.get(q.list_name, [])
        ]
        autofocus = (
            bool(self.focus)
            and not pristine
            and not self.focus_given
            and (key == self.focus or key.startswith(self.focus + "/"))
        )
        self.focus_given = self.focus_given or autofocus
        item = Item(
            "question",
            q.name,
            label,
            hint,
            q,
            choices,
            relevant=_expression_json(q.relevant),
            constraint=_expression_json(q.constraint),
            choice_filter=_expression_json(q.choice_filter),
            constraint_message=_label(q.constraint_messages, lang, "")
            if q.constraint_messages
            else "",
            required=q.required,
            input_type=_INPUT_TYPES.get(q.type, "text"),
            or_other=q.or_other,
            pristine=pristine,
            autofocus=autofocus,
            key=key,
            dom_id=dom_id(key),
            where=around,
            widget=_widget(q),
        )
        if q.type == "range":
            start, end, step = range_bounds(q)
            item.minimum, item.maximum, item.step = (
                str(min(start, end)),
                str(max(start, end)),
                str(step),
            )
        if q.choices_from:
            source = self.form.question(q.choices_from)
            item.choices_from = source.key if source is not None else q.choices_from
        self.items.append(item)


def _widget(q: Question) -> str:
    if q.type in ("select_one", "select_multiple"):
        return "select"
    if q.type in ("range", "geopoint", "rank"):
        return q.type
    if q.type == "text" and "multiline" in q.appearance:
        return "textarea"
    return "input"


def _path(chain: Sequence[tuple[str, int]], name: str) -> str:
    return "/".join([*(f"{step}[{position}]" for step, position in chain), name])


def scope_json(form: Form) -> str:
    """What the browser needs to resolve ``${name}`` as :class:`~tilik.core.repeats.Scope`
    does: the repeat holding each question and repeat, and each repeat's parent."""
    owner = {q.key: q.repeat for q in form.all_data_questions() if q.repeat}
    parents = {r.name: r.parent for r in form.repeats}
    return json.dumps({"owner": owner, "parents": parents})


def _asks(node: Group | Question) -> bool:
    """Whether a node asks for an answer (a note or a calculation does not)."""
    if isinstance(node, Question):
        return node.type not in _SKIPPED_TYPES and node.type != "note"
    return any(_asks(child) for child in node.children)


def form_pages(form: Form) -> list[list[Group | Question]]:
    """The survey split into pages: each top-level group or repeat is a page, and so is each
    run of top-level questions between them. Notes and calculations before a page go on it
    (the last page, at the end)."""
    pages: list[list[Group | Question]] = []
    run: list[Group | Question] = []
    waiting: list[Group | Question] = []  # nodes that ask nothing, for the next page
    for node in form.body:
        if not _asks(node):
            waiting.append(node)
        elif isinstance(node, Group):
            if run:
                pages.append(run)
                run = []
            pages.append([*waiting, node])
            waiting = []
        else:
            run += [*waiting, node]
            waiting = []
    if run:
        pages.append(run)
    if waiting:
        if pages:
            pages[-1] += waiting
        else:
            pages.append(waiting)
    return pages


def _page_group(nodes: list[Group | Question]) -> Group | None:
    """The group a page asks, when it asks one group (its title and condition)."""
    asking = [n for n in nodes if _asks(n)]
    return asking[0] if len(asking) == 1 and isinstance(asking[0], Group) else None


def form_items(
    form: Form, lang: str, answers: Mapping[str, Any] | None = None, *, focus: str = ""
) -> list[Item]:
    """The page a respondent sees, in survey order, with labels in ``lang``.

    ``answers`` are the nested answers shown (:func:`page_answers`); they decide how many
    instances each repeat shows: as many as it holds, one when it holds nothing, or what
    its ``repeat_count`` says. ``focus`` names the question (``nip``) or the instance
    (``kegiatan[2]``) whose first field takes the focus when the page loads. A form of more
    than one page (:func:`form_pages`) has its items between ``page`` and ``page_end`` items.
    """
    answers = answers or {}
    page = _Page(form, lang, focus)
    scope = Scope(form, answers)
    pages = form_pages(form)
    for number, nodes in enumerate(pages):
        if len(pages) > 1:
            group = _page_group(nodes)
            page.items.append(
                Item(
                    "page",
                    str(number),
                    _label(group.labels, lang, "") if group is not None else "",
                    position=number,
                    relevant=_expression_json(group.relevant) if group is not None else "",
                )
            )
        start = len(page.items)
        page.walk(nodes, (), answers, scope, (), False)
        for item in page.items[start:]:
            item.page = number
        if len(pages) > 1:
            page.items.append(Item("page_end", str(number), position=number))
    return page.items


@dataclass
class Paging:
    """Where a respondent is in a form of several pages, as the server sees it (without
    JavaScript, each page is a request)."""

    count: int
    current: int = 0
    relevant: list[bool] = field(default_factory=list)

    @property
    def paged(self) -> bool:
        return self.count > 1

    def following(self) -> int | None:
        return next((n for n in range(self.current + 1, self.count) if self.relevant[n]), None)

    def preceding(self) -> int | None:
        return next((n for n in range(self.current - 1, -1, -1) if self.relevant[n]), None)

    @property
    def last(self) -> bool:
        return self.following() is None

    @property
    def first(self) -> bool:
        return self.preceding() is None

    @property
    def position(self) -> int:
        """The current page's number among the pages to fill, from 1."""
        return sum(1 for n in range(self.current + 1) if self.relevant[n])

    @property
    def total(self) -> int:
        return sum(self.relevant)


def paging(
    form: Form,
    current: int = 0,
    answers: Mapping[str, Any] | None = None,
    lang: str = "id",
) -> Paging:
    """The pages of ``form`` and which of them are asked, given the typed ``answers``
    (every page is, while nothing has been answered)."""
    pages = form_pages(form)
    relevant = [True] * len(pages)
    if answers is not None:  # a page is asked when anything on it that asks is relevant
        scope = Scope(form, dict(answers))
        env = expression_env(form, lang)
        for number, nodes in enumerate(pages):
            relevant[number] = any(
                _relevant(node.relevant, scope, env) or _undecided(node.relevant, answers)
                for node in nodes
                if _asks(node)
            )
    current = max(0, min(current, len(pages) - 1))
    relevant[current] = True  # the page one is on is shown, whatever its condition says
    return Paging(len(pages), current, relevant)


def _undecided(expression: str, answers: Mapping[str, Any]) -> bool:
    """Whether a condition reads only questions not answered yet: the page may still be
    asked (a consent question before it, say), so it counts until they are answered."""
    if not expression:
        return False
    try:
        names = references(compile_expression(expression))
    except XPathError:
        return False
    return bool(names) and all(answers.get(name) in (None, "", []) for name in names)


def key_pages(form: Form) -> dict[str, int]:
    """The page of each question (by key) and each top-level repeat (by name)."""
    found: dict[str, int] = {}

    def visit(node: Group | Question, number: int) -> None:
        if isinstance(node, Question):
            found.setdefault(node.key, number)
            return
        if node.kind == "repeat":
            found.setdefault(node.name, number)
        for child in node.children:
            visit(child, number)

    for number, nodes in enumerate(form_pages(form)):
        for node in nodes:
            visit(node, number)
    return found


def page_of_key(pages: Mapping[str, int], key: str) -> int:
    """The page an error's key is on: a question's key, an answer in an instance
    (``kegiatan[2]/peserta``: the page of its outermost repeat) or a repeat path."""
    if key in pages:
        return pages[key]
    parsed = parse_key(key)
    if parsed is not None and parsed[0]:
        return pages.get(parsed[0][0][0], 0)
    return pages.get(key.partition("[")[0], 0)


def _instance_list(form: Form, answers: dict[str, Any], path: str) -> list[Any] | None:
    """The list of instances at a repeat path (``kegiatan[2]/sesi``), made where missing.

    A repeat the answers say nothing about shows one instance, so it is made with one.
    None when the path does not name a repeat of the form (or an instance that exists).
    """
    parsed = parse_key(path)
    steps, name = parsed if parsed is not None else ([], path)
    holder: dict[str, Any] = answers
    parent = ""
    for step, position in [*steps, (name, 0)]:
        repeat = form.repeat(step)
        if repeat is None or repeat.parent != parent:
            return None
        found = holder.get(step)
        if not isinstance(found, list):
            found = holder[step] = [{}]
        if position == 0:
            return found
        if not 1 <= position <= len(found) or not isinstance(found[position - 1], dict):
            return None
        holder, parent = found[position - 1], step
    return None


def page_answers(
    form: Form, data: Mapping[str, Any], *, add: str = "", remove: str = ""
) -> tuple[dict[str, Any], str]:
    """The answers a re-shown page holds, from what it sent (flat keys and ``_count:``).

    ``add`` is a repeat path (``kegiatan`` or ``kegiatan[2]/sesi``) to add an instance to;
    ``remove`` an instance (``kegiatan[2]``) to take out, the later ones moving up. Returns
    the nested answers and the prefix of an added instance (to put the focus in), or "".
    """
    answers = nest(form, data)
    focus = ""
    if add:
        found = _instance_list(form, answers, add)
        repeat = form.repeat(add.rpartition("/")[2])
        if found is not None and repeat is not None and not repeat.count:
            if len(found) < MAX_INSTANCES:
                found.append({})
            focus = f"{add}[{len(found)}]"
    if remove:
        path, _, last = remove.rpartition("[")
        position = last.rstrip("]")
        found = _instance_list(form, answers, path) if position.isdigit() else None
        repeat = form.repeat(path.rpartition("/")[2])
        if (
            found is not None
            and repeat is not None
            and not repeat.count
            and 1 <= int(position) <= len(found)
        ):
            del found[int(position) - 1]
    return answers, focus


# Checking on the server ------------------------------------------------------------------


def _fix_counts(form: Form, holder: dict[str, Any], scope: Scope, parent: str = "") -> None:
    """Make each repeat with a ``repeat_count`` hold that many instances, as the page did."""
    for repeat in form.child_repeats(parent):
        wanted = _repeat_count(repeat, scope)
        found = holder.get(repeat.name)
        if wanted is not None:
            found = _sized(found if isinstance(found, list) else [], wanted)
            holder[repeat.name] = found
        if not isinstance(found, list):
            continue
        for position, instance in enumerate(found, start=1):
            if isinstance(instance, dict):
                _fix_counts(
                    form, instance, scope.child(repeat.name, instance, position), repeat.name
                )


def _issue_message(issue: RepeatIssue, lang: str) -> str:
    """What the page says about an answer in an instance: the same words as at the top."""
    question = issue.question
    if issue.message == REQUIRED_PROBLEM[0]:
        return translate(_REQUIRED_HERE, lang)
    if issue.message == CONSTRAINT_PROBLEM:
        return _label(question.constraint_messages, lang, "") or translate(_NOT_MET, lang)
    text = translate(issue.message, lang)
    if issue.expected and issue.message not in (_NOT_AVAILABLE, _WRITE_OTHER):
        text += f" ({translate(issue.expected, lang)})"
    return text


def _relevant(
    expression: str, answers: Mapping[str, Any], env: Mapping[str, Any] | None = None
) -> bool:
    if not expression:
        return True
    try:
        return truthy(evaluate(expression, answers, env=env))
    except XPathError:
        return True


def _first(raw: Any) -> str:
    if isinstance(raw, list):
        return str(raw[0]) if raw else ""
    return "" if raw is None else str(raw)


def _too_many_instances(form: Form, received: Mapping[str, Any], prefix: str = "") -> str:
    """The path of a repeat given more than :data:`MAX_INSTANCES` instances, or ""."""
    for repeat in form.repeats:
        listed = received.get(repeat.name)
        if not isinstance(listed, list):
            continue
        path = f"{prefix}{repeat.name}"
        if len(listed) > MAX_INSTANCES:
            return path
        for position, instance in enumerate(listed, start=1):
            if isinstance(instance, Mapping):
                found = _too_many_instances(form, instance, f"{path}[{position}]/")
                if found:
                    return found
    return ""


def validate_answers(
    form: Form,
    data: Mapping[str, Any],
    lang: str,
    *,
    started: datetime | None = None,
    now: datetime | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers and errors (field name → message in ``lang``), checked on the server.

    ``data`` maps names to strings, or to lists (select_multiple, or every field of a
    POST); answers inside repeats come as flat keys (``kegiatan[2]/peserta``) with
    ``_count:`` entries, or already as lists of instance dicts. Answers to questions that
    are not relevant are dropped, as XForms does; calculations are evaluated (their results
    stored as ODK stores them: text, ``NaN`` and ``Infinity`` included). A calculation Tilik
    cannot compute is left out, and no rule that depends on it refuses an answer. The device
    metadata a server knows is filled: ``start`` (``started``, when the page says when it
    was opened), ``end`` and ``today`` (``now``). Errors of answers inside an instance are
    keyed by their flat key. The answers returned hold each repeat as a list of instance
    dicts.
    """
    received = nest(form, data)
    too_many = _too_many_instances(form, received)
    if too_many:  # never from the page (it stops at the limit): refused before any work
        message = translate(gettext_noop("Terlalu banyak isian (paling banyak {n})."), lang)
        return {}, {too_many: message.format(n=MAX_INSTANCES)}
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    env = expression_env(form, lang)
    for q in form.data_questions():
        if q.type in _SKIPPED_TYPES or q.type in COLLECTED_ELSEWHERE:
            continue
        raw = received.get(q.key)
        value, message, expected = _typed(q, raw, form)
        if message:
            errors[q.key] = translate(message, lang) + (
                f" ({translate(expected, lang)})" if expected else ""
            )
            continue
        answers[q.key] = value
        if (
            q.or_other
            and value is not None
            and (value == "other" or (isinstance(value, list) and "other" in value))
        ):
            answers[f"{q.key}_other"] = _first(received.get(f"{q.key}_other")).strip()
    _fill_metadata(form, answers, started, now)
    for repeat in form.child_repeats(""):
        if isinstance(received.get(repeat.name), list):
            answers[repeat.name] = received[repeat.name]
    scope = Scope(form, answers)  # reads ``answers`` as it changes below
    _fix_counts(form, answers, scope)
    _calculate(form, answers, scope, env)  # instances' rules may read them
    for issue in check_repeats(
        form, answers, choice_filter=lambda q, inner: choice_filter_names(form, q, inner)
    ):
        if issue.question.type in COLLECTED_ELSEWHERE:
            continue  # never asked on a web page: ODK Collect fills it
        errors.setdefault(issue.key, _issue_message(issue, lang))
    _calculate(form, answers, scope, env)  # … and they may read the instances' answers
    for q in form.data_questions():
        if q.type == "calculate" or q.key in errors or q.key not in answers:
            continue
        if q.type in DEVICE_METADATA:
            continue
        # q.relevant already holds the conditions of the groups around q (see xlsform).
        if not _relevant(q.relevant, scope, env):
            answers.pop(q.key, None)
            answers.pop(f"{q.key}_other", None)
            continue
        value = answers.get(q.key)
        if value is None or value == "" or value == []:
            if q.required:
                errors[q.key] = translate(_REQUIRED_HERE, lang)
            continue
        if q.constraint:
            try:
                passed = truthy(evaluate(q.constraint, scope, current=value, env=env))
            except XPathError:
                passed = True  # Tilik cannot say; ODK Collect would check it
            if not passed:
                errors[q.key] = _label(q.constraint_messages, lang, "") or translate(_NOT_MET, lang)
        if q.choices_from:
            allowed = set(previous_answers(form, q, scope))
            if value not in allowed:
                errors[q.key] = translate(_NOT_AVAILABLE, lang)
                continue
        elif q.choice_filter and q.is_select:
            allowed = set(choice_filter_names(form, q, scope))
            picked = value if isinstance(value, list) else [value]
            if any(p not in allowed and p != "other" for p in picked):
                errors[q.key] = translate(_NOT_AVAILABLE, lang)
                continue
        if q.or_other and answers.get(f"{q.key}_other") == "":
            errors[q.key] = translate(_WRITE_OTHER, lang)
    for q in form.data_questions():  # what no rule could read is not stored
        if answers.get(q.key) is UNKNOWN:
            answers.pop(q.key)
    return answers, errors


def _typed(q: Question, raw: Any, form: Form) -> tuple[Any, str | None, str]:
    if q.choices_from:  # choices are earlier answers: checked against them below
        text = _first(raw).strip()
        return (text or None), None, ""
    special = check_answer(q, raw if isinstance(raw, list) else _first(raw), form)
    if special is not None:
        return special
    if q.type == "select_multiple":
        picked = raw if isinstance(raw, list) else ([raw] if raw else [])
        text = " ".join(str(p) for p in picked)
    else:
        text = _first(raw)
    return convert_value(q, text, form)


def _fill_metadata(
    form: Form, answers: dict[str, Any], started: datetime | None, now: datetime | None
) -> None:
    """``start``, ``end`` and ``today``: what a server knows of the phone's metadata."""
    moment = now or datetime.now(UTC)
    for q in form.data_questions():
        if q.type == "end":
            answers[q.key] = moment.isoformat(timespec="seconds")
        elif q.type == "start":
            first = started if started is not None and started <= moment else moment
            answers[q.key] = first.isoformat(timespec="seconds")
        elif q.type == "today":
            answers[q.key] = moment.date().isoformat()


def _stored(value: Any) -> Any:
    """A calculation's result as ODK stores it: text (``3``, ``2.5``, ``NaN``, ``true``)."""
    if isinstance(value, NodeSet):
        value = value[0] if value else ""
        if isinstance(value, Mapping):
            return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return value


def _calculation_order(questions: list[Question]) -> list[Question]:
    """Calculations ordered so that each comes after those it reads (ODK evaluates in
    dependency order); the members of a cycle keep the form's order."""
    by_key = {q.name: q for q in questions}
    reads: dict[str, set[str]] = {}
    for q in questions:
        try:
            reads[q.name] = references(compile_expression(q.calculation)) & set(by_key)
        except XPathError:
            reads[q.name] = set()
    ordered: list[Question] = []
    done: set[str] = set()
    pending = list(questions)
    while pending:
        ready = [q for q in pending if reads[q.name] <= done | {q.name}]
        if not ready:  # a cycle: take the first in form order
            ready = [pending[0]]
        for q in ready:
            ordered.append(q)
            done.add(q.name)
        pending = [q for q in pending if q.name not in done]
    return ordered


def _calculate(form: Form, answers: dict[str, Any], scope: Scope, env: Mapping[str, Any]) -> None:
    calculations = [q for q in form.data_questions() if q.type == "calculate" and q.calculation]
    for q in _calculation_order(calculations):
        try:
            answers[q.key] = _stored(evaluate(q.calculation, scope, env=env))
        except XPathError:
            answers[q.key] = UNKNOWN


def expression_env(form: Form, lang: str) -> dict[str, Any]:
    """What expressions of ``form`` may look up besides the answers (see
    :func:`tilik.core.xpath.evaluate`): choice lists, choice labels in ``lang``, version."""
    labels = {
        q.name: {c.name: _label(c.labels, lang, c.name) for c in form.choices.get(q.list_name, [])}
        for q in form.questions
        if q.list_name
    }
    lists = {
        list_name: [
            {"name": c.name, "label": _label(c.labels, lang, c.name), **c.columns} for c in choices
        ]
        for list_name, choices in form.choices.items()
    }
    return {"choice_labels": labels, "instances": lists, "version": form.version}


def previous_answers(form: Form, question: Question, scope: Mapping[str, Any]) -> list[str]:
    """The choices of ``select_one ${q}``: the answers to ``q`` in the instances of its
    repeat, those a ``choice_filter`` keeps (evaluated in each instance)."""
    source = form.question(question.choices_from)
    if source is None:
        return []
    found: list[str] = []
    if source.repeat and isinstance(scope, Scope):
        for repeat, inner, instance in instances(form, dict(scope._top)):
            if repeat.name != source.repeat:
                continue
            value = instance.get(source.key)
            if value in (None, "") or isinstance(value, list | dict):
                continue
            if question.choice_filter:
                try:
                    if not truthy(evaluate(question.choice_filter, inner)):
                        continue
                except XPathError:
                    pass
            text = _stored(value) if not isinstance(value, str) else value
            if text not in found:
                found.append(str(text))
        return found
    value = scope.get(source.key)
    return [str(_stored(value))] if value not in (None, "") else []


def choice_filter_names(form: Form, question: Question, answers: Mapping[str, Any]) -> list[str]:
    """The choices a ``choice_filter`` leaves, given the answers so far (or a :class:`Scope`)."""
    names = []
    for choice in form.choices.get(question.list_name, []):
        row = {"name": choice.name, **choice.columns}
        try:
            keep = truthy(evaluate(question.choice_filter, answers, names=row))
        except XPathError:
            keep = True
        if keep and choice.name:
            names.append(choice.name)
    return names
