from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    label = "booking"
    verbose_name = _("Loans of rooms and equipment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            feeds,  # noqa: F401  (revokes a removed leader's feed)
        )
