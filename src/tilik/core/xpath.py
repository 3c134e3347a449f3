"""A small, safe evaluator of the XLSForm expression subset used in practice.

XLSForms write ``relevant``, ``constraint``, ``calculation`` and ``choice_filter`` in XPath
1.0 with ODK extensions. Real forms use a small part of it: question references (``${q}``),
the current answer (``.``), comparisons, ``and``/``or``/``not()``, arithmetic, and a handful
of functions. This module parses that subset into a tree of plain lists (JSON-friendly, so the
browser can evaluate the same tree) and evaluates it against a dict of answers. It never calls
:func:`eval`; an unknown construct is a :class:`XPathError`, raised when the form is read.

Values follow XForms: answers are strings (a select_multiple is its space-separated choice
names), numbers are floats, an empty answer compares as NaN (so ``${age} > 18`` is false
while ``${age}`` is unanswered).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

__all__ = [
    "POSITION",
    "NodeSet",
    "XPathError",
    "compile_expression",
    "compile_function",
    "compile_memoized",
    "evaluate",
    "references",
    "truthy",
]

Node = list[Any]

_EPOCH = date(1970, 1, 1)
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
    | (?P<num>\d+(?:\.\d*)?|\.\d+)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<dotdot>\.\.)
    | (?P<dot>\.)
    | (?P<name>[A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)
    )""",
    re.VERBOSE,
)
_WORD_OPS = {"and", "or", "div", "mod"}
POSITION = "..position"  # the key under which a scope gives the position of its instance


class NodeSet(tuple[Any, ...]):
    """The answers of one question across the instances of a repeat (or the instances
    themselves): what ``${q}`` means outside the repeat that holds ``q``.

    As in XPath 1.0, a node-set compares true when any of its members does, and stands for
    its first member where one value is needed (``string()``, ``number()``).
    """

    __slots__ = ()


class XPathError(ValueError):
    """An expression outside the supported subset, or malformed."""


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise XPathError(
                f"unexpected character at {position}: {text[position : position + 10]!r}"
            )
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            tokens.append(("ref", match.group("refname")))
        elif kind == "str":
            tokens.append(("str", match.group("str")[1:-1]))
        elif kind == "name":
            word = match.group("name")
            prev = tokens[-1] if tokens else None
            # "div", "and"... are operators only where an operator may stand (after a value).
            operand_before = prev is not None and (
                prev[0] in ("ref", "num", "str", "dot", "name") or prev == ("op", ")")
            )
            if word in _WORD_OPS and operand_before:
                tokens.append(("op", word))
            else:
                tokens.append(("name", word))
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise XPathError("unexpected end of expression")
        self.index += 1
        return token

    def accept_op(self, *ops: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in ops:
            self.index += 1
            return token[1]
        return None

    def expect_op(self, op: str) -> None:
        if self.accept_op(op) is None:
            raise XPathError(f"expected {op!r}")

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise XPathError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def binary(self, ops: tuple[str, ...], lower: Callable[[], Node]) -> Node:
        node = lower()
        while (op := self.accept_op(*ops)) is not None:
            node = ["bin", op, node, lower()]
        return node

    def or_expr(self) -> Node:
        return self.binary(("or",), self.and_expr)

    def and_expr(self) -> Node:
        return self.binary(("and",), self.equality)

    def equality(self) -> Node:
        return self.binary(("=", "!="), self.relational)

    def relational(self) -> Node:
        return self.binary(("<", "<=", ">", ">="), self.additive)

    def additive(self) -> Node:
        return self.binary(("+", "-"), self.multiplicative)

    def multiplicative(self) -> Node:
        return self.binary(("*", "div", "mod"), self.unary)

    def unary(self) -> Node:
        if self.accept_op("-") is not None:
            return ["neg", self.unary()]
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return ["num", float(value)]
        if kind == "str":
            return ["str", value]
        if kind == "ref":
            return ["ref", value]
        if kind == "dot":
            return ["self"]
        if kind == "dotdot":
            return ["parent"]
        if kind == "op" and value == "(":
            node = self.or_expr()
            self.expect_op(")")
            return node
        if kind == "name":
            if self.accept_op("(") is not None:
                args: list[Node] = []
                if self.accept_op(")") is None:
                    args.append(self.or_expr())
                    while self.accept_op(",") is not None:
                        args.append(self.or_expr())
                    self.expect_op(")")
                if value not in _FUNCTIONS:
                    raise XPathError(f"unsupported function {value}()")
                return ["call", value, args]
            return ["name", value]  # a column of the choices sheet, in a choice_filter
        raise XPathError(f"unexpected {value!r}")


@lru_cache(maxsize=4096)
def _compile_cached(text: str) -> tuple[Any, ...]:
    return tuple(_Parser(_tokenize(text)).parse())


def compile_expression(text: str) -> Node:
    """Parse ``text`` into a tree of lists (``["bin", "and", left, right]`` …).

    Raises
    ------
    XPathError
        When the expression is malformed or uses an unsupported construct.
    """
    if not text or not text.strip():
        raise XPathError("empty expression")
    return list(_compile_cached(text.strip()))


def references(node: Node) -> set[str]:
    """The question names an expression refers to with ``${name}``."""
    found: set[str] = set()
    if node[0] == "ref":
        found.add(node[1])
    for part in node[1:]:
        if isinstance(part, list):
            if part and isinstance(part[0], str):
                found |= references(part)
            else:
                for child in part:
                    if isinstance(child, list):
                        found |= references(child)
    return found


# Values ---------------------------------------------------------------------------------


def _as_value(value: Any) -> Any:
    """An answer as XForms sees it: a string, a number or a boolean."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int or kind is float:
        return float(value)
    if value is None:
        return ""
    if kind is NodeSet:
        return NodeSet(_as_value(v) if type(v) is not dict else "" for v in value)
    if isinstance(value, bool | float | int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(value: Any) -> float:
    if type(value) is NodeSet:
        return _number(value[0]) if value else math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        moment = _date_of(text)
        return float((moment - _EPOCH).days) if moment is not None else math.nan


def _date_of(text: str) -> date | None:
    if len(text) < 10 or text[4] != "-":
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _string(value: Any) -> str:
    if type(value) is NodeSet:
        return _string(value[0]) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def truthy(value: Any) -> bool:
    """XPath ``boolean()``: non-zero numbers, non-empty strings, true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return bool(value)


def _compare(op: str, left: Any, right: Any) -> bool:
    if type(left) is NodeSet:
        return any(_compare(op, member, right) for member in left)
    if type(right) is NodeSet:
        return any(_compare(op, left, member) for member in right)
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = truthy(left) == truthy(right)
        elif isinstance(left, float) or isinstance(right, float):
            a, b = _number(left), _number(right)
            equal = a == b
        else:
            equal = _string(left) == _string(right)
        return equal if op == "=" else not equal
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _arith(op: str, left: Any, right: Any) -> float:
    a, b = _number(left), _number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
        return a / b
    if b == 0 or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


# Functions ------------------------------------------------------------------------------


def _selected(args: list[Any], ctx: _Context) -> Any:
    return _string(args[1]).strip() in _string(args[0]).split()


def _regex(args: list[Any], ctx: _Context) -> Any:
    pattern = _string(args[1])
    try:
        return re.search(pattern, _string(args[0])) is not None
    except re.error as exc:
        raise XPathError(f"bad regex {pattern!r}") from exc


def _if(args: list[Any], ctx: _Context) -> Any:
    return args[1] if truthy(args[0]) else args[2]


def _round(args: list[Any], ctx: _Context) -> Any:
    number = _number(args[0])
    places = int(_number(args[1])) if len(args) > 1 else 0
    if math.isnan(number):
        return number
    factor = 10.0**places
    return math.floor(number * factor + 0.5) / factor


def _coalesce(args: list[Any], ctx: _Context) -> Any:
    return args[0] if _string(args[0]) != "" else args[1]


def _members(value: Any) -> list[Any]:
    """The values a function over a node-set sees: the members, or the one value."""
    if type(value) is NodeSet:
        return list(value)
    return [] if value == "" else [value]


def _count(args: list[Any], ctx: _Context) -> Any:
    return float(len(args[0]) if type(args[0]) is NodeSet else (args[0] != ""))


def _sum(args: list[Any], ctx: _Context) -> Any:
    numbers = [_number(v) for v in _members(args[0]) if _string(v) != ""]
    return float(math.fsum(numbers)) if numbers else 0.0


def _position(args: list[Any], ctx: _Context) -> Any:
    position = ctx.answers.get(POSITION)
    return float(position) if position is not None else math.nan


def _indexed_repeat(args: list[Any], ctx: _Context) -> Any:
    members = _members(args[0])
    index = _number(args[2]) if len(args) > 2 else math.nan
    if math.isnan(index) or not 1 <= index <= len(members):
        return ""
    return members[int(index) - 1]


def _join(args: list[Any], ctx: _Context) -> Any:
    separator = _string(args[0])
    return separator.join(_string(v) for part in args[1:] for v in _members(part))


def _today(args: list[Any], ctx: _Context) -> Any:
    return ctx.today.isoformat()


def _now(args: list[Any], ctx: _Context) -> Any:
    return datetime.combine(ctx.today, datetime.now().time()).isoformat(timespec="seconds")


def _date(args: list[Any], ctx: _Context) -> Any:
    value = args[0]
    if isinstance(value, float):
        return (_EPOCH + timedelta(days=int(value))).isoformat() if not math.isnan(value) else ""
    return _string(value)[:10]


def _int(args: list[Any], ctx: _Context) -> Any:
    number = _number(args[0])
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


_FUNCTIONS: dict[str, Callable[[list[Any], _Context], Any]] = {
    "selected": _selected,
    "count-selected": lambda a, c: float(len(_string(a[0]).split())),
    "string-length": lambda a, c: float(len(_string(a[0]))),
    "regex": _regex,
    "today": _today,
    "now": _now,
    "if": _if,
    "not": lambda a, c: not truthy(a[0]),
    "true": lambda a, c: True,
    "false": lambda a, c: False,
    "boolean": lambda a, c: truthy(a[0]),
    "number": lambda a, c: _number(a[0]),
    "string": lambda a, c: _string(a[0]),
    "int": _int,
    "round": _round,
    "floor": lambda a, c: float(math.floor(_number(a[0]))),
    "ceiling": lambda a, c: float(math.ceil(_number(a[0]))),
    "abs": lambda a, c: abs(_number(a[0])),
    "concat": lambda a, c: "".join(_string(v) for v in a),
    "contains": lambda a, c: _string(a[1]) in _string(a[0]),
    "starts-with": lambda a, c: _string(a[0]).startswith(_string(a[1])),
    "ends-with": lambda a, c: _string(a[0]).endswith(_string(a[1])),
    "substr": lambda a, c: _string(a[0])[
        int(_number(a[1])) : (int(_number(a[2])) if len(a) > 2 else None)
    ],
    "coalesce": _coalesce,
    "date": _date,
    "decimal-date-time": lambda a, c: _number(a[0]),
    "min": lambda a, c: min((_number(v) for p in a for v in _members(p)), default=math.nan),
    "max": lambda a, c: max((_number(v) for p in a for v in _members(p)), default=math.nan),
    "count": _count,
    "sum": _sum,
    "position": _position,
    "indexed-repeat": _indexed_repeat,
    "join": _join,
}
_ARITY = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "regex": (2, 2),
    "today": (0, 0),
    "now": (0, 0),
    "if": (3, 3),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "coalesce": (2, 2),
    "round": (1, 2),
    "substr": (2, 3),
    "count": (1, 1),
    "sum": (1, 1),
    "position": (0, 1),
    "indexed-repeat": (3, 3),
    "join": (2, 99),
}


class _Context:
    __slots__ = ("_today", "answers", "current", "names")

    def __init__(
        self,
        answers: Mapping[str, Any],
        current: Any,
        names: Mapping[str, Any] | None,
        today: date | None,
    ) -> None:
        self.answers = answers
        self.current = current
        self.names = names
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()


def _eval(node: Node, ctx: _Context) -> Any:
    kind = node[0]
    if kind == "ref":
        return _as_value(ctx.answers.get(node[1]))
    if kind == "self":
        return _as_value(ctx.current)
    if kind == "parent":
        return ""  # only meaningful as the argument of position(..)
    if kind == "str":
        return node[1]
    if kind == "num":
        return node[1]
    if kind == "bin":
        op = node[1]
        if op == "and":
            return truthy(_eval(node[2], ctx)) and truthy(_eval(node[3], ctx))
        if op == "or":
            return truthy(_eval(node[2], ctx)) or truthy(_eval(node[3], ctx))
        left, right = _eval(node[2], ctx), _eval(node[3], ctx)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, left, right)
        return _arith(op, left, right)
    if kind == "neg":
        return -_number(_eval(node[1], ctx))
    if kind == "call":
        name, arg_nodes = node[1], node[2]
        low, high = _ARITY.get(name, (0, 99))
        if not low <= len(arg_nodes) <= high:
            raise XPathError(f"{name}() takes {low}–{high} arguments, got {len(arg_nodes)}")
        if name == "if":  # lazy, like a conditional should be
            chosen = arg_nodes[1] if truthy(_eval(arg_nodes[0], ctx)) else arg_nodes[2]
            return _eval(chosen, ctx)
        return _FUNCTIONS[name]([_eval(a, ctx) for a in arg_nodes], ctx)
    if kind == "name":
        if ctx.names is None or node[1] not in ctx.names:
            raise XPathError(f"unknown name {node[1]!r}")
        return _as_value(ctx.names[node[1]])
    raise XPathError(f"unknown node {kind!r}")


def evaluate(
    expression: str | Node,
    answers: Mapping[str, Any],
    *,
    current: Any = None,
    names: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Any:
    """Evaluate an expression (text or a compiled tree) against ``answers``.

    Parameters
    ----------
    expression
        XLSForm expression text, or the tree from :func:`compile_expression`.
    answers
        Answers by question name (``${name}``); lists are select_multiple answers.
    current
        The value ``.`` stands for (the answer a constraint checks).
    names
        Bare names (the columns of a choice row, in a ``choice_filter``).
    today
        The date ``today()`` returns; the real date when not given.

    Returns
    -------
    str | float | bool
        Use :func:`truthy` for relevant, constraint and choice filters.
    """
    node = compile_expression(expression) if isinstance(expression, str) else expression
    return _eval(node, _Context(answers, current, names, today))


# Closures: the same semantics as _eval, compiled once, for rules checked on every row ----

Evaluator = Callable[[_Context], Any]


def _closure(node: Node) -> Evaluator:
    kind = node[0]
    if kind == "ref":
        name = node[1]
        return lambda ctx: _as_value(ctx.answers.get(name))
    if kind == "self":
        return lambda ctx: _as_value(ctx.current)
    if kind == "parent":
        return lambda ctx: ""
    if kind in ("str", "num"):
        constant = node[1]
        return lambda ctx: constant
    if kind == "neg":
        inner = _closure(node[1])
        return lambda ctx: -_number(inner(ctx))
    if kind == "bin":
        op, left, right = node[1], _closure(node[2]), _closure(node[3])
        if op == "and":
            return lambda ctx: truthy(left(ctx)) and truthy(right(ctx))
        if op == "or":
            return lambda ctx: truthy(left(ctx)) or truthy(right(ctx))
        if op in ("<", "<=", ">", ">=") and node[3][0] == "num":
            return _relational_constant(op, left, node[3][1])
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return lambda ctx: _compare(op, left(ctx), right(ctx))
        return lambda ctx: _arith(op, left(ctx), right(ctx))
    if kind == "call":
        name, arg_nodes = node[1], node[2]
        low, high = _ARITY.get(name, (0, 99))
        if not low <= len(arg_nodes) <= high:
            raise XPathError(f"{name}() takes {low}–{high} arguments, got {len(arg_nodes)}")
        args = [_closure(a) for a in arg_nodes]
        if name == "if":
            test, yes, no = args
            return lambda ctx: yes(ctx) if truthy(test(ctx)) else no(ctx)
        function = _FUNCTIONS[name]
        return lambda ctx: function([a(ctx) for a in args], ctx)
    if kind == "name":
        bare = node[1]

        def lookup(ctx: _Context) -> Any:
            if ctx.names is None or bare not in ctx.names:
                raise XPathError(f"unknown name {bare!r}")
            return _as_value(ctx.names[bare])

        return lookup
    raise XPathError(f"unknown node {kind!r}")


_RELATIONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _relational_constant(op: str, left: Evaluator, constant: float) -> Evaluator:
    """``. >= 18``, the commonest constraint, without the general comparison's dispatch."""
    relation = _RELATIONS[op]

    def compare(ctx: _Context) -> bool:
        value = _number(left(ctx))
        return value == value and relation(value, constant)  # NaN never compares

    return compare


@lru_cache(maxsize=4096)
def compile_function(text: str) -> Callable[..., Any]:
    """``text`` compiled once into a function ``f(answers, current=None, names=None, today=None)``.

    Same results as :func:`evaluate`, several times faster when a rule is checked on every
    row of a large import.
    """
    body = _closure(compile_expression(text))

    def run(
        answers: Mapping[str, Any],
        current: Any = None,
        names: Mapping[str, Any] | None = None,
        today: date | None = None,
    ) -> Any:
        return body(_Context(answers, current, names, today))

    return run


_IMPURE_CALLS = frozenset({"today", "now", "position"})


def _memo_inputs(node: Node) -> tuple[tuple[str, ...], bool, bool]:
    """What an expression's value depends on: ``(referenced names, uses ., pure)``.

    Not pure: a call to ``today()``/``now()`` (the clock) or a bare name (a choice row).
    """
    names: set[str] = set()
    uses_self = False
    pure = True

    def walk(part: Any) -> None:
        nonlocal uses_self, pure
        if not isinstance(part, list) or not part:
            return
        if not isinstance(part[0], str):  # the argument list of a call
            for item in part:
                walk(item)
            return
        kind = part[0]
        if kind == "ref":
            names.add(part[1])
        elif kind == "self":
            uses_self = True
        elif kind == "name" or (kind == "call" and part[1] in _IMPURE_CALLS):
            pure = False
        for child in part[1:]:
            walk(child)

    walk(node)
    return tuple(sorted(names)), uses_self, pure


def _memo_key(value: Any) -> Any:
    """A hashable key for an answer that tells apart whatever :func:`_as_value` tells apart.

    Evaluation sees an answer only through ``_as_value`` (a string, a float or a boolean).
    Strings and integers are their own keys (they never compare equal to each other); other
    values go by the type and ``repr`` of what evaluation sees, since ``1.0 == True`` and
    ``0.0 == -0.0`` as keys.
    """
    kind = type(value)
    if kind is str or kind is int:
        return value
    seen = _as_value(value)
    return (type(seen), repr(seen))


@lru_cache(maxsize=4096)
def compile_memoized(text: str, limit: int = 4096) -> Callable[..., Any]:
    """:func:`compile_function`, remembering results per distinct referenced answers.

    A rule such as ``. >= 18 and . <= 65`` or ``${ikut} = 'tidak'`` depends only on a few
    answers that take few distinct values across the rows of an import, so most rows are a
    dictionary look-up instead of an evaluation. Expressions that read the clock
    (``today()``, ``now()``) or bare names are evaluated every time. At most ``limit`` results
    are kept per expression; errors are never remembered.
    """
    function = compile_function(text)
    names, uses_self, pure = _memo_inputs(compile_expression(text))
    if not pure:
        return function
    memo: dict[Any, Any] = {}
    key = _memo_key
    miss = object()

    def remember(memo_key: Any, answers: Mapping[str, Any], current: Any, today: Any) -> Any:
        found = function(answers, current, None, today)
        if len(memo) < limit:
            memo[memo_key] = found
        return found

    if uses_self and not names:  # a constraint on the answer alone: ". >= 18 and . <= 65"

        def run_self(
            answers: Mapping[str, Any],
            current: Any = None,
            names_: Mapping[str, Any] | None = None,
            today: date | None = None,
        ) -> Any:
            if names_ is not None:
                return function(answers, current, names_, today)
            memo_key = key(current)
            found = memo.get(memo_key, miss)
            return remember(memo_key, answers, current, today) if found is miss else found

        return run_self
    if len(names) == 1 and not uses_self:  # a relevance on one answer: "${ikut} = 'tidak'"
        only = names[0]

        def run_one(
            answers: Mapping[str, Any],
            current: Any = None,
            names_: Mapping[str, Any] | None = None,
            today: date | None = None,
        ) -> Any:
            if names_ is not None:
                return function(answers, current, names_, today)
            memo_key = key(answers.get(only))
            found = memo.get(memo_key, miss)
            return remember(memo_key, answers, current, today) if found is miss else found

        return run_one

    def run(
        answers: Mapping[str, Any],
        current: Any = None,
        names_: Mapping[str, Any] | None = None,
        today: date | None = None,
    ) -> Any:
        if names_ is not None:
            return function(answers, current, names_, today)
        get = answers.get
        parts = tuple([key(get(name)) for name in names])
        memo_key = (key(current), parts) if uses_self else parts
        found = memo.get(memo_key, miss)
        return remember(memo_key, answers, current, today) if found is miss else found

    return run
