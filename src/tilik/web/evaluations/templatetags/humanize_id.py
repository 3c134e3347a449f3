from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """150000000 → 150.000.000 (id) or 150,000,000 (en)."""
    if value is None or value == "":
        return "–"
    locale = "en" if (get_language() or "id").startswith("en") else "id"
    return format_decimal(value, format="#,##0", locale=locale)
