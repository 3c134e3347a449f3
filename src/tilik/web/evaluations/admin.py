from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tilik.web.evaluations.models import Cohort, Employee, Enrolment, Evaluation, Member, Program


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    autocomplete_fields = ["user"]


class ProgramInline(admin.TabularInline):
    model = Program
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "period", "status"]
    list_filter = ["status", "period"]
    search_fields = ["title"]
    inlines = [MemberInline, ProgramInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "start", "end"]
    list_filter = ["program__evaluation"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_nip", "organisation", "position", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "nip"]

    @admin.display(description=_("NIP"))
    def masked_nip(self, obj):
        return obj.masked_nip


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "cohort", "attendance", "jp_completed", "year"]
    list_filter = ["cohort__program", "year"]
    raw_id_fields = ["employee", "cohort"]
