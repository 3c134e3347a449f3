"""Numbers and texts of hasil.json shown in the user's language, with the report's formatting."""

from functools import cache

from django import template
from django.utils.translation import get_language

from tilik.core import labels
from tilik.core.findings import format_value
from tilik.core.themes import default_codebook

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@register.filter
def pct(value) -> str:
    return format_value(value, "pct", _lang())


@register.filter
def ci(value) -> str:
    if not value or value[0] is None:
        return "–"
    lang = _lang()
    return f"{format_value(value[0], 'pct', lang)}–{format_value(value[1], 'pct', lang)}"


@register.filter
def i18n_text(value) -> str:
    if isinstance(value, dict):
        return format_value(value, "i18n", _lang())
    return "" if value is None else str(value)


@cache
def _codebook():
    return default_codebook()


@register.filter
def theme_label(code: str) -> str:
    try:
        return _codebook()[code].label(_lang())
    except (KeyError, AttributeError):
        return labels.theme_name(code, _lang(), capital=True)


@register.filter
def duration(seconds) -> str:
    """Elapsed seconds as m:ss (h:mm:ss from an hour on), the way analysis.js counts."""
    try:
        total = max(int(seconds), 0)
    except (TypeError, ValueError):
        return "–"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
