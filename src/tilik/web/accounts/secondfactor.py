"""Two-step sign-in (TOTP, django-otp): optional for anyone, required by an organisation for
its administrators when it says so."""

from __future__ import annotations

from django_otp import user_has_device

from tilik.web.accounts.models import OrganisationMember


def required_for(user) -> bool:
    """Whether an organisation requires ``user`` (one of its administrators) to use TOTP."""
    return OrganisationMember.objects.filter(
        user=user, role=OrganisationMember.Role.ADMIN, organisation__require_2fa_admins=True
    ).exists()


def needs_verification(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return user_has_device(user) and not (verified is not None and verified())


def needs_setup(user) -> bool:
    return not user_has_device(user) and required_for(user)
