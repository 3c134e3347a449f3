"""Training plans of an evaluation and their solved schedules.

A :class:`SchedulePlan` holds the plan as the YAML an evaluator edits (``jadwal.yaml``); each
:class:`ScheduleRun` keeps the plan as it was solved, the schedule (sessions and who attends
them), the comparison with the rigid plan (``tilik.jadwal/1``) and, when there is no plan,
the reasons. Participants appear by code only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilik.core.i18n import gettext_noop
from tilik.core.schedule import Plan, Schedule, Session, read_plan
from tilik.core.schedule.model import Attendance
from tilik.web.evaluations.models import Evaluation
from tilik.web.jobs.models import StagedJob


class SchedulePlan(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="schedule_plans"
    )
    title = models.CharField(_("judul"), max_length=250)
    source = models.TextField(_("rencana (YAML)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("rencana jadwal")
        verbose_name_plural = _("rencana jadwal")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def latest_run(self) -> ScheduleRun | None:
        return self.runs.order_by("-created_at", "-pk").first()


class ScheduleRun(StagedJob):
    """One solve of a plan, done by a worker (:class:`~tilik.web.jobs.models.Job`).

    ``status`` says where the work stands (pending, running, done, cancelled…); ``outcome``
    what the solver made of the plan once it is done: a schedule, none possible, none found
    in the time limit, or a plan to correct first.
    """

    class Outcome(models.TextChoices):
        NONE = "", _("Belum ada hasil")
        SOLVED = "solved", _("Jadwal tersusun")
        INFEASIBLE = "infeasible", _("Tidak ada jadwal yang memenuhi semua batasan")
        NO_PLAN = "unknown", _("Belum ada jadwal dalam batas waktu")
        INVALID = "invalid", _("Rencana perlu diperbaiki")

    # Stages as the solver names them (tilik.core.schedule.solver.solve), after reading the
    # plan; the order is the order they run in.
    STAGES = {
        "read": _("Membaca rencana"),
        "precheck": _("Pemeriksaan awal"),
        "model": _("Menyusun model"),
        "solve": _("Mencari jadwal terbaik"),
        "assign": _("Menempatkan peserta"),
        "compare": _("Membandingkan dengan pola satu blok"),
    }
    EXECUTE = "tilik.web.planning.services.solve_run"
    MESSAGES = {
        "interrupted": gettext_noop(
            "Penyusunan jadwal terputus: server atau worker berhenti saat menghitung. Susun "
            "jadwal lagi."
        ),
        "stopped": gettext_noop(
            "Penyusunan jadwal dihentikan karena worker dimatikan. Susun jadwal lagi."
        ),
        "cancelled": gettext_noop("Penyusunan jadwal dibatalkan."),
        "timed_out": gettext_noop(
            "Penyusunan jadwal dihentikan karena melewati batas waktu pekerjaan latar belakang "
            "(TILIK_TASK_TIME_LIMIT)."
        ),
        "crashed": gettext_noop(
            "Penyusunan jadwal berhenti mendadak (misalnya kehabisan memori); rinciannya ada "
            "di log server."
        ),
    }

    plan = models.ForeignKey(SchedulePlan, on_delete=models.CASCADE, related_name="runs")
    source = models.TextField(_("rencana yang dihitung"))
    outcome = models.CharField(
        _("hasil"), max_length=20, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    time_limit = models.FloatField(_("batas waktu (detik)"))
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    schedule = models.JSONField(_("jadwal"), default=dict, blank=True)
    reasons = models.JSONField(_("penjelasan"), default=list, blank=True)
    problems = models.JSONField(_("masalah rencana"), default=list, blank=True)

    class Meta:
        verbose_name = _("hasil penjadwalan")
        verbose_name_plural = _("hasil penjadwalan")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two clicks or two tabs never solve the same plan twice at once.
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status__in=["pending", "running"]),
                name="schedule_run_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.state_label}"

    @property
    def solved(self) -> bool:
        return self.status == self.Status.DONE and self.outcome == self.Outcome.SOLVED

    @property
    def state_label(self) -> str:
        """What a person reads about the run: its outcome once done, else its status."""
        if self.status == self.Status.DONE and self.outcome:
            return str(self.get_outcome_display())
        return str(self.get_status_display())

    def done_line(self) -> str:
        return self.state_label

    def plan_object(self) -> Plan | None:
        plan, _problems = parse_plan_text(self.source)
        return plan

    def schedule_object(self) -> Schedule | None:
        if not self.schedule:
            return None
        return Schedule(
            sessions=[Session(**s) for s in self.schedule.get("sessions", [])],
            attendance=[Attendance(p, s) for p, s in self.schedule.get("attendance", [])],
            status=self.summary.get("solver", {}).get("status", "feasible"),
        )


def parse_plan_text(text: str):
    """The plan of a YAML text and its problems (named as ``jadwal.yaml``, with line numbers)."""
    return read_plan("jadwal.yaml", text=text)


def schedule_json(schedule: Schedule) -> dict:
    return {
        "sessions": [
            {
                "id": s.id,
                "module": s.module,
                "mode": s.mode,
                "start": s.start,
                "length": s.length,
                "trainer": s.trainer,
                "venue": s.venue,
            }
            for s in schedule.sessions
        ],
        "attendance": [[a.participant, a.session] for a in schedule.attendance],
    }
