"""Answers of the question types a web form shows with a widget of their own.

``range`` (a number within the row's ``parameters``: start, end, step), ``geopoint``
(``lat lon [alt [accuracy]]``), ``rank`` (every choice, once each, in order) and ``time``.
Each check returns ``(value, problem message or None, expected)`` like
:func:`tilik.core.ingest.convert_value`, whose other types it leaves alone.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from tilik.core.i18n import gettext_noop
from tilik.core.xlsform import DEVICE_METADATA, Form, Question

__all__ = [
    "COLLECTED_ELSEWHERE",
    "check_answer",
    "range_bounds",
]

# Types a web page cannot collect: the phone's camera, microphone, scanner, map drawing, or
# choices from a file the form does not carry. The page says to use ODK Collect / KoboCollect.
COLLECTED_ELSEWHERE = (
    frozenset(
        {
            "image",
            "audio",
            "video",
            "file",
            "barcode",
            "geotrace",
            "geoshape",
            "osm",
            "select_one_from_file",
            "select_multiple_from_file",
            "select_one_external",
        }
    )
    | DEVICE_METADATA
)

_NUMBER = r"(-?\d+(?:\.\d+)?)"
_POINT = re.compile(rf"\s*{_NUMBER}\s+{_NUMBER}(?:\s+{_NUMBER})?(?:\s+(\d+(?:\.\d+)?))?\s*")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?")


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def range_bounds(question: Question) -> tuple[Decimal, Decimal, Decimal]:
    """``(start, end, step)`` of a range question (pyxform's defaults: 1, 10, 1)."""
    parameters = question.parameters

    def setting(name: str, default: int) -> Decimal:
        found = _decimal(parameters.get(name, "") or "")
        return Decimal(default) if found is None else found

    step = abs(setting("step", 1))
    return setting("start", 1), setting("end", 10), step if step else Decimal(1)


def _check_range(question: Question, text: str) -> tuple[Any, str | None, str]:
    start, end, step = range_bounds(question)
    low, high = min(start, end), max(start, end)
    expected = f"{low} … {high}" + (f" (+{step})" if step != 1 else "")
    number = _decimal(text)
    if number is None:
        return None, gettext_noop("bukan bilangan"), expected
    if not low <= number <= high or (number - start) % step != 0:
        return None, gettext_noop("di luar rentang yang diizinkan"), expected
    if number == number.to_integral_value():
        return int(number), None, ""
    return float(number), None, ""


def _check_geopoint(text: str) -> tuple[Any, str | None, str]:
    expected = gettext_noop("lintang bujur, misalnya -10.1772 123.6070")
    match = _POINT.fullmatch(text.replace(",", " ") if text.count(",") == 1 else text)
    if match is None:
        return None, gettext_noop("bukan titik lokasi"), expected
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not math.isfinite(lat + lon):
        return None, gettext_noop("titik lokasi di luar bumi"), expected
    parts = [match.group(1), match.group(2), match.group(3) or "0", match.group(4) or "0"]
    return " ".join(parts), None, ""


def _check_rank(question: Question, picked: list[str], form: Form) -> tuple[Any, str | None, str]:
    names = form.choice_names(question)
    expected = ", ".join(names)
    if any(p not in names for p in picked):
        return None, gettext_noop("memuat pilihan yang tidak ada"), expected
    if len(set(picked)) != len(picked) or len(picked) != len(names):
        return None, gettext_noop("setiap pilihan harus diberi peringkat tepat sekali"), expected
    return " ".join(picked), None, ""


def check_answer(
    question: Question, raw: str | list[str], form: Form
) -> tuple[Any, str | None, str] | None:
    """The typed answer of a question with its own widget; None for the other types."""
    kind = question.type
    if kind == "rank":
        picked = [p for p in (raw if isinstance(raw, list) else str(raw).split()) if p]
        if not picked:
            return None, None, ""
        return _check_rank(question, picked, form)
    text = (raw[0] if raw else "") if isinstance(raw, list) else str(raw or "")
    text = text.strip()
    if kind not in ("range", "geopoint", "time"):
        return None
    if not text:
        return None, None, ""
    if kind == "range":
        return _check_range(question, text)
    if kind == "geopoint":
        return _check_geopoint(text)
    if _TIME.fullmatch(text) is None:
        return None, gettext_noop("bukan jam"), gettext_noop("misalnya 13:30")
    return text, None, ""
