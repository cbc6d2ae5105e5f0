"""One pattern for every public form that fails (the loan form's error summary is the
model): base.html puts the summary first in the page and starts the <title> with "Fejl:";
both read the same context, so they always agree.

What counts as a failure, found in the template context:
- a bound form with errors (any context value that is a Django form, or one a view put
  on the request with ``frivillig_blocks.forms.show_in_error_summary``), unless the
  form's class says ``error_summary = False``;
- ``error``: one message that is not about a field (it becomes the summary's heading);
- ``problems``: further messages that are not about a field (a list);
- ``form_failed``: a failure the page explains in its own part of the summary (``extra``),
  e.g. the calendar's clashes, which stop a valid form.

Every message about a field links to it by a fragment (the first box of a group of radio
buttons or checkboxes). The heading is, in order: the tag's ``heading``, ``error``, the
failed form's ``error_heading``, or a plain "There are errors in the form". A page adds its own
part to the box with ``extra`` (a template included inside it, with the page's context).
The small script forms.js moves the focus to the summary; without it the summary is the
first thing in the page."""

from __future__ import annotations

from html import escape as html_escape

from django import forms, template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..forms import FAILED_FORMS_ATTRIBUTE

register = template.Library()


def failed_forms(context) -> list:
    seen, found = set(), []
    request = context.get("request")
    shown_elsewhere = getattr(request, FAILED_FORMS_ATTRIBUTE, None) or []
    for value in [*context.flatten().values(), *shown_elsewhere]:
        if (
            # type(), not isinstance(): isinstance() evaluates a lazy value (the CSRF token,
            # the user), and a page that did so could no longer be cached (pagecache.py).
            issubclass(type(value), forms.BaseForm)
            and id(value) not in seen
            and value.is_bound
            and getattr(value, "error_summary", True)
            and value.errors
        ):
            seen.add(id(value))
            found.append(value)
    return found


def field_anchor(bound_field) -> str:
    """The id a message about ``bound_field`` links to: its input, or the first box of a
    group of radio buttons or checkboxes."""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    if bound_field.use_fieldset:
        subwidgets = bound_field.subwidgets
        if subwidgets:
            return subwidgets[0].id_for_label
    return bound_field.auto_id or ""


def form_items(form) -> list[dict]:
    """The summary's lines for ``form``: text, and the fragment of the field."""
    items = [{"text": str(error), "anchor": ""} for error in form.non_field_errors()]
    for field in form.hidden_fields():
        items += [{"text": str(error), "anchor": ""} for error in field.errors]
    for field in form.visible_fields():
        anchor = field_anchor(field)
        items += [{"text": f"{field.label}: {error}", "anchor": anchor} for error in field.errors]
    return items


def has_errors(context) -> bool:
    return bool(
        context.get("error")
        or context.get("problems")
        or context.get("form_failed")
        or failed_forms(context)
    )


@register.simple_tag(takes_context=True)
def error_title(context) -> str:
    """ "Fejl: " at the start of the <title> when the page shows a failed form."""
    return _("Error:") + " " if has_errors(context) else ""


SUMMARY_TEMPLATE = "frivillig_blocks/includes/error_summary.html"


@register.simple_tag(takes_context=True)
def error_summary(context, heading=None, extra=None) -> str:
    """The summary box (``SUMMARY_TEMPLATE``, rendered with the page's context and the
    summary's values) when the page shows a failure; nothing at all, and no template
    rendered, on the many pages that do not (issue #22)."""
    failed = failed_forms(context)
    error = context.get("error")
    items = [{"text": str(problem), "anchor": ""} for problem in context.get("problems") or ()]
    for form in failed:
        items += form_items(form)
    if not (error or items or context.get("form_failed")):
        return ""
    if not heading:
        heading = error or next(
            (
                getattr(form, "error_heading", None)
                for form in failed
                if getattr(form, "error_heading", None)
            ),
            None,
        )
        heading = heading or _("There are errors in the form. Correct the following:")
    summary = context.template.engine.get_template(SUMMARY_TEMPLATE)
    with context.push(
        show_summary=True, summary_heading=heading, summary_items=items, summary_extra=extra
    ):
        return summary.render(context)


#: The option templates of Django's own radio buttons and checkboxes, whose markup (with
#: ``wrap_label`` off) ``option_input`` writes without the form renderer.
STOCK_OPTION_TEMPLATES = frozenset(
    {"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"}
)


@register.simple_tag
def option_input(choice) -> SafeString:
    """``{{ choice.tag }}`` of one radio button or checkbox of a group, the same markup
    (``django/forms/widgets/input.html`` and ``attrs.html``) written in Python: the form
    renderer renders three templates per option, the slowest part of a page with many
    (the prize's ballot, the directory's filters; issue #22). A widget with a template of
    its own is rendered by it, as before."""
    if choice.template_name not in STOCK_OPTION_TEMPLATES:
        return choice.tag()
    data = choice.data
    value = data["value"]
    attrs = "".join(
        f" {_escape(name)}" if attr is True else f' {_escape(name)}="{_escape(attr)}"'
        for name, attr in data["attrs"].items()
        if attr is not False
    )
    value = f' value="{_escape(value)}"' if value is not None else ""
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="{_escape(data["type"])}" name="{_escape(data["name"])}"{value}{attrs}>'
    )


def _escape(value) -> str:
    """``conditional_escape(value)`` as a plain string, without ``format_html``'s wrappers
    (their cost was most of an option's): the same text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))
