from django import template
from django.utils.translation import gettext as _

from .. import rules as R

register = template.Library()


@register.filter
def purpose_list(codes) -> str:
    return ", ".join(str(R.PURPOSES.get(code, code)).lower() for code in codes) or "—"


@register.filter
def who_text(code) -> str:
    return str(dict(R.WHO_CHOICES).get(code, code))


@register.filter
def hours_text(hours) -> str:
    return R.duration_text(int(hours or 0) * 60) if hours else _("no notice")


@register.filter
def minutes_text(minutes) -> str:
    return R.duration_text(int(minutes or 0))
