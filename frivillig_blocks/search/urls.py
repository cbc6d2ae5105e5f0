from django.urls import path

from . import views

app_name = "frivillig_search"

urlpatterns = [
    path("", views.search, name="search"),
    path("forslag/", views.suggest, name="suggest"),
]
