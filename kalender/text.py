"""Cleaning what organisers write: descriptions keep basic formatting only (nh3)."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_description(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if "<" not in value:
        value = linebreaks(value, autoescape=True)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    ).strip()


def plain_text(value: str) -> str:
    """The description as plain text (feeds, the newspaper listing)."""
    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", value or "")
    text = nh3.clean(text, tags=set())
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
