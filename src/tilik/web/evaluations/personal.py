"""Personal data of an evaluation under UU 27/2022: a person's data found, exported,
corrected or deleted on request, and everything personal purged when the retention period
ends (the aggregates, the report files and the audit trail stay)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tilik.core.ingest import is_personal_field
from tilik.core.nip import pseudonymise
from tilik.core.personal import mask_text
from tilik.web.evaluations.models import Employee, Enrolment, Evaluation

__all__ = [
    "PersonData",
    "correct_person",
    "delete_person",
    "due_for_purge",
    "find_person",
    "person_json",
    "purge",
    "purge_due",
]


def _key() -> bytes:
    return settings.TILIK_HASH_KEY.encode("utf-8")


def _submissions(evaluation: Evaluation):
    from tilik.web.collection.models import Submission

    return Submission.objects.filter(instrument__evaluation=evaluation).select_related("instrument")


@dataclass
class PersonData:
    """What an evaluation holds about one person."""

    query: str
    enrolments: list[Enrolment] = field(default_factory=list)
    submissions: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.enrolments and not self.submissions

    @property
    def employees(self) -> list[Employee]:
        seen: dict[int, Employee] = {}
        for enrolment in self.enrolments:
            seen.setdefault(enrolment.employee_id, enrolment.employee)
        return list(seen.values())


def _matches(answers: dict[str, Any], needle: str) -> bool:
    for name, value in answers.items():
        if isinstance(value, list):
            if any(isinstance(v, dict) and _matches(v, needle) for v in value):
                return True
            continue
        if not is_personal_field(name) or value in (None, ""):
            continue
        text = str(value).strip().casefold()
        if text == needle or (len(needle) >= 4 and needle in text):
            return True
    return False


def find_person(evaluation: Evaluation, query: str) -> PersonData:
    """Everything about the person named by ``query``: a NIP, a respondent code or a name
    (at least 3 letters), in the roster and in the responses."""
    query = " ".join(query.split())[:200]
    found = PersonData(query)
    if len(query) < 3:
        return found
    needle = query.casefold()
    digits = "".join(ch for ch in query if ch.isdigit())
    roster = Enrolment.objects.filter(cohort__program__evaluation=evaluation).select_related(
        "employee", "cohort__program"
    )
    found.enrolments = [
        e
        for e in roster
        if (digits and len(digits) == 18 and e.employee.nip == digits)
        or needle in e.employee.name.casefold()
    ]
    keys = {pseudonymise(query, _key())}
    keys |= {pseudonymise(e.employee.nip, _key()) for e in found.enrolments}
    for submission in _submissions(evaluation).iterator(chunk_size=2000):
        if submission.respondent_key in keys or _matches(submission.answers, needle):
            found.submissions.append(submission)
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def person_json(evaluation: Evaluation, found: PersonData) -> bytes:
    """The person's data as one JSON document (the answer to a request for access)."""
    data = {
        "evaluasi": evaluation.title,
        "instansi": str(evaluation.organisation),
        "dibuat": timezone.now().isoformat(),
        "peserta": [
            {
                "nip": e.employee.nip,
                "nama": e.employee.name,
                "jabatan": e.employee.position,
                "sektor": e.employee.sector,
                "program": e.cohort.program.name,
                "angkatan": e.cohort.name,
                "kehadiran": float(e.attendance) if e.attendance is not None else None,
                "jp": float(e.jp_completed) if e.jp_completed is not None else None,
            }
            for e in found.enrolments
        ],
        "respons": [
            {
                "instrumen": s.instrument.form_id,
                "id_kiriman": s.instance_id,
                "waktu_kirim": _plain(s.submitted_at),
                "jawaban": s.answers,
            }
            for s in found.submissions
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _forget_employees(employees: Iterable[Employee]) -> int:
    """Employees no longer enrolled anywhere are deleted (their NIP and name go)."""
    gone = 0
    for employee in employees:
        if not employee.enrolments.exists():
            employee.delete()
            gone += 1
    return gone


@transaction.atomic
def correct_person(found: PersonData, values: dict[str, str]) -> int:
    """Apply corrections: ``employee:<id>:<field>`` (name, position, sector) and
    ``answer:<submission id>:<field>`` (a personal field of a response). Returns how many
    values changed."""
    changed = 0
    employees = {e.pk: e for e in found.employees}
    submissions = {s.pk: s for s in found.submissions}
    for name, value in values.items():
        parts = name.split(":", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        kind, pk, field_name = parts[0], int(parts[1]), parts[2]
        value = value.strip()[:200]
        if kind == "employee" and pk in employees and field_name in ("name", "position", "sector"):
            employee = employees[pk]
            if getattr(employee, field_name) != value:
                setattr(employee, field_name, value)
                employee.save(update_fields=[field_name])
                changed += 1
        elif kind == "answer" and pk in submissions and is_personal_field(field_name):
            submission = submissions[pk]
            if field_name in submission.answers and str(submission.answers[field_name]) != value:
                submission.answers[field_name] = value
                submission.save(update_fields=["answers"])
                changed += 1
    return changed


@transaction.atomic
def delete_person(found: PersonData) -> dict[str, int]:
    employees = found.employees
    for enrolment in found.enrolments:
        enrolment.delete()
    for submission in found.submissions:
        submission.delete()
    return {
        "enrolments": len(found.enrolments),
        "submissions": len(found.submissions),
        "employees": _forget_employees(employees),
    }


def _strip_personal(answers: Any) -> Any:
    """Answers without personal fields, free texts masked."""
    if isinstance(answers, dict):
        return {
            name: _strip_personal(value)
            for name, value in answers.items()
            if not is_personal_field(name)
        }
    if isinstance(answers, list):
        return [_strip_personal(v) for v in answers]
    if isinstance(answers, str):
        return mask_text(answers)
    return answers


def due_for_purge(now: datetime | None = None) -> list[Evaluation]:
    """Evaluations whose retention period has ended and whose personal data is still there."""
    now = now or timezone.now()
    return [
        e
        for e in Evaluation.objects.filter(personal_data_purged_at__isnull=True)
        if e.retention_end() <= now
    ]


@transaction.atomic
def purge(evaluation: Evaluation) -> dict[str, int]:
    """Remove the evaluation's personal data: roster names and NIPs, personal fields and
    contacts in responses, raw rows and open answers as written (kept masked), unresolved
    quarantine rows, the codes on respondent links, transcripts as written (kept masked).
    The results of analyses already run (hasil.json and the report files, which hold no
    personal data) and the audit trail stay."""
    from tilik.web.collection.models import Interview, QuarantinedRow, RespondentLink

    counts = {"submissions": 0, "interviews": 0, "quarantined": 0, "enrolments": 0}
    for submission in _submissions(evaluation).iterator(chunk_size=1000):
        submission.answers = _strip_personal(submission.answers)
        submission.raw = {}
        submission.save(update_fields=["answers", "raw"])
        counts["submissions"] += 1
    for interview in Interview.objects.filter(evaluation=evaluation):
        interview.transcript = mask_text(interview.transcript)
        interview.save(update_fields=["transcript"])
        counts["interviews"] += 1
    counts["quarantined"], _ = QuarantinedRow.objects.filter(
        instrument__evaluation=evaluation
    ).delete()
    RespondentLink.objects.filter(instrument__evaluation=evaluation).update(label="")
    enrolments = Enrolment.objects.filter(cohort__program__evaluation=evaluation)
    employees = list({e.employee for e in enrolments.select_related("employee")})
    counts["enrolments"], _ = enrolments.delete()
    counts["employees"] = _forget_employees(employees)
    evaluation.personal_data_purged_at = timezone.now()
    evaluation.save(update_fields=["personal_data_purged_at"])
    return counts


def purge_due(now: datetime | None = None, *, dry_run: bool = False) -> list[tuple]:
    """Purge every evaluation whose retention period has ended; each purge goes to the
    audit trail. Returns ``(evaluation, counts)`` pairs (counts empty on a dry run)."""
    from tilik.web.audit.models import Action
    from tilik.web.audit.services import record

    done = []
    for evaluation in due_for_purge(now):
        counts = {} if dry_run else purge(evaluation)
        if not dry_run:
            record(None, Action.PURGED, evaluation=evaluation, **counts)
        done.append((evaluation, counts))
    return done
