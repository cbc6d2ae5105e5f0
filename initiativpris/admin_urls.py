"""Admin URLs of the jury (mounted under /admin/initiativpris-jury/ by wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

app_name = "initiativpris_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("runde/<int:pk>/", admin_views.round_view, name="round"),
    path("runde/<int:pk>/shortlist/", admin_views.shortlist, name="shortlist"),
    path("runde/<int:pk>/vinder/", admin_views.choose_winner, name="winner"),
    path("runde/<int:pk>/kandidat/", admin_views.jury_candidate, name="jury_candidate"),
    path("runde/<int:pk>/papirstemmer/", admin_views.paper_votes, name="paper_votes"),
    path("indstilling/<int:pk>/", admin_views.nomination_view, name="nomination"),
]
