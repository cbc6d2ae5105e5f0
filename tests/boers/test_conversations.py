"""Conversations: "Svar" relays a message by mail without either address; a reply to the
relayed mail through the real Postmark inbound webhook lands in the conversation; contact
details only when both agree; rate limits, escaping, forged ids, expired posts."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from boers import relay
from boers.models import Conversation, Message, PostStatus
from frivillig_blocks.models import InboundMessage
from tests.helpers import last_mail_to

from .conftest import FORGED, URL, PostFactory, post_reply


def start(client, user, post, body="Hej! Jeg vil gerne gå med."):
    client.force_login(user)
    return client.post(f"{URL}{post.pk}/svar/", {"body": body})


def test_answering_relays_the_message_without_addresses(client, exchange, citizen, other):
    post = PostFactory(author=citizen, title="Gåmakker tirsdage")
    response = start(client, other, post)
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}samtaler/{conversation.pk}/"
    relayed = last_mail_to(citizen.email)
    assert relayed.subject == "Ny besked om »Gåmakker tirsdage«"
    assert "Hej! Jeg vil gerne gå med." in relayed.body
    assert "Bent har skrevet til dig" in relayed.body
    assert other.email not in relayed.body and other.email not in str(relayed.message())
    assert relayed.reply_to == [relay.reply_address(conversation, citizen)]
    assert relayed.reply_to[0].startswith("boers+") and relayed.reply_to[0].endswith(
        "@dragoer.test"
    )
    html = client.get(response["Location"]).content.decode()
    assert "Hej! Jeg vil gerne gå med." in html and citizen.email not in html


def test_a_reply_by_mail_lands_in_the_conversation(client, exchange, citizen, other):
    post = PostFactory(author=citizen, title="Gåmakker tirsdage")
    start(client, other, post)
    conversation = Conversation.objects.get()
    reply_to = last_mail_to(citizen.email).reply_to[0]
    mail.outbox.clear()
    post_reply(
        client,
        sender=f"Anna <{citizen.email}>",
        to=reply_to,
        body="Dejligt! Vi mødes ved havnen kl. 10.",
        quoted="Den 1. juni skrev Frivillig:\n> Hej! Jeg vil gerne gå med.",
    )
    message = Message.objects.filter(via=Message.Via.MAIL).get()
    assert message.conversation == conversation and message.sender == citizen
    assert message.body == "Dejligt! Vi mødes ved havnen kl. 10."
    assert InboundMessage.objects.get().routed_to == "boers"
    relayed = last_mail_to(other.email)
    assert "Vi mødes ved havnen" in relayed.body and citizen.email not in relayed.body
    client.force_login(other)
    html = client.get(f"{URL}samtaler/{conversation.pk}/").content.decode()
    assert "Vi mødes ved havnen kl. 10." in html and "Jeg vil gerne gå med" in html


def test_replies_from_someone_else_or_to_a_forged_address_are_dropped(
    client, exchange, citizen, other
):
    post = PostFactory(author=citizen)
    start(client, other, post)
    conversation = Conversation.objects.get()
    good = relay.reply_address(conversation, citizen)
    post_reply(client, sender="mallory@example.net", to=good, body="Overtaget")
    forged = re.sub(r"-[0-9a-f]{24}@", "-" + "0" * 24 + "@", good)
    post_reply(client, sender=citizen.email, to=forged, body="Forfalsket")
    other_conversation = good.replace(f"+{conversation.pk}-", f"+{conversation.pk + 1}-")
    post_reply(client, sender=citizen.email, to=other_conversation, body="Forkert samtale")
    assert not Message.objects.filter(via=Message.Via.MAIL).exists()
    # The henvendelser address still gets its own mail: the prefixes do not collide.
    assert relay.parse_reply_address("frivillig+abcdef12@dragoer.test") is None


def test_a_forged_sender_with_the_right_reply_address_is_dropped(client, exchange, citizen, other):
    """Someone who learnt a relay address (a forwarded mail) forges the participant's From:
    the mail provider's verdict says the sender is not confirmed, so nothing is relayed."""
    post = PostFactory(author=citizen)
    start(client, other, post)
    conversation = Conversation.objects.get()
    good = relay.reply_address(conversation, citizen)
    post_reply(client, sender=citizen.email, to=good, body="Forfalsket svar", verdict=FORGED)
    inbound = InboundMessage.objects.get()
    assert not inbound.authenticated and inbound.auth_spf == "fail"
    assert not Message.objects.filter(via=Message.Via.MAIL).exists()
    assert "Forfalsket svar" not in "".join(m.body for m in mail.outbox)
    # The same reply, confirmed by the provider, is relayed.
    post_reply(client, sender=citizen.email, to=good, body="Ægte svar")
    assert Message.objects.get(via=Message.Via.MAIL).body == "Ægte svar"


def test_contact_details_only_when_both_agree(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    start(client, other, post)
    conversation = Conversation.objects.get()
    url = f"{URL}samtaler/{conversation.pk}/"
    client.post(url + "del-kontakt/")
    html = client.get(url).content.decode()
    assert citizen.email not in html and "Den vises, når den anden også siger ja" in html
    client.force_login(citizen)
    html = client.get(url).content.decode()
    assert other.email not in html
    client.post(url + "del-kontakt/")
    html = client.get(url).content.decode()
    assert other.email in html
    client.force_login(other)
    assert citizen.email in client.get(url).content.decode()


def test_forged_conversation_ids_give_404(client, exchange, citizen, other, user_factory):
    post = PostFactory(author=citizen)
    start(client, other, post)
    conversation = Conversation.objects.get()
    stranger = user_factory()
    client.force_login(stranger)
    url = f"{URL}samtaler/{conversation.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Ind i samtalen"}).status_code == 404
    assert client.post(url + "del-kontakt/").status_code == 404
    assert client.get(f"{URL}samtaler/999999/").status_code == 404
    assert Message.objects.count() == 1


def test_an_expired_or_closed_post_cannot_be_answered(client, exchange, citizen, other):
    expired = PostFactory(author=citizen, expires_at=timezone.now() - timedelta(hours=1))
    closed = PostFactory(author=citizen, status=PostStatus.CLOSED)
    for post in (expired, closed):
        response = start(client, other, post)
        assert response.status_code == 410
        assert "Opslaget er ikke længere åbent" in response.content.decode()
    hidden = PostFactory(author=citizen, status=PostStatus.HIDDEN)
    assert start(client, other, hidden).status_code == 404
    assert not Conversation.objects.exists()


def test_one_cannot_answer_ones_own_post(client, exchange, citizen):
    post = PostFactory(author=citizen)
    response = start(client, citizen, post)
    assert response.status_code == 400
    assert "Du kan ikke svare på dit eget opslag." in response.content.decode()


def test_fifty_messages_in_a_minute_are_rate_limited(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    start(client, other, post)
    conversation = Conversation.objects.get()
    url = f"{URL}samtaler/{conversation.pk}/"
    statuses = [client.post(url, {"body": f"Besked {i}"}).status_code for i in range(50)]
    assert statuses.count(302) == 9  # 10 a minute, the first went with "Svar"
    assert set(statuses[9:]) == {429}
    response = client.post(url, {"body": "En til"})
    assert "Du har sendt mange beskeder på kort tid." in response.content.decode()
    assert Message.objects.count() == 10


def test_html_and_script_in_messages_are_escaped(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    start(client, other, post, body="<script>alert('x')</script><b>fed</b>")
    conversation = Conversation.objects.get()
    client.force_login(citizen)
    html = client.get(f"{URL}samtaler/{conversation.pk}/").content.decode()
    assert "<script>alert('x')" not in html and "<b>fed</b>" not in html
    assert "&lt;script&gt;" in html
    relayed = last_mail_to(citizen.email)
    html_body = relayed.alternatives[0][0]
    assert "<script>" not in html_body and "&lt;script&gt;" in html_body


def test_empty_or_huge_messages_get_a_danish_message(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    response = start(client, other, post, body="   ")
    assert response.status_code == 400 and "Skriv en besked." in response.content.decode()
    response = start(client, other, post, body="x" * 4001)
    assert response.status_code == 400
    assert "Skriv en besked på højst 4000 tegn." in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_second_svar_goes_to_the_same_conversation(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    start(client, other, post)
    response = client.get(f"{URL}{post.pk}/svar/")
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}samtaler/{conversation.pk}/"
