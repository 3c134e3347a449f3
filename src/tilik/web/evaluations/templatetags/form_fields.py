"""Form fields rendered so that what describes an input is linked to it by id."""

from django import template

register = template.Library()


@register.simple_tag
def field_widget(field, **attrs):
    """The field's widget with ``aria-describedby`` naming its hint and its errors (the ids
    that ``collection/_field.html`` gives them) and ``aria-invalid`` when it has errors."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def described_by(field) -> str:
    """The ids describing a group of inputs (radios, checkboxes) for its fieldset."""
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    return " ".join(ids)
