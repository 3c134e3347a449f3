from django.urls import path

from tilik.web.planning import views

app_name = "planning"
urlpatterns = [
    path("<int:pk>/jadwal/", views.plans, name="plans"),
    path("<int:pk>/jadwal/draf/", views.draft, name="draft"),
    path("<int:pk>/jadwal/unggah/", views.upload, name="upload"),
    path("<int:pk>/jadwal/contoh.yaml", views.example, name="example"),
    path("<int:pk>/jadwal/rencana/<int:plan_id>/", views.edit, name="edit"),
    path("<int:pk>/jadwal/rencana/<int:plan_id>/susun/", views.solve, name="solve"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/", views.run, name="run"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/status/", views.run_status, name="run_status"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/batal/", views.run_cancel, name="run_cancel"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/unit/<str:code>/", views.unit, name="unit"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/orang/<str:code>/", views.person, name="person"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/orang/<str:code>.ics", views.ics, name="ics"),
    path("<int:pk>/jadwal/hasil/<int:run_id>/berkas/<str:name>", views.download, name="download"),
]
