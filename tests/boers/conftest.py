"""Fixtures of the exchange's tests: the section page under the hub, areas, posts."""

from __future__ import annotations

import base64
import copy
import itertools
import json
from datetime import timedelta
from pathlib import Path

import factory
import pytest
from django.utils import timezone

from boers import services
from boers.models import Area, ExchangePage, Post, PostStatus
from frivillig_blocks import themes

from ..factories import UserFactory

PASSWORD = "correct horse battery staple"


def theme_of(word: str):
    """The seeded theme an old exchange category code (``sport``, ``culture`` …) means."""
    theme = themes.resolve(word)
    assert theme is not None, word
    return theme


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    side = "offer"
    kind = "recurring"
    theme = factory.LazyFunction(lambda: theme_of("sport"))
    title = factory.Sequence(lambda n: f"Opslag {n}")
    body = "Jeg tilbyder at gå en tur med dig om tirsdagen."
    author = factory.SubFactory(UserFactory)
    status = PostStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    when_kind = "flexible"

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        if create:
            services.index_terms(self)


def make_areas():
    by = Area.objects.create(name="Dragør by", slug="dragoer-by", sort_order=1)
    magleby = Area.objects.create(name="St. Magleby", slug="st-magleby", sort_order=2)
    soevang = Area.objects.create(name="Søvang", slug="soevang", sort_order=3)
    kongelunden = Area.objects.create(name="Kongelunden", slug="kongelunden", sort_order=4)
    by.neighbours.add(magleby)
    magleby.neighbours.add(soevang, kongelunden)
    return {"by": by, "magleby": magleby, "soevang": soevang, "kongelunden": kongelunden}


def add_exchange_page(hub) -> ExchangePage:
    page = ExchangePage(title="Frivilligbørsen", slug="boers")
    hub.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def exchange(site_tree):
    return add_exchange_page(site_tree.hub.specific)


@pytest.fixture
def areas(db):
    return make_areas()


@pytest.fixture
def post_factory(db):
    return PostFactory


@pytest.fixture
def citizen(db):
    return UserFactory(username="anna", email="anna@example.org", first_name="Anna")


@pytest.fixture
def other(db):
    return UserFactory(username="bent", email="bent@example.org", first_name="Bent")


@pytest.fixture
def coordinator(db):
    return UserFactory(
        username="koordinator", email="koordinator@kommune.test", groups=["Frivilligkoordinator"]
    )


URL = "/frivillig/boers/"


# --- Inbound mail through the real Postmark webhook --------------------------------------------

FIXTURES = Path(__file__).parent.parent / "fixtures"
POSTMARK_URL = "/anymail/postmark/inbound/"
POSTMARK_PAYLOAD = json.loads((FIXTURES / "postmark_inbound.json").read_text())
WEBHOOK_AUTH = {
    "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"anymail:test-webhook-secret").decode()
}
_counter = itertools.count(1)


def reply_mime(*, sender: str, to: str, body: str, subject="Re: Ny besked", quoted="") -> str:
    """A raw reply as a mail client writes it (UTF-8, quoted-printable)."""
    from email.message import EmailMessage
    from email.policy import SMTP

    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<boers-reply-{next(_counter)}@mail.example.org>"
    text = body + ("\n\n" + quoted if quoted else "")
    msg.set_content(text, cte="quoted-printable")
    return msg.as_string()


#: What Postmark's SpamAssassin adds to a mail whose sender it confirmed (DKIM signed by the
#: From domain, SPF passed).
CONFIRMED = (
    ("X-Spam-Status", "No"),
    ("X-Spam-Score", "-0.1"),
    ("X-Spam-Tests", "DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS"),
)
#: ... and to a forged one: SPF failed, no valid signature of the From domain.
FORGED = (
    ("X-Spam-Status", "No"),
    ("X-Spam-Score", "1.2"),
    ("X-Spam-Tests", "SPF_FAIL,DMARC_REJECT"),
    ("Received-SPF", "fail (mail.example.org: domain does not designate 203.0.113.9)"),
)


def postmark_payload(raw: str, *, recipient: str, verdict=CONFIRMED) -> dict:
    payload = copy.deepcopy(POSTMARK_PAYLOAD)
    payload["RawEmail"] = raw
    payload["MessageID"] = f"pm-boers-{next(_counter)}"
    payload["OriginalRecipient"] = recipient
    payload["Headers"] = [{"Name": n, "Value": v} for n, v in verdict]
    return payload


def post_reply(client, *, sender: str, to: str, body: str, quoted: str = "", verdict=CONFIRMED):
    payload = postmark_payload(
        reply_mime(sender=sender, to=to, body=body, quoted=quoted), recipient=to, verdict=verdict
    )
    response = client.post(
        POSTMARK_URL, data=json.dumps(payload), content_type="application/json", **WEBHOOK_AUTH
    )
    assert response.status_code == 200, response.content
    return response
