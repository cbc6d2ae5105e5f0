# The exchange's own category list is gone: a post's subject is its theme (0004, 0005).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("boers", "0005_categories_to_themes")]

    operations = [
        migrations.RemoveIndex(model_name="post", name="boers_post_match"),
        # A default first, so that going back re-adds the column with a value in every row
        # (0005 backwards then fills it from the theme).
        migrations.AlterField(
            model_name="post",
            name="category",
            field=models.CharField(default="other", max_length=20, verbose_name="category"),
        ),
        migrations.RemoveField(model_name="post", name="category"),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(fields=["status", "side", "kind", "theme"], name="boers_post_match"),
        ),
    ]
