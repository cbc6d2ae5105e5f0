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


@register.filter
def opening_hours_text(hours) -> str:
    """A resource's opening hours (``OpeningHours`` rows), consecutive days with the same
    hours together: "mandag–fredag 16:00–22:00; lørdag 10:00–14:00"."""
    names = dict(R.WEEKDAY_CHOICES)
    parts = []
    for first, last, spans in R.opening_runs((h.weekday, h.opens, h.closes) for h in hours):
        days = str(names[first]).lower()
        if last != first:
            days += "–" + str(names[last]).lower()
        times = ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in spans)
        parts.append(f"{days} {times}")
    return "; ".join(parts)
