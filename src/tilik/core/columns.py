"""What each column of an export holds, and answers written as choice labels.

KoboToolbox (formpack), KoBoCAT and ODK Central write the same submissions in different
shapes; this module recognises them from the header and the form:

- headers as ``group/question`` paths, bare names, ODK Central's ``group-question``, or the
  questions' labels in any language of the form (KoboToolbox's "labels" export), also with the
  group labels in front joined by another separator (``Group % Question``);
- one column per option of a select_multiple, headed ``question/option`` by names or
  ``Question label/Option label`` by labels, with whatever separator the export used;
- geopoints whole (KoboToolbox; its ``_q_latitude`` … columns are derived and ignored) or split
  by ODK Central into ``q-Latitude``, ``q-Longitude``, ``q-Altitude``, ``q-Accuracy``;
- the three parameters KoboToolbox splits off a ``literacy`` select_multiple
  (``q/Word at flash``, ``q/Duration of exercise``, ``q/Total words attempted``);
- the ``q_other`` text of an ``or_other`` select;
- meta columns: the instance id, the submission time (``_submission_time``,
  ``SubmissionDate``: never ``start``, ``end`` or ``today``, which are answers), the form
  version a row was collected with (``__version__``, ``FormVersion``).

Select answers written as labels are read back to names by :class:`ChoiceReader`: a
select_multiple label value is segmented over the choices' labels (``Spherical Radial
Bilateral`` is three choices, ``Julius Caesar Tiberius`` two), never split on spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tilik.core.xlsform import Form, Question

__all__ = [
    "GEO_PARTS",
    "LITERACY_PARAMETERS",
    "Column",
    "ColumnMap",
    "ChoiceReader",
    "choice_reader",
    "is_hxl_row",
    "is_literacy",
    "map_columns",
    "normal_text",
]

ID_COLUMNS = frozenset(
    {"_uuid", "meta/instanceid", "instanceid", "key", "meta-instanceid", "meta.instanceid"}
)
TIME_COLUMNS = frozenset({"_submission_time", "submissiondate", "_submitted_at"})
VERSION_COLUMNS = frozenset({"__version__", "formversion", "_version", "_version_"})
META_PREFIXES = ("_", "meta/", "__", "meta-", "set-of-", "meta.")  # ODK Central: meta-…
ODK_META = frozenset(
    {
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "reviewstate",
        "deviceid",
        "edits",
        "formversion",
        "instanceid",
    }
)
# ODK Central writes a geopoint as four columns; KoboToolbox and KoBoCAT add four derived ones
GEO_PARTS = ("latitude", "longitude", "altitude", "accuracy")
_KOBO_GEO_PARTS = ("latitude", "longitude", "altitude", "precision")
# formpack's FormLiteracyTestField: the three parameters before the seven reserved nulls
LITERACY_PARAMETERS = ("word at flash", "duration of exercise", "total words attempted")
# what joins a question to its option, or a group to its question, in exports
_SEPARATORS = "/%:.-|\\>;#~,"
_HXL = re.compile(r"#[A-Za-z][\w-]*(\s*\+\s*[A-Za-z][\w-]*)*\s*")


def normal_text(text: str) -> str:
    """Text compared as a person reads it: case and runs of white space ignored."""
    return " ".join(text.split()).casefold()


def is_literacy(question: Question) -> bool:
    """A select_multiple shown as KoboToolbox's literacy test (``appearance: literacy``)."""
    return question.type == "select_multiple" and "literacy" in question.appearance.split()


@dataclass
class Column:
    """One column of an export: what it holds.

    ``kind`` is ``question`` (an answer), ``one_hot`` (1/0 for ``option`` of a
    select_multiple), ``geo_part`` (part ``part`` of a split geopoint), ``literacy`` (parameter
    ``part`` of a literacy test), ``other`` (the ``_other`` text of an or_other select), ``id``,
    ``time`` (submission time), ``version`` (form version of the row), ``repeat_cell``
    (``repeat[n]/question``), ``derived`` (a copy of another column's data), ``meta`` or
    ``unknown``.
    """

    index: int
    header: str
    kind: str
    question: Question | None = None
    option: str = ""
    part: int = 0


@dataclass
class ColumnMap:
    columns: list[Column]
    by_labels: bool = False  # the headers are mostly labels: a "labels" export


@dataclass
class _Keys:
    """How a set of questions can be named in a header."""

    by_name: dict[str, Question] = field(default_factory=dict)  # path, name, Central path
    by_label: dict[str, list[Question]] = field(default_factory=dict)
    labels: list[tuple[str, Question]] = field(default_factory=list)  # for suffix matching


def _keys(questions: Iterable[Question]) -> _Keys:
    keys = _Keys()
    for question in questions:
        for key in (
            question.path.lower(),
            question.name.lower(),
            question.path.replace("/", "-").lower(),
            question.path.replace("/", ".").lower(),
        ):
            keys.by_name.setdefault(key, question)
        seen: set[str] = set()
        for text in question.labels.values():
            label = normal_text(text)
            if label and label not in seen:
                seen.add(label)
                keys.by_label.setdefault(label, []).append(question)
                keys.labels.append((label, question))
    keys.labels.sort(key=lambda item: -len(item[0]))
    return keys


def map_columns(
    header: list[str],
    form: Form,
    questions: list[Question] | None = None,
    *,
    repeat_names: frozenset[str] = frozenset(),
    skip: frozenset[str] = frozenset(),
) -> ColumnMap:
    """What each column of ``header`` holds, for ``questions`` (the form's top-level ones by
    default; a repeat's for a repeat sheet). ``skip`` names (lower case) meta columns of a
    repeat sheet. A label that several questions share goes to the first of them not yet
    placed, in column order (exports follow the form's order)."""
    from tilik.core.repeats import parse_key

    asked = questions if questions is not None else [q for q in form.questions if not q.repeat]
    asked = [q for q in asked if q.type not in ("note",)]
    keys = _keys(asked)
    normal = [normal_text(h) for h in header]
    lower = [h.strip().lower() for h in header]
    by_names = sum(1 for low in lower if low in keys.by_name)
    by_labels = sum(1 for text in normal if text in keys.by_label)
    labels_first = by_labels > by_names
    placed: set[int] = set()  # questions (by id) placed by a label
    taken: set[tuple[int, str]] = set()  # (question id, option) of one-hot columns placed
    columns: list[Column] = []
    whole_geo = {id(q) for q in asked if q.type == "geopoint" and q.path.lower() in lower}

    def by_label(text: str) -> Question | None:
        found = keys.by_label.get(text)
        if not found:
            return None
        for question in found:
            if id(question) not in placed:
                return question
        return found[0]

    def exact(low: str, text: str) -> Question | None:
        if labels_first:
            return by_label(text) or keys.by_name.get(low)
        return keys.by_name.get(low) or by_label(text)

    for index, raw in enumerate(header):
        head = raw.strip()
        low = lower[index]
        text = normal[index]
        if not head or low in skip:
            columns.append(Column(index, head, "meta"))
            continue
        if "[" in head and repeat_names:
            parsed = parse_key(head)
            if parsed is not None and all(step in repeat_names for step, _ in parsed[0]):
                columns.append(Column(index, head, "repeat_cell"))
                continue
        question = keys.by_name.get(low)
        if question is None or low in ID_COLUMNS | TIME_COLUMNS:
            kind = _meta_kind(low)
            if kind:  # meta/instanceID may also be a field of the form (pyxform's calculate)
                columns.append(Column(index, head, kind, question if kind == "id" else None))
                continue
        question = exact(low, text)
        if question is not None:
            if text in keys.by_label and question in keys.by_label[text]:
                placed.add(id(question))
            columns.append(Column(index, head, "question", question))
            continue
        found = (
            _other_text(low, asked)
            or _one_hot(head, form, exact, taken)
            or _geo_part(head, low, asked, keys, whole_geo)
            or _literacy_part(head, exact)
        )
        if found is not None:
            found.index = index
            columns.append(found)
            continue
        question = _by_suffix(text, keys) or _by_last_step(low, keys)
        if question is not None:
            columns.append(Column(index, head, "question", question))
        elif low.startswith(META_PREFIXES) or low in ODK_META:
            columns.append(Column(index, head, "meta"))
        else:
            columns.append(Column(index, head, "unknown"))
    return ColumnMap(columns, labels_first)


def _meta_kind(low: str) -> str:
    if low in ID_COLUMNS:
        return "id"
    if low in TIME_COLUMNS:
        return "time"
    if low in VERSION_COLUMNS:
        return "version"
    return ""


def _splits(head: str) -> Iterable[tuple[str, str]]:
    """``(before, after)`` around each separator character of ``head``, last first."""
    for at in range(len(head) - 1, 0, -1):
        if head[at] in _SEPARATORS:
            before, after = head[:at].rstrip(), head[at + 1 :].strip()
            if before and after:
                yield before, after
                stripped = before.rstrip(_SEPARATORS + " ")
                if stripped and stripped != before:
                    yield stripped, after


def _one_hot(head: str, form: Form, exact: object, taken: set[tuple[int, str]]) -> Column | None:
    """``question<sep>option`` of a select_multiple, by names or labels. Options that share
    a label are taken in order (``taken``), as exports write one column per option in the
    form's order."""
    for before, after in _splits(head):
        owner = exact(before.lower(), normal_text(before))  # type: ignore[operator]
        if owner is None or owner.type != "select_multiple":
            continue
        if is_literacy(owner) and normal_text(after) in LITERACY_PARAMETERS:
            continue
        options = choice_reader(form, owner).options(after)
        if options:
            option = next((o for o in options if (id(owner), o) not in taken), options[-1])
            taken.add((id(owner), option))
            return Column(0, head, "one_hot", owner, option)
    return None


def _geo_part(
    head: str, low: str, asked: list[Question], keys: _Keys, whole: set[int]
) -> Column | None:
    """A part of a geopoint: ODK Central's ``q-Latitude`` (kept to rebuild the point when the
    whole value has no column), or KoboToolbox's derived ``_q_latitude``."""
    for part, word in enumerate(GEO_PARTS):
        if low.endswith("-" + word):
            question = keys.by_name.get(low[: -len(word) - 1])
            if question is not None and question.type == "geopoint":
                kind = "derived" if id(question) in whole else "geo_part"
                return Column(0, head, kind, question, part=part)
    for word in _KOBO_GEO_PARTS:
        if low.endswith("_" + word):
            stem = low[: -len(word) - 1]
            prefix, _, last = stem.rpartition("/")
            if last.startswith("_"):
                name = last[1:]
                for question in asked:
                    if question.type == "geopoint" and name in (
                        question.name.lower(),
                        *(normal_text(t) for t in question.labels.values()),
                    ):
                        return Column(0, head, "derived", question)
    return None


def _literacy_part(head: str, exact: object) -> Column | None:
    for before, after in _splits(head):
        word = normal_text(after)
        if word in LITERACY_PARAMETERS:
            owner = exact(before.lower(), normal_text(before))  # type: ignore[operator]
            if owner is not None and is_literacy(owner):
                return Column(0, head, "literacy", owner, part=LITERACY_PARAMETERS.index(word))
    return None


def _other_text(low: str, asked: list[Question]) -> Column | None:
    if not low.endswith("_other"):
        return None
    stem = low[: -len("_other")]
    for question in asked:
        if question.or_other and stem in (question.name.lower(), question.path.lower()):
            return Column(0, low, "other", question)
    return None


def _by_suffix(text: str, keys: _Keys) -> Question | None:
    """A header made of group labels and the question's label: ``Group / Question``."""
    for label, question in keys.labels:
        if len(text) > len(label) and text.endswith(label):
            joint = text[: -len(label)].rstrip()
            if joint and joint[-1] in _SEPARATORS:
                return question
    return None


def _by_last_step(low: str, keys: _Keys) -> Question | None:
    """The last step of a path, whatever joins the groups: ``/``, ``-`` (ODK Central) or
    ``.`` (Google Forms, older ODK)."""
    for sep in "/-.":
        if sep in low:
            found = keys.by_name.get(low.rsplit(sep, 1)[1])
            if found is not None:
                return found
    return None


class ChoiceReader:
    """The choices of one select question, read from names or from labels in any language."""

    def __init__(self, form: Form, question: Question) -> None:
        choices = form.choices.get(question.list_name, [])
        self.names = [c.name for c in choices]
        self.name_set = frozenset(self.names)
        self.order = {name: i for i, name in enumerate(self.names)}
        # the words of each name and label, normalised, → the choices they name
        self.vocabulary: dict[tuple[str, ...], list[str]] = {}
        for choice in choices:
            for text in (choice.name, *choice.labels.values()):
                words = tuple(normal_text(text).split())
                if words:
                    listed = self.vocabulary.setdefault(words, [])
                    if choice.name not in listed:
                        listed.append(choice.name)
        if question.or_other:
            self.vocabulary.setdefault(("other",), ["other"])
        self.longest = max((len(w) for w in self.vocabulary), default=0)

    def one(self, text: str) -> str | None:
        """The choice ``text`` names (a name, else a label); None if none."""
        value = text.strip()
        if value in self.name_set:
            return value
        found = self.vocabulary.get(tuple(normal_text(value).split()))
        return found[0] if found else None

    def options(self, text: str) -> list[str]:
        """The choices a one-hot column's option part names: its name, else every choice
        with that label (several when options share a label)."""
        value = text.strip()
        if value in self.name_set:
            return [value]
        return list(self.vocabulary.get(tuple(normal_text(value).split()), []))

    def many(self, text: str, limit: int = 16) -> list[list[str]]:
        """The ways ``text`` reads as a list of choices (names or labels joined by spaces),
        fewest choices first; empty when it does not read as choices at all."""
        words = [normal_text(w) for w in text.split()]
        count = len(words)
        ways: list[list[list[str]]] = [[] for _ in range(count + 1)]
        ways[count] = [[]]
        for start in range(count - 1, -1, -1):
            found: list[list[str]] = []
            for size in range(min(self.longest, count - start), 0, -1):
                names = self.vocabulary.get(tuple(words[start : start + size]))
                if not names:
                    continue
                for name in names:
                    for rest in ways[start + size]:
                        if name not in rest:
                            found.append([name, *rest])
                        if len(found) >= limit:
                            break
            ways[start] = found[:limit]
        return sorted(ways[0], key=len)


_READERS: dict[int, tuple[Form, dict[str, ChoiceReader]]] = {}


def choice_reader(form: Form, question: Question) -> ChoiceReader:
    """The (cached) :class:`ChoiceReader` of a select question of ``form``."""
    held = _READERS.get(id(form))
    if held is None or held[0] is not form:
        if len(_READERS) > 32:
            _READERS.clear()
        held = _READERS[id(form)] = (form, {})
    readers = held[1]
    key = f"{question.list_name}\0{int(question.or_other)}"
    reader = readers.get(key)
    if reader is None:
        reader = readers[key] = ChoiceReader(form, question)
    return reader


def is_hxl_row(values: list[str]) -> bool:
    """KoboToolbox's HXL row under the header: every filled cell a hashtag (``#loc+name``)."""
    filled = [v for v in values if v.strip()]
    return bool(filled) and all(_HXL.fullmatch(v.strip()) for v in filled)
