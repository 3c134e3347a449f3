from django.contrib import admin

from tilik.web.coding.models import CodeChange, ManualCode


@admin.register(ManualCode)
class ManualCodeAdmin(admin.ModelAdmin):
    list_display = ["evaluation", "source", "role", "origin", "updated_by", "updated_at"]
    list_filter = ["evaluation", "source"]
    readonly_fields = ["key", "text", "source", "role", "origin", "updated_at"]


@admin.register(CodeChange)
class CodeChangeAdmin(admin.ModelAdmin):
    list_display = ["evaluation", "action", "code", "sources", "created_by", "created_at"]
    list_filter = ["evaluation", "action"]
