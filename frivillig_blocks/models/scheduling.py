"""A record of every periodic run (see frivillig_blocks/scheduling.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    task = models.CharField(_("task"), max_length=200)
    slot = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["task", "slot"], name="unique_periodic_run")]

    def __str__(self) -> str:
        return f"{self.task} @ {self.slot:%Y-%m-%d %H:%M}"
