"""The ``tilik`` command: a thin layer over the core, the report package and the web app."""

from __future__ import annotations

import importlib
import os
import secrets
import shutil
import sys
import threading
from pathlib import Path

import click

from tilik.cli.serving import worker_count
from tilik.core.i18n import LANGUAGES, translate

DEMO_BUNDLE = Path(__file__).resolve().parents[3] / "examples" / "kupang-2025"
DEMO_USER = "demo"


def _django() -> None:
    """Configure Django only for the commands that need the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilik.web.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _collect_static() -> None:
    """Copy the static files, hashed and compressed, where the server serves them from."""
    from django.conf import settings
    from django.core.management import call_command

    if not settings.STATIC_FROM_SOURCE:
        call_command("collectstatic", interactive=False, verbosity=0)


def _say_problems(problems, lang: str, limit: int = 200) -> tuple[int, int]:
    from tilik.core.problems import render_all

    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    for line in render_all(problems, lang)[:limit]:
        click.echo(f"  - {line}")
    if len(problems) > limit:
        click.echo(translate("  … dan {n} masalah lain", lang).format(n=len(problems) - limit))
    return errors, warnings


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="id",
    show_default=True,
    help="Language of messages and reports (id = Indonesian, en = English).",
)


@click.group()
@click.version_option(package_name="tilik")
def cli() -> None:
    """Tilik: evaluation of civil-servant (ASN) development programs."""


@cli.group()
def bundle() -> None:
    """Check, import and export evaluation bundles (folders in the bundle format)."""


def _read(path: str, check_forms: bool):
    from tilik.core.bundle import read_bundle
    from tilik.core.problems import BundleError

    try:
        return read_bundle(path, check_forms=check_forms)
    except BundleError as exc:
        raise click.ClickException(exc.problem.render()) from exc


@bundle.command("check")
@click.argument("path", type=click.Path(file_okay=False))
@lang_option
def bundle_check(path: str, lang: str) -> None:
    """Read a bundle and list every problem (file, row, column, value, expected).

    Exits with status 1 when there are errors.
    """
    data = _read(path, check_forms=True)
    counts = ", ".join(f"{form_id}: {d.n_responses}" for form_id, d in sorted(data.data.items()))
    click.echo(translate("Bundel: {title}", lang).format(title=data.meta.title or path))
    click.echo(
        translate("Instrumen: {n}; respons tersimpan per instrumen: {counts}", lang).format(
            n=len(data.forms), counts=counts or "–"
        )
    )
    click.echo(
        translate("Wawancara: {n}; peserta: {m}", lang).format(
            n=len(data.interviews), m=len(data.roster)
        )
    )
    if not data.problems:
        click.echo(translate("Tidak ada masalah.", lang))
        return
    errors, warnings = _say_problems(data.problems, lang)
    click.echo(
        translate("{errors} kesalahan, {warnings} peringatan.", lang).format(
            errors=errors, warnings=warnings
        )
    )
    held = sum(len(d.quarantined) for d in data.data.values())
    if data.refusals:  # the verdict «tilik bundle import» gives on the same reading
        click.echo(
            translate(
                "«tilik bundle import» akan menolak bundel ini: {n} kesalahan bukan soal baris "
                "data.",
                lang,
            ).format(n=len(data.refusals))
        )
    elif held:
        click.echo(
            translate(
                "«tilik bundle import» akan menyimpan baris yang sah dan mengarantina {n} baris.",
                lang,
            ).format(n=held)
        )
    if errors:
        sys.exit(1)


@bundle.command("import")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--user",
    "username",
    default=None,
    help="Make this existing user an evaluator of the imported evaluation.",
)
@lang_option
def bundle_import(path: str, username: str | None, lang: str) -> None:
    """Import a bundle into the database. Importing it again adds nothing twice."""
    _django()
    _migrate()
    summary = _import(path, username, lang)
    click.echo(
        translate("Evaluasi #{id}: {title}", lang).format(
            id=summary.evaluation.pk, title=summary.evaluation.title
        )
    )


def _import(path: str, username: str | None, lang: str):
    from django.contrib.auth import get_user_model

    from tilik.core.problems import BundleError
    from tilik.web.evaluations.bundles import BundleRefused, import_bundle, read_bundle_for_db

    user = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise click.ClickException(
                translate("Pengguna «{user}» tidak ada.", lang).format(user=username)
            )
    try:
        data = read_bundle_for_db(path)
    except BundleError as exc:
        raise click.ClickException(exc.problem.render(lang)) from exc
    try:
        summary = import_bundle(data, user=user)
    except BundleRefused as refused:
        _say_problems(refused.problems, lang)
        raise click.ClickException(
            translate(
                "Bundel ditolak: {n} kesalahan (sama dengan yang dilaporkan «tilik bundle "
                "check»); tidak ada yang disimpan.",
                lang,
            ).format(n=len(refused.problems))
        ) from refused
    from tilik.web.audit.models import Action
    from tilik.web.audit.services import record

    record(
        None,
        Action.BUNDLE_IMPORTED,
        evaluation=summary.evaluation,
        user=user,
        stored=sum(summary.stored.values()),
        quarantined=sum(summary.quarantined.values()),
        cli=True,
    )
    for form_id in sorted(data.data):
        click.echo(
            translate(
                "{form_id}: {stored} baru, {already} sudah ada, {held} dikarantina", lang
            ).format(
                form_id=form_id,
                stored=summary.stored.get(form_id, 0),
                already=summary.already_stored.get(form_id, 0),
                held=summary.quarantined.get(form_id, 0),
            )
        )
    return summary


@bundle.command("export")
@click.argument("evaluation")
@click.argument("target", type=click.Path(file_okay=False))
@lang_option
def bundle_export(evaluation: str, target: str, lang: str) -> None:
    """Write EVALUATION (its number or exact title) as a bundle folder TARGET."""
    _django()
    from tilik.web.evaluations.bundles import export_bundle
    from tilik.web.evaluations.models import Evaluation

    query = (
        Evaluation.objects.filter(pk=int(evaluation))
        if evaluation.isdigit()
        else Evaluation.objects.filter(title=evaluation)
    )
    found = query.first()
    if found is None:
        raise click.ClickException(
            translate("Evaluasi «{name}» tidak ditemukan.", lang).format(name=evaluation)
        )
    root = export_bundle(found, target)
    click.echo(translate("Bundel ditulis ke {path}", lang).format(path=root))


def write_report(
    path: str | Path, out: str | Path, lang: str = "id", schedule: dict | None = None
) -> dict[str, Path]:
    """Analyse a bundle and write ``hasil.json`` and the report files into ``out``."""
    from tilik.core.bundle import read_bundle
    from tilik.report.pdf import Printer

    # While the bundle is read (mostly in polars' threads, or waiting on the disk): the PDF
    # printer imports WeasyPrint in its own process, and SciPy's statistics (half a second
    # of imports) load in a thread. Only third-party modules in that thread, none of
    # Tilik's, so it never waits on a module the reading is importing.
    printer = Printer.start()
    warm = threading.Thread(target=importlib.import_module, args=("scipy.stats",), daemon=True)
    warm.start()
    try:
        data = read_bundle(path, keep_sources=False)
        from tilik.report.pipeline import build_report
    except BaseException:
        if printer is not None:
            printer.close()
        raise
    return build_report(data, Path(out), lang=lang, schedule=schedule, printer=printer)


@cli.command("report")
@click.argument("path", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write hasil.json and the report into.",
)
@click.option(
    "--schedule",
    "schedule",
    type=click.Path(exists=True),
    default=None,
    help="A flexible schedule to include: the --out folder of `tilik schedule` (ringkasan.json).",
)
@lang_option
def report(path: str, out: str, schedule: str | None, lang: str) -> None:
    """Analyse bundle PATH and write hasil.json, laporan.html/.pdf/.docx and charts to --out."""
    from tilik.cli.schedule import read_summary
    from tilik.core.problems import BundleError

    try:
        written = write_report(path, out, lang, read_summary(schedule, lang) if schedule else None)
    except BundleError as exc:
        raise click.ClickException(exc.problem.render(lang)) from exc
    for name, file in written.items():
        click.echo(f"{name}: {file}")
    _QUICK_EXIT.append(True)


#: Set by a command whose work is written and closed: the console entry point then ends the
#: process without the interpreter freeing every object of a million-row analysis one by
#: one (a third of a second at 1,000,000 rows). Not used under click's test runner.
_QUICK_EXIT: list[bool] = []


def _demo_password() -> str:
    from django.conf import settings

    file = settings.DATA_DIR / "demo-login.txt"
    if file.exists():
        return file.read_text().strip()
    password = secrets.token_urlsafe(9)
    file.write_text(password)
    file.chmod(0o600)
    return password


def _ensure_demo_user():
    from django.contrib.auth import get_user_model

    password = _demo_password()
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USER, defaults={"first_name": "Evaluator", "last_name": "Demo"}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user, password


def _demo_user_administers(user, evaluation) -> None:
    """The demo user also administers the demo's organisation, so that its team pages and
    the leaders' portfolio can be tried too (an evaluator alone sees neither)."""
    from tilik.web.accounts.models import OrganisationMember

    OrganisationMember.objects.update_or_create(
        organisation=evaluation.organisation,
        user=user,
        defaults={"role": OrganisationMember.Role.ADMIN},
    )


@cli.command("demo")
@click.option("--port", default=8000, show_default=True, help="Port to serve on.")
@click.option("--no-serve", is_flag=True, help="Load the demo and write its report, then stop.")
@click.option(
    "--bundle",
    "bundle_path",
    default=str(DEMO_BUNDLE),
    show_default=False,
    type=click.Path(file_okay=False),
    help="Bundle to load (default: the Kupang demo).",
)
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(file_okay=False),
    help="Report folder (default: tilik-output/<bundle name>).",
)
@lang_option
def demo(port: int, no_serve: bool, bundle_path: str, out: str | None, lang: str) -> None:
    """Load the demo evaluation, write its report, and serve the web app with a worker."""
    _django()
    from django.conf import settings

    _migrate()
    _collect_static()
    user, password = _ensure_demo_user()
    _load_previous_cycles(bundle_path, user, lang)
    summary = _import(bundle_path, user.username, lang)
    _demo_user_administers(user, summary.evaluation)
    target = Path(out) if out else settings.TILIK_OUTPUT / Path(bundle_path).resolve().name
    click.echo(translate("Menganalisis dan menulis laporan…", lang))
    run = _analyse_now(summary.evaluation, user, lang)
    if run.status == run.Status.DONE:
        # The web app and the output folder show the same analysis run.
        shutil.copytree(run.path, target, dirs_exist_ok=True)
        click.echo(translate("Laporan: {path}", lang).format(path=target / "laporan.html"))
    else:
        click.echo(translate("Analisis tidak selesai: {why}", lang).format(why=run.message(lang)))
    url = f"http://127.0.0.1:{port}/evaluasi/{summary.evaluation.pk}/"
    if no_serve:
        click.echo(
            translate("Aplikasi web: jalankan «tilik serve», lalu buka {url}", lang).format(url=url)
        )
    else:
        click.echo(translate("Alamat: {url}", lang).format(url=url))
    click.echo(
        translate("Masuk sebagai «{user}» dengan kata sandi «{password}»", lang).format(
            user=user.username, password=password
        )
    )
    if not no_serve:
        _serve("127.0.0.1", port, tasks=max(worker_count(), 1), quiet=True, lang=lang)


def _load_previous_cycles(bundle_path: str, user, lang: str) -> None:
    """Import and analyse the cycles the demo bundle links to (``previous:``), oldest first,
    so its report compares with them. Each is one line of output."""
    from tilik.core.bundle import read_meta
    from tilik.core.previous import MAX_CYCLES, resolve_previous
    from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db
    from tilik.web.reports.services import latest_run

    chain: list[Path] = []
    root = Path(bundle_path).resolve()
    allowed = root.parent
    current = root
    while len(chain) < MAX_CYCLES:
        path, _problem = resolve_previous(current, read_meta(current).raw.get("previous"), allowed)
        if path is None or path in chain or path == root:
            break
        chain.append(path)
        current = path
    for path in reversed(chain):
        data = read_bundle_for_db(path, check_forms=False)
        if data.refusals:
            break
        evaluation = import_bundle(data, user=user).evaluation
        if latest_run(evaluation) is None:
            _analyse_now(evaluation, user, lang)
        click.echo(
            translate("Siklus sebelumnya dimuat: {title}", lang).format(title=evaluation.title)
        )


def _analyse_now(evaluation, user, lang: str):
    """Analyse as a worker does: in a fresh child process (this one will start the server)."""
    from tilik.web.jobs.runner import run_job
    from tilik.web.reports.models import AnalysisRun
    from tilik.web.reports.services import active_run, new_folder

    running = active_run(evaluation)
    if running is not None:  # left by a server stopped a moment ago: this run replaces it
        running.end(running.Status.INTERRUPTED, "stopped")
    run = AnalysisRun.objects.create(
        evaluation=evaluation,
        created_by=user,
        lang=lang,
        folder=new_folder(evaluation),
        status=AnalysisRun.Status.PENDING,
    )
    run_job(run.label, run.pk)
    run.refresh_from_db()
    return run


def _serve(host: str, port: int, *, tasks: int, quiet: bool, lang: str = "id") -> None:
    from tilik.cli.serving import exec_serve

    ready = translate("Tilik berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)", lang)
    exec_serve(host, port, tasks=tasks, quiet=quiet, ready=ready.format(host=host, port=port))


@cli.command("serve")
@click.option("--port", default=8000, show_default=True, help="Port to serve on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 to serve the office network).",
)
@click.option(
    "--workers",
    "tasks",
    default=None,
    type=click.IntRange(min=0),
    help="Background workers to start beside the web server (default: TILIK_TASK_WORKERS "
    "or 1; 0 when `tilik worker` runs elsewhere).",
)
def serve(port: int, host: str, tasks: int | None) -> None:
    """Serve the web app and its background worker (prepares the database first)."""
    _django()
    _migrate()
    _collect_static()
    _serve(host, port, tasks=worker_count() if tasks is None else tasks, quiet=False)


@cli.command("worker")
@click.option(
    "--batch", is_flag=True, help="Run the tasks waiting in the queue, then stop (for scripts)."
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between looks at an empty queue.",
)
def worker(batch: bool, interval: float) -> None:
    """Run background work (imports, analysis, reports, XLSForm checks) from the queue.

    Several workers, on one machine or several against one PostgreSQL database, share the
    queue; no task runs twice. Ctrl-C stops the worker at once (a running task is stopped
    and marked interrupted: running it again is safe).
    """
    from tilik.cli.serving import die_with_supervisor

    die_with_supervisor()
    _django()
    from tilik.web.jobs.worker import TilikWorker

    runner = TilikWorker(batch=batch, interval=interval)
    runner.configure_signals()
    runner.run()


@cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be purged; change nothing.")
@lang_option
def purge(dry_run: bool, lang: str) -> None:
    """Remove personal data whose retention period has ended (names, NIPs, contacts, open
    answers as written); aggregates, reports and the audit trail stay.

    `tilik worker` runs this once a day by itself; the command is for scripts and checks.
    """
    _django()
    from tilik.web.evaluations.personal import purge_due

    done = purge_due(dry_run=dry_run)
    for evaluation, counts in done:
        line = translate("«{title}»: {n} respons, {m} peserta", lang).format(
            title=evaluation.title,
            n=counts.get("submissions", 0),
            m=counts.get("enrolments", 0),
        )
        click.echo(("  (dry-run) " if dry_run else "  ") + line)
    click.echo(translate("Data pribadi dihapus dari {n} evaluasi.", lang).format(n=len(done)))


@cli.command("manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (createsuperuser, migrate, compilemessages, ...)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tilik manage", *args])


def _register_subcommands() -> None:
    from tilik.cli.collect import collect_commands
    from tilik.cli.schedule import schedule
    from tilik.cli.themes import themes

    cli.add_command(themes)
    cli.add_command(schedule)
    for command in collect_commands:
        cli.add_command(command)


_register_subcommands()


def main() -> None:  # pragma: no cover - console entry point
    from tilik.cli.bantuan import language, localise

    localise(cli, language(sys.argv[1:], os.environ))
    try:
        cli()
    except SystemExit as end:
        if _QUICK_EXIT and end.code in (0, None):
            import logging

            sys.stdout.flush()
            sys.stderr.flush()
            logging.shutdown()
            os._exit(0)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["cli", "write_report"]
