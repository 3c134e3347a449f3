"""Public pages for respondents, mounted at ``/f/``: the link token is the only credential."""

from django.urls import path

from tilik.web.collection import views

app_name = "respond"
urlpatterns = [
    path("sw.js", views.respond_service_worker, name="service_worker"),
    path("<str:token>/", views.respond_form, name="form"),
    path("<str:token>/kirim/", views.respond_submit, name="submit"),
    path("<str:token>/qr.svg", views.respond_qr, name="qr"),
]
