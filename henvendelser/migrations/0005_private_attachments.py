# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("henvendelser", "0004_generic_help_texts")]

    operations = []
