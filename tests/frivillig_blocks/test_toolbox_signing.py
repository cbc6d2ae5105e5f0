"""Signed links (frivillig_blocks.signing): a purpose, an expiry, path-safe tokens, and the
older forms links already mailed still carry."""

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode

from frivillig_blocks.accounts import services
from frivillig_blocks.exceptions import InvitationExpired, LinkExpired, LinkInvalid
from frivillig_blocks.signing import read_link, sign_link


def test_a_link_carries_its_value_in_characters_a_page_path_accepts():
    for value in (7, [12, 1_700_000_000_123_456], {"i": 3}, "æøå_:."):
        token = sign_link("test.purpose", value)
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert read_link("test.purpose", token, max_age=60) == value


def test_a_link_for_another_purpose_or_altered_anywhere_is_refused():
    token = sign_link("test.cancel", [1, 2])
    with pytest.raises(LinkInvalid):
        read_link("test.accept", token)
    for i, char in enumerate(token):
        altered = token[:i] + ("A" if char != "A" else "B") + token[i + 1 :]
        with pytest.raises(LinkInvalid):
            read_link("test.cancel", altered)
    for bad in ("", "x", token[:-1], token + "x", "x" * 5000, None, 42):
        with pytest.raises(LinkInvalid):
            read_link("test.cancel", bad)


def test_an_old_link_expires_and_a_link_without_max_age_does_not():
    old = sign_link("test.vote", 5, at=timezone.now() - datetime.timedelta(hours=3))
    with pytest.raises(LinkExpired):
        read_link("test.vote", old, max_age=datetime.timedelta(hours=2))
    with pytest.raises(LinkExpired):
        read_link("test.vote", old, max_age=3600)
    assert read_link("test.vote", old, max_age=datetime.timedelta(hours=4)) == 5
    assert read_link("test.vote", old) == 5


def test_links_mailed_in_the_older_forms_still_work():
    # Django's signed text as it is (the association invitations) ...
    raw = signing.dumps({"i": 3}, salt="test.invitation", compress=True)
    assert read_link("test.invitation", raw, max_age=60) == {"i": 3}
    # ... and wrapped in URL-safe base64 (the exchange's renew and unsubscribe links).
    wrapped = urlsafe_base64_encode(signing.dumps([4, 99], salt="test.renew").encode())
    assert read_link("test.renew", wrapped) == [4, 99]
    with pytest.raises(LinkInvalid):
        read_link("test.other", wrapped)


@pytest.mark.django_db
def test_an_invitation_mailed_in_the_older_form_is_still_accepted(
    client, association_factory, user_factory, site_tree
):
    association = association_factory(name="Søspejderne")
    invitation = association.invitations.create(email="ny@example.org", role="member")
    old_token = signing.dumps({"i": invitation.pk}, salt=services.INVITATION_SALT, compress=True)
    assert services.invitation_from_token(old_token) == invitation
    assert services.invitation_from_token(services.invitation_token(invitation)) == invitation
    expired = sign_link(
        services.INVITATION_SALT,
        {"i": invitation.pk},
        at=timezone.now() - datetime.timedelta(days=15),
    )
    with pytest.raises(InvitationExpired):
        services.invitation_from_token(expired)
