"""Participant lists imported into an evaluation: checked (:mod:`tilik.core.roster`), stored
once, the rest held with their problems until fixed.

The web process records a :class:`ParticipantImport` and enqueues it; a worker runs
:func:`execute_import`. Importing the same list again stores nothing twice: people are found
by NIP, enrolments by (angkatan, person), held rows by their content. NIPs and names never
reach a log line.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from tilik.core.i18n import gettext_noop
from tilik.core.problems import Problem
from tilik.core.roster import HeldRow, RosterRow, check_row, read_roster
from tilik.web.accounts.models import Organisation
from tilik.web.evaluations.models import (
    Cohort,
    Employee,
    Enrolment,
    Evaluation,
    HeldParticipant,
    ParticipantImport,
    Program,
)
from tilik.web.jobs.models import ACTIVE
from tilik.web.jobs.tasks import enqueue

log = logging.getLogger(__name__)

#: The cells a held row shows for correction, in this order.
FIELDS = ("nip", "nama", "instansi", "unit", "jabatan", "golongan", "program", "angkatan")


def program_names(evaluation: Evaluation) -> dict[str, str]:
    """Every accepted way to write one of the evaluation's programs (lower case) → its name."""
    names: dict[str, str] = {}
    for program in evaluation.programs.all():
        names[program.name.lower()] = program.name
        names[program.code.lower()] = program.name
    return names


def start_import(
    evaluation: Evaluation,
    data: bytes,
    file_name: str,
    *,
    program: Program | None = None,
    angkatan: str = "",
    user=None,
) -> ParticipantImport:
    """Record a participant list and queue it for a worker (in the tests, it runs at once)."""
    batch = ParticipantImport.objects.create(
        evaluation=evaluation,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        program=program,
        angkatan=angkatan[:100],
        created_by=user if user is not None and user.is_authenticated else None,
        status=ParticipantImport.Status.PENDING,
    )
    enqueue(batch)
    return batch


def _records(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    from tilik.web.collection.services import problem_records

    return problem_records(problems)


def _raw_hash(raw: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()


class _Store:
    """Stores checked rows of one evaluation, finding organisations, people and angkatan
    again as it goes."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.top = evaluation.organisation
        self.programs = {p.name: p for p in evaluation.programs.all()}
        self.organisations: dict[tuple[int | None, str], Organisation] = {}
        self.cohorts: dict[tuple[int, str], Cohort] = {}

    def _organisation(self, name: str, parent: Organisation, kind: str) -> Organisation:
        key = (parent.pk, name.lower())
        if key not in self.organisations:
            found = Organisation.objects.filter(parent=parent, name__iexact=name).first()
            if found is None:
                found = Organisation.objects.create(parent=parent, name=name, kind=kind)
            self.organisations[key] = found
        return self.organisations[key]

    def workplace(self, row: RosterRow) -> Organisation:
        """Where the person works: the unit kerja under its OPD, under the evaluation's
        organisation (the organisation itself when the list names it, or names nothing)."""
        opd = self.top
        if row.instansi and row.instansi.lower() != self.top.name.lower():
            opd = self._organisation(row.instansi, self.top, Organisation.Kind.OPD)
        if row.unit and row.unit.lower() != opd.name.lower():
            return self._organisation(row.unit, opd, Organisation.Kind.UNIT)
        return opd

    def cohort(self, program: Program, name: str) -> Cohort:
        key = (program.pk, name.lower())
        if key not in self.cohorts:
            found = program.cohorts.filter(name__iexact=name).first()
            self.cohorts[key] = found or Cohort.objects.create(program=program, name=name)
        return self.cohorts[key]

    def store(self, row: RosterRow) -> bool:
        """Store one row; True when something was new or changed, False when it was all
        there already."""
        program = self.programs[row.program]
        workplace = self.workplace(row)
        details = {
            "organisation": workplace,
            "name": row.nama,
            "position": row.jabatan,
            "grade": row.golongan,
        }
        if row.sektor:
            details["sector"] = row.sektor
        if row.jenis_kelamin in ("L", "P"):
            details["gender"] = row.jenis_kelamin
        employee = Employee.objects.filter(nip=row.nip).first()
        changed = False
        if employee is None:
            employee = Employee(nip=row.nip, **details)
            changed = True
        else:
            for name, value in details.items():
                if getattr(employee, name) != value:
                    setattr(employee, name, value)
                    changed = True
        if changed:
            employee.save()
        _, created = Enrolment.objects.get_or_create(
            cohort=self.cohort(program, row.angkatan), employee=employee
        )
        return changed or created


def hold(
    evaluation: Evaluation, rows: list[HeldRow], file_name: str, batch: ParticipantImport | None
) -> tuple[int, int]:
    """Keep each held row once (by its content). Returns (held now, handled earlier): a row
    already held and still open counts as held; one fixed or discarded before, as handled."""
    held = earlier = 0
    for row in rows:
        digest = _raw_hash(row.raw)
        known = HeldParticipant.objects.filter(evaluation=evaluation, raw_hash=digest).first()
        if known is None:
            HeldParticipant.objects.create(
                evaluation=evaluation,
                batch=batch,
                file_name=file_name,
                row=row.row,
                raw=row.raw,
                raw_hash=digest,
                problems=_records(row.problems),
            )
            held += 1
        elif known.status == HeldParticipant.Status.OPEN:
            held += 1
        else:
            earlier += 1
    return held, earlier


def execute_import(batch_id: int) -> None:
    """A worker's job: read the waiting list, store its rows, hold the others, then bring
    the standard instruments' organisation lists up to date."""
    batch = ParticipantImport.objects.select_related("evaluation__organisation", "program").get(
        pk=batch_id
    )
    evaluation = batch.evaluation
    try:
        result = read_roster(
            bytes(batch.data),
            batch.file_name,
            programs=program_names(evaluation),
            default_program=batch.program.name if batch.program else "",
            default_angkatan=batch.angkatan,
        )
        store = _Store(evaluation)
        stored = already = 0
        for number, row in enumerate(result.rows, start=1):
            with transaction.atomic():
                if store.store(row):
                    stored += 1
                else:
                    already += 1
            if number % 200 == 0:
                ParticipantImport.objects.filter(pk=batch.pk).update(
                    progress=number, heartbeat=timezone.now()
                )
        held, earlier = hold(evaluation, result.held, batch.file_name, batch)
        fields: dict[str, Any] = {
            "rows_read": result.rows_read,
            "stored": stored,
            "already_stored": already + result.duplicates,
            "quarantined": held,
            "fixed_earlier": earlier,
            "progress": result.rows_read,
            "problems": _records(result.problems),
            "columns": result.columns,
            "status": ParticipantImport.Status.DONE,
        }
    except Exception:  # the user gets a message, the log gets the traceback (no row data)
        log.exception("participant import %s failed", batch.pk)
        fields = {
            "status": ParticipantImport.Status.FAILED,
            "problems": _records(
                [
                    Problem(
                        gettext_noop("impor peserta gagal karena kesalahan internal"),
                        file=batch.file_name,
                    )
                ]
            ),
        }
    ended = ParticipantImport.objects.filter(pk=batch.pk, status__in=ACTIVE).update(
        data=b"", finished_at=timezone.now(), **fields
    )
    if ended and fields["status"] == ParticipantImport.Status.DONE:
        from tilik.web.collection.services import refresh_choice_lists

        refresh_choice_lists(evaluation)


def recheck(held: HeldParticipant, cells: dict[str, str]) -> bool:
    """Check a corrected held row again; store it when it is now right."""
    evaluation = held.evaluation
    checked = check_row(
        held.row or 0,
        cells,
        programs=program_names(evaluation),
        file_name=held.file_name,
    )
    held.raw = {**held.raw, **cells}
    if isinstance(checked, HeldRow):
        held.problems = _records(checked.problems)
        held.save(update_fields=["raw", "problems"])
        return False
    with transaction.atomic():
        _Store(evaluation).store(checked)
        held.status, held.problems = HeldParticipant.Status.RESOLVED, []
        held.save(update_fields=["raw", "problems", "status"])
    from tilik.web.collection.services import refresh_choice_lists

    refresh_choice_lists(evaluation)
    return True
