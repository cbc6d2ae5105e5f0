from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrivilligBlocksConfig(AppConfig):
    name = "frivillig_blocks"
    label = "frivillig_blocks"
    verbose_name = _("Volunteering: shared")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (system checks; Anymail's inbound and page signals)

        # <int:…> in any URL matches only ids the database can hold (parsers.py).
        from .parsers import install_bounded_int_converter

        install_bounded_int_converter()
