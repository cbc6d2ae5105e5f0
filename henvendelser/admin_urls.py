"""Admin URLs of the inbox (mounted under /admin/henvendelser/ by wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

app_name = "henvendelser_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/<slug:name>/", admin_views.action, name="action"),
    path("vedhaeftning/<int:pk>/", admin_views.attachment, name="attachment"),
]
