"""One row per submission key: a double submit of a public form creates nothing twice.

See ``frivillig_blocks.submissions``: the row is inserted in the same transaction as the
thing the form creates, and its unique key makes a second insert with the same key wait for
the first transaction and then fail, so the second request finds the first one's result."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    key = models.UUIDField(_("submission key"), unique=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=100, editable=False)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, editable=False
    )
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.purpose} {self.key}"

    @property
    def target(self):
        if self.content_type_id is None or not self.object_id:
            return None
        model = self.content_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()
