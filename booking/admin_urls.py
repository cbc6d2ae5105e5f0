"""Admin URLs of loans (mounted under /admin/laan/ by wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

app_name = "booking_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("kalender/<int:institution_id>/", admin_views.feed_renew, name="feed_renew"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/<slug:name>/", admin_views.action, name="action"),
]
