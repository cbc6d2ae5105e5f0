"""The exchange in a real Chromium, as the issue's "done when" describes: citizen A posts
the offer "Gåmakker tirsdage"; B, who saved a search for walking, gets the digest when the
task runs, opens the post and replies; A gets the relayed mail without B's address; A's
reply, posted to the inbound webhook as a real Postmark payload, appears in B's
conversation; A closes the post answering "yes". axe on the list, a post, the form and a
conversation."""

from __future__ import annotations

import base64
import json
import re
import urllib.request

from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from boers import tasks
from boers.models import OutcomeTally, Post, PostStatus
from tests.helpers import last_mail_to

from ..boers.conftest import add_exchange_page, make_areas, postmark_payload, reply_mime
from ..factories import UserFactory


def login(browser, live_server, user):
    """A browser context with the person logged in (the login flow itself is tested in
    test_foundation.py)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url.strip())


def post_webhook(base_url: str, payload: dict) -> int:
    request = urllib.request.Request(  # noqa: S310 (the live test server's http URL)
        base_url + "/anymail/postmark/inbound/",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(b"anymail:test-webhook-secret").decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def test_walking_buddy_from_post_to_outcome(live_site, browser, axe, settings):
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = False
    server, tree = live_site
    add_exchange_page(tree.hub.specific)
    make_areas()
    anna = UserFactory(username="anna", email="anna@example.org", first_name="Anna")
    bent = UserFactory(username="bent", email="bent@example.org", first_name="Bent")
    contexts = []
    try:
        # B saves a search for walking.
        context_b, b = login(browser, server, bent)
        contexts.append(context_b)
        b.goto("/frivillig/boers/")
        axe(b)
        b.get_by_label("Søgeord").fill("gåmakker")
        b.get_by_role("button", name="Vis opslag").click()
        b.get_by_label("Navn på søgningen").fill("Gåture")
        b.get_by_label("Dagligt").check()
        b.get_by_role("button", name="Gem søgningen").click()
        expect(b.get_by_text("Søgningen er gemt.")).to_be_visible()

        # A posts the offer.
        context_a, a = login(browser, server, anna)
        contexts.append(context_a)
        a.goto("/frivillig/boers/opret/")
        axe(a)
        a.get_by_label("Tilbud", exact=True).check()
        a.get_by_label("Fast hjælp eller makker").check()
        a.get_by_label("Tema", exact=True).select_option(label="Idræt og motion")
        a.get_by_label("Titel").fill("Gåmakker tirsdage")
        a.get_by_label("Tekst").fill(
            "Jeg går en tur langs stranden hver tirsdag formiddag og vil gerne have selskab."
        )
        a.get_by_label("Område").select_option(label="Dragør by")
        a.get_by_label("Tilbagevendende").check()
        a.get_by_label("Hvor ofte").fill("Tirsdage kl. 10")
        a.get_by_role("button", name="Opret opslaget").click()
        a.wait_for_url("**/match/")
        expect(a.get_by_text("Dit opslag er offentliggjort.")).to_be_visible()
        axe(a)
        post = Post.objects.get(title="Gåmakker tirsdage")

        # The digest task runs; B opens the post from the mail and answers.
        mail.outbox.clear()
        assert tasks.send_digests.call() == 1
        digest = last_mail_to(bent.email)
        post_link = next(line for line in digest.body.splitlines() if f"/{post.pk}/" in line)
        b.goto(path_of(post_link))
        assert b.get_by_role("heading", level=1).inner_text() == "Gåmakker tirsdage"
        axe(b)
        b.get_by_role("link", name="Svar", exact=True).click()
        b.get_by_label("Din besked").fill("Hej Anna, jeg vil meget gerne gå med på tirsdag!")
        b.get_by_role("button", name="Send beskeden").click()
        b.wait_for_url("**/samtaler/*/")
        expect(b.get_by_text("Din besked er sendt.")).to_be_visible()
        axe(b)

        # A gets the relayed mail without B's address and answers it by mail.
        relayed = last_mail_to(anna.email)
        assert "jeg vil meget gerne gå med" in relayed.body
        assert bent.email not in str(relayed.message())
        status = post_webhook(
            server.url,
            postmark_payload(
                reply_mime(
                    sender=f"Anna <{anna.email}>",
                    to=relayed.reply_to[0],
                    body="Dejligt, Bent! Vi mødes ved Dragør Havn kl. 10.",
                    quoted="> Hej Anna, jeg vil meget gerne gå med på tirsdag!",
                ),
                recipient=relayed.reply_to[0],
            ),
        )
        assert status == 200
        b.reload()
        expect(b.get_by_text("Dejligt, Bent! Vi mødes ved Dragør Havn kl. 10.")).to_be_visible()
        assert anna.email not in b.content()
        assert anna.email not in last_mail_to(bent.email).body

        # A closes the post: yes, found someone.
        a.goto(f"/frivillig/boers/{post.pk}/")
        a.get_by_role("link", name="Luk opslaget").click()
        expect(a).to_have_url(re.compile(rf"/frivillig/boers/{post.pk}/luk/?$"))
        axe(a)
        a.get_by_label("Ja").check()
        a.get_by_role("button", name="Luk opslaget").click()
        expect(a.get_by_text("Opslaget er lukket. Tak for dit svar.")).to_be_visible()
        post.refresh_from_db()
        assert post.status == PostStatus.CLOSED and post.outcome == "yes"
        assert OutcomeTally.objects.get(outcome="yes").count == 1
    finally:
        for context in contexts:
            context.close()
