"""Mounted by the site at /api/kalender/ (outside the language prefixes)."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
