"""The theme codebook: codes with labels, definitions, examples and rule patterns.

The default codebook (DESIGN.md) is data, in ``data/codebook.yaml``. An evaluation may
add, rename or merge codes; a :class:`Codebook` is immutable, so each change returns a
new codebook and the default stays untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .cueset import CueSet

__all__ = ["Code", "Codebook", "Pattern", "default_codebook", "load_codebook"]

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Pattern:
    """A rule: a regular expression over normalised text and the confidence it gives."""

    regex: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class Code:
    """One theme code.

    Attributes
    ----------
    code
        Stable identifier used in ``hasil.json`` (``relevansi_rendah``).
    labels
        Display labels by language (``{"id": ..., "en": ...}``).
    definitions
        Definitions by language.
    examples
        Example phrases; they are also training texts for the classifier.
    patterns
        Rule patterns (see ``data/codebook.yaml`` for the syntax).
    obstacle
        True for codes that name an obstacle (they feed ``challenges``).
    negative_only
        True for codes that only exist with negative polarity (``relevansi_rendah``):
        never assigned to a text whose sentiment is positive or neutral unless a strong
        rule says so.
    """

    code: str
    labels: Mapping[str, str]
    definitions: Mapping[str, str] = field(default_factory=dict)
    examples: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    obstacle: bool = False
    negative_only: bool = False

    @cached_property
    def patterns_by_weight(self) -> tuple[Pattern, ...]:
        """The patterns, strongest first (the first match gives the rule confidence)."""
        return tuple(sorted(self.patterns, key=lambda p: -p.weight))

    @cached_property
    def any_pattern(self) -> re.Pattern[str] | None:
        """All patterns in one alternation: a cheap first test before the weighted ones."""
        if not self.patterns:
            return None
        return re.compile("|".join(f"(?:{p.regex.pattern})" for p in self.patterns))

    def label(self, lang: str = "id") -> str:
        """Return the label in ``lang`` (falling back to Indonesian, then the code)."""
        return self.labels.get(lang) or self.labels.get("id") or self.code


def _compile(raw: Any, default_weight: float) -> Pattern:
    if isinstance(raw, Mapping):
        return Pattern(re.compile(str(raw["re"])), float(raw.get("w", default_weight)))
    return Pattern(re.compile(str(raw)), default_weight)


def _check_code(code: str) -> None:
    if not _CODE_RE.match(code):
        raise ValueError(
            f"Kode tema '{code}' tidak sah: gunakan huruf kecil, angka dan garis bawah "
            "(contoh: kualitas_materi)."
        )


@dataclass(frozen=True)
class Codebook:
    """An ordered, immutable collection of :class:`Code` objects."""

    codes: tuple[Code, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for c in self.codes:
            _check_code(c.code)
            if c.code in seen:
                raise ValueError(f"Kode tema '{c.code}' muncul dua kali dalam buku kode.")
            seen.add(c.code)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        return any(c.code == code for c in self.codes)

    def __getitem__(self, code: str) -> Code:
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def names(self) -> list[str]:
        """The code identifiers, in codebook order."""
        return [c.code for c in self.codes]

    @cached_property
    def cue_set(self) -> CueSet:
        """Every code's cue patterns in one RE2 set (:mod:`tilik.core.themes.cueset`)."""
        from .cueset import CueSet

        return CueSet([[p.regex.pattern for p in code.patterns] for code in self.codes])

    @property
    def obstacles(self) -> list[str]:
        """Codes that name an obstacle (challenges)."""
        return [c.code for c in self.codes if c.obstacle]

    def add(
        self,
        code: str,
        label: str | Mapping[str, str],
        *,
        definition: str | Mapping[str, str] = "",
        examples: Iterable[str] = (),
        patterns: Iterable[str | Mapping[str, Any]] = (),
        obstacle: bool = False,
        weight: float = 0.8,
    ) -> Codebook:
        """Return a new codebook with an extra code.

        ``examples`` become training texts of the classifier, ``patterns`` are regular
        expressions over normalised text (see ``data/codebook.yaml``).
        """
        _check_code(code)
        if code in self:
            raise ValueError(f"Kode tema '{code}' sudah ada.")
        labels = {"id": label, "en": label} if isinstance(label, str) else dict(label)
        definitions = (
            {"id": definition, "en": definition} if isinstance(definition, str) else definition
        )
        new = Code(
            code=code,
            labels=labels,
            definitions=dict(definitions),
            examples=tuple(examples),
            patterns=tuple(_compile(p, weight) for p in patterns),
            obstacle=obstacle,
        )
        return Codebook(self.codes + (new,))

    def rename(self, old: str, new: str, label: str | Mapping[str, str] | None = None) -> Codebook:
        """Return a new codebook where code ``old`` is called ``new`` (and relabelled)."""
        _check_code(new)
        if new != old and new in self:
            raise ValueError(f"Kode tema '{new}' sudah ada.")
        source = self[old]
        labels: Mapping[str, str] = source.labels
        if label is not None:
            labels = {"id": label, "en": label} if isinstance(label, str) else dict(label)
        return Codebook(
            tuple(replace(c, code=new, labels=labels) if c.code == old else c for c in self.codes)
        )

    def merge(
        self, codes: Iterable[str], into: str, label: str | Mapping[str, str] | None = None
    ) -> Codebook:
        """Return a new codebook where ``codes`` are merged into one code ``into``.

        The merged code keeps the position of the first merged code, and unions the
        examples and patterns; it is an obstacle if any merged code was.
        """
        merged = [self[c] for c in codes]
        if not merged:
            raise ValueError("Tidak ada kode yang digabung.")
        if into in self and into not in {c.code for c in merged}:
            raise ValueError(f"Kode tema '{into}' sudah ada.")
        first = merged[0]
        labels: Mapping[str, str] = first.labels
        if label is not None:
            labels = {"id": label, "en": label} if isinstance(label, str) else dict(label)
        combined = Code(
            code=into,
            labels=labels,
            definitions=first.definitions,
            examples=tuple(e for c in merged for e in c.examples),
            patterns=tuple(p for c in merged for p in c.patterns),
            obstacle=any(c.obstacle for c in merged),
            negative_only=all(c.negative_only for c in merged),
        )
        names = {c.code for c in merged}
        out: list[Code] = []
        for c in self.codes:
            if c.code == first.code:
                out.append(combined)
            elif c.code not in names:
                out.append(c)
        return Codebook(tuple(out))

    def mapping_after_merge(self, codes: Iterable[str], into: str) -> dict[str, str]:
        """Map old code names to new ones, to relabel stored codings after :meth:`merge`."""
        return {c: into for c in codes}


def load_codebook(data: Mapping[str, Any]) -> Codebook:
    """Build a codebook from a mapping shaped like ``data/codebook.yaml``."""
    default_weight = float(data.get("default_weight", 0.8))
    codes: list[Code] = []
    for raw in data.get("codes", []):
        label = raw.get("label", raw["code"])
        definition = raw.get("definition", "")
        codes.append(
            Code(
                code=str(raw["code"]),
                labels={"id": label, "en": label} if isinstance(label, str) else dict(label),
                definitions=(
                    {"id": definition, "en": definition}
                    if isinstance(definition, str)
                    else dict(definition)
                ),
                examples=tuple(str(e) for e in raw.get("examples", []) or []),
                patterns=tuple(_compile(p, default_weight) for p in raw.get("patterns", []) or []),
                obstacle=bool(raw.get("obstacle", False)),
                negative_only=bool(raw.get("negative_only", False)),
            )
        )
    return Codebook(tuple(codes))


@cache
def default_codebook() -> Codebook:
    """The 14 default codes of DESIGN.md, loaded once from ``data/codebook.yaml``."""
    text = resources.files("tilik.core.themes").joinpath("data", "codebook.yaml").read_text("utf-8")
    return load_codebook(yaml.safe_load(text))
