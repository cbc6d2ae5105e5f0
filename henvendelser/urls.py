"""Public URLs of the inbox: the contact form posts here."""

from django.urls import path

from . import views

app_name = "henvendelser"

urlpatterns = [
    path("kontakt/", views.contact_view, name="contact"),
]
