"""The site search at /soeg/ over the base's content (pages, associations and initiatives,
grants, ideas, contact persons): one ranked list with the best results first, filters per
kind with counts, only what is published, Danish word forms, compounds and typos, and
Danish messages for empty and over-long queries. The apps' own kinds are tested in their
folders (tests/<app>/test_search.py), the relevance set in tests/search/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import PageViewRestriction

from frivillig_blocks.models import (
    AssociationIndexPage,
    ContactPage,
    ContactPerson,
    Grant,
    GrantIndexPage,
    Idea,
    IdeaCatalogPage,
    Initiative,
    SearchEntry,
    SearchWord,
)
from tests.helpers import html_of

from .. import factories

SEARCH = "/soeg/"


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def section_pages(site_tree):
    hub = site_tree.hub
    return {
        "associations": add_page(hub, AssociationIndexPage(title="Foreninger", slug="foreninger")),
        "grants": add_page(hub, GrantIndexPage(title="Puljer", slug="puljer")),
        "ideas": add_page(hub, IdeaCatalogPage(title="Idékatalog", slug="idekatalog")),
        "contact": add_page(hub, ContactPage(title="Kontakt", slug="kontakt")),
    }


def make_grant(name, *, live=True, **fields):
    return Grant.objects.create(
        name=name,
        slug=fields.pop("slug", None) or name.lower().replace(" ", "-").replace("§", "p"),
        summary=fields.pop("summary", "Penge til frivilligt arbejde."),
        who_may_apply="Foreninger i kommunen.",
        amount="op til 25.000 kr.",
        rolling=fields.pop("rolling", True),
        live=live,
        **fields,
    )


def make_idea(title, *, live=True, slug=None, description="En idé."):
    return Idea.objects.create(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        description=description,
        live=live,
    )


def make_contact(name, role, *, live=True):
    return ContactPerson.objects.create(
        name=name, role=role, email=f"{name.split()[0].lower()}@dragoer.test", live=live
    )


@pytest.fixture
def rowing(section_pages, site_tree, association_factory):
    """Published and unpublished things about rowing, one of each kind."""
    factories.TopicPageFactory(
        parent=site_tree.hub, title="Roning i havnen", slug="roning", intro="Kom og ro med."
    )
    association_factory(name="Dragør Roklub", slug="dragoer-roklub", purpose="Roning for alle.")
    association_factory(name="Skjult Roklub", slug="skjult", purpose="Roning.", live=False)
    make_grant("Rotilskud", slug="rotilskud", summary="Tilskud til roning og kajak.")
    make_grant("Gammel ropulje", slug="gammel", summary="Roning.", live=False)
    make_idea("Roning for seniorer", slug="roning-for-seniorer")
    make_idea("Roning kladde", slug="roning-kladde", live=False)
    make_contact("Rasmus Roning", "Frivilligkoordinator")
    make_contact("Rikke Roning", "Tidligere ansat", live=False)


def kinds(response):
    return {kind.key: kind.count for kind in response.context["result"].kinds}


def titles(response):
    return [hit.title for hit in response.context["result"].hits]


@pytest.mark.django_db
def test_one_ranked_list_with_filters_per_kind(client, rowing):
    response = client.get(SEARCH, {"q": "roning"})
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1>") == 1 and "<h1>Søg</h1>" in html
    assert kinds(response) == {
        "pages": 1,
        "associations": 1,
        "grants": 1,
        "ideas": 1,
        "contact_persons": 1,
    }
    # The filters: only kinds with hits, each with its count, and "Alle".
    assert '<a href="?q=roning" aria-current="page">Alle (5)</a>' in html
    for key, label in [
        ("pages", "Sider"),
        ("associations", "Foreninger"),
        ("grants", "Puljer"),
        ("ideas", "Idéer"),
        ("contact_persons", "Kontaktpersoner"),
    ]:
        assert f'<a href="?q=roning&amp;type={key}">{label} (1)</a>' in html
    assert "Initiativer (" not in html  # no initiative matches
    for link, title in [
        ("/frivillig/roning/", "Roning i havnen"),
        ("/frivillig/foreninger/dragoer-roklub/", "Dragør Roklub"),
        ("/frivillig/puljer/rotilskud/", "Rotilskud"),
        ("/frivillig/idekatalog/roning-for-seniorer/", "Roning for seniorer"),
        ("/frivillig/kontakt/", "Rasmus Roning"),
    ]:
        assert f'<a class="search-hit__title" href="{link}">{title}</a>' in html
    # Nothing unpublished.
    for hidden in ("Skjult Roklub", "Gammel ropulje", "Roning kladde", "Rikke Roning"):
        assert hidden not in html
    # The count is announced; the words are highlighted in the summaries.
    assert '<p class="result-count" role="status">5 resultater for »roning«</p>' in html
    assert "Tilskud til <mark>roning</mark> og kajak." in html


@pytest.mark.django_db
def test_a_filter_shows_one_kind_and_keeps_the_counts(client, rowing):
    response = client.get(SEARCH, {"q": "roning", "type": "ideas"})
    html = html_of(response)
    assert titles(response) == ["Roning for seniorer"]
    assert kinds(response)["associations"] == 1  # the other kinds stay offered
    assert '<a href="?q=roning&amp;type=ideas" aria-current="page">Idéer (1)</a>' in html
    assert '<h2 id="search-all">Idéer</h2>' in html
    # A kind no source has, or garbage, shows all kinds.
    for garbage in ("nope", "\x00", "<b>", "x" * 500):
        response = client.get(SEARCH, {"q": "roning", "type": garbage, "page": garbage})
        assert response.status_code == 200 and len(titles(response)) == 5


@pytest.mark.django_db
def test_the_best_results_come_first_title_over_summary(client, section_pages, association_factory):
    association_factory(name="Kajakklubben", slug="kajakklubben", purpose="Vi ror i havnen.")
    association_factory(name="Havnens Venner", slug="havnens-venner", purpose="Vi elsker kajak.")
    for number in range(6):
        make_idea(f"Sommerhygge {number}", description=f"Også to kajakker nummer {number}.")
    response = client.get(SEARCH, {"q": "kajak"})
    found = titles(response)
    assert found[0] == "Kajakklubben"  # a compound in the title beats the summary
    assert found[1] == "Havnens Venner"  # the word itself in a summary
    html = html_of(response)
    assert '<h2 id="search-best">Bedste resultater</h2>' in html
    assert html.count('class="search-hit"') == 5 + 8  # best five, then all eight


@pytest.mark.django_db
def test_an_initiative_is_found_and_links_to_the_directory(client, section_pages):
    Initiative.objects.create(
        name="Strikkecafé på biblioteket", slug="strikkecafe", description="Vi strikker.", live=True
    )
    Initiative.objects.create(name="Strikkeklub kladde", slug="kladde", description="x", live=False)
    response = client.get(SEARCH, {"q": "strikke"})
    assert titles(response) == ["Strikkecafé på biblioteket"]
    assert 'href="/frivillig/foreninger/strikkecafe/"' in html_of(response)


@pytest.mark.django_db
def test_a_hit_without_a_section_page_is_left_out(client, site_tree):
    make_idea("Strikkecafé", slug="strikkecafe")
    response = client.get(SEARCH, {"q": "strikkecafé"})
    assert response.status_code == 200
    assert titles(response) == [] and "/idekatalog/" not in html_of(response)


@pytest.mark.django_db
def test_a_section_page_renamed_or_unpublished_changes_the_next_search(client, section_pages):
    """The section's URL is kept with the layout's cached data: a page change retires it."""
    make_idea("Strikkecafé", slug="strikkecafe")
    html = html_of(client.get(SEARCH, {"q": "strikkecafé"}))
    assert 'href="/frivillig/idekatalog/strikkecafe/"' in html
    catalog = section_pages["ideas"]
    catalog.slug = "ideer"
    catalog.save_revision().publish()
    html = html_of(client.get(SEARCH, {"q": "strikkecafé"}))
    assert 'href="/frivillig/ideer/strikkecafe/"' in html and "/idekatalog/" not in html
    catalog.unpublish()
    assert titles(client.get(SEARCH, {"q": "strikkecafé"})) == []


@pytest.mark.django_db
def test_an_unpublished_or_private_page_is_not_found(client, site_tree):
    draft = factories.TopicPageFactory(parent=site_tree.hub, title="Hemmelig plan", slug="plan")
    draft.unpublish()
    private = factories.TopicPageFactory(
        parent=site_tree.hub, title="Hemmelig intern side", slug="intern"
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(SEARCH, {"q": "hemmelig"})
    assert response.status_code == 200
    html = html_of(response)
    assert "Hemmelig plan" not in html and "Hemmelig intern side" not in html


@pytest.mark.django_db
def test_publishing_and_unpublishing_change_the_next_search(client, site_tree):
    page = factories.TopicPageFactory(parent=site_tree.hub, title="Julemarked", slug="jul")
    assert titles(client.get(SEARCH, {"q": "julemarkedet"})) == ["Julemarked"]
    page.unpublish()
    assert titles(client.get(SEARCH, {"q": "julemarked"})) == []
    page.save_revision().publish()
    assert titles(client.get(SEARCH, {"q": "julemarked"})) == ["Julemarked"]


@pytest.mark.django_db
def test_the_index_follows_edits(client, section_pages):
    idea = make_idea("Cykelværksted", slug="cykelvaerksted")
    assert titles(client.get(SEARCH, {"q": "cykelværksted"})) == ["Cykelværksted"]
    idea.title = "Reparationscafé"
    idea.save()
    assert titles(client.get(SEARCH, {"q": "reparationscafé"})) == ["Reparationscafé"]
    assert titles(client.get(SEARCH, {"q": "cykelværksted"})) == []
    Idea.objects.get(pk=idea.pk).delete()
    assert kinds(client.get(SEARCH, {"q": "reparationscafé"})) == {}
    # The words of the index are the search's vocabulary, kept up by the backend.
    assert SearchWord.objects.filter(word="reparationscafé", key="reparationscafe").exists()


@pytest.mark.django_db
def test_word_forms_compounds_and_typos_find_the_page(client, section_pages):
    make_grant("Folkeoplysningspuljen", slug="folk", summary="Til foreningernes aktiviteter.")
    make_idea("Søspejdere i havnen", slug="spejd", description="Bestyrelsesarbejde for unge.")
    make_idea("Lån et lokale", slug="lokale", description="Lokaler til foreninger.")
    make_idea("Kurser for frivillige", slug="kurser", description="Et kursus om året.")
    cases = {
        "pulje": "Folkeoplysningspuljen",
        "puljer": "Folkeoplysningspuljen",
        "spejder": "Søspejdere i havnen",
        "bestyrelse": "Søspejdere i havnen",
        "lokaler": "Lån et lokale",
        "kursus": "Kurser for frivillige",
        "forening": "Folkeoplysningspuljen",
        "SØSPEJDERE": "Søspejdere i havnen",
        "folkeoplysningspulje": "Folkeoplysningspuljen",
        "folkeoplysnigspuljen": "Folkeoplysningspuljen",  # one letter missing
        "folkeopplysningspuljn": "Folkeoplysningspuljen",  # two letters wrong
        "frivilige": "Kurser for frivillige",
    }
    for query, title in cases.items():
        assert title in titles(client.get(SEARCH, {"q": query}))[:5], query


@pytest.mark.django_db
def test_aa_is_read_as_aa_and_accents_are_ignored(client, section_pages):
    make_idea("Åben café i Aabenraa", slug="aaben", description="Kaffe for én og alle.")
    for query in ("aaben", "åben", "ÅBEN", "åbenrå", "cafe", "CAFÉ", "en"):
        found = titles(client.get(SEARCH, {"q": query}))
        if query == "en":  # a stop word says nothing
            assert found == []
        else:
            assert found == ["Åben café i Aabenraa"], query


@pytest.mark.django_db
def test_a_misspelt_word_offers_the_index_word(client, section_pages):
    make_idea("Frivillig-makker", slug="makker", description="En frivillig makker.")
    response = client.get(SEARCH, {"q": "frivilig"})
    html = html_of(response)
    assert response.context["result"].suggestion == "frivillig"
    assert 'Mente du: <a href="?q=frivillig">frivillig</a>?' in html
    assert "Frivillig-makker" in titles(response)  # found anyway
    response = client.get(SEARCH, {"q": "frivillig"})
    assert response.context["result"].suggestion is None and "Mente du" not in html_of(response)


@pytest.mark.django_db
def test_a_miss_says_so_once_and_tells_the_follow_up(client, section_pages):
    from wagtail import hooks as wagtail_hooks

    from frivillig_blocks import hooks

    seen = []

    def record(request, query):
        seen.append(query)

    with wagtail_hooks.register_temporarily(hooks.SEARCH_MISSES, record):
        html = html_of(client.get(SEARCH, {"q": "Zzyzx  Qwq"}))
        client.get(SEARCH, {"q": "kajak"})
        make_idea("Kajak", slug="kajak")
        client.get(SEARCH, {"q": "kajak"})
        client.get("/soeg/forslag/", {"q": "zzyzx"})  # typing is not a miss
    assert html.count("Ingen resultater") == 1
    assert '<p class="result-count" role="status">Ingen resultater for »Zzyzx Qwq«.</p>' in html
    assert seen == ["zzyzx qwq", "kajak"]


@pytest.mark.django_db
def test_suggestions_while_typing_come_from_the_same_index(client, section_pages):
    make_grant("Folkeoplysningspuljen", slug="folk")
    make_idea("Lokalhistorisk vandring", slug="vandring")
    response = client.get("/soeg/forslag/", {"q": "lokalh"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "title": "Lokalhistorisk vandring",
                "url": "/frivillig/idekatalog/vandring/",
                "kind": "Idéer",
            }
        ]
    }
    assert response["Cache-Control"].startswith("max-age=0")
    for garbage in ("", "x" * 500, "\x00", "<script>"):
        assert client.get("/soeg/forslag/", {"q": garbage}).json() == {"results": []}


@pytest.mark.django_db
def test_the_form_without_a_query_explains_itself(client, site_tree):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = html_of(response)
    assert '<label for="search-q">Søg efter</label>' in html
    assert 'type="search"' in html and 'role="search"' in html
    assert 'data-suggest-url="/soeg/forslag/"' in html
    assert reverse("frivillig_search:search") == SEARCH


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\x00", "\t\n", '"', "*", "-- ;"])
def test_an_empty_query_gets_a_danish_message(client, site_tree, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = html_of(response)
    assert "Skriv et eller flere ord at søge efter." in html
    # The error summary's link leads to the box (the page's own id).
    assert '<a href="#search-q">' in html and 'id="search-q"' in html
    assert 'aria-describedby="search-q_error"' in html


@pytest.mark.django_db
def test_an_over_long_query_gets_a_danish_message(client, site_tree):
    response = client.get(SEARCH, {"q": "roning " * 5000})
    assert response.status_code == 200
    assert "Skriv højst 200 tegn at søge efter." in html_of(response)
    assert response.context["result"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"roning',
        "*",
        "ro*",
        "NEAR(roning",
        "roning AND OR NOT",
        "-roning",
        "' OR 1=1 --",
        "'; DROP TABLE wagtailcore_page; --",
        "roning\x00klub",
        "(((",
        "title:roning",
        "^roning",
        "\\",
        "%_%",
        "🚣 roning",
        "<script>alert(1)</script>",
        "&&||!",
        ":",
        "ｒｏｎｉｎｇ",
        "ro\u200bning",
        "a " * 90,
    ],
)
def test_hostile_queries_never_break_the_search(client, rowing, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = html_of(response)
    assert "<script>alert(1)</script>" not in html
    assert "Dragør Roklub" in html_of(client.get(SEARCH, {"q": "roning"}))  # still there


@pytest.mark.django_db
def test_hostile_query_strings_never_break_the_search(client, site_tree):
    for query in ("?q=a&q=b", "?q[]=x", "?%ZZ=%ZZ", "?q=%FF%FE", "?q=" + "%00" * 50):
        assert client.get(SEARCH + query).status_code == 200
        assert client.get("/soeg/forslag/" + query).status_code == 200
    assert client.post(SEARCH, {"q": "roning"}).status_code == 405


@pytest.mark.django_db
def test_the_search_answers_in_english(client, rowing):
    response = client.get("/en/soeg/", {"q": "roning"})
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Search</h1>" in html and "Associations (1)" in html
    assert 'href="/en/frivillig/foreninger/dragoer-roklub/"' in html


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_results(
    client,
    section_pages,
    association_factory,
    django_assert_max_num_queries,
):
    def add(count, start):
        for number in range(start, start + count):
            association_factory(name=f"Kajak Klub {number}", slug=f"kajak-{number}")
            make_idea(f"Kajak idé {number}", slug=f"kajak-ide-{number}")
            make_grant(f"Kajakpulje {number}", slug=f"kajakpulje-{number}")
            make_contact(f"Kajak Person {number}", "Kajak")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(SEARCH, {"q": "kajak"}).status_code == 200
        return len(context.captured_queries)

    client.get(SEARCH, {"q": "kajak"})  # warm the site and settings caches
    add(2, 0)
    queries()  # the site root paths are cached by the first search that links a page
    few = queries()  # eight hits of four kinds: one page reads all four kinds' objects
    add(70, 2)
    # A page reads the objects of the ten hits it shows (one query per kind among them),
    # never more because there are more hits: 288 of them cost what 8 did.
    with django_assert_max_num_queries(few):
        response = client.get(SEARCH, {"q": "kajak", "page": 3})
    # Each kind is counted in full; the list of all kinds holds the best 20 of each, and a
    # kind's filter shows the rest.
    assert kinds(response) == {"associations": 72, "grants": 72, "ideas": 72, "contact_persons": 72}
    html = html_of(response)
    assert "Side 3 af 8" in html and "Foreninger (72)" in html
    assert "288 resultater for »kajak«" in html
    assert "Vælg en slags for at se alle dens resultater" in html
    with django_assert_max_num_queries(few):
        response = client.get(SEARCH, {"q": "kajak", "type": "ideas"})
    assert len(titles(response)) == 72  # one kind chosen: up to 300 of it


def test_grants_with_a_deadline_are_found_too(db):
    from wagtail.search.backends import get_search_backend

    make_grant("Sommerpulje", slug="sommer", rolling=False, deadline=datetime.date(2030, 1, 1))
    # rolling=False but a deadline: the constraint holds, and the index has it.
    results = get_search_backend().search("sommerpulje", Grant.objects.filter(live=True))
    assert [grant.slug for grant in results] == ["sommer"]


def test_the_search_page_passes_axe_in_a_browser(live_site, page, axe):
    _server, tree = live_site
    add_page(tree.hub, IdeaCatalogPage(title="Idékatalog", slug="idekatalog"))
    make_idea("Roning for seniorer", slug="roning-for-seniorer")
    page.goto(SEARCH)
    axe(page)
    main = page.locator("main")  # the header has a search field of its own
    main.get_by_label("Søg efter").fill("roning")
    main.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url("**/soeg/?q=roning")
    assert page.get_by_role("link", name="Roning for seniorer").is_visible()
    axe(page)
    page.goto(SEARCH + "?q=")
    assert page.locator("#search-q_error").get_by_text("Skriv et eller flere ord").is_visible()
    expect(page.locator("#error-summary")).to_be_focused()  # the one error summary
    axe(page)


@pytest.mark.django_db
def test_the_nightly_rebuild_drops_words_the_index_no_longer_holds(client, section_pages):
    from frivillig_blocks.tasks import rebuild_search_vocabulary

    idea = make_idea("Cykelværksted", slug="cykel", description="Hos Jens Jørgensen.")
    assert SearchWord.objects.filter(word="jørgensen").exists()
    idea.description = "Hos biblioteket."
    idea.save()
    # Until the rebuild, the old word is still a suggestion; after it, no longer.
    assert client.get(SEARCH, {"q": "jørgensne"}).context["result"].suggestion == "jørgensen"
    rebuild_search_vocabulary.enqueue()
    assert not SearchWord.objects.filter(word="jørgensen").exists()
    assert SearchWord.objects.filter(word="biblioteket").exists()
    assert client.get(SEARCH, {"q": "jørgensne"}).context["result"].suggestion is None


@pytest.mark.django_db
def test_the_backend_keeps_an_entry_beside_each_index_entry(client, section_pages):
    """What the results list ranks by is stored as Wagtail indexes: written on save,
    replaced on edit, dropped on delete, rebuilt by update_index."""
    import io

    from django.core.management import call_command

    idea = make_idea("Cykelværksted", slug="cykel", description="<p>Vi <b>fikser</b> cykler.</p>")
    entry = SearchEntry.objects.get(object_id=str(idea.pk), content_type__model="idea")
    assert (entry.title, entry.summary) == ("Cykelværksted", "Vi fikser cykler.")
    idea.title = "Reparationscafé"
    idea.save()
    entries = SearchEntry.objects.filter(object_id=str(idea.pk), content_type__model="idea")
    assert list(entries.values_list("title", flat=True)) == ["Reparationscafé"]
    SearchEntry.objects.all().delete()
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert SearchEntry.objects.filter(title="Reparationscafé").count() == 1
    Idea.objects.get(pk=idea.pk).delete()
    assert not SearchEntry.objects.filter(title="Reparationscafé").exists()


@pytest.mark.django_db
def test_hits_indexed_before_the_entries_existed_are_made_from_their_objects(client, rowing):
    SearchEntry.objects.all().delete()  # as after migrating, before update_index
    response = client.get(SEARCH, {"q": "roning"})
    assert kinds(response) == {
        "pages": 1,
        "associations": 1,
        "grants": 1,
        "ideas": 1,
        "contact_persons": 1,
    }
    html = html_of(response)
    assert '<a class="search-hit__title" href="/frivillig/puljer/rotilskud/">Rotilskud</a>' in html
    assert "Tilskud til <mark>roning</mark> og kajak." in html


def _published_until_now():
    return Grant.objects.filter(live=True, first_published_at__lte=timezone.now())


def _published_since_yesterday():
    since = timezone.now() - datetime.timedelta(days=1)
    return Grant.objects.filter(live=True, first_published_at__gte=since)


def _published_as_read_now():
    return Grant.objects.filter(pk__in=list(Grant.objects.values_list("pk", flat=True)))


@pytest.mark.django_db
def test_a_public_queryset_is_compiled_once_and_its_now_is_the_search_time():
    from frivillig_blocks.search import engine
    from frivillig_blocks.search.sources import SearchSource

    def source(queryset):
        return SearchSource("grants", "Puljer", queryset, hits=lambda request, objects: [])

    until_now = source(_published_until_now)
    assert engine._compile(until_now)[1]  # "now" only: kept
    compiled = engine._public(until_now)
    assert engine._public(until_now).sql is compiled.sql  # read from the process's cache
    # A grant published after the SQL was compiled is visible: "now" is the search's.
    grant = make_grant("Ny pulje", slug="ny-pulje")
    Grant.objects.filter(pk=grant.pk).update(first_published_at=timezone.now())
    wanted = {"grants": {grant.pk: 0}}
    assert engine._visible_ids({"grants": engine._public(until_now)}, wanted) == {
        "grants": [grant.pk]
    }
    # Another time than "now" (yesterday), or a queryset that reads the database while it
    # is built, is built again at every search.
    assert not engine._compile(source(_published_since_yesterday))[1]
    assert not engine._compile(source(_published_as_read_now))[1]
