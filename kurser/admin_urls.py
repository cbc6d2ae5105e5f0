"""Admin URLs of the courses (mounted under /admin/kurser/ by wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

app_name = "kurser_admin"

urlpatterns = [
    path("hold/<int:pk>/", admin_views.participants, name="participants"),
    path("hold/<int:pk>/fremmoede/", admin_views.attendance, name="attendance"),
    path("hold/<int:pk>/besked/", admin_views.message, name="message"),
    path("hold/<int:pk>/eksport.<str:fmt>", admin_views.export, name="export"),
    path("hold/<int:pk>/ryk-op/<int:registration_id>/", admin_views.promote, name="promote"),
    path("behov/", admin_views.needs_summary, name="needs_summary"),
]
