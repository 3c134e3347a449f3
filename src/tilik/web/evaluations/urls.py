from django.urls import path

from tilik.web.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/peserta/", views.participant_list, name="participants"),
    path("<int:pk>/siklus/", views.cycles, name="cycles"),
    path("<int:pk>/tim/", views.team, name="team"),
    path("<int:pk>/data-pribadi/", views.person_data, name="person_data"),
    path("<int:pk>/peserta/impor/", views.participant_import, name="participant_import"),
    path(
        "<int:pk>/peserta/impor/<int:batch_id>/",
        views.participant_batch,
        name="participant_batch",
    ),
    path(
        "<int:pk>/peserta/impor/<int:batch_id>/status/",
        views.participant_batch_status,
        name="participant_batch_status",
    ),
    path(
        "<int:pk>/peserta/impor/<int:batch_id>/batal/",
        views.participant_batch_cancel,
        name="participant_batch_cancel",
    ),
    path("<int:pk>/peserta/ditahan/<int:row_id>/", views.held_participant, name="held_participant"),
    path("<int:pk>/peserta/contoh.csv", views.participant_template, name="participant_template"),
    path("<int:pk>/program/baru/", views.program_add, name="program_add"),
    path("<int:pk>/program/<int:program_id>/", views.program_edit, name="program"),
    path("<int:pk>/program/<int:program_id>/hapus/", views.program_delete, name="program_delete"),
]
