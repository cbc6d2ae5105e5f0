"""The search's vocabulary: every word Wagtail's search index holds, with its Danish
normal form and stem (search/danish.py). Wagtail's database backends keep no list of the
words they index; the search needs one to find a word's other forms and the compounds it
is part of, and to offer "Mente du: …?" for a misspelt word. It is filled by the search
backend (search/backend.py) whenever Wagtail indexes an object, and emptied when
``update_index`` rebuilds the index. It holds words of public text only (what the models'
``search_fields`` name), never who wrote them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    #: The word as the full-text engine reads it (lower case).
    word = models.CharField(_("word"), max_length=64, unique=True)
    #: The normal form: case folded, accents dropped, "aa" read as "å".
    key = models.CharField(_("normal form"), max_length=64, db_index=True)
    stem = models.CharField(_("stem"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
