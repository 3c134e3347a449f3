from django.urls import path

from tilik.web.coding import views

app_name = "coding"
urlpatterns = [
    path("<int:pk>/pengodean/", views.review, name="review"),
    path("<int:pk>/pengodean/simpan/", views.save, name="save"),
    path("<int:pk>/pengodean/buku-kode/", views.codebook, name="codebook"),
]
