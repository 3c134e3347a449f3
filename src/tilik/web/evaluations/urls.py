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
]
