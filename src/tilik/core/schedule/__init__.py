"""Flexible training schedules that keep public services staffed (no Django).

A plan (:mod:`~tilik.core.schedule.plan`, from ``jadwal.yaml`` or the web app) names the
participants, their units' minimum staffing and busy periods, modules, delivery modes,
trainers, rooms and districts. :func:`solve` makes the flexible plan with OR-Tools CP-SAT
(:mod:`~tilik.core.schedule.solver`), or explains why none exists
(:mod:`~tilik.core.schedule.explain`); :func:`rigid_plan` is today's one-block plan;
:func:`summary` compares the two (:mod:`~tilik.core.schedule.metrics`);
:func:`write_files` writes CSV, XLSX and iCalendar files; :mod:`~tilik.core.schedule.prefill`
drafts a plan from an evaluation's data.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tilik.core.schedule.explain import Reason, precheck
    from tilik.core.schedule.metrics import SCHEMA, evaluate, quality_words, summary
    from tilik.core.schedule.model import Plan, Schedule, Session
    from tilik.core.schedule.outputs import calendar_ics, schedule_rows, write_files
    from tilik.core.schedule.plan import dump_plan, parse_plan, read_plan
    from tilik.core.schedule.rigid import rigid_plan
    from tilik.core.schedule.solver import SolveResult, solve

# Names are loaded from their module on first use: the solver (OR-Tools, pandas) takes most
# of a second to import, and Django's start-up reads the planning models, which need a plan's
# classes only.
_WHERE = {
    **dict.fromkeys(("Reason", "precheck"), "explain"),
    **dict.fromkeys(("SCHEMA", "evaluate", "quality_words", "summary"), "metrics"),
    **dict.fromkeys(("Plan", "Schedule", "Session"), "model"),
    **dict.fromkeys(("calendar_ics", "schedule_rows", "write_files"), "outputs"),
    **dict.fromkeys(("dump_plan", "parse_plan", "read_plan"), "plan"),
    **dict.fromkeys(("rigid_plan",), "rigid"),
    **dict.fromkeys(("SolveResult", "solve"), "solver"),
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SCHEMA",
    "Plan",
    "Reason",
    "Schedule",
    "Session",
    "SolveResult",
    "calendar_ics",
    "dump_plan",
    "evaluate",
    "parse_plan",
    "precheck",
    "quality_words",
    "read_plan",
    "rigid_plan",
    "schedule_rows",
    "solve",
    "summary",
    "write_files",
]
