# The inquiry remembers that its first mail's sender was not confirmed by the mail
# provider (#17): such a mail never joins an existing inquiry and is never acknowledged.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("henvendelser", "0005_private_attachments")]

    operations = [
        migrations.AddField(
            model_name="inquiry",
            name="sender_unverified",
            field=models.BooleanField(
                default=False,
                help_text="The mail provider could not confirm that the sender wrote from this address.",
                verbose_name="sender not confirmed",
            ),
        ),
    ]
