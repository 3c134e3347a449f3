from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from tilik.web.collection.models import Submission
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.models import Enrolment, Evaluation, Member
from tilik.web.evaluations.privacy import sees_personal


@login_required
def evaluation_list(request):
    evaluations = (
        Evaluation.objects.for_user(request.user)
        .select_related("organisation")
        .annotate(n_programs=Count("programs", distinct=True))
    )
    return render(request, "evaluations/list.html", {"evaluations": evaluations})


@login_required
def evaluation_detail(request, pk: int):
    evaluation = evaluation_for(request, pk)
    programs = evaluation.programs.annotate(
        n_enrolled=Count("cohorts__enrolments", distinct=True),
        n_cohorts=Count("cohorts", distinct=True),
    )
    instruments = evaluation.instruments.annotate(
        n_submissions=Count("submissions", distinct=True),
    ).order_by("form_id")
    open_quarantine = dict(
        evaluation.instruments.filter(quarantine__status="open")
        .annotate(n=Count("quarantine"))
        .values_list("id", "n")
    )
    for instrument in instruments:
        instrument.n_quarantined = open_quarantine.get(instrument.id, 0)
    context = {
        "evaluation": evaluation,
        "role": evaluation.role_of(request.user),
        "can_edit": evaluation.can_edit(request.user),
        "role_label": dict(Member.Role.choices).get(evaluation.role_of(request.user), ""),
        "programs": programs,
        "instruments": instruments,
        "n_participants": Enrolment.objects.filter(cohort__program__evaluation=evaluation)
        .values("employee")
        .distinct()
        .count(),
        "n_interviews": evaluation.interviews.count(),
        "n_observations": Submission.objects.filter(
            instrument__evaluation=evaluation, instrument__kind="observasi"
        ).count(),
        "interviews": evaluation.interviews.all()[:50],
    }
    return render(request, "evaluations/detail.html", context)


@login_required
def participant_list(request, pk: int):
    evaluation = evaluation_for(request, pk)
    enrolments = (
        Enrolment.objects.filter(cohort__program__evaluation=evaluation)
        .select_related("employee__organisation", "cohort__program")
        .order_by("cohort__program__name", "cohort__name", "employee__name")
    )
    page = Paginator(enrolments, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "evaluations/participants.html",
        {
            "evaluation": evaluation,
            "page": page,
            "personal": sees_personal(evaluation, request.user),
        },
    )
