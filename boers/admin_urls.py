"""Admin URLs of the exchange's moderation (mounted under /admin/boers/ by wagtail_hooks)."""

from django.urls import path

from . import admin_views

app_name = "boers_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("opslag/<int:pk>/<slug:name>/", admin_views.post_action, name="post_action"),
    path("anmeldelse/<int:pk>/<slug:name>/", admin_views.report_action, name="report_action"),
]
