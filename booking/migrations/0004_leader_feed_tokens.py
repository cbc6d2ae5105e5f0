# Feed tokens per leader and institution (#17). The old per-resource keys were shared by
# every leader of an institution and could not be withdrawn from one who left, so they are
# dropped, not carried over: the old addresses stop working, and each leader makes a new,
# personal one in the admin (Lån → "Lav ny adresse"). Only a hash of the new key is stored.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("booking", "0003_resource_photos")]

    operations = [
        migrations.RemoveField(
            model_name="resource",
            name="feed_token",
        ),
        migrations.CreateModel(
            name="LeaderFeedToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token_hash",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="key (hashed)"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="made")),
                (
                    "institution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feed_tokens",
                        to="booking.institution",
                        verbose_name="institution",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="booking_feed_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="leader",
                    ),
                ),
            ],
            options={
                "verbose_name": "calendar address",
                "verbose_name_plural": "calendar addresses",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "institution"), name="booking_one_feed_per_leader"
                    )
                ],
            },
        ),
    ]
