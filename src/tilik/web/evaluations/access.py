"""The one place that decides who reaches an evaluation."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tilik.web.evaluations.models import Evaluation


def evaluation_for(request, pk: int, *, edit: bool = False) -> Evaluation:
    """The evaluation if ``request.user`` is a member (404 otherwise, so ids leak nothing)."""
    evaluation = get_object_or_404(Evaluation.objects.for_user(request.user), pk=pk)
    if edit and not evaluation.can_edit(request.user):
        raise PermissionDenied
    return evaluation
