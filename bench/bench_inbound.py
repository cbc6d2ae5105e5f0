"""Benchmark of receiving mail: Postmark inbound webhook posts through the real URL.

``inbound_webhook`` posts one new mail per call to ``/anymail/postmark/inbound/`` (basic
auth, JSON with the raw message) and compares two handlers behind the same URL:

* baseline: the mail goes to an address whose handler does nothing, so the request only
  parses the payload and saves the raw message (``InboundMessage``) - the cost of saving
  the raw payload alone;
* measured: the mail goes to the volunteer address and becomes an inquiry: threading,
  CPR redaction, HTML cleaning, routing (a keyword rule and a default rule) and a Danish
  acknowledgement rendered, stored and sent (every mail is from a new sender, so the rate
  limit never skips that work).

At the end it prints how many posts were made and the cost per message of each side, and
of a bare ``InboundMessage.objects.create(raw=...)`` for reference. ``--rounds 100`` makes
about 1,000 posts per side."""

from __future__ import annotations

import base64
import copy
import itertools
import json
import time
from pathlib import Path

from run import benchmark

URL = "/anymail/postmark/inbound/"
RAW_ONLY_ADDRESS = "bench-raw-only@dragoer.test"
FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "postmark_inbound.json"


def _noop_handler(inbound, message):
    return None


@benchmark(
    "inbound_webhook",
    target=3.0,
    description="an inbound webhook post becoming an inquiry vs saving the raw payload alone",
    equal_rows=True,
)
class InboundWebhookBenchmark:
    def setup(self, tree):
        from django.test import Client

        from frivillig_blocks.inbound import register_inbound_address
        from henvendelser.models import RoutingRule
        from tests.factories import UserFactory

        self.client = Client()
        self.auth = {
            "HTTP_AUTHORIZATION": "Basic "
            + base64.b64encode(b"anymail:test-webhook-secret").decode()
        }
        self.route = register_inbound_address(
            RAW_ONLY_ADDRESS, _noop_handler, app_label="bench_raw_only"
        )
        staff = UserFactory()
        rule = RoutingRule.objects.create(name="Lokaler", keywords="lokale", priority=10)
        rule.assign_users.add(staff)
        RoutingRule.objects.create(name="Standard", is_default=True, priority=999)
        self.template = json.loads(FIXTURE.read_text())
        self.counter = itertools.count()
        self.totals = {"baseline": [0, 0.0], "measured": [0, 0.0]}

    def _payload(self, recipient: str) -> str:
        n = next(self.counter)
        payload = copy.copy(self.template)
        payload["MessageID"] = f"bench-event-{n}"
        payload["OriginalRecipient"] = recipient
        payload["RawEmail"] = (
            self.template["RawEmail"]
            .replace("<CAF3f9xq-7d1e@mail.example.org>", f"<bench-{n}@mail.example.org>")
            .replace("<karen@example.org>", f"<karen{n}@example.org>")
            .replace("<frivillig@dragoer.test>", f"<{recipient}>")
        )
        return json.dumps(payload)

    def _post(self, side: str, recipient: str) -> None:
        body = self._payload(recipient)
        start = time.perf_counter()
        response = self.client.post(URL, data=body, content_type="application/json", **self.auth)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content
        self.totals[side][0] += 1
        self.totals[side][1] += elapsed

    def rows(self):
        """The inbound messages one call of each side stores (one each: the same mail in,
        what differs is what is done with it)."""
        from frivillig_blocks.models import InboundMessage

        made = []
        for side in (self.baseline, self.measured):
            before = InboundMessage.objects.count()
            side()
            made.append(InboundMessage.objects.count() - before)
        return tuple(made)

    def baseline(self):
        self._post("baseline", RAW_ONLY_ADDRESS)

    def measured(self):
        self._post("measured", "frivillig@dragoer.test")

    def teardown(self):
        from django.core import mail

        from frivillig_blocks.inbound import unregister_inbound_address
        from frivillig_blocks.models import InboundMessage
        from henvendelser.models import Inquiry

        unregister_inbound_address(self.route)
        raw = self.template["RawEmail"].encode()
        start = time.perf_counter()
        for n in range(200):
            InboundMessage.objects.create(
                esp_name="Bench", event_id=f"bare-{n}", sender="karen@example.org", raw=raw
            )
        bare = (time.perf_counter() - start) / 200
        assert (
            Inquiry.objects.filter(sender_email__startswith="karen").count()
            == (self.totals["measured"][0])
        )
        mail.outbox = []
        parts = [
            f"{side} {count} posts, {total / max(count, 1) * 1000:.2f} ms per message"
            for side, (count, total) in self.totals.items()
        ]
        print(
            f"  inbound_webhook: {'; '.join(parts)}; "
            f"bare InboundMessage.objects.create {bare * 1000:.2f} ms"
        )
