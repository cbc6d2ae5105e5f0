"""Mine sider (mounted at /mine-sider/ on the reference site)."""

from django.urls import path

from .accounts import views

app_name = "frivillig_blocks"

urlpatterns = [
    path("", views.mine_sider, name="mine_sider"),
    path("data/", views.download_data, name="download_data"),
    path("slet-konto/", views.delete_account, name="delete_account"),
    path("foreninger/<int:pk>/", views.association_detail, name="association"),
    path("foreninger/<int:pk>/inviter/", views.invite, name="invite"),
    path("foreninger/<int:pk>/synlighed/", views.membership_privacy, name="membership_privacy"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
