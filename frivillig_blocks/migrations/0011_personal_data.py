# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frivillig_blocks", "0010_membership_privacy")]

    operations = []
