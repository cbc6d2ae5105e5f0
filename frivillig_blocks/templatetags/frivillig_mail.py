"""The greeting of our mails and receipts (docs/sprog.md): the person's name, or a plain
"Hej" when we have none (an e-mail address or an empty name is not a name)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def greeting(name) -> str:
    """``Kære Anna`` or ``Hej``; escaped by the template's autoescaping like any value."""
    name = str(name or "").strip()
    if not name or "@" in name:
        return gettext("Hello")
    return gettext("Dear %(name)s") % {"name": name}
