from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrivilligBlocksConfig(AppConfig):
    name = "frivillig_blocks"
    label = "frivillig_blocks"
    verbose_name = _("Volunteering: shared")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects Anymail's inbound signal and page signals)
