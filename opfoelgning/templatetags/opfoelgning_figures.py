"""Numbers of the follow-up, the Danish way (1.234 and 3,5; changes with a sign)."""

from django import template

from frivillig_blocks.figures import format_value

register = template.Library()


@register.filter
def figure_value(value, decimals=0):
    return format_value(value, int(decimals or 0))


@register.filter
def figure_change(value, decimals=0):
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"
    return sign + format_value(abs(value), int(decimals or 0))
