"""Benchmarks of the directory of associations (/frivillig/foreninger/) and the hub."""

from run import HomePageBenchmark, benchmark, get_ok

DIRECTORY_URL = "/frivillig/foreninger/"
# The theme only the ten baseline associations have.
SMALL_THEME = "lille-tema"


def make_directory(tree):
    from frivillig_blocks.models import AssociationIndexPage

    page = tree.hub.add_child(
        instance=AssociationIndexPage(
            title="Foreninger", slug="foreninger", intro="<p>Find en forening.</p>"
        )
    )
    page.save_revision().publish()
    return page


def make_associations(count: int, *, start: int, themes, age_groups, logo) -> None:
    """``count`` live associations as the directory shows them: purpose, contact, logo,
    two age groups and the given themes (one INSERT per table)."""
    from frivillig_blocks.models import Association

    objs = Association.objects.bulk_create(
        Association(
            name=f"Forening {start + i:04d}",
            slug=f"forening-{start + i}",
            purpose="Fællesskab, fodbold og frivilligt arbejde for alle i Dragør. " * 3,
            contact_name="Kim Jensen",
            email=f"kontakt{start + i}@example.org",
            phone="32 00 00 00",
            website="https://example.org",
            logo=logo,
        )
        for i in range(count)
    )
    field = Association._meta.get_field
    themes_through = field("themes").remote_field.through
    themes_through.objects.bulk_create(
        themes_through(association=obj, theme=theme) for obj in objs for theme in themes
    )
    ages_through = field("age_groups").remote_field.through
    ages_through.objects.bulk_create(
        ages_through(association=obj, agegroup=group) for obj in objs for group in age_groups
    )


@benchmark(
    "directory_500_vs_10",
    target=2.0,
    description="the directory with 500 associations vs the same page matching 10",
)
class DirectoryBenchmark:
    """The directory page with 500 live associations against the same page with 10.

    One hub holds one directory page and a benchmark has one database, so both sides use
    the same data and differ in how many rows match: 500 associations, of which only ten
    have the theme "lille-tema". The baseline asks for ``?tema=lille-tema`` (10 matches,
    one page of 10 entries); the measured side asks for the unfiltered directory (500
    matches: every match is fetched, merged and sorted, and the first page of 20 entries is
    rendered). Both render the same layout and filter form; the baseline pays for the
    theme filter, the measured side for 50 times the matches and twice the entries on the
    page. Every association has a purpose, contact details, two age groups, a theme and a
    logo (one image, its rendition made before timing)."""

    def setup(self, tree):
        from django.test import Client
        from wagtail_factories import ImageFactory

        from frivillig_blocks.models import AgeGroup, Theme

        make_directory(tree)
        logo = ImageFactory()
        ages = list(AgeGroup.objects.filter(code__in=["unge", "voksne"]))
        common = Theme.objects.create(name="Idræt", slug="idraet")
        small = Theme.objects.create(name="Lille tema", slug=SMALL_THEME)
        make_associations(10, start=0, themes=[common, small], age_groups=ages, logo=logo)
        make_associations(490, start=10, themes=[common], age_groups=ages, logo=logo)
        self.client = Client()
        baseline = get_ok(self.client, f"{DIRECTORY_URL}?tema={SMALL_THEME}").content.decode()
        measured = get_ok(self.client, DIRECTORY_URL).content.decode()
        assert "10 resultater" in baseline and baseline.count('class="card directory-entry"') == 10
        assert "500 resultater" in measured and measured.count('class="card directory-entry"') == 20

    def rows(self) -> tuple[int, int]:
        """The associations each side matches (10 against 500; not equal by design)."""
        from frivillig_blocks.models import Association

        return (
            Association.objects.filter(themes__slug=SMALL_THEME).count(),
            Association.objects.filter(themes__slug="idraet").count(),
        )

    # The list's result is kept per content version (views.py): each call retires it first,
    # so both sides read and render their matches, as the first visitor after a change does.
    def baseline(self):
        retire_kept()
        get_ok(self.client, f"{DIRECTORY_URL}?tema={SMALL_THEME}")

    def measured(self):
        retire_kept()
        get_ok(self.client, DIRECTORY_URL)


def retire_kept() -> None:
    from frivillig_blocks import pagecache

    pagecache.NAMESPACE.bump()


@benchmark(
    "hub_page",
    target=1.5,
    description='the hub "/frivillig/" vs a bare Wagtail page',
    equal_rows=True,
)
class HubPageBenchmark(HomePageBenchmark):
    """The volunteer hub (base layout, menu, intro, task cards, the directory below it)
    against the bare page of ``home_page``: the same TopicPage at the same depth rendered
    with a minimal template (setup and teardown are home_page's)."""

    def setup(self, tree):
        super().setup(tree)
        directory = make_directory(tree)
        hub = tree.hub.specific
        hub.cards = [
            (
                "card",
                {"title": "Find en forening", "text": "Foreninger i Dragør.", "page": directory},
            ),
            ("card", {"title": "Lån et lokale", "text": "Lokaler og udstyr.", "url": "/laan/"}),
            ("card", {"title": "Søg en pulje", "text": "Penge til idéer.", "url": "/puljer/"}),
        ]
        hub.save_revision().publish()
        html = get_ok(self.client, "/frivillig/").content.decode()
        assert 'href="/frivillig/foreninger/">Find en forening</a>' in html

    def measured(self):
        return get_ok(self.client, "/frivillig/")
