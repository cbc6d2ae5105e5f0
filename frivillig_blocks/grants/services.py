"""Use cases of grants: sending an application. Each runs in one transaction and raises the
errors of ``grants.exceptions`` with a Danish message.

A double submit is recognised by the form's ``submission_key`` (a uuid4 made when the form
is rendered). The application's reference is derived from that key, so the database's
unique constraint on ``reference`` holds one application per key, also when two requests
with the same key race each other.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from ..conf import app_settings
from ..models import Grant, GrantApplication
from ..outbound import send_templated_mail
from . import exceptions

logger = logging.getLogger(__name__)

MAX_AMOUNT = 10_000_000  # kr.
REFERENCE_PREFIX = "PUL"
# Crockford's base32: no I, L, O or U, so a reference read aloud is not misheard.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 10  # characters of the code, 50 bits
RECEIPT_TEMPLATE = "frivillig_blocks/grants/mail/receipt"

APPLICATION_FIELDS = (
    "applicant_name",
    "email",
    "phone",
    "association_name",
    "cvr",
    "project_title",
    "description",
)
SECTION_18_FIELDS = ("social_purpose", "target_group", "budget")


def parse_submission_key(value: Any) -> uuid.UUID:
    """The form's submission key as a UUID; anything else is a forged or stale form."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise exceptions.SubmissionConflict from exc


def reference_for(submission_key: uuid.UUID) -> str:
    """The application's reference, e.g. ``PUL-7KQ2M-9XD4H``: derived from the submission
    key with the site's secret, so it is random to anyone else and the same for a double
    submit."""
    digest = salted_hmac(
        "frivillig_blocks.grants.reference", submission_key.hex, algorithm="sha256"
    ).digest()
    number = int.from_bytes(digest[:8], "big")
    code = ""
    for _ in range(REFERENCE_LENGTH):
        number, index = divmod(number, len(REFERENCE_ALPHABET))
        code += REFERENCE_ALPHABET[index]
    half = REFERENCE_LENGTH // 2
    return f"{REFERENCE_PREFIX}-{code[:half]}-{code[half:]}"


def _existing_application(reference: str) -> GrantApplication | None:
    return GrantApplication.objects.filter(reference=reference).first()


def _same_submission(
    existing: GrantApplication, *, grant: Grant, data: Mapping[str, Any]
) -> GrantApplication:
    """A second submit of the same form gets the first one's application; a key that
    matches someone else's application (a forged form) gets nothing."""
    email = str(data.get("email") or "").strip().lower()
    if existing.grant_id != grant.pk or existing.email.strip().lower() != email:
        raise exceptions.SubmissionConflict
    return existing


def _build_application(
    *, grant: Grant, data: Mapping[str, Any], reference: str, user
) -> GrantApplication:
    values = {name: str(data.get(name) or "").strip() for name in APPLICATION_FIELDS}
    if grant.is_section_18:
        section_18 = {name: str(data.get(name) or "").strip() for name in SECTION_18_FIELDS}
        if not all(section_18.values()):
            raise exceptions.MissingSection18Information
    else:
        section_18 = dict.fromkeys(SECTION_18_FIELDS, "")
    amount = data.get("amount_requested")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        raise exceptions.InvalidApplication
    application = GrantApplication(
        grant=grant,
        reference=reference,
        amount_requested=amount,
        user=user if user is not None and user.is_authenticated else None,
        **values,
        **section_18,
    )
    try:
        # The form has checked all of this already; the model's own rules are the last
        # line (lengths, required fields, e-mail). Relations and uniqueness need no query.
        application.full_clean(exclude=["grant", "user", "reference"], validate_unique=False)
    except ValidationError as exc:
        raise exceptions.InvalidApplication from exc
    return application


def _send_receipt(application: GrantApplication) -> None:
    grant = application.grant
    try:
        send_templated_mail(
            to=[application.email],
            template=RECEIPT_TEMPLATE,
            context={"application": application, "grant": grant},
            purpose="grant_receipt",
            reply_to=[app_settings.EMAIL],
            related=application,  # scrubbed when the application is erased or anonymised
        )
    except Exception as exc:
        # Raised inside the transaction: the application is rolled back with the mail.
        logger.exception("queueing the receipt of grant application %s failed", application.pk)
        raise exceptions.ReceiptNotQueued from exc


@transaction.atomic
def submit_application(
    *, grant: Grant, data: Mapping[str, Any], submission_key: Any, user=None
) -> GrantApplication:
    """Save an application for ``grant`` from validated form data and queue the receipt to
    the applicant, in one transaction. A double submit (the same ``submission_key``)
    returns the first application and sends nothing more. Locks nothing."""
    reference = reference_for(parse_submission_key(submission_key))
    existing = _existing_application(reference)
    if existing is not None:
        return _same_submission(existing, grant=grant, data=data)
    if not Grant.objects.filter(pk=grant.pk).open().exists():
        raise exceptions.GrantNotOpen
    application = _build_application(grant=grant, data=data, reference=reference, user=user)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # The same form sent twice at once: the other request saved it first.
        existing = _existing_application(reference)
        if existing is None:
            raise
        return _same_submission(existing, grant=grant, data=data)
    _send_receipt(application)
    return application
