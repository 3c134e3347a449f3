"""``tilik schedule PLAN.yaml --out DIR``: the flexible training schedule of a plan."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tilik.core.i18n import LANGUAGES, gettext_noop, translate

STATUS_WORDS = {
    "optimal": gettext_noop("optimal (terbukti)"),
    "feasible": gettext_noop("layak, terbaik yang ditemukan"),
}
EXIT_INFEASIBLE = 3
EXIT_NO_PLAN = 4


def read_summary(path: str | Path, lang: str = "id") -> dict:
    """The ``ringkasan.json`` of a ``tilik schedule`` output folder (or that file itself)."""
    file = Path(path)
    if file.is_dir():
        file = file / "ringkasan.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.ClickException(
            translate("{file}: bukan ringkasan jadwal dari tilik schedule", lang).format(file=file)
        ) from exc
    if not isinstance(data, dict) or data.get("schema") != "tilik.jadwal/1":
        raise click.ClickException(
            translate("{file}: bukan ringkasan jadwal dari tilik schedule", lang).format(file=file)
        )
    return data


def run_schedule(
    plan_path: str | Path,
    out: str | Path,
    *,
    lang: str = "id",
    time_limit: float | None = None,
    workers: int | None = None,
    echo=click.echo,
) -> int:
    """Read, solve and write a plan; returns the exit code (0 plan written, 2 bad input,
    3 infeasible with its reasons written to ``penjelasan.json``, 4 no plan in time)."""
    from tilik.core.problems import render_all
    from tilik.core.schedule import (
        quality_words,
        read_plan,
        rigid_plan,
        solve,
        summary,
        write_files,
    )
    from tilik.report.schedule import write_schedule_report

    plan, problems = read_plan(plan_path)
    for line in render_all(problems, lang):
        echo(f"  - {line}")
    if plan is None:
        echo(translate("Rencana tidak dapat dibaca; perbaiki masalah di atas.", lang))
        return 2
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    stages = {
        "precheck": translate("Memeriksa batasan…", lang),
        "model": translate("Menyusun model…", lang),
        "solve": translate("Mencari rencana terbaik…", lang),
        "assign": translate("Membagi peserta ke sesi…", lang),
    }
    result = solve(
        plan,
        time_limit=time_limit,
        workers=workers,
        progress=lambda stage: echo(stages.get(stage, stage)),
    )
    for reason in result.reasons:
        mark = "!" if reason.severity == "error" else "-"
        echo(f"  {mark} {reason.render(lang)}")
    if result.schedule is None:
        (target / "penjelasan.json").write_text(
            json.dumps(
                {
                    "status": result.status,
                    "reasons": [r.to_dict(lang) for r in result.reasons],
                    "solver": result.stats,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        if result.status == "infeasible":
            echo(translate("Tidak ada rencana yang memenuhi semua batasan (lihat di atas).", lang))
            return EXIT_INFEASIBLE
        return EXIT_NO_PLAN
    rigid = rigid_plan(plan)
    jadwal = summary(plan, result.schedule, rigid, result.stats)
    written = write_files(plan, result.schedule, target, rigid=rigid, summary=jadwal, lang=lang)
    written.update(write_schedule_report(plan, result.schedule, jadwal, target, lang))
    flex, base = jadwal["flexible"], jadwal["rigid"]
    gap = jadwal["solver"]["gap"]
    echo(
        translate(
            "Rencana: {status}, dalam {seconds} detik (celah optimalitas {gap}).", lang
        ).format(
            status=translate(STATUS_WORDS.get(result.status, result.status), lang),
            seconds=f"{jadwal['solver']['seconds']:.1f}",
            gap="–" if gap is None else f"{100 * gap:.1f}%",
        )
    )
    quality = quality_words(jadwal["solver"], lang)
    if quality:
        echo(quality)
    header = translate("ukuran | satu blok | fleksibel", lang)
    echo(header)
    for label, key, fmt in (
        (gettext_noop("menyelesaikan modul wajib"), "completion", "{:.1%}"),
        (gettext_noop("mencapai target JP"), "share_target", "{:.1%}"),
        (gettext_noop("kekurangan petugas (jam-orang)"), "shortfall_hours", "{:,.0f}"),
        (gettext_noop("biaya perjalanan (Rp)"), "travel_cost", "{:,.0f}"),
        (gettext_noop("hari kalender"), "calendar_days", "{:d}"),
    ):
        echo(f"{translate(label, lang)} | {fmt.format(base[key])} | {fmt.format(flex[key])}")
    for name, path in written.items():
        echo(f"{name}: {path}")
    return 0


@click.command("schedule")
@click.argument("plan", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the schedule (CSV, XLSX, HTML, .ics files, ringkasan.json) into.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=None,
    help="Seconds the solver may search (default: options.time_limit of the plan, else 60).",
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Solver threads.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="id",
    show_default=True,
    help="Language of messages and files (id = Indonesian, en = English).",
)
def schedule(plan: str, out: str, time_limit: float | None, workers: int | None, lang: str) -> None:
    """Make the flexible training schedule of PLAN (jadwal.yaml) and compare it with one block.

    Writes jadwal.csv, jadwal.xlsx, jadwal.html, grafik/jadwal.svg, ringkasan.json and one
    .ics per participant and per trainer; an impossible plan is explained (penjelasan.json).
    """
    code = run_schedule(plan, out, lang=lang, time_limit=time_limit, workers=workers)
    if code:
        raise SystemExit(code)
