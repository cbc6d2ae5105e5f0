"""Admin URLs of the calendar (mounted under /admin/kalender/ by wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

app_name = "kalender_admin"

urlpatterns = [
    path("", admin_views.review, name="review"),
    path("plan/", admin_views.grid, name="grid"),
    path("avis/", admin_views.newspaper, name="newspaper"),
]
