# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("initiativpris", "0002_staff_permissions")]

    operations = []
