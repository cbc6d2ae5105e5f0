# A post's subject moves from the exchange's own list (``category``) to the site's shared
# themes: the new field first, then the data (0005), then the old field goes (0006).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boers", "0003_personal_data"),
        ("frivillig_blocks", "0018_theme_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="theme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="boers_posts",
                to="frivillig_blocks.theme",
                verbose_name="theme",
            ),
        ),
    ]
