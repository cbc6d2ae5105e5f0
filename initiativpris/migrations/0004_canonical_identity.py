"""Recompute the nominator and voter keys with the canonical identity of an address (#18).

The keys are HMACs, so a key can only be recomputed where its address is still stored:

* a nomination keeps its nominator's address until the retention run: its key is
  recomputed from ``nominator_email``. Where two nominations of one nominator now share
  a key and a slot (spellings the old rule missed), the later one moves to the next free
  slot: nothing confirmed is undone, and the nominator has no free slot left.
* a vote keeps only its key; the confirmation mail (``OutboundMessage``, related to the
  vote) keeps the address until the round's voter identifiers are deleted: the key is
  recomputed from it. A pending vote is simply re-keyed. A confirmed vote whose new key
  another confirmed vote of the round already holds keeps its old key and stays counted (a
  tally is never changed silently; the README says so).
* where the address is gone (mail wiped), the old key stays. For a plain ASCII address
  without sub-address, Gmail dots or googlemail.com, the old and the new key are the same.

The hash is written out here (not imported from services) so this migration keeps doing
what it did when the function changes later.
"""

from email.utils import parseaddr

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

KEY_SALT = "initiativpris.voter"


def _key(address: str) -> str:
    from frivillig_blocks.identity import canonical_or_legacy

    secret = getattr(settings, "INITIATIVPRIS_VOTER_HMAC_KEY", "") or None
    identity = canonical_or_legacy(parseaddr(address)[1] or address)
    return salted_hmac(KEY_SALT, identity, secret=secret, algorithm="sha256").hexdigest()


def rekey_nominations(apps, schema_editor):
    Nomination = apps.get_model("initiativpris", "Nomination")
    rows = (
        Nomination.objects.exclude(nominator_key="")
        .exclude(nominator_email="")
        .order_by("round_id", "confirmed_at", "pk")
    )
    taken: dict[tuple[int, str], set[int]] = {}
    changed = []
    for nomination in rows.iterator():
        key = _key(nomination.nominator_email)
        slots = taken.setdefault((nomination.round_id, key), set())
        if nomination.slot is not None:
            slot = nomination.slot
            while slot in slots:
                slot += 1
            slots.add(slot)
            nomination.slot = slot
        nomination.nominator_key = key
        changed.append(nomination)
    # Free every slot first so the new keys and slots never meet an old row's pair.
    Nomination.objects.filter(pk__in=[n.pk for n in changed]).update(slot=None)
    Nomination.objects.bulk_update(changed, ["nominator_key", "slot"], batch_size=500)


def rekey_votes(apps, schema_editor):
    Vote = apps.get_model("initiativpris", "Vote")
    OutboundMessage = apps.get_model("frivillig_blocks", "OutboundMessage")
    votes = {
        f"initiativpris.vote:{vote.pk}": vote
        for vote in Vote.objects.filter(voter_key__isnull=False).order_by("confirmed_at", "pk")
    }
    if not votes:
        return
    addresses = {}
    for related, to in OutboundMessage.objects.filter(related__in=list(votes)).values_list(
        "related", "to"
    ):
        if to:
            addresses[related] = str(to[0])
    counted = set(
        Vote.objects.filter(voter_key__isnull=False, confirmed_at__isnull=False).values_list(
            "round_id", "voter_key"
        )
    )
    for related, vote in votes.items():
        address = addresses.get(related)
        if not address:
            continue
        key = _key(address)
        if key == vote.voter_key:
            continue
        if vote.confirmed_at is not None:
            if (vote.round_id, key) in counted:
                continue
            counted.discard((vote.round_id, vote.voter_key))
            counted.add((vote.round_id, key))
        Vote.objects.filter(pk=vote.pk).update(voter_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("initiativpris", "0003_personal_data"),
        ("frivillig_blocks", "0011_personal_data"),
    ]

    operations = [
        migrations.RunPython(rekey_nominations, migrations.RunPython.noop),
        migrations.RunPython(rekey_votes, migrations.RunPython.noop),
    ]
