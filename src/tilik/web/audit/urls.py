from django.urls import path

from tilik.web.audit import views

app_name = "audit"
urlpatterns = [
    path("<int:pk>/jejak/", views.evaluation_trail, name="evaluation"),
    path("<int:pk>/jejak.csv", views.evaluation_trail_csv, name="evaluation_csv"),
]
