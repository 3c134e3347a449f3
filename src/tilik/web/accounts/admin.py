from django.contrib import admin

from tilik.web.accounts.models import Organisation, OrganisationMember


class MemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "sector"]
    list_filter = ["kind", "sector"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [MemberInline]
