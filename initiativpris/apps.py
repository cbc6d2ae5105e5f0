from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativprisConfig(AppConfig):
    name = "initiativpris"
    label = "initiativpris"
    verbose_name = _("Initiative prize")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_settings

        checks.register(check_settings)
