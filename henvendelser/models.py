"""Inquiries (henvendelser) that reach the one volunteer address."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Inquiry(models.Model):
    sender_email = models.EmailField(_("sender's e-mail"), max_length=254, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    inbound_message = models.OneToOneField(
        "frivillig_blocks.InboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry",
        verbose_name=_("incoming mail"),
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.subject or self.sender_email
