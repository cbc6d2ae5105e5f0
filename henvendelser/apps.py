from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.conf import app_settings as base_settings


class HenvendelserConfig(AppConfig):
    name = "henvendelser"
    label = "henvendelser"
    verbose_name = _("Inquiries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:

        from frivillig_blocks.inbound import register_inbound_address

        from . import checks  # noqa: F401  (registers the settings check)

        # The main volunteer address (and its sub-addresses) falls to this app.
        register_inbound_address(
            lambda: base_settings.EMAIL,
            "henvendelser.inbound.handle_message",
            app_label=self.label,
        )
