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

from tilik.core.schedule import Plan, Schedule, Session, read_plan
from tilik.core.schedule.model import Attendance
from tilik.web.evaluations.models import Evaluation


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
        return self.runs.order_by("-started_at", "-pk").first()


class ScheduleRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Sedang dihitung")
        DONE = "done", _("Jadwal tersusun")
        INFEASIBLE = "infeasible", _("Tidak ada jadwal yang memenuhi semua batasan")
        NO_PLAN = "unknown", _("Belum ada jadwal dalam batas waktu")
        INVALID = "invalid", _("Rencana perlu diperbaiki")
        FAILED = "failed", _("Gagal")

    plan = models.ForeignKey(SchedulePlan, on_delete=models.CASCADE, related_name="runs")
    source = models.TextField(_("rencana yang dihitung"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    time_limit = models.FloatField(_("batas waktu (detik)"))
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
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
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.plan} — {self.get_status_display()}"

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
