"""``tilik import``: a KoboToolbox, ODK Central, CSV or XLSX export into the database.

A thin layer over :mod:`tilik.web.collection.services` (the same code the upload page runs):
every row is stored or quarantined with its reasons, and importing the same file again stores
nothing twice.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import click

from tilik.core.i18n import LANGUAGES, gettext_noop, translate

__all__ = ["collect_commands", "import_command"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilik.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--evaluation",
    "evaluation_id",
    type=int,
    required=True,
    help="Id of the evaluation (shown in its web address: /evaluasi/N/).",
)
@click.option(
    "--form", "form_id", required=True, help="form_id of the instrument the file answers."
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="id",
    show_default=True,
    help="Language of messages (id = Indonesian, en = English).",
)
@click.option(
    "--limit", type=int, default=50, show_default=True, help="How many quarantined rows to list."
)
def import_command(file: Path, evaluation_id: int, form_id: str, lang: str, limit: int) -> None:
    """Import responses (Kobo / ODK Central / CSV / XLSX) into an instrument.

    Each row is stored once or quarantined with its reasons (file, row, column, value,
    expected); re-importing the same file adds nothing.
    """
    _setup_django()
    from tilik.core.ingest import estimate_rows
    from tilik.web.collection import services
    from tilik.web.collection.models import ImportBatch, Instrument

    instrument = (
        Instrument.objects.select_related("current")
        .filter(evaluation_id=evaluation_id, form_id=form_id)
        .first()
    )
    if instrument is None or instrument.current is None:
        raise click.ClickException(
            translate(
                gettext_noop("instrumen {form_id} tidak ada di evaluasi {evaluation}"), lang
            ).format(form_id=form_id, evaluation=evaluation_id)
        )
    data = file.read_bytes()
    batch = ImportBatch.objects.create(
        instrument=instrument,
        file_name=file.name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        status=ImportBatch.Status.PENDING,
        total=estimate_rows(data),
    )
    label = translate(gettext_noop("Membaca dan memeriksa baris"), lang)
    with click.progressbar(length=batch.total or 1, label=label, file=sys.stderr) as bar:
        seen = [0]

        def step(rows: int) -> None:
            if rows > seen[0]:
                bar.update(min(rows, bar.length) - min(seen[0], bar.length))
                seen[0] = rows

        batch = services.run_import(batch.pk, data, progress=step)
    for record in batch.problems:
        click.echo(f"  - {record.get(lang) or record['id']}")
    click.echo(
        translate(
            gettext_noop(
                "{read} baris dibaca: {stored} disimpan, {already} sudah ada atau ganda, "
                "{held} dikarantina"
            ),
            lang,
        ).format(
            read=batch.rows_read,
            stored=batch.stored,
            already=batch.already_stored,
            held=batch.quarantined,
        )
    )
    rows = batch.quarantined_rows.order_by("row")
    for row in rows[:limit]:
        for record in row.problems:
            click.echo(f"  - {record.get(lang) or record['id']}")
    if batch.quarantined > limit:
        click.echo(
            translate(gettext_noop("  … dan {n} baris karantina lain"), lang).format(
                n=batch.quarantined - limit
            )
        )
    if batch.status == ImportBatch.Status.FAILED or (batch.rows_read == 0 and batch.problems):
        raise SystemExit(1)


collect_commands = [import_command]
