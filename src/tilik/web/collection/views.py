from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from tilik.core.ingest import is_personal_field
from tilik.web.collection.models import Submission
from tilik.web.evaluations.access import evaluation_for


@login_required
def instrument_detail(request, pk: int, form_id: str):
    evaluation = evaluation_for(request, pk)
    instrument = get_object_or_404(evaluation.instruments, form_id=form_id)
    form = instrument.form() if instrument.current else None
    lang = (get_language() or "id")[:2]
    questions = []
    if form is not None:
        for q in form.questions:
            questions.append({"q": q, "label": q.labels.get(lang) or q.label})
    quarantine = instrument.quarantine.filter(status="open").order_by("file_name", "row")
    for row in quarantine:
        row.messages = [p.get(lang) or p.get("id") for p in row.problems]
    context = {
        "evaluation": evaluation,
        "instrument": instrument,
        "questions": questions,
        "n_submissions": instrument.submissions.count(),
        "quarantine": quarantine[:200],
        "imports": instrument.imports.all()[:20],
    }
    return render(request, "collection/instrument.html", context)


@login_required
def interview_detail(request, pk: int, interview_id: int):
    evaluation = evaluation_for(request, pk)
    interview = get_object_or_404(evaluation.interviews, pk=interview_id)
    return render(request, "collection/interview.html",
                  {"evaluation": evaluation, "interview": interview})


@login_required
def observation_list(request, pk: int):
    evaluation = evaluation_for(request, pk)
    observations = Submission.objects.filter(
        instrument__evaluation=evaluation, instrument__kind="observasi"
    ).select_related("instrument").order_by("submitted_at", "id")
    page = Paginator(observations, 25).get_page(request.GET.get("halaman"))
    rows, forms = [], {}
    for obs in page:
        form = forms.get(obs.instrument_id) or forms.setdefault(obs.instrument_id, obs.instrument.form())
        shown = []
        for q in form.data_questions():
            if is_personal_field(q.name) or q.name not in obs.answers:
                continue
            value = obs.answers[q.name]
            if isinstance(value, list):
                value = ", ".join(value)
            shown.append((q.label, value))
        rows.append({"obs": obs, "answers": shown})
    return render(request, "collection/observations.html",
                  {"evaluation": evaluation, "page": page, "rows": rows})
