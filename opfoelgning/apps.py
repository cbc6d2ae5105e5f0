from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpfoelgningConfig(AppConfig):
    """The council's follow-up: feedback from volunteers, theme meetings and invitations,
    the report of every installed app's figures (admin, exports, PDF) and the public page
    "Frivilligheden i tal". It depends on the shared base only."""

    name = "opfoelgning"
    label = "opfoelgning"
    verbose_name = _("Follow-up for the council")
    default_auto_field = "django.db.models.BigAutoField"
