"""Benchmarks of the exchange (/frivillig/boers/).

``boers_search_20000_vs_200``: the list page searching free text over 20,000 visible posts
against the same search confined (by a theme filter) to a 200-post slice of the same
data. One database holds both sides, so they differ only in how many posts are searched.

``boers_matching_vs_search``: the matching query for a new post (opposite side, same kind
and theme, nearby areas, overlapping time, scored and ranked) against the plain list
query with the same side, kind and theme filters, both taking the first five rows, on
the same 20,000 posts."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from run import benchmark, get_ok, scaled

TOTAL = scaled(20_000, minimum=400)
LEARNING = "laering-og-lektier"  # the seeded themes (frivillig_blocks.themes.SEED)
SPORT = "idraet-og-motion"
SMALL = scaled(200, minimum=20)  # the posts of the one theme only the baseline searches
WORDS = [
    "hjælp",
    "tur",
    "havn",
    "strand",
    "kaffe",
    "have",
    "maling",
    "flytning",
    "lektier",
    "bil",
    "cykel",
    "hund",
    "bøger",
    "musik",
    "fodbold",
    "strik",
    "madlavning",
    "computer",
    "telefon",
    "indkøb",
    "snak",
    "spil",
    "kor",
    "teater",
    "loppemarked",
]


def make_exchange(tree):
    from boers.models import ExchangePage

    page = ExchangePage(title="Frivillig-børs", slug="boers")
    tree.hub.specific.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_posts(total: int, small: int):
    """``total`` published posts: one INSERT batch per table, words indexed as the app does.
    ``small`` of them (and only they) have the theme "Læring og lektier" (seeded)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from boers.models import Area, Kind, Post, PostTerm, Side, terms_of
    from frivillig_blocks.models import Theme

    rng = random.Random(7)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{i}", email=f"bench{i}@example.org") for i in range(50)
    )
    areas = Area.objects.bulk_create(
        Area(name=f"Område {i}", slug=f"omraade-{i}", sort_order=i) for i in range(6)
    )
    areas[0].neighbours.add(areas[1], areas[2])
    now = timezone.now()
    learning = Theme.objects.get(slug=LEARNING)
    others = list(Theme.objects.exclude(pk=learning.pk))
    posts = []
    for i in range(total):
        words = rng.sample(WORDS, 6)
        if i % 10 == 0:
            words.append("gåtur")
        posts.append(
            Post(
                side=Side.NEED if i % 2 else Side.OFFER,
                kind=Kind.values[i % len(Kind.values)],
                theme=learning if i < small else others[i % len(others)],
                title=f"Opslag {i} " + " ".join(words[:2]),
                body=" ".join(words),
                area=areas[i % len(areas)] if i % 7 else None,
                author=users[i % len(users)],
                status="published",
                published_at=now - timedelta(minutes=i),
                created_at=now - timedelta(minutes=i),
                expires_at=now + timedelta(days=60) - timedelta(minutes=i),
            )
        )
    posts = Post.objects.bulk_create(posts, batch_size=2000)
    PostTerm.objects.bulk_create(
        (PostTerm(post=p, term=t) for p in posts for t in terms_of(p.title, p.body)),
        batch_size=5000,
    )
    # As the nightly task leaves the database: statistics for the query planner.
    from boers.tasks import refresh_search_statistics

    refresh_search_statistics.call()
    return users, areas


@benchmark(
    "boers_search_20000_vs_200",
    target=3.0,
    description="exchange list: free-text search over 20,000 posts vs over 200",
)
class SearchBenchmark:
    def setup(self, tree):
        from django.test import Client

        make_exchange(tree)
        make_posts(TOTAL, SMALL)
        self.client = Client()
        self.small = f"/frivillig/boers/?q=g%C3%A5tur&theme={LEARNING}"
        self.large = "/frivillig/boers/?q=g%C3%A5tur"
        assert self.rows() == (len(range(0, SMALL, 10)), len(range(0, TOTAL, 10)))

    def rows(self):
        """The posts each search finds (the page's "Antal opslag"): unequal by design, the
        benchmark measures how the search grows with the posts searched."""
        found = []
        for response in (self.baseline(), self.measured()):
            match = re.search(r"Antal opslag: (\d+)", response.content.decode())
            found.append(int(match.group(1)))
        return tuple(found)

    def baseline(self):
        return get_ok(self.client, self.small)

    def measured(self):
        return get_ok(self.client, self.large)


@benchmark(
    "boers_matching_vs_search",
    target=2.0,
    description="matching for a new post vs the plain search query, 20,000 posts",
    equal_rows=True,
)
class MatchingBenchmark:
    def setup(self, tree):
        from django.utils import timezone

        from boers import search
        from boers.models import Post
        from frivillig_blocks.models import Theme

        make_exchange(tree)
        users, areas = make_posts(TOTAL, SMALL)
        now = timezone.now()
        self.post = Post.objects.create(
            side="need",
            kind="recurring",
            theme=Theme.objects.get(slug=SPORT),
            title="Ny gåmakker søges",
            body="Gåtur ved havnen",
            area=areas[0],
            author=users[0],
            status="published",
            published_at=now,
            expires_at=now + timedelta(days=60),
        )
        self.filters = {"side": "offer", "kind": "recurring", "theme": self.post.theme}
        self.search = search
        assert len(search.matching_posts(self.post)) == 5

    def rows(self):
        """Both take the first five posts."""
        return len(self.baseline()), len(self.measured())

    def baseline(self):
        return list(self.search.with_display_relations(self.search.filter_posts(self.filters))[:5])

    def measured(self):
        return self.search.matching_posts(self.post)
