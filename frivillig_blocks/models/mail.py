"""Every mail we send and every mail we receive, stored."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """A mail we send. Its Message-ID is made and stored before it leaves, so replies can
    be matched to it (In-Reply-To/References)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    purpose = models.CharField(_("purpose"), max_length=100)
    from_email = models.CharField(_("from"), max_length=255)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # A mail that grants access (a login code, a sign-in or confirmation link, an invitation)
    # is stored with the secret redacted in body_text/body_html; the real text waits here
    # only until the worker has sent it, is never shown in any admin view, and is wiped
    # after the send (or its failure) and by the nightly prune.
    sealed = models.BooleanField(_("contains a secret (shown redacted)"), default=False)
    sealed_text = models.TextField(blank=True, editable=False)
    sealed_html = models.TextField(blank=True, editable=False)
    # The record the mail is about ("app_label.model:pk"), so erasing or anonymising that
    # record scrubs its mail too (frivillig_blocks.personal_data.scrub_mail).
    related = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    esp_message_id = models.CharField(_("ESP message id"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class InboundMessage(models.Model):
    """A mail that reached us through an Anymail inbound webhook. The raw message is stored
    before any app handles it, so nothing is lost when a handler fails."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        HANDLED = "handled", _("Handled")
        UNROUTED = "unrouted", _("No recipient app")
        FAILED = "failed", _("Failed")

    esp_name = models.CharField(_("mail provider"), max_length=50)
    event_id = models.CharField(_("event id"), max_length=255, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    sender = models.CharField(_("from"), max_length=998, blank=True)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    raw = models.BinaryField(_("raw message"))
    spam_detected = models.BooleanField(_("spam according to the mail provider"), default=False)
    # The ESP's verdict on the sender ("pass", "fail", "softfail", "none", "" when not told).
    auth_spf = models.CharField(_("SPF"), max_length=20, blank=True)
    auth_dkim = models.CharField(_("DKIM"), max_length=20, blank=True)
    auth_dmarc = models.CharField(_("DMARC"), max_length=20, blank=True)
    spam_score = models.FloatField(_("spam score"), null=True, blank=True)
    authenticated = models.BooleanField(
        _("sender authenticated"),
        default=False,
        help_text=_("True when the mail provider confirmed the sender (DMARC, or SPF or DKIM)."),
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    routed_to = models.CharField(_("handled by app"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        ordering = ["-received_at"]
        constraints = [
            # An ESP that retries the same webhook event creates nothing new.
            models.UniqueConstraint(
                fields=["esp_name", "event_id"],
                condition=~models.Q(event_id=""),
                name="unique_inbound_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '–'} ({self.sender})"
