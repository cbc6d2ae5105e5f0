# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frivillig_blocks", "0009_mail_secrets_and_verdicts")]

    operations = []
