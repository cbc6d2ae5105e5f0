"""The directory's filter form (GET). Its field names are the query parameters of the
public address and therefore Danish: ``alder``, ``tema``, ``q`` (and ``side`` for the page,
read by the view)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import pagecache
from ..models import AgeGroup, Theme
from ..widgets import QuickCheckboxSelectMultiple
from .queries import AGE_GROUP_LABELS, MAX_TEXT_LENGTH, DirectoryFilter, normalise_text

CHOICES_SECONDS = 60 * 60


def choices() -> tuple[list, list]:
    """The age groups' and the themes' choices in the visitor's language, kept per content
    version (``pagecache.kept``): two queries a request before (issue #22)."""

    def build():
        age_groups = [
            (group.code, str(AGE_GROUP_LABELS.get(group.code, group.name)))
            for group in AgeGroup.objects.all()
        ]
        themes = [(theme.slug, theme.name) for theme in Theme.objects.only("name", "slug")]
        return age_groups, themes

    return pagecache.kept(("directory-choices", get_language()), build, CHOICES_SECONDS)


class KnownChoicesField(forms.MultipleChoiceField):
    """Checkboxes that keep the values they know and leave out the rest: an address with an
    old or made-up value still shows a list (the form tells that something was left out)."""

    def clean(self, value):
        values = self.to_python(value)
        return list(dict.fromkeys(v for v in values if self.valid_value(v)))


class DirectoryFilterForm(forms.Form):
    alder = KnownChoicesField(
        label=_("Age group"), required=False, widget=QuickCheckboxSelectMultiple
    )
    tema = KnownChoicesField(label=_("Theme"), required=False, widget=QuickCheckboxSelectMultiple)
    q = forms.CharField(
        label=_("Search by name or purpose"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else None
        self.text_shortened = False
        if data is not None and "q" in data:
            text = normalise_text(data.get("q"))
            self.text_shortened = len(text) > MAX_TEXT_LENGTH
            data["q"] = text[:MAX_TEXT_LENGTH]
        super().__init__(data, **kwargs)
        age_groups, themes = choices()
        self.fields["alder"].choices = age_groups
        self.fields["tema"].choices = themes
        if self.text_shortened:
            self.fields["q"].widget.attrs["aria-describedby"] = "id_q_notice"

    @property
    def text_notice(self):
        if self.text_shortened:
            return _("The search text was shortened to %(max)s characters.") % {
                "max": MAX_TEXT_LENGTH
            }
        return ""

    @property
    def ignored_values(self) -> bool:
        """Whether the address held filter values that are not (or no longer) known."""
        if not self.is_bound or not self.is_valid():
            return False
        for name in ("alder", "tema"):
            given = {value for value in self.data.getlist(name) if value != ""}
            if given - set(self.cleaned_data[name]):
                return True
        return False

    def directory_filter(self) -> DirectoryFilter:
        """The filter the form asks for (nothing, should the form ever be invalid)."""
        if not self.is_bound or not self.is_valid():
            return DirectoryFilter()
        return DirectoryFilter(
            age_groups=frozenset(self.cleaned_data["alder"]),
            themes=frozenset(self.cleaned_data["tema"]),
            text=self.cleaned_data["q"],
        )

    def query_items(self) -> list[tuple[str, str]]:
        """The valid filters as query parameters, for the pagination links."""
        if not self.is_bound or not self.is_valid():
            return []
        items = [("alder", code) for code in self.cleaned_data["alder"]]
        items += [("tema", slug) for slug in self.cleaned_data["tema"]]
        if self.cleaned_data["q"]:
            items.append(("q", self.cleaned_data["q"]))
        return items
