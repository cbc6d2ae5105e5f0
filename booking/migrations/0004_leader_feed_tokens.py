# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("booking", "0003_resource_photos")]

    operations = []
