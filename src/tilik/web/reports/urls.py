from django.urls import path

from tilik.web.reports import views

app_name = "reports"
urlpatterns = [
    path("<int:pk>/hasil/", views.results, name="results"),
    path("<int:pk>/hasil/jalankan/", views.run, name="run"),
    path("<int:pk>/hasil/status/", views.run_status, name="status"),
    path("<int:pk>/hasil/<int:run_id>/batal/", views.cancel_run, name="cancel"),
    path("<int:pk>/hasil/<int:run_id>/berkas/<path:name>", views.download, name="download"),
    path("<int:pk>/rekomendasi/", views.recommendations, name="recommendations"),
    path("<int:pk>/rekomendasi/ubah/<path:key>", views.edit_recommendation, name="edit"),
    path("<int:pk>/rekomendasi/tindak-lanjut/<path:key>", views.follow_up, name="follow_up"),
    path("<int:pk>/publikasi/", views.publication, name="publication"),
]

public_urlpatterns = [
    path("<slug:slug>/", views.public_summary, name="public"),
]
