"""The cast every permission test uses.

- alice: evaluator of agency A; member (evaluator) of evaluation A.
- bob: evaluator of agency B; member (evaluator) of evaluation B only.
- charlie: leader (kepala) of agency A; member (leader) of evaluation A: reads, follows up,
  does not edit.
- victor: viewer (pembaca) of evaluation A: reads, never sees personal data.
- diana: administrator of agency A: manages its users, units and audit trail; reaches no
  evaluation she is not a member of.
- mallory: has an account, belongs to nothing; reaches no evaluation.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """Skip locally when a component is missing; in CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not available")


@pytest.fixture
def cast(db):
    from django.contrib.auth import get_user_model

    from tilik.web.accounts.models import Organisation, OrganisationMember
    from tilik.web.evaluations.models import Evaluation, Member

    User = get_user_model()
    agency_a = Organisation.objects.create(name="BKPSDM Kota A", kind="instansi")
    agency_b = Organisation.objects.create(name="BKPSDM Kabupaten B", kind="instansi")
    users = {
        name: User.objects.create_user(name, password="pw-" + name)
        for name in ("alice", "bob", "charlie", "victor", "diana", "mallory")
    }
    OrganisationMember.objects.create(organisation=agency_a, user=users["alice"])
    OrganisationMember.objects.create(organisation=agency_b, user=users["bob"])
    OrganisationMember.objects.create(organisation=agency_a, user=users["charlie"], role="leader")
    OrganisationMember.objects.create(organisation=agency_a, user=users["victor"], role="leader")
    OrganisationMember.objects.create(organisation=agency_a, user=users["diana"], role="admin")
    evaluation_a = Evaluation.objects.create(
        organisation=agency_a, title="Evaluasi A", period="2025"
    )
    evaluation_b = Evaluation.objects.create(
        organisation=agency_b, title="Evaluasi B", period="2025"
    )
    Member.objects.create(evaluation=evaluation_a, user=users["alice"], role="evaluator")
    Member.objects.create(evaluation=evaluation_a, user=users["charlie"], role="leader")
    Member.objects.create(evaluation=evaluation_a, user=users["victor"], role="viewer")
    Member.objects.create(evaluation=evaluation_b, user=users["bob"], role="evaluator")
    return type(
        "Cast",
        (),
        {
            **users,
            "agency_a": agency_a,
            "agency_b": agency_b,
            "evaluation_a": evaluation_a,
            "evaluation_b": evaluation_b,
        },
    )


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(os.path.exists(path), "Chromium (/usr/bin/chromium)")
    return path
