from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoersConfig(AppConfig):
    name = "boers"
    label = "boers"
    verbose_name = _("Volunteer exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from frivillig_blocks.inbound import register_inbound_address

        from . import checks, receivers  # noqa: F401  (system checks, signal receivers)
        from .relay import relay_address_base

        # Replies to relayed messages: boers+<signed token>@<the volunteer address's domain>.
        register_inbound_address(
            relay_address_base, "boers.relay.handle_message", app_label=self.label
        )
