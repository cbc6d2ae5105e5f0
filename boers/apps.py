from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoersConfig(AppConfig):
    name = "boers"
    label = "boers"
    verbose_name = _("Volunteer exchange")
    default_auto_field = "django.db.models.BigAutoField"
