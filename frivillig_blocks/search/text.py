"""Text for the search: what an app indexes and shows as a hit's summary is plain text."""

from __future__ import annotations

import html
import re

import nh3

#: The longest summary a source gives (the engine highlights the words in it).
SUMMARY_CHARS = 300

_BREAKS = re.compile(r"<br\s*/?>|</p>|</li>|</h\d>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def plain(value: str | None) -> str:
    """``value`` without markup (HTML tags dropped, entities read), on one line."""
    if not value:
        return ""
    text = value
    if "<" in text:
        text = nh3.clean(_BREAKS.sub(" ", text), tags=set())
    return _SPACE.sub(" ", html.unescape(text)).strip()


def summary(value: str | None, limit: int = SUMMARY_CHARS) -> str:
    """A short plain-text summary: ``plain(value)`` cut at a word, with "…"."""
    text = plain(value)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"
