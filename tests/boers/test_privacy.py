"""No page and no mail shows the other person's address before both agree: the whole flow
(post, saved search, digest, answer, relayed mail, reply by mail, conversation, Mine sider,
closing) through the real pages and the real inbound webhook, every page and every mail
body checked."""

from __future__ import annotations

from django.core import mail

from boers import tasks
from boers.models import Conversation, Post

from .conftest import URL, post_reply
from .test_posts import form_data


class Recorder:
    """Every page rendered for a person and every mail sent to them."""

    def __init__(self, client):
        self.client = client
        self.pages: dict[str, list[str]] = {}

    def get(self, user, path, **kwargs):
        self.client.force_login(user)
        response = self.client.get(path, **kwargs)
        assert response.status_code == 200, (path, response.status_code)
        self.pages.setdefault(user.email, []).append(response.content.decode())
        return response

    def post(self, user, path, data):
        self.client.force_login(user)
        response = self.client.post(path, data, follow=True)
        assert response.status_code == 200, (path, response.status_code)
        self.pages.setdefault(user.email, []).append(response.content.decode())
        return response


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def everything_seen_by(recorder, address):
    texts = list(recorder.pages.get(address, []))
    for message in mails_to(address):
        texts.append(message.body)
        texts.extend(content for content, _mimetype in message.alternatives)
        texts.append(str(message.message()))  # headers too
    return texts


def test_no_address_is_shown_before_both_agree(client, exchange, citizen, other, settings):
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = False
    a, b = citizen, other
    r = Recorder(client)
    # B saves a search for walking; A posts the offer.
    r.get(b, URL, data={"q": "gåmakker"})
    r.post(b, f"{URL}soegninger/gem/", {"q": "gåmakker", "name": "Gåture", "frequency": "daily"})
    r.get(a, f"{URL}opret/")
    r.post(a, f"{URL}opret/", form_data())
    post = Post.objects.get()
    r.get(a, f"{URL}{post.pk}/")
    tasks.send_digests.call()
    assert mails_to(b.email)
    # B opens the post and answers.
    r.get(b, URL)
    r.get(b, f"{URL}{post.pk}/")
    r.get(b, f"{URL}{post.pk}/svar/")
    r.post(b, f"{URL}{post.pk}/svar/", {"body": "Hej, jeg vil gerne gå med."})
    conversation = Conversation.objects.get()
    conversation_url = f"{URL}samtaler/{conversation.pk}/"
    # A gets the relayed mail and answers it by mail.
    relayed = mails_to(a.email)[-1]
    post_reply(client, sender=a.email, to=relayed.reply_to[0], body="Fint, vi ses tirsdag.")
    r.get(b, conversation_url)
    r.get(a, conversation_url)
    r.post(a, conversation_url, {"body": "Husk gode sko."})
    r.get(a, f"{URL}{post.pk}/")
    r.get(a, "/mine-sider/")
    r.get(b, "/mine-sider/")
    # One agrees: still hidden.
    r.post(b, conversation_url + "del-kontakt/", {})
    r.get(a, conversation_url)
    r.get(b, conversation_url)
    r.get(a, f"{URL}{post.pk}/luk/")

    for texts, hidden in [
        (everything_seen_by(r, a.email), b.email),
        (everything_seen_by(r, b.email), a.email),
    ]:
        assert len(texts) > 8
        for text in texts:
            assert hidden not in text
            assert hidden.split("@")[0] + "@" not in text

    # Both agree: now each sees the other's address.
    r.post(a, conversation_url + "del-kontakt/", {})
    assert b.email in r.get(a, conversation_url).content.decode()
    assert a.email in r.get(b, conversation_url).content.decode()
