# Placeholder filled by the change that needs it (#17).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("kurser", "0003_competence_areas")]

    operations = []
