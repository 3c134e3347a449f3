"""ScheduleRun becomes a background job: the job's status (pending … done) and the solver's
outcome (a schedule, infeasible, none in time, an invalid plan) are kept apart."""

from django.db import migrations, models

# old status → (job status, outcome)
_CARRIED = {
    "done": ("done", "solved"),
    "infeasible": ("done", "infeasible"),
    "unknown": ("done", "unknown"),
    "invalid": ("done", "invalid"),
    "failed": ("failed", ""),
    # solved inside a request that never finished: nothing will finish it now
    "running": ("interrupted", ""),
}


def carry_statuses(apps, schema_editor):
    ScheduleRun = apps.get_model("planning", "ScheduleRun")
    for old, (status, outcome) in _CARRIED.items():
        ScheduleRun.objects.filter(status=old).update(status=status, outcome=outcome)


def restore_statuses(apps, schema_editor):
    ScheduleRun = apps.get_model("planning", "ScheduleRun")
    for old, (status, outcome) in _CARRIED.items():
        if status == "done":
            ScheduleRun.objects.filter(status="done", outcome=outcome).update(status=old)
    ScheduleRun.objects.exclude(
        status__in=["done", "infeasible", "unknown", "invalid", "failed"]
    ).update(status="failed")


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_schedule_plans_and_runs"),
    ]

    operations = [
        migrations.RenameField("schedulerun", "started_at", "created_at"),
        migrations.AlterField(
            model_name="schedulerun",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="diminta"),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Belum ada hasil"),
                    ("solved", "Jadwal tersusun"),
                    ("infeasible", "Tidak ada jadwal yang memenuhi semua batasan"),
                    ("unknown", "Belum ada jadwal dalam batas waktu"),
                    ("invalid", "Rencana perlu diperbaiki"),
                ],
                default="",
                max_length=20,
                verbose_name="hasil",
            ),
        ),
        migrations.RunPython(carry_statuses, restore_statuses),
        migrations.AlterField(
            model_name="schedulerun",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Menunggu"),
                    ("running", "Sedang berjalan"),
                    ("done", "Selesai"),
                    ("failed", "Gagal"),
                    ("interrupted", "Terputus"),
                    ("cancelled", "Dibatalkan"),
                    ("timed_out", "Melewati batas waktu"),
                ],
                default="done",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="stage",
            field=models.CharField(blank=True, max_length=20, verbose_name="tahap"),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="error",
            field=models.JSONField(blank=True, default=dict, verbose_name="pesan kesalahan"),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="heartbeat",
            field=models.DateTimeField(blank=True, null=True, verbose_name="tanda hidup terakhir"),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mulai dikerjakan"),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="task_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="ID tugas"),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="cancel_requested",
            field=models.BooleanField(default=False, verbose_name="diminta batal"),
        ),
        migrations.AlterModelOptions(
            name="schedulerun",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "hasil penjadwalan",
                "verbose_name_plural": "hasil penjadwalan",
            },
        ),
        migrations.AddConstraint(
            model_name="schedulerun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "running"])),
                fields=("plan",),
                name="schedule_run_one_active",
            ),
        ),
    ]
