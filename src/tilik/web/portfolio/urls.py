from django.urls import path

from tilik.web.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:org>/", views.detail, name="detail"),
    path("<int:org>/portofolio.xlsx", views.export_xlsx, name="xlsx"),
]
