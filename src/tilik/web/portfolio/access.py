"""Who sees an organisation's portfolio: its leaders and administrators, and those of the
organisations above it (a province sees its regencies). The portfolio shows aggregates of
analysed evaluations only; the evaluations themselves stay behind ``evaluation_for()``."""

from __future__ import annotations

from django.http import Http404

from tilik.web.accounts.models import Organisation, OrganisationMember

LEAD_ROLES = (OrganisationMember.Role.LEADER, OrganisationMember.Role.ADMIN)


def led_organisations(user) -> list[Organisation]:
    """The organisations ``user`` leads, with everything under them, each once."""
    if not user.is_authenticated:
        return []
    found: dict[int, Organisation] = {}
    led = Organisation.objects.filter(members__user=user, members__role__in=LEAD_ROLES)
    for organisation in led.distinct():
        found.update((o.pk, o) for o in organisation.tree())
    return sorted(found.values(), key=lambda o: o.name)


def organisation_for(request, pk: int) -> Organisation:
    """The organisation if ``request.user`` leads it or one above it (404 otherwise)."""
    for organisation in led_organisations(request.user):
        if organisation.pk == pk:
            return organisation
    raise Http404
