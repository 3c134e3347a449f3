from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilik.core import labels
from tilik.core.cycles import headline_figures
from tilik.core.findings import format_value
from tilik.web.collection.models import Submission
from tilik.web.evaluations.access import evaluation_for
from tilik.web.evaluations.forms import PreviousCycleForm
from tilik.web.evaluations.models import Enrolment, Evaluation, Member


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
        request, "evaluations/participants.html", {"evaluation": evaluation, "page": page}
    )


@login_required
def cycles(request, pk: int):
    """The evaluation's cycles: which evaluation came before it, and the headline figures of
    each cycle's latest analysis."""
    from tilik.web.reports.services import latest_run

    evaluation = evaluation_for(request, pk)
    can_edit = evaluation.can_edit(request.user)
    form = PreviousCycleForm(
        request.POST if request.method == "POST" else None,
        evaluation=evaluation,
        user=request.user,
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(
                request,
                _("Siklus sebelumnya disimpan. Jalankan analisis lagi untuk perbandingannya."),
            )
            return redirect("evaluations:cycles", pk=evaluation.pk)
    lang = (get_language() or "id")[:2]
    chain = [evaluation, *evaluation.earlier_cycles()]
    reachable = set(Evaluation.objects.for_user(request.user).values_list("pk", flat=True))
    runs = {e.pk: latest_run(e) for e in chain}
    current = runs[evaluation.pk].hasil if runs[evaluation.pk] else {}
    headlines = _headlines(current) if current else []
    rows = []
    for cycle in reversed(chain):
        run = runs[cycle.pk]
        figures = headline_figures(run.hasil, headlines) if run else {}
        rows.append(
            {
                "evaluation": cycle,
                "reachable": cycle.pk in reachable,
                "analysed": run is not None,
                "figures": [format_value(figures.get(h[0]), h[3], lang) for h in headlines],
            }
        )
    context = {
        "evaluation": evaluation,
        "form": form,
        "can_edit": can_edit,
        "rows": rows,
        "headline_names": [labels.headline_name(h[0], lang) for h in headlines],
        "waiting": [e for e in chain[1:] if runs[e.pk] is None],
    }
    return render(request, "evaluations/cycles.html", context)


def _headlines(hasil):
    from tilik.core.cycles import HEADLINES

    wanted = {hid for hid, value in headline_figures(hasil, HEADLINES).items() if value is not None}
    return [h for h in HEADLINES if h[0] in wanted]
