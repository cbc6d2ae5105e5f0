"""The inbox's domain errors. Views catch them and show ``message`` (Danish)."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks.exceptions import FrivilligError


class InquiryError(FrivilligError):
    message = _("The inquiry could not be handled.")
