"""``{% new_submission_key %}``: a fresh one-time submission key for a form written by hand
in a template (``frivillig_blocks.submissions``)."""

from django import template

from frivillig_blocks.submissions import new_key

register = template.Library()


@register.simple_tag
def new_submission_key() -> str:
    return new_key()
