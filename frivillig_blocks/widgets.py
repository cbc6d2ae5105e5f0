"""Form widgets that write their options in Python: the same HTML as Django's widget
templates, without a template rendered per option (issue #22: a filter form's options
were a good part of a public list page's time)."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join


def attrs_html(attrs: dict) -> str:
    """Attributes as Django's ``django/forms/widgets/attrs.html`` writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(' {}="{}"', name, value) if value is not True else f" {name}",)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class QuickCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes whose ``<input>`` (``{{ checkbox.tag }}`` in a template that lays out its
    own labels) is written directly, as ``django/forms/widgets/input.html`` would."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if template_name != self.option_template_name or widget.get("wrap_label"):
            return super()._render(template_name, context, renderer)
        value = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', value) if value is not None else "",
            attrs_html(widget["attrs"]),
        )
