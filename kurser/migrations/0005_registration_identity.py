"""One course registration per mailbox and session under any spelling (#18): the canonical
identity of the address (frivillig_blocks.identity) in its own column, with the unique
constraint on it instead of on the address as typed.

The existing rows get their identity from the address still stored. Where two registrations
of one session now share an identity (spellings the old rule missed), the first keeps it
and each later one gets ``duplicate:<pk>``: nothing a person already holds is taken away,
and a new registration of that mailbox is still refused (it meets the first)."""

from django.db import migrations, models


def fill_identity(apps, schema_editor):
    from frivillig_blocks.identity import canonical_or_legacy

    Registration = apps.get_model("kurser", "Registration")
    seen = set()
    changed = []
    rows = Registration.objects.exclude(email="").order_by("session_id", "queued_at", "pk")
    for registration in rows.iterator():
        identity = canonical_or_legacy(registration.email)[:254]
        if (registration.session_id, identity) in seen:
            identity = f"duplicate:{registration.pk}"
        seen.add((registration.session_id, identity))
        registration.identity = identity
        changed.append(registration)
    Registration.objects.bulk_update(changed, ["identity"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("kurser", "0004_personal_data"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="registration",
            name="kurser_one_registration_per_person",
        ),
        migrations.AddField(
            model_name="registration",
            name="identity",
            field=models.CharField(
                blank=True, editable=False, max_length=254, verbose_name="identity"
            ),
        ),
        migrations.RunPython(fill_identity, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("identity", ""), _negated=True),
                fields=("session", "identity"),
                name="kurser_one_registration_per_mailbox",
            ),
        ),
    ]
