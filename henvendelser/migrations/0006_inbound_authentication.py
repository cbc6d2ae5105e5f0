# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("henvendelser", "0005_private_attachments")]

    operations = []
