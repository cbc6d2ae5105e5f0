"""The search form, and the free-text field the idea catalogue's filters share."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 200
_WORD = re.compile(r"[^\W_]+")


def clean_text(value: str) -> str:
    """Drop control characters (NUL and friends, which PostgreSQL refuses) and collapse
    whitespace, so any text a visitor types can be searched for safely."""
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return " ".join(kept.split())


class QueryField(forms.CharField):
    """Free text from a query string: control characters are removed before validation,
    and an over-long text gets a Danish message instead of a database error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", QUERY_MAX_LENGTH)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.SearchInput)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": _("Write at most %(limit_value)d characters to search for."),
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value else value


class SearchForm(forms.Form):
    """The query, and from the results page the kind to show and the page number (both
    read leniently: a kind no source has shows all kinds, a page out of range the last)."""

    q = QueryField(
        label=_("Search for"),
        required=True,
        error_messages={
            "required": _("Write one or more words to search for."),
            "max_length": _("Write at most %(limit_value)d characters to search for."),
        },
    )

    def __init__(self, *args, **kwargs):
        # The page's own ids (search-q): the error summary links to the box by them.
        kwargs.setdefault("auto_id", "search-%s")
        super().__init__(*args, **kwargs)

    def clean_q(self):
        """Words only: the search backends read quotes, stars and the like as syntax (an
        unbalanced quote is an error in SQLite's full-text search), so they are dropped."""
        words = _WORD.findall(self.cleaned_data["q"])
        if not words:
            raise forms.ValidationError(
                self.fields["q"].error_messages["required"], code="required"
            )
        return " ".join(words)

    type = forms.SlugField(required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean_type(self):
        return self.cleaned_data.get("type") or ""

    def clean_page(self):
        return self.cleaned_data.get("page") or 1

    def full_clean(self):
        super().full_clean()
        # A garbled kind or page is not the visitor's mistake to fix: show the first page.
        for name in ("type", "page"):
            if name in self.errors and "q" not in self.errors:
                del self.errors[name]
                self.cleaned_data[name] = "" if name == "type" else 1
