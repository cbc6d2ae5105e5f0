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


class SearchEntry(models.Model):
    """What the results list shows and ranks of one entry of Wagtail's search index
    (``wagtailsearch.IndexEntry``, the same content type and object id): the hit's title,
    its summary and the source's lift. Kept beside the index entry by the search backend
    (search/backend.py ``add_items``, ``delete_item``, ``reset``), so the search ranks
    from the index rows alone and reads objects only for the hits a page shows. Public
    text only, as the index."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=255)
    title = models.TextField()
    summary = models.TextField(blank=True)
    boost = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="frivillig_searchentry_unique"
            )
        ]

    def __str__(self):
        return self.title
