"""Admin URLs of the follow-up report (mounted under /admin/opfoelgning/)."""

from django.urls import path, re_path

from . import views

app_name = "frivillig_report"

urlpatterns = [
    path("", views.report_view, name="index"),
    path("tekst/", views.note_view, name="note"),
    re_path(r"^(?P<fmt>csv|xlsx|pdf)/$", views.export_view, name="export"),
]
