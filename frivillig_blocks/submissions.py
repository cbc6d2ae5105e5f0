"""Idempotent public forms: a double submit creates nothing twice.

Every public form that creates something carries a hidden one-time submission key (a uuid4
made when the form is shown). The view runs the use case through ``once``: in one
transaction it first inserts a ``Submission`` row with that key (unique in the database),
then creates the thing and notes it on the row. A second request with the same key (a
double click, a reload, a retry of the browser) waits on the unique index until the first
transaction ends; if the first one committed, the insert fails and the second request gets
the first one's result, so both see the same result page; if the first one was refused and
rolled back, the second one is tried on its own. The key is checked by the database, not by
a read before the write, so it holds with any number of parallel requests.

Usage in a form and a view::

    class NeedsForm(SubmissionKeyForm):
        ...

    need, created = submissions.once(
        key=form.cleaned_data["submission_key"],
        purpose="kurser.need",
        create=lambda: services.submit_need(data=form.cleaned_data),
    )

Rate limits belong inside ``create`` so a duplicate does not count twice.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .exceptions import SubmissionKeyInvalid

T = TypeVar("T")

FIELD = "submission_key"


def parse_key(value: Any) -> uuid.UUID:
    """The submission key as a UUID; anything else is refused with a Danish message."""
    if isinstance(value, uuid.UUID):
        return value
    text = str(value or "").strip()
    if len(text) > 40:
        raise SubmissionKeyInvalid
    try:
        return uuid.UUID(text)
    except ValueError:
        raise SubmissionKeyInvalid from None


def new_key() -> str:
    return str(uuid.uuid4())


def once(*, key: Any, purpose: str, create: Callable[[], T]) -> tuple[T | None, bool]:
    """Run ``create`` at most once for ``key``. Returns ``(result, True)`` the first time and
    ``(the first result, False)`` for every repetition, also for parallel ones.

    ``create`` runs inside this function's transaction: when it raises, nothing is kept and
    the key may be used again. A key used by another form (another ``purpose``) is refused."""
    from .models import Submission

    key = parse_key(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                marker = Submission.objects.create(key=key, purpose=purpose[:100])
        except IntegrityError:
            # Another transaction holds (now: committed) this key.
            found = Submission.objects.filter(key=key).first()
            if found is None or found.purpose != purpose[:100]:
                raise SubmissionKeyInvalid from None
            return found.target, False
        result = create()
        if isinstance(result, models.Model) and result.pk is not None:
            marker.content_type = ContentType.objects.get_for_model(result)
            marker.object_id = str(result.pk)
            marker.save(update_fields=["content_type", "object_id"])
        return result, True


def prune(*, now: datetime.datetime | None = None, days: int = 7) -> int:
    """Forget keys older than ``days``: a browser does not resend a form after a week."""
    from .models import Submission

    now = now or timezone.now()
    deleted, _per_model = Submission.objects.filter(
        created_at__lt=now - datetime.timedelta(days=days)
    ).delete()
    return deleted


class SubmissionKeyField(forms.UUIDField):
    widget = forms.HiddenInput


class SubmissionKeyForm(forms.Form):
    """A form with the hidden one-time submission key. Mix it into a Form or a ModelForm
    (``class NeedsForm(SubmissionKeyForm, forms.ModelForm)``); the templates must render
    the hidden fields (``{% for field in form.hidden_fields %}{{ field }}{% endfor %}``)."""

    submission_key = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(FIELD, new_key())
        sent = self.data.get(self.add_prefix(FIELD)) if self.is_bound else None
        if self.is_bound and (sent or self.fields[FIELD].required):
            # An invalid form shown again keeps its key (a second send still counts once);
            # a missing or broken key gets a fresh one so the person can send it again.
            try:
                parse_key(sent)
            except SubmissionKeyInvalid:
                data = self.data.copy()
                data[self.add_prefix(FIELD)] = new_key()
                self.data = data
                self._submission_key_broken = True

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "_submission_key_broken", False) or FIELD in self.errors:
            self.errors.pop(FIELD, None)
            self.add_error(None, SubmissionKeyInvalid.message)
        return cleaned


__all__ = [
    "FIELD",
    "SubmissionKeyField",
    "SubmissionKeyForm",
    "client_address",
    "derived_key",
    "new_key",
    "once",
    "parse_key",
    "prune",
]


def derived_key(key: Any, *parts: Any) -> uuid.UUID:
    """A key for a form served from the shared page cache, where every visitor gets the same
    hidden key: the page's key together with what makes the submission this one (the
    client's address, the answer). An identical second send gives the same key; another
    visitor's answer, or another answer, gives another."""
    base = parse_key(key)
    return uuid.uuid5(base, "\x1f".join(str(part) for part in parts))


def client_address(request) -> str:
    """The client's address as the rate limits see it (allauth's trusted-proxy rules)."""
    try:
        from allauth.core.internal.httpkit import get_client_ip

        return get_client_ip(request) or ""
    except Exception:  # an allauth without that helper, or a malformed header
        return request.META.get("REMOTE_ADDR", "")
