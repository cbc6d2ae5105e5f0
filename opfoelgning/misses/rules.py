"""Pure decisions about a search that found nothing: which queries may be kept at all, which
month a search belongs to, and the keyed hash that tells visitors apart within one month.
No HTTP, no writes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.crypto import salted_hmac

#: A query is kept only once this many different visitors sent it in one month: a rare
#: search (often one person's own name, street or case) never reaches the report.
VISITORS = 3
#: The longest query kept (the search engine cuts at the same length).
MAX_LENGTH = 200
#: The report lists this many queries, the most frequent first.
TOP = 25

# Personal data a citizen may type into a search box by mistake (pasted from a mail, a
# letter or a form). A query that holds any of it is dropped whole, not redacted: what is
# left of "ring til 12 34 56 78" tells the coordinator nothing, and a half-removed number
# may still identify someone.
# - an e-mail address: anything@anything (stricter patterns let odd addresses through);
EMAIL = re.compile(r"\S@\S")
# - a phone number (8 digits, with or without +45 or 0045, in groups separated by spaces,
#   dots, dashes or slashes) or a CPR number (ddmmyy-xxxx, or its 10 digits together):
#   every run of eight or more digits, whatever separates them. This drops other long
#   numbers too (a CVR number, a case number, "2025 2026"); we cannot tell them apart from
#   a phone or CPR number, and none of them is a word the site is missing.
DIGIT_RUN = re.compile(r"\d(?:[ ./-]?\d)*")
LONG_NUMBER = 8


def normalise(query: str) -> str:
    """Lower case, words joined by one space, at most MAX_LENGTH characters: the engine's
    form of a query (applied again here, so every caller stores the same form)."""
    return " ".join(str(query or "").lower().split())[:MAX_LENGTH].strip()


def keepable(query: str) -> bool:
    """Whether a normalised query may be stored at all."""
    if not query:
        return False
    # Control characters (a NUL among them, which PostgreSQL cannot store) are no search.
    if any(unicodedata.category(ch) == "Cc" for ch in query):
        return False
    # Only digits and punctuation ("12345678", "+45", "?"): not a word the site lacks, and
    # most likely a number someone pasted (a phone, a CPR or a case number).
    if not any(ch.isalpha() for ch in query):
        return False
    if EMAIL.search(query):
        return False
    for run in DIGIT_RUN.finditer(query):
        if sum(ch.isdigit() for ch in run.group()) >= LONG_NUMBER:
            return False
    return True


def month_of(day: dt.date) -> dt.date:
    """The period a search is counted in: its calendar month (the first day stands for it)."""
    return day.replace(day=1)


def visitor_digest(visitor: str, period: dt.date) -> str:
    """A keyed hash of the visitor (a session key or an address) for one month: keyed with
    the SECRET_KEY and the month, so the same visitor gets another digest next month and
    the rows of two months cannot be linked, and nobody without the key can test an
    address against it."""
    salt = f"opfoelgning.search_misses:{period:%Y-%m}"
    return salted_hmac(salt, visitor, algorithm="sha256").hexdigest()
