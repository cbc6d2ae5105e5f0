"""Inquiries (henvendelser) to the one volunteer address: threads of messages that staff
handle in the admin, routed by rules the coordinator edits."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.media import private_storage


def new_token() -> str:
    return secrets.token_hex(8)


REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


def new_reference() -> str:
    """A short reference a person can read aloud on the phone, e.g. H-7KQ2M9."""
    return "H-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    WAITING = "waiting", _("Waiting for the citizen")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_reference, editable=False
    )
    token = models.CharField(
        _("token"), max_length=32, unique=True, default=new_token, editable=False
    )
    sender_email = models.EmailField(_("sender's e-mail"), max_length=254, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_inquiries",
        verbose_name=_("assigned to"),
    )
    contact_person = models.ForeignKey(
        "frivillig_blocks.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        verbose_name=_("contact person"),
    )
    topic = models.ForeignKey(
        "frivillig_blocks.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        verbose_name=_("topic"),
    )
    routed_by = models.ForeignKey(
        "henvendelser.RoutingRule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("routed by rule"),
    )
    routing_note = models.CharField(_("routing decision"), max_length=500, blank=True)
    is_spam = models.BooleanField(_("spam (quarantine)"), default=False)
    # The mail provider could not confirm that the mail came from the address in From
    # (SPF, DKIM and DMARC: frivillig_blocks.inbound_auth). Such a mail never continues an
    # existing inquiry on the strength of its From and is never acknowledged.
    sender_unverified = models.BooleanField(
        _("sender not confirmed"),
        default=False,
        help_text=_("The mail provider could not confirm that the sender wrote from this address."),
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The first message's inbound mail (kept from the foundation's minimal inbox).
    inbound_message = models.OneToOneField(
        "frivillig_blocks.InboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry",
        verbose_name=_("incoming mail"),
    )
    body_text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            # The follow-up report (henvendelser/figures.py) reads the inquiries of a period
            # that are not spam, in three statements (the totals by sender, the topics and
            # the median time to the first answer): this index holds every column they read,
            # so each reads a narrow range of it instead of the whole table (issue #22).
            models.Index(
                fields=[
                    "received_at",
                    "first_answered_at",
                    "sender_email",
                    "topic",
                    "status",
                    "is_spam",
                ],
                name="henvendelser_inquiry_report",
                condition=models.Q(is_spam=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject or self.sender_email}"


class InquiryMessage(models.Model):
    class Kind(models.TextChoices):
        INCOMING = "in", _("From the citizen")
        REPLY = "reply", _("Reply from us")
        NOTE = "note", _("Internal note")
        ACKNOWLEDGEMENT = "ack", _("Acknowledgement")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    inbound_message = models.OneToOneField(
        "frivillig_blocks.InboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outbound_message = models.OneToOneField(
        "frivillig_blocks.OutboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)
    sender = models.CharField(_("from"), max_length=998, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML (cleaned)"), blank=True)
    is_machine = models.BooleanField(_("automatic mail"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            # The same incoming mail (an ESP retry under a new event id) is stored once, also
            # when two deliveries race.
            models.UniqueConstraint(
                fields=["message_id"],
                condition=models.Q(kind="in") & ~models.Q(message_id=""),
                name="unique_incoming_message_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry.reference} {self.get_kind_display()}"


def attachment_path(instance, filename: str) -> str:
    """Never the sender's file name as a path: a random name (the name is kept as data)."""
    return f"henvendelser/{secrets.token_hex(16)}"


class Attachment(models.Model):
    message = models.ForeignKey(
        InquiryMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    # Private storage (outside MEDIA_ROOT, no URL): only the inbox's admin view streams it.
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class RoutingRule(models.Model):
    """Who gets an inquiry: the first active rule (by priority) that matches decides."""

    name = models.CharField(_("name"), max_length=200)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower runs first.")
    )
    active = models.BooleanField(_("active"), default=True)
    recipient = models.CharField(
        _("recipient address"),
        max_length=254,
        blank=True,
        help_text=_("E.g. frivillig+puljer@kommune.dk"),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated; any of them in the subject or text."),
    )
    sender_domain = models.CharField(
        _("sender's domain"), max_length=254, blank=True, help_text=_("E.g. boldklubben.dk")
    )
    topic = models.ForeignKey(
        "frivillig_blocks.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("topic"),
    )
    assign_contact_person = models.ForeignKey(
        "frivillig_blocks.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("give to contact person"),
    )
    assign_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("give to staff"),
        help_text=_("Several: taken in turn (round robin)."),
    )
    is_default = models.BooleanField(
        _("default rule"), default=False, help_text=_("Used when no other rule matches.")
    )
    last_assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingDecision(models.Model):
    """Every routing decision, with the rule that made it."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="routing_decisions")
    rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_person = models.ForeignKey(
        "frivillig_blocks.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return self.reason
