# Members choose whether the other members see their address; mails that granted access,
# stored readable before #17, are redacted (#17).
from django.db import migrations, models

# Mails whose stored body held a sign-in code, a confirmation or reset code or link, or an
# invitation link. The text of those sent (or failed) is replaced (subject, recipient and
# times stay, so the log still shows that a mail went), anything sealed with them wiped.
ACCESS_PURPOSES = [
    "account:login_code",
    "account:email_confirmation",
    "account:email_confirmation_signup",
    "account:password_reset",
    "account:password_reset_key",
    "account:password_reset_code",
    "invitation",
]
REDACTED = "[…]"


def redact_access_mails(apps, schema_editor):
    OutboundMessage = apps.get_model("frivillig_blocks", "OutboundMessage")
    access = OutboundMessage.objects.filter(purpose__in=ACCESS_PURPOSES)
    # A mail still waiting for the worker leaves as written: its text is sealed (sent, then
    # wiped), the log shows "[…]".
    for message in access.filter(status="queued", sealed=False):
        message.sealed = True
        message.sealed_text, message.sealed_html = message.body_text, message.body_html
        message.body_text, message.body_html = REDACTED, ""
        message.save(
            update_fields=["sealed", "sealed_text", "sealed_html", "body_text", "body_html"]
        )
    access.exclude(status="queued").update(
        body_text=REDACTED, body_html="", sealed_text="", sealed_html=""
    )


class Migration(migrations.Migration):
    dependencies = [("frivillig_blocks", "0009_mail_secrets_and_verdicts")]

    operations = [
        migrations.AddField(
            model_name="associationmembership",
            name="show_email",
            field=models.BooleanField(
                default=False, verbose_name="show my e-mail address to the other members"
            ),
        ),
        migrations.RunPython(redact_access_mails, migrations.RunPython.noop),
    ]
