"""English: Django's own formats, also reading the admin pickers' Danish dates (after its
own, so a form that renders a date still renders it as before)."""

from django.conf.locale.en.formats import *  # noqa: F403
from django.conf.locale.en.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

DATE_INPUT_FORMATS = [*DATE_INPUT_FORMATS, "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [*DATETIME_INPUT_FORMATS, "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"]
