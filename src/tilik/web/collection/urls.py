from django.urls import path

from tilik.web.collection import views

app_name = "collection"
urlpatterns = [
    path("baru/", views.new_evaluation, name="new_evaluation"),
    path("<int:pk>/instrumen-baru/", views.instrument_add, name="instrument_add"),
    path("<int:pk>/instrumen/<slug:form_id>/", views.instrument_detail, name="instrument"),
    path("<int:pk>/instrumen/<slug:form_id>/xlsform/", views.xlsform_download, name="xlsform"),
    path("<int:pk>/instrumen/<slug:form_id>/versi/", views.xlsform_upload, name="xlsform_upload"),
    path(
        "<int:pk>/instrumen/<slug:form_id>/pengaturan/",
        views.instrument_settings,
        name="instrument_settings",
    ),
    path("<int:pk>/instrumen/<slug:form_id>/impor/", views.import_upload, name="import"),
    path("<int:pk>/instrumen/<slug:form_id>/tautan/", views.links, name="links"),
    path(
        "<int:pk>/instrumen/<slug:form_id>/ekspor.<str:fmt>", views.export_responses, name="export"
    ),
    path("<int:pk>/impor/<int:batch_id>/", views.batch_detail, name="batch"),
    path("<int:pk>/impor/<int:batch_id>/kemajuan/", views.batch_progress, name="batch_progress"),
    path("<int:pk>/impor/<int:batch_id>/batal/", views.batch_cancel, name="batch_cancel"),
    path("<int:pk>/unggahan/<int:upload_id>/", views.form_upload_detail, name="form_upload"),
    path(
        "<int:pk>/unggahan/<int:upload_id>/status/",
        views.form_upload_status,
        name="form_upload_status",
    ),
    path(
        "<int:pk>/unggahan/<int:upload_id>/batal/",
        views.form_upload_cancel,
        name="form_upload_cancel",
    ),
    path("<int:pk>/karantina/<int:row_id>/", views.quarantine_edit, name="quarantine"),
    path("<int:pk>/tautan/<int:link_id>/cabut/", views.link_revoke, name="link_revoke"),
    path("<int:pk>/privasi/", views.privacy_edit, name="privacy"),
    path("<int:pk>/ekspor/bundel.zip", views.export_bundle_zip, name="bundle_zip"),
    path("<int:pk>/wawancara/", views.interview_list, name="interviews"),
    path("<int:pk>/wawancara/<int:interview_id>/", views.interview_detail, name="interview"),
    path("<int:pk>/observasi/", views.observation_list, name="observations"),
    path("<int:pk>/observasi/isi/<slug:form_id>/", views.observation_new, name="observation_new"),
    path(
        "<int:pk>/observasi/kirim/<slug:form_id>/",
        views.observation_submit,
        name="observation_submit",
    ),
]
