"""Issue #21: the exchange's own category list went into the site's one list of themes.
From the state before (boers 0003), each post's category code becomes its theme, and a
saved search's stored ``category`` filter becomes a ``theme`` filter that finds the same
posts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from boers.forms import SearchForm
from boers.models import Post, SavedSearch
from boers.search import filter_posts

from ..factories import UserFactory
from .conftest import PostFactory

BEFORE = ("boers", "0003_personal_data")
CODES = {
    "sport": "idraet-og-motion",
    "social": "socialt-samvaer",
    "children": "boern-og-familie",
    "culture": "kultur",
    "nature": "natur-og-miljoe",
    "practical": "praktisk-hjaelp",
    "learning": "laering-og-lektier",
    "other": "andet",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_post_category_becomes_its_theme_and_saved_searches_follow():
    user = UserFactory()
    posts = {code: PostFactory(title=f"Opslag {code}", author=user) for code in CODES}
    latest = list(MigrationExecutor(connection).loader.graph.leaf_nodes())

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    OldPost = old.get_model("boers", "Post")
    OldSaved = old.get_model("boers", "SavedSearch")
    for code, post in posts.items():
        OldPost.objects.filter(pk=post.pk).update(category=code)
    saved = OldSaved.objects.create(
        user_id=user.pk, name="Praktisk", query={"category": "practical", "q": "opslag"}
    )
    plain = OldSaved.objects.create(user_id=user.pk, name="Alt", query={"side": "offer"})

    MigrationExecutor(connection).migrate(latest)

    for code, slug in CODES.items():
        assert Post.objects.get(pk=posts[code].pk).theme.slug == slug, code
    assert SavedSearch.objects.get(pk=saved.pk).query == {"theme": "praktisk-hjaelp", "q": "opslag"}
    assert SavedSearch.objects.get(pk=plain.pk).query == {"side": "offer"}
    # The saved search's digest finds the same post as before.
    filters = SearchForm.from_stored(SavedSearch.objects.get(pk=saved.pk).query)
    assert [p.title for p in filter_posts(filters)] == ["Opslag practical"]
    # A stored filter from before the migration (never migrated) still works as an alias.
    old_filters = SearchForm.from_stored({"category": "practical"})
    assert [p.title for p in filter_posts(old_filters)] == ["Opslag practical"]
