from django.urls import path

from tilik.web.collection import views

app_name = "collection"
urlpatterns = [
    path("<int:pk>/instrumen/<slug:form_id>/", views.instrument_detail, name="instrument"),
    path("<int:pk>/wawancara/<int:interview_id>/", views.interview_detail, name="interview"),
    path("<int:pk>/observasi/", views.observation_list, name="observations"),
]
