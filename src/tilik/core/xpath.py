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

import base64
import hashlib
import math
import operator
import re
import secrets
import string
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

__all__ = [
    "LAST",
    "MAX_DEPTH",
    "POSITION",
    "UNKNOWN",
    "NodeSet",
    "XPathError",
    "compile_expression",
    "compile_function",
    "compile_memoized",
    "compile_regex",
    "evaluate",
    "number_text",
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
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\[|\]|/)
    | (?P<dotdot>\.\.)
    | (?P<dot>\.)
    | (?P<name>[A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)
    )""",
    re.VERBOSE,
)
_WORD_OPS = {"and", "or", "div", "mod"}
POSITION = "..position"  # the key under which a scope gives the position of its instance
LAST = "..last"  # … and the size of the list a filter runs over


class NodeSet(tuple[Any, ...]):
    """The answers of one question across the instances of a repeat (or the instances
    themselves): what ``${q}`` means outside the repeat that holds ``q``.

    As in XPath 1.0, a node-set compares true when any of its members does, and stands for
    its first member where one value is needed (``string()``, ``number()``).
    """

    __slots__ = ()


class XPathError(ValueError):
    """An expression outside the supported subset, or malformed."""


class _Unknown:
    """The value of a calculation Tilik could not compute (a function it does not have, a
    file the form does not carry). An expression that reads it raises :class:`XPathError`,
    which every caller takes as "cannot say": a constraint passes, a question stays shown."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


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

    def path(self, base: Node) -> Node:
        """``instance('list')/root/item[filter]/column``: steps into a choice list."""
        steps: list[Node] = []
        while True:
            if self.accept_op("/") is not None:
                kind, value = self.take()
                if kind != "name":
                    raise XPathError(f"expected a name after '/', not {value!r}")
                steps.append(["child", value])
            elif self.accept_op("[") is not None:
                steps.append(["filter", self.or_expr()])
                self.expect_op("]")
            else:
                break
        if not steps:
            return base
        return ["path", base, steps]

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
                low, high = _ARITY.get(value, (0, 99))
                if not low <= len(args) <= high:
                    raise XPathError(f"{value}() takes {low}–{high} arguments, got {len(args)}")
                if value == "instance":
                    return self.path(["call", value, args])
                return ["call", value, args]
            return ["name", value]  # a column of the choices sheet, in a choice_filter
        raise XPathError(f"unexpected {value!r}")


MAX_DEPTH = 100  # brackets and calls nested in an expression
MAX_TREE_DEPTH = 250  # depth of its tree (a sum of 250 answers), which evaluation recurses
MAX_LENGTH = 20_000  # characters of one expression


def _nesting(text: str) -> int:
    deepest = depth = 0
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth -= 1
    return deepest


def _tree_depth(node: Any) -> int:
    """How deep evaluation recurses into ``node``, found without recursion."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(part, list):
            for child in part:
                if isinstance(child, list):
                    stack.append((child, depth + (1 if child and isinstance(child[0], str) else 0)))
    return deepest


@lru_cache(maxsize=4096)
def _compile_cached(text: str) -> tuple[Any, ...]:
    if len(text) > MAX_LENGTH:
        raise XPathError(f"expression longer than {MAX_LENGTH} characters")
    if _nesting(text) > MAX_DEPTH:
        raise XPathError(f"expression nested deeper than {MAX_DEPTH} levels")
    try:
        node = _Parser(_tokenize(text)).parse()
    except RecursionError as exc:
        raise XPathError(f"expression nested deeper than {MAX_DEPTH} levels") from exc
    if _tree_depth(node) > MAX_TREE_DEPTH:
        raise XPathError(f"expression has more than {MAX_TREE_DEPTH} levels of operations")
    return tuple(node)


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
    if value is UNKNOWN:
        raise XPathError("depends on a calculation Tilik cannot compute")
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
        number = float(text)
    except ValueError:
        moment = _date_of(text)
        if moment is None:
            return math.nan
        days = float((moment - _EPOCH).days)
        time = _TIME.match(text[11:]) if len(text) > 11 and text[10] in "T " else None
        if time is not None:
            days += (
                int(time.group(1)) * 3600 + int(time.group(2)) * 60 + float(time.group(3) or 0)
            ) / 86_400
        return days
    if (number != number or number in (math.inf, -math.inf)) and text.lstrip("+-") != "Infinity":
        return math.nan  # Python reads "nan", "inf"; XPath does not
    if "_" in text:
        return math.nan
    return number


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
        return number_text(value)
    return str(value)


def number_text(value: float) -> str:
    """A number as XForms (and JavaScript's ``String()``) writes it: ``3``, ``2.5``,
    ``NaN``, ``Infinity``; this is how ODK stores a calculation's result."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:  # 1e-07 → 1e-7, 1e+21 stays
        mantissa, _, exponent = text.partition("e")
        sign = exponent[0] if exponent[0] in "+-" else "+"
        text = f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
    return text


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
# As the ODK XForms specification defines them; the browser's evaluator (static
# tilik/form.js) implements the same, and tests/browser/test_xpath_parity.py checks that both
# give the same results.


def _numeric(function: Callable[[float], float]) -> Callable[[list[Any], _Context], Any]:
    """A one-argument math function that answers NaN or ±Infinity where it is undefined
    or overflows, as JavaScript's Math does, instead of raising."""

    def apply(args: list[Any], ctx: _Context) -> Any:
        number = _number(args[0])
        try:
            return float(function(number))
        except (ValueError, ZeroDivisionError):
            return math.nan
        except OverflowError:
            return math.inf

    return apply


def _log(number: float) -> float:
    if number == 0:
        return -math.inf
    return math.log(number)


def _log10(number: float) -> float:
    if number == 0:
        return -math.inf
    return math.log10(number)


def _whole(function: Callable[[float], int]) -> Callable[[float], float]:
    def apply(number: float) -> float:
        if math.isnan(number) or math.isinf(number):
            return number
        return float(function(number))

    return apply


def _pow(args: list[Any], ctx: _Context) -> Any:
    base, exponent = _number(args[0]), _number(args[1])
    try:
        return math.pow(base, exponent)
    except ValueError:
        return math.nan
    except OverflowError:
        odd = float(exponent).is_integer() and exponent % 2 == 1
        return -math.inf if base < 0 and odd else math.inf


def _selected(args: list[Any], ctx: _Context) -> Any:
    return _string(args[1]).strip() in _string(args[0]).split()


def _selected_at(args: list[Any], ctx: _Context) -> Any:
    parts = _string(args[0]).split()
    index = _number(args[1])
    if math.isnan(index) or not 0 <= index < len(parts):
        return ""
    return parts[int(index)]


_RE2_OPTIONS: Any = None


def _re2_options() -> Any:
    global _RE2_OPTIONS
    if _RE2_OPTIONS is None:
        import re2

        options = re2.Options()
        options.log_errors = False
        _RE2_OPTIONS = options
    return _RE2_OPTIONS


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> Any:
    """``pattern`` compiled by RE2, which matches in time linear in the text (no pattern can
    make a respondent's answer take minutes); raises :class:`XPathError` for a pattern RE2
    cannot run (back-references, look-arounds)."""
    import re2

    try:
        return re2.compile(pattern, _re2_options())
    except re2.error as exc:
        raise XPathError(f"regular expression not supported: {pattern!r}") from exc


def _regex(args: list[Any], ctx: _Context) -> Any:
    return compile_regex(_string(args[1])).search(_string(args[0])) is not None


def _if(args: list[Any], ctx: _Context) -> Any:
    return args[1] if truthy(args[0]) else args[2]


def _round(args: list[Any], ctx: _Context) -> Any:
    number = _number(args[0])
    places = _number(args[1]) if len(args) > 1 else 0.0
    if math.isnan(number) or math.isinf(number) or math.isnan(places):
        return number if not math.isnan(places) else math.nan
    factor = 10.0 ** int(places)
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


def _count_non_empty(args: list[Any], ctx: _Context) -> Any:
    return float(sum(1 for v in _members(args[0]) if _string(v) != ""))


def _sum(args: list[Any], ctx: _Context) -> Any:
    numbers = [_number(v) for v in _members(args[0]) if _string(v) != ""]
    return float(math.fsum(numbers)) if numbers else 0.0


def _position(args: list[Any], ctx: _Context) -> Any:
    position = ctx.answers.get(POSITION)
    return float(position) if position is not None else math.nan


def _last(args: list[Any], ctx: _Context) -> Any:
    size = ctx.answers.get(LAST)
    return float(size) if size is not None else math.nan


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
        if math.isnan(value) or math.isinf(value):
            return ""
        return (_EPOCH + timedelta(days=math.floor(value))).isoformat()
    return _string(value)[:10]


def _date_time(args: list[Any], ctx: _Context) -> Any:
    """``date-time(x)``: days since 1970 (or a date) as a date and time, in UTC."""
    days = _number(args[0])
    if math.isnan(days) or math.isinf(days) or abs(days) > 3_000_000:
        return ""
    moment = datetime(1970, 1, 1) + timedelta(milliseconds=round(days * 86_400_000))
    return moment.isoformat(timespec="milliseconds")


def _decimal_time(args: list[Any], ctx: _Context) -> Any:
    """``decimal-time("13:30:00")``: the fraction of the day a time of day is."""
    match = _TIME.fullmatch(_string(args[0]).strip())
    if match is None:
        return math.nan
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = float(match.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds >= 60:
        return math.nan
    return (hours * 3600 + minutes * 60 + seconds) / 86_400


_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(?:Z|[+-]\d{2}(?::?\d{2})?)?")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _moment_of(value: Any) -> datetime | None:
    """A date or date-and-time answer (or a number of days since 1970) as a datetime."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or abs(value) > 3_000_000:
            return None
        return datetime(1970, 1, 1) + timedelta(milliseconds=round(value * 86_400_000))
    text = _string(value).strip()
    day = _date_of(text)
    if day is None:
        return None
    moment = datetime(day.year, day.month, day.day)
    time = _TIME.match(text[11:]) if len(text) > 11 and text[10] in "T " else None
    if time is not None:
        moment += timedelta(
            hours=int(time.group(1)),
            minutes=int(time.group(2)),
            seconds=float(time.group(3) or 0),
        )
    return moment


def _format_date(args: list[Any], ctx: _Context) -> Any:
    """``format-date(date, '%Y-%m-%d')`` with the ODK specification's directives."""
    moment = _moment_of(args[0])
    if moment is None:
        return ""
    pattern = _string(args[1])
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char != "%" or index + 1 == len(pattern):
            out.append(char)
            index += 1
            continue
        code = pattern[index + 1]
        index += 2
        out.append(
            {
                "Y": f"{moment.year:04d}",
                "y": f"{moment.year % 100:02d}",
                "m": f"{moment.month:02d}",
                "n": str(moment.month),
                "b": _MONTHS[moment.month - 1],
                "d": f"{moment.day:02d}",
                "e": str(moment.day),
                "H": f"{moment.hour:02d}",
                "h": str(moment.hour),
                "M": f"{moment.minute:02d}",
                "S": f"{moment.second:02d}",
                "3": f"{moment.microsecond // 1000:03d}",
                "a": _DAYS[moment.weekday()],
            }.get(code, code)
        )
    return "".join(out)


def _decimal_date_time(args: list[Any], ctx: _Context) -> Any:
    moment = _moment_of(args[0])
    if moment is None:
        return math.nan
    return (moment - datetime(1970, 1, 1)).total_seconds() / 86_400


def _substring_before(args: list[Any], ctx: _Context) -> Any:
    text, part = _string(args[0]), _string(args[1])
    found = text.find(part)
    return text[:found] if found >= 0 else ""


def _substring_after(args: list[Any], ctx: _Context) -> Any:
    text, part = _string(args[0]), _string(args[1])
    found = text.find(part)
    return text[found + len(part) :] if found >= 0 else ""


def _translate(args: list[Any], ctx: _Context) -> Any:
    text, source, target = _string(args[0]), _string(args[1]), _string(args[2])
    table: dict[str, str] = {}
    for position, char in enumerate(source):
        table.setdefault(char, target[position] if position < len(target) else "")
    return "".join(table.get(char, char) for char in text)


def _normalize_space(args: list[Any], ctx: _Context) -> Any:
    return " ".join(re.split(r"[ \t\r\n]+", _string(args[0]).strip(" \t\r\n"))).strip()


def _substring(args: list[Any], ctx: _Context) -> Any:
    """XPath ``substring(s, start, length)``: 1-based, with XPath's rounding."""
    text = _string(args[0])
    start = _xpath_round(_number(args[1]))
    end = start + _xpath_round(_number(args[2])) if len(args) > 2 else math.inf
    if math.isnan(start) or math.isnan(end):
        return ""
    return "".join(ch for i, ch in enumerate(text, start=1) if start <= i < end)


def _xpath_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


def _boolean_from_string(args: list[Any], ctx: _Context) -> Any:
    return _string(args[0]).strip().lower() in ("true", "1")


def _checklist(args: list[Any], ctx: _Context) -> Any:
    """``checklist(min, max, v…)``: how many values are true is within [min, max] (-1: no
    bound)."""
    low, high = _number(args[0]), _number(args[1])
    count = sum(1 for part in args[2:] for v in _members_or_self(part) if truthy(v))
    return (low < 0 or count >= low) and (high < 0 or count <= high)


def _weighted_checklist(args: list[Any], ctx: _Context) -> Any:
    low, high = _number(args[0]), _number(args[1])
    rest = args[2:]
    total = 0.0
    for position in range(0, len(rest) - 1, 2):
        if truthy(rest[position]):
            total += _number(rest[position + 1])
    return (low < 0 or total >= low) and (high < 0 or total <= high)


def _members_or_self(value: Any) -> list[Any]:
    return list(value) if type(value) is NodeSet else [value]


_EARTH_RADIUS = 6_378_100.0  # metres, as ODK's (JavaRosa's and Enketo's) area and distance


def _points(args: list[Any]) -> list[tuple[float, float]]:
    """Geopoints from a geotrace/geoshape text (``lat lon alt acc;…``) or from several
    geopoint answers."""
    texts = [_string(v) for part in args for v in _members_or_self(part)]
    found: list[tuple[float, float]] = []
    for text in texts:
        for point in text.split(";"):
            parts = point.split()
            if len(parts) < 2:
                continue
            try:
                lat, lon = float(parts[0]), float(parts[1])
            except ValueError:
                return []
            found.append((lat, lon))
    return found


def _distance(args: list[Any], ctx: _Context) -> Any:
    points = _points(args)
    if len(points) < 2:
        return math.nan
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * _EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))
    return total


def _area(args: list[Any], ctx: _Context) -> Any:
    """The area of a geoshape on a sphere (Chamberlain & Duquette 2007), in m²."""
    points = _points(args)
    if len(points) < 3:
        return 0.0 if points else math.nan
    if points[0] != points[-1]:
        points = [*points, points[0]]
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * _EARTH_RADIUS * _EARTH_RADIUS / 2)


_DIGESTS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


def _digest(args: list[Any], ctx: _Context) -> Any:
    algorithm = _DIGESTS.get(_string(args[1]).strip().upper())
    if algorithm is None:
        raise XPathError(f"digest(): unknown algorithm {_string(args[1])!r}")
    raw = hashlib.new(algorithm, _string(args[0]).encode("utf-8")).digest()
    encoding = _string(args[2]).strip().lower() if len(args) > 2 else "base64"
    if encoding == "hex":
        return raw.hex()
    return base64.b64encode(raw).decode("ascii")


def _uuid(args: list[Any], ctx: _Context) -> Any:
    if not args:
        return str(uuid.uuid4())
    length = _number(args[0])
    if math.isnan(length) or length < 0:
        return ""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(min(int(length), 10_000)))


def _choice_name(args: list[Any], ctx: _Context) -> Any:
    """``jr:choice-name(value, '${q}')``: the label of the choice ``value`` of ``q``."""
    value = _string(args[0])
    reference = _string(args[1]).strip()
    match = re.fullmatch(r"\$\{\s*([^}\s]+)\s*\}", reference)
    name = match.group(1) if match else reference.rsplit("/", 1)[-1]
    labels = (ctx.env.get("choice_labels") or {}).get(name) or {}
    return labels.get(value, value if not labels else "")


def _version(args: list[Any], ctx: _Context) -> Any:
    return str(ctx.env.get("version", ""))


def _instance(args: list[Any], ctx: _Context) -> Any:
    """``instance('list')``: the rows of a choice list (steps and filters follow)."""
    rows = (ctx.env.get("instances") or {}).get(_string(args[0]))
    if rows is None:
        raise XPathError(f"instance({_string(args[0])!r}): no such choice list")
    return NodeSet(dict(row) for row in rows)


def _once(args: list[Any], ctx: _Context) -> Any:
    return args[0]


def _random(args: list[Any], ctx: _Context) -> Any:
    return secrets.SystemRandom().random()


def _min_max(pick: Callable[..., float]) -> Callable[[list[Any], _Context], Any]:
    def apply(args: list[Any], ctx: _Context) -> Any:
        numbers = [_number(v) for p in args for v in _members(p)]
        if not numbers:
            return math.nan
        if any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return apply


_FUNCTIONS: dict[str, Callable[[list[Any], _Context], Any]] = {
    "selected": _selected,
    "selected-at": _selected_at,
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
    "boolean-from-string": _boolean_from_string,
    "number": lambda a, c: _number(a[0]),
    "string": lambda a, c: _string(a[0]),
    "int": _numeric(_whole(math.trunc)),
    "round": _round,
    "floor": _numeric(_whole(math.floor)),
    "ceiling": _numeric(_whole(math.ceil)),
    "abs": _numeric(abs),
    "pow": _pow,
    "sqrt": _numeric(math.sqrt),
    "exp": _numeric(math.exp),
    "exp10": _numeric(lambda x: 10.0**x),
    "log": _numeric(_log),
    "log10": _numeric(_log10),
    "sin": _numeric(math.sin),
    "cos": _numeric(math.cos),
    "tan": _numeric(math.tan),
    "asin": _numeric(math.asin),
    "acos": _numeric(math.acos),
    "atan": _numeric(math.atan),
    "atan2": lambda a, c: math.atan2(_number(a[0]), _number(a[1])),
    "pi": lambda a, c: math.pi,
    "concat": lambda a, c: "".join(_string(v) for v in a),
    "contains": lambda a, c: _string(a[1]) in _string(a[0]),
    "starts-with": lambda a, c: _string(a[0]).startswith(_string(a[1])),
    "ends-with": lambda a, c: _string(a[0]).endswith(_string(a[1])),
    "substr": lambda a, c: _string(a[0])[
        int(_finite(_number(a[1]))) : (int(_finite(_number(a[2]))) if len(a) > 2 else None)
    ],
    "substring": _substring,
    "substring-before": _substring_before,
    "substring-after": _substring_after,
    "translate": _translate,
    "normalize-space": _normalize_space,
    "coalesce": _coalesce,
    "date": _date,
    "date-time": _date_time,
    "decimal-date-time": _decimal_date_time,
    "decimal-time": _decimal_time,
    "format-date": _format_date,
    "format-date-time": _format_date,
    "min": _min_max(min),
    "max": _min_max(max),
    "count": _count,
    "count-non-empty": _count_non_empty,
    "sum": _sum,
    "position": _position,
    "last": _last,
    "indexed-repeat": _indexed_repeat,
    "join": _join,
    "checklist": _checklist,
    "weighted-checklist": _weighted_checklist,
    "area": _area,
    "distance": _distance,
    "digest": _digest,
    "uuid": _uuid,
    "random": _random,
    "once": _once,
    "jr:choice-name": _choice_name,
    "version": _version,
    "instance": _instance,
}
_ARITY = {
    "selected": (2, 2),
    "selected-at": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "regex": (2, 2),
    "today": (0, 0),
    "now": (0, 0),
    "if": (3, 3),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "coalesce": (2, 2),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "pow": (2, 2),
    "sqrt": (1, 1),
    "exp": (1, 1),
    "exp10": (1, 1),
    "log": (1, 1),
    "log10": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "asin": (1, 1),
    "acos": (1, 1),
    "atan": (1, 1),
    "atan2": (2, 2),
    "pi": (0, 0),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "substring": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "translate": (3, 3),
    "normalize-space": (1, 1),
    "date": (1, 1),
    "date-time": (1, 1),
    "decimal-date-time": (1, 1),
    "decimal-time": (1, 1),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "sum": (1, 1),
    "position": (0, 1),
    "last": (0, 0),
    "indexed-repeat": (3, 99),
    "join": (2, 99),
    "checklist": (2, 99),
    "weighted-checklist": (2, 99),
    "digest": (2, 3),
    "uuid": (0, 1),
    "random": (0, 0),
    "once": (1, 1),
    "jr:choice-name": (2, 2),
    "version": (0, 0),
    "instance": (1, 1),
}


def _finite(number: float) -> float:
    return 0.0 if math.isnan(number) or math.isinf(number) else number


class _Context:
    __slots__ = ("_today", "answers", "current", "env", "names")

    def __init__(
        self,
        answers: Mapping[str, Any],
        current: Any,
        names: Mapping[str, Any] | None,
        today: date | None,
        env: Mapping[str, Any] | None = None,
    ) -> None:
        self.answers = answers
        self.current = current
        self.names = names
        self._today = today
        self.env = env or {}

    @property
    def today(self) -> date:
        return self._today or date.today()

    def within(self, row: Mapping[str, Any], position: int, size: int) -> _Context:
        """The context inside a filter ``[…]`` over a choice list: bare names are the
        row's columns, ``position()`` and ``last()`` its place."""
        answers = _Layered(self.answers, {POSITION: position, LAST: size})
        return _Context(answers, self.current, row, self._today, self.env)


class _Layered(Mapping[str, Any]):
    """Answers with a few keys laid over them."""

    __slots__ = ("_base", "_top")

    def __init__(self, base: Mapping[str, Any], top: Mapping[str, Any]) -> None:
        self._base = base
        self._top = top

    def __getitem__(self, key: str) -> Any:
        if key in self._top:
            return self._top[key]
        return self._base[key]

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._top:
            return self._top[key]
        return self._base.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)


def _walk_path(
    base: Any, steps: list[Node], ctx: _Context, run: Callable[[Node, _Context], Any]
) -> Any:
    """Steps of ``instance('list')/root/item[filter]/column`` over the list's rows."""
    rows = [r for r in base if isinstance(r, Mapping)] if type(base) is NodeSet else []
    column: str | None = None
    for step in steps:
        if step[0] == "child":
            name = step[1]
            if column is not None:
                raise XPathError("a choice list column has no children")
            if name in ("root", "item"):
                continue
            column = name
        else:  # a filter
            if column is not None:
                raise XPathError("a filter after a choice list column is not supported")
            condition = step[1]
            size = len(rows)
            kept = []
            for position, row in enumerate(rows, start=1):
                found = run(condition, ctx.within(row, position, size))
                if isinstance(found, float) and not math.isnan(found):
                    keep = found == position  # item[2]: the second row
                else:
                    keep = truthy(found)
                if keep:
                    kept.append(row)
            rows = kept
    if column is None:
        return NodeSet(rows)
    return NodeSet(row.get(column, "") for row in rows)


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
        if name == "if":  # lazy, like a conditional should be
            chosen = arg_nodes[1] if truthy(_eval(arg_nodes[0], ctx)) else arg_nodes[2]
            return _eval(chosen, ctx)
        return _FUNCTIONS[name]([_eval(a, ctx) for a in arg_nodes], ctx)
    if kind == "path":
        return _walk_path(_eval(node[1], ctx), node[2], ctx, _eval)
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
    env: Mapping[str, Any] | None = None,
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
    env
        What the form gives expressions beyond the answers: ``instances`` (choice rows by
        list name, for ``instance('list')``), ``choice_labels`` (question name → choice
        name → label, for ``jr:choice-name()``), ``version``.

    Returns
    -------
    str | float | bool
        Use :func:`truthy` for relevant, constraint and choice filters.
    """
    node = compile_expression(expression) if isinstance(expression, str) else expression
    return _eval(node, _Context(answers, current, names, today, env))


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
    if kind == "path":
        base, steps = _closure(node[1]), node[2]
        return lambda ctx: _walk_path(base(ctx), steps, ctx, _eval)
    if kind == "call":
        name, arg_nodes = node[1], node[2]
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
        env: Mapping[str, Any] | None = None,
    ) -> Any:
        return body(_Context(answers, current, names, today, env))

    return run


_IMPURE_CALLS = frozenset(
    {"today", "now", "position", "last", "random", "uuid", "instance", "jr:choice-name", "version"}
)


def _memo_inputs(node: Node) -> tuple[tuple[str, ...], bool, bool]:
    """What an expression's value depends on: ``(referenced names, uses ., pure)``.

    Not pure: a call to ``today()``/``now()`` (the clock), ``random()``, ``uuid()``, a look-up
    in the form (``instance()``, ``jr:choice-name()``) or a bare name (a choice row).
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
