"""The follow-up's public URLs, mounted beside Mine sider (/mine-sider/ on the reference
site): the feedback form's target and the consent to invitations."""

from django.urls import path

from .feedback import views

app_name = "opfoelgning"

urlpatterns = [
    # The feedback form of the volunteer section's pages posts here (anonymous, no CSRF).
    path("feedback/", views.submit, name="feedback"),
    # ...and then shows the comment field (signed link to the stored answer, one hour).
    path("feedback/<str:token>/", views.comment, name="feedback_comment"),
    path("kontakt/", views.contact_preference, name="contact_preference"),
]
