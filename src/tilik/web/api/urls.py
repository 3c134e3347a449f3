from django.urls import path

from tilik.web.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/cabut/", views.revoke, name="revoke"),
]
