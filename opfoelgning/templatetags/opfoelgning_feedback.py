"""The feedback box of a page ("Fandt du det, du søgte?"), rendered once per language and
task and kept with the layout (issue #22): what differs from page to page (the page, the
address to return to and the new submission key) is put into the kept markup, escaped as
the template escapes it. A box showing a rejected answer renders afresh."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from frivillig_blocks import layout
from frivillig_blocks.submissions import new_key

register = template.Library()

BOX = "opfoelgning/feedback/box.html"
# Plain letters the template's escaping leaves as they are.
PAGE, NEXT, KEY = "FEEDBACKxPAGExSLOT", "FEEDBACKxNEXTxSLOT", "FEEDBACKxKEYxSLOT"


class _Placeholders:
    page_id, next = PAGE, NEXT


@register.simple_tag(takes_context=True)
def feedback_box(context) -> str:
    box = context.template.engine.get_template(BOX)
    request = context.get("request")
    if context.get("feedback_form") or request is None or getattr(request, "is_preview", False):
        return box.render(context)
    slot = context.get("slot")
    if slot:
        page_id, next_url = slot.page_id, slot.next
    else:
        page = context.get("page")
        page_id, next_url = getattr(page, "pk", None), request.get_full_path()
    task = context.get("feedback_task") or ""
    key = layout.NAMESPACE.key("feedback-box", get_language(), task, context.get("feedback_action"))

    def render_skeleton():
        with context.push(slot=_Placeholders, feedback_submission_key=KEY):
            return str(box.render(context))

    skeleton = layout.NAMESPACE.remembered(key, render_skeleton, layout.TIMEOUT)
    return mark_safe(  # noqa: S308 - rendered by the template engine, the values escaped here
        skeleton.replace(PAGE, conditional_escape("" if page_id is None else page_id))
        .replace(NEXT, conditional_escape(next_url))
        .replace(KEY, new_key())
    )
