from django.contrib import admin

from tilik.web.planning.models import SchedulePlan, ScheduleRun


@admin.register(SchedulePlan)
class SchedulePlanAdmin(admin.ModelAdmin):
    list_display = ("title", "evaluation", "updated_at")
    list_filter = ("evaluation",)
    search_fields = ("title",)


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ("plan", "status", "outcome", "created_at", "finished_at")
    list_filter = ("status", "outcome")
    readonly_fields = ("summary", "reasons", "problems")
    exclude = ("schedule",)
