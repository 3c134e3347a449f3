"""Moving evaluations between the database and bundle folders.

Import is idempotent: an evaluation is found again by (organisation, title, period), programs
by name, instruments by form_id, submissions by instance id, interviews by file name,
participants by NIP. Importing the same bundle twice changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tilik.core.bundle import Bundle, Dataset, read_bundle, read_meta, write_bundle
from tilik.core.bundle import Interview as CoreInterview
from tilik.core.columnar import NotByColumns, Table, read_table
from tilik.core.ingest import (
    Quarantined,
    Response,
    StoredRow,
    read_export_parallel,
    stored_row,
    write_kobo_csv,
    write_kobo_xlsx,
)
from tilik.core.previous import resolve_previous
from tilik.core.problems import Problem
from tilik.core.xlsform import Form, write_xlsform
from tilik.web.accounts.models import Organisation, OrganisationMember
from tilik.web.collection.models import (
    FormVersion,
    ImportBatch,
    Instrument,
    Interview,
    Submission,
)
from tilik.web.collection.services import (
    fresh_rows,
    hash_key,
    json_safe,
    parallel_min_rows,
    store_prepared,
    store_quarantined,
)
from tilik.web.collection.stored import read_instrument
from tilik.web.evaluations.models import (
    Cohort,
    Employee,
    Enrolment,
    Evaluation,
    Member,
    Program,
    program_choices,
)


@dataclass
class ImportSummary:
    evaluation: Evaluation
    created: bool = False
    stored: dict[str, int] = field(default_factory=dict)
    already_stored: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)
    interviews_added: int = 0
    participants_added: int = 0
    follow_ups: int = 0
    # the evaluation ``previous:`` names, when it is in the database (else None)
    previous: Evaluation | None = None


class BundleRefused(Exception):
    """The bundle has errors that refuse it as a whole (:attr:`Bundle.refusals`): the same
    ones ``tilik bundle check`` reports. Nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems refuse the bundle")
        self.problems = problems


def read_bundle_for_db(
    path: str | Path, *, check_forms: bool = True, read_data: bool = False
) -> Bundle:
    """Read a bundle with the installation's pseudonym key, so keys match stored ones, and
    with the same checks as ``tilik bundle check`` (pyxform included): what check accepts,
    import imports; what it refuses, import refuses.

    The data files' rows are read by :func:`import_bundle`, which stores them as they are
    read (``read_data`` reads them here, as ``tilik bundle check`` does)."""
    return read_bundle(path, check_forms=check_forms, hash_key=hash_key(), read_data=read_data)


def _organisation(
    name: str, parent: Organisation | None = None, kind: str = Organisation.Kind.INSTANSI
) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        parent=parent, name=name.strip(), defaults={"kind": kind}
    )
    return organisation


@transaction.atomic
def import_bundle(
    bundle: Bundle,
    *,
    user=None,
    organisation: Organisation | None = None,
    source: str = Submission.Source.BUNDLE,
) -> ImportSummary:
    """Store everything a bundle holds; rows with problems go to quarantine.

    Raises :class:`BundleRefused` (storing nothing) when the bundle has errors other than
    those of data rows. Files are taken from what :func:`read_bundle` read
    (``bundle.sources``): the folder is not read a second time. Data files whose rows were
    not read with the bundle (:func:`read_bundle_for_db`) are read and checked in a second
    process while this one stores the rows, chunk by chunk
    (:func:`tilik.core.ingest.read_export_parallel`): memory stays bounded, two cores work.
    A file refused part-way refuses the bundle: the transaction stores nothing.
    """
    if bundle.refusals:
        raise BundleRefused(bundle.refusals)
    meta = bundle.meta
    organisation = organisation or _organisation(meta.organisation or "Instansi")
    evaluation, created = Evaluation.objects.get_or_create(
        organisation=organisation,
        title=meta.title,
        period=str(meta.period or ""),
        defaults={"objectives": meta.objectives, "status": Evaluation.Status.ANALYSING},
    )
    evaluation.objectives = meta.objectives
    evaluation.settings = {
        k: v
        for k, v in json_safe(meta.raw).items()
        if k not in ("title", "organisation", "period", "objectives", "programs", "formula_escape")
    }
    evaluation.previous = _previous_in_db(bundle, evaluation) or evaluation.previous
    evaluation.save()
    if user is not None:
        # Whoever imports an evaluation works for its organisation and may create others there.
        OrganisationMember.objects.get_or_create(
            organisation=organisation,
            user=user,
            defaults={"role": OrganisationMember.Role.EVALUATOR},
        )
        Member.objects.get_or_create(
            evaluation=evaluation, user=user, defaults={"role": Member.Role.EVALUATOR}
        )
    summary = ImportSummary(evaluation=evaluation, created=created, previous=evaluation.previous)
    for program in meta.programs:
        Program.objects.update_or_create(
            evaluation=evaluation,
            name=program.name,
            defaults={
                "kind": program.kind,
                "jp": Decimal(str(program.jp)) if program.jp is not None else None,
                "start": program.start,
                "end": program.end,
                "budget": Decimal(str(program.budget)) if program.budget is not None else None,
                "participants_planned": program.participants,
            },
        )
    for form_id, form in bundle.forms.items():
        spec = bundle.spec(form_id)
        instrument, made = Instrument.objects.update_or_create(
            evaluation=evaluation,
            form_id=form_id,
            defaults={
                "kind": spec.kind,
                "title": form.title,
                "options": {
                    "test": spec.test,
                    "compare_by": spec.compare_by,
                    "unit": spec.unit,
                    "inferred": spec.inferred,
                },
            },
        )
        data = bundle.sources.get(f"instrumen/{form_id}.xlsx") or write_xlsform(form)
        version, _ = FormVersion.objects.get_or_create(
            instrument=instrument,
            sha256=FormVersion.digest(data),
            defaults={"version": form.version, "xlsform": data, "definition": form.to_dict()},
        )
        if instrument.current_id != version.id:
            instrument.current = version
            instrument.save(update_fields=["current"])
        dataset = bundle.data.get(form_id)
        if dataset is None:
            continue
        read = bundle.sources.get(dataset.file)
        batch = ImportBatch.objects.create(
            instrument=instrument,
            file_name=dataset.file,
            sha256=hashlib.sha256(read).hexdigest() if read is not None else "",
            created_by=user,
        )
        sent, stored, already, conflicts = _store_dataset(
            bundle, dataset, instrument, source, batch, fresh=made
        )
        if bundle.refusals:  # found while reading (a file refused part-way): nothing is kept
            continue
        held, earlier = store_quarantined(
            instrument, dataset.quarantined + conflicts, dataset.file, batch
        )
        batch.rows_read = sent + len(dataset.quarantined) + dataset.duplicates
        batch.stored, batch.already_stored, batch.quarantined = stored, already, held
        batch.already_stored += dataset.duplicates
        batch.fixed_earlier = earlier
        batch.save()
        summary.stored[form_id] = stored
        summary.already_stored[form_id] = already
        summary.quarantined[form_id] = held
    if bundle.refusals:
        raise BundleRefused(bundle.refusals)
    for interview in bundle.interviews:
        _, added = Interview.objects.update_or_create(
            evaluation=evaluation,
            file_name=interview.file,
            defaults={
                "role": interview.role,
                "instansi": interview.instansi,
                "sector": interview.sector,
                "date": interview.date,
                "transcript": interview.text,
            },
        )
        summary.interviews_added += int(added)
    summary.participants_added = _import_roster(bundle, evaluation, organisation)
    summary.follow_ups = _import_follow_ups(bundle, evaluation, user)
    _align_program_codes(evaluation)
    return summary


def _align_program_codes(evaluation: Evaluation) -> None:
    """A program's code becomes the choice name the bundle's instruments give it (the choice
    labelled with its name), so that removal, renames and standard instruments added later
    speak of the same program as the responses do."""
    programs = list(evaluation.programs.all())
    taken = {program.code for program in programs}
    choices = program_choices(evaluation.pk)
    for program in programs:
        found = program.answer_codes(choices) - {program.code}
        if len(found) != 1:
            continue  # the instruments already use its code, do not name it, or are ambiguous
        code = found.pop()
        if code in taken:
            continue
        taken.discard(program.code)
        program.code = code
        program.save(update_fields=["code"])
        taken.add(code)


def _store_dataset(
    bundle: Bundle,
    dataset: Dataset,
    instrument: Instrument,
    source: str,
    batch: ImportBatch,
    *,
    fresh: bool = False,
) -> tuple[int, int, int, list[Quarantined]]:
    """Store a dataset's rows: ``(rows sent to the database, stored, already stored,
    conflicts to quarantine)``. Rows not read yet are streamed from a second process; once
    the bundle is refused, the rest is read (for its problems) but not stored. The rows of an
    instrument created by this import (``fresh``) go in without being looked up
    (:func:`fresh_rows`); those of one stored before are compared with what it holds."""
    counts = [0, 0, 0]
    conflicts: list[Quarantined] = []
    with fresh_rows(instrument, source, batch) if fresh else nullcontext() as send:

        def sink(rows: list[StoredRow]) -> None:
            counts[0] += len(rows)
            if bundle.refusals:
                return
            if send is not None:
                counts[1] += send(rows)
                return
            stored, already, clashes = store_prepared(instrument, rows, source, batch)
            counts[1] += stored
            counts[2] += already
            conflicts.extend(clashes)

        if dataset.read:
            key = hash_key()
            sink([stored_row(response, key) for response in dataset.responses])
        else:
            result = read_export_parallel(
                bundle.sources[dataset.file],
                dataset.form,
                sink=sink,
                file_name=dataset.file,
                hash_key=hash_key(),
                min_rows=parallel_min_rows(),
                formula_escaped=dataset._escaped,
            )
            bundle.add_read(dataset, result)
    return counts[0], counts[1], counts[2], conflicts


def _previous_in_db(bundle: Bundle, evaluation: Evaluation) -> Evaluation | None:
    """The stored evaluation the bundle's ``previous:`` names (by its organisation, title and
    period), unless linking it would make the cycles loop."""
    if not bundle.meta.previous:
        return None
    path, _ = resolve_previous(bundle.path, bundle.meta.previous)
    if path is None:
        return None
    meta = read_meta(path)
    found = Evaluation.objects.filter(
        organisation__name=meta.organisation.strip(),
        title=meta.title,
        period=str(meta.period or ""),
    ).first()
    if found is None or found.pk == evaluation.pk:
        return None
    if evaluation.pk in {e.pk for e in found.earlier_cycles()}:
        return None
    return found


def _import_follow_ups(bundle: Bundle, evaluation: Evaluation, user) -> int:
    """tindak_lanjut.csv into the evaluation's follow-up records (by recommendation key)."""
    from django.apps import apps

    if not bundle.follow_ups or not apps.is_installed("tilik.web.reports"):
        return 0
    from tilik.web.reports.models import FollowUp

    changed = 0
    for key, state in bundle.follow_ups.items():
        defaults = {
            "status": state["status"],
            "due": state.get("due") or None,
            "assignee": state.get("assignee", ""),
            "note": state.get("note", ""),
        }
        current = FollowUp.objects.filter(evaluation=evaluation, key=key).first()
        if current is not None and all(
            str(getattr(current, f) or "") == str(v or "") for f, v in defaults.items()
        ):
            continue
        FollowUp.objects.update_or_create(
            evaluation=evaluation, key=key, defaults={**defaults, "updated_by": user}
        )
        changed += 1
    return changed


def _import_roster(bundle: Bundle, evaluation: Evaluation, organisation: Organisation) -> int:
    added = 0
    programs = {p.name: p for p in evaluation.programs.all()}
    for participant in bundle.roster:
        unit = (
            _organisation(participant.instansi, organisation, Organisation.Kind.OPD)
            if participant.instansi
            else organisation
        )
        if participant.sektor and unit.sector != participant.sektor and unit != organisation:
            unit.sector = participant.sektor
            unit.save(update_fields=["sector"])
        employee, _ = Employee.objects.update_or_create(
            nip=participant.nip,
            defaults={
                "organisation": unit,
                "name": participant.nama,
                "position": participant.jabatan,
                "sector": participant.sektor,
                "gender": participant.jenis_kelamin[:1].upper()
                if participant.jenis_kelamin
                else "",
            },
        )
        program = programs.get(participant.program)
        if program is None:
            program, _ = Program.objects.get_or_create(
                evaluation=evaluation, name=participant.program or "—"
            )
            programs[program.name] = program
        cohort, _ = Cohort.objects.get_or_create(program=program, name=participant.angkatan or "1")
        _, created = Enrolment.objects.update_or_create(
            cohort=cohort,
            employee=employee,
            defaults={
                "attendance": Decimal(str(participant.kehadiran))
                if participant.kehadiran is not None
                else None,
                "jp_completed": Decimal(str(participant.jp))
                if participant.jp is not None
                else None,
                "year": participant.year,
            },
        )
        added += int(created)
    return added


def response_from(submission: Submission) -> Response:
    """A stored submission as the :class:`Response` an export writes (local times)."""
    submitted = submission.submitted_at
    if submitted is not None:
        submitted = timezone.localtime(submitted).replace(tzinfo=None)
    return Response(
        instance_id=submission.instance_id,
        answers=submission.answers,
        raw=submission.raw,
        row=submission.row or 0,
        submitted_at=submitted,
        key=submission.respondent_key or None,
        content_hash=submission.content_hash,
    )


def export_bundle(
    evaluation: Evaluation,
    target: str | Path,
    *,
    link_previous: bool = True,
    data: bool = True,
) -> Path:
    """Write the evaluation as a bundle folder: what ``tilik bundle import`` reads back
    (without ``data``, everything but the submissions).

    With ``link_previous`` the previous cycle is named in ``evaluasi.yaml`` as a folder beside
    this one (``previous: ../<name>``; the name the import gave, else one made from the
    previous evaluation's title); the analysis of the web app passes the previous cycles
    from the database instead and leaves it out.
    """
    meta: dict[str, Any] = {
        "title": evaluation.title,
        "organisation": evaluation.organisation.name,
        "period": int(evaluation.period) if evaluation.period.isdigit() else evaluation.period,
        "programs": [
            {
                k: v
                for k, v in {
                    "name": p.name,
                    "kind": p.kind or None,
                    "jp": float(p.jp) if p.jp is not None else None,
                    "dates": {"start": p.start, "end": p.end} if p.start or p.end else None,
                    "budget": int(p.budget) if p.budget is not None else None,
                    "participants": p.participants_planned,
                }.items()
                if v is not None
            }
            for p in evaluation.programs.order_by("id")
        ],
        "objectives": list(evaluation.objectives),
    }
    meta.update(evaluation.settings)
    meta.pop("previous", None)
    if link_previous and evaluation.previous is not None:
        meta["previous"] = evaluation.settings.get("previous") or previous_folder(
            evaluation.previous
        )
    # What the database says of each instrument (kinds chosen in the web app, the test a
    # pre-test and post-test share); those whose kind was only inferred stay inferred.
    specs = dict(meta.get("instruments") or {})
    for instrument in evaluation.instruments.all():
        if instrument.options.get("inferred"):
            continue
        spec = {"kind": instrument.kind}
        for key in ("test", "compare_by", "unit"):
            if instrument.options.get(key):
                spec[key] = instrument.options[key]
        specs[instrument.form_id] = spec
    if specs:
        meta["instruments"] = specs
    forms, responses = {}, {}
    for instrument in evaluation.instruments.select_related("current"):
        if instrument.current is None:
            continue
        forms[instrument.form_id] = instrument.form()
        if data:
            responses[instrument.form_id] = [
                response_from(s) for s in instrument.submissions.order_by("submitted_at", "id")
            ]
    interviews = [
        CoreInterview(
            file=i.file_name,
            role=i.role,
            instansi=i.instansi,
            sector=i.sector,
            date=i.date,
            text=i.transcript,
        )
        for i in evaluation.interviews.order_by("file_name")
    ]
    roster = [
        {
            "nip": e.employee.nip,
            "nama": e.employee.name,
            "jenis_kelamin": e.employee.gender,
            "instansi": e.employee.organisation.name,
            "sektor": e.employee.sector,
            "jabatan": e.employee.position,
            "program": e.cohort.program.name,
            "angkatan": e.cohort.name,
            "kehadiran": _plain(e.attendance),
            "jp": _plain(e.jp_completed),
            "tahun": e.year or "",
        }
        for e in Enrolment.objects.filter(cohort__program__evaluation=evaluation)
        .select_related("employee__organisation", "cohort__program")
        .order_by("id")
    ]
    root = write_bundle(
        target, meta, forms, responses, interviews, roster, follow_ups=_follow_ups(evaluation)
    )
    for form_id, instrument in ((i.form_id, i) for i in evaluation.instruments.all()):
        if instrument.current is not None:  # the uploaded file itself, byte for byte
            (root / "instrumen" / f"{form_id}.xlsx").write_bytes(bytes(instrument.current.xlsform))
    return root


def previous_folder(previous: Evaluation) -> str:
    """``../<folder>``: where a bundle exported beside this one would find the previous cycle."""
    from django.utils.text import slugify

    return "../" + (slugify(f"{previous.title}") or f"evaluasi-{previous.pk}")


def _follow_ups(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    from django.apps import apps

    if not apps.is_installed("tilik.web.reports"):
        return {}
    return {
        f.key: {
            "status": f.status,
            "due": f.due.isoformat() if f.due else "",
            "assignee": f.assignee,
            "note": f.note,
        }
        for f in evaluation.follow_ups.order_by("key")
    }


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def read_evaluation(evaluation: Evaluation, *, link_previous: bool = True) -> Bundle:
    """The evaluation as a bundle, for its analysis: the same bundle as exporting it and
    reading the export back (``read_bundle_for_db(export_bundle(...))``), every stored
    answer checked again against its instrument's current form, but the submissions are
    read from the database by columns (:func:`tilik.web.collection.stored.read_instrument`),
    chunk by chunk, never written out. Forms the columns cannot read (repeats) are exported
    and read back as before.
    """
    with tempfile.TemporaryDirectory(prefix="tilik-bundle-") as folder:
        root = export_bundle(
            evaluation, Path(folder) / "bundle", link_previous=link_previous, data=False
        )
        bundle = read_bundle_for_db(root, check_forms=False)
    instruments = {
        i.form_id: i
        for i in evaluation.instruments.select_related("current")
        if i.current is not None and i.submissions.exists()
    }
    # in the order the export's data files are read: by file name
    for name in sorted(_data_file(bundle.forms[f]) for f in instruments if f in bundle.forms):
        form_id = name.split(".")[0]
        form, label = bundle.forms[form_id], f"data/{name}"
        try:
            table = read_instrument(
                instruments[form_id], form, file_name=label, hash_key=bundle.hash_key
            )
        except NotByColumns:
            table = _exported(instruments[form_id], form, label, bundle.hash_key)
        dataset = Dataset(
            form_id, label, form, table.responses, _frame=table.frame, _key=bundle.hash_key
        )
        bundle.add_data(dataset, table.result)
    return bundle


def _data_file(form: Form) -> str:
    """The name an export gives a form's data: KoboToolbox's XLSX when it has repeats."""
    return f"{form.form_id}.xlsx" if form.repeats else f"{form.form_id}.csv"


def _exported(instrument: Instrument, form: Form, label: str, key: bytes) -> Table:
    responses = [response_from(s) for s in instrument.submissions.order_by("submitted_at", "id")]
    write = write_kobo_xlsx if form.repeats else write_kobo_csv
    return read_table(write(form, responses), form, file_name=label, hash_key=key)
