from django.contrib import admin

from tilik.web.collection.models import (
    FormVersion,
    ImportBatch,
    Instrument,
    Interview,
    Observation,
    PrivacyNotice,
    QuarantinedRow,
    RespondentLink,
    Submission,
)


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ["version", "sha256", "created_at"]
    readonly_fields = fields


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["form_id", "title", "kind", "evaluation"]
    list_filter = ["kind", "evaluation"]
    inlines = [FormVersionInline]
    exclude = ["current"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["instance_id", "instrument", "source", "submitted_at", "received_at"]
    list_filter = ["source", "instrument__kind"]
    readonly_fields = [
        "instrument",
        "instance_id",
        "answers",
        "raw",
        "content_hash",
        "respondent_key",
        "submitted_at",
        "received_at",
        "source",
        "batch",
        "row",
    ]


@admin.register(Observation)
class ObservationAdmin(SubmissionAdmin):
    pass


@admin.register(QuarantinedRow)
class QuarantinedRowAdmin(admin.ModelAdmin):
    list_display = ["file_name", "row", "instrument", "status", "created_at"]
    list_filter = ["status"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "instrument",
        "rows_read",
        "stored",
        "already_stored",
        "quarantined",
        "created_at",
    ]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["file_name", "role", "instansi", "sector", "date", "evaluation"]
    list_filter = ["role", "sector"]
    search_fields = ["file_name", "transcript"]


@admin.register(RespondentLink)
class RespondentLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "instrument", "kind", "used", "expires_at", "revoked_at"]
    list_filter = ["kind", "used"]
    # The token hash is useless to a person and the token itself is never stored.
    exclude = ["token_hash", "public_token"]
    readonly_fields = ["instrument", "kind", "used", "created_by"]


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["evaluation", "updated_at"]
