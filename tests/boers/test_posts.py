"""Posts: the list with its filters and pages, a post, creating and editing through the
real pages; bad input; query counts that do not grow with the number of posts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from boers.models import Post, PostStatus, PostTerm

from ..factories import AssociationFactory, MembershipFactory
from .conftest import URL, PostFactory, theme_of


def form_data(**overrides):
    data = {
        "side": "offer",
        "kind": "recurring",
        "theme": theme_of("sport").pk,
        "title": "Gåmakker tirsdage",
        "body": "Jeg går en tur ved stranden hver tirsdag og vil gerne have selskab.",
        "area": "",
        "when_kind": "recurring",
        "date_from": "",
        "date_to": "",
        "recurrence": "Tirsdage kl. 10",
        "time_needed": "weekly",
        "age_suitability": "seniors",
        "association": "",
        "submission_key": "k1",
    }
    data.update(overrides)
    return data


def test_the_list_shows_published_posts_only(client, exchange):
    PostFactory(title="Synligt opslag")
    PostFactory(title="Venter på godkendelse", status=PostStatus.PENDING, published_at=None)
    PostFactory(title="Skjult opslag", status=PostStatus.HIDDEN)
    PostFactory(title="Udløbet opslag", expires_at=timezone.now() - timedelta(minutes=1))
    PostFactory(title="Lukket opslag", status=PostStatus.CLOSED)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Synligt opslag" in html
    for hidden in ["Venter på godkendelse", "Skjult opslag", "Udløbet opslag", "Lukket opslag"]:
        assert hidden not in html
    assert "Antal opslag: 1" in html


def test_filters_narrow_the_list(client, exchange, areas):
    PostFactory(title="Gåtur i Søvang", side="offer", area=areas["soevang"])
    PostFactory(
        title="Hjælp til flytning", side="need", kind="one_off", theme=theme_of("practical")
    )
    PostFactory(
        title="Telt til udlån",
        kind="equipment",
        theme=theme_of("culture"),
        body="Et stort festtelt.",
    )
    html = client.get(URL, {"side": "need"}).content.decode()
    assert "Hjælp til flytning" in html and "Gåtur i Søvang" not in html
    html = client.get(URL, {"kind": "equipment"}).content.decode()
    assert "Telt til udlån" in html and "Hjælp til flytning" not in html
    html = client.get(URL, {"theme": "praktisk-hjaelp"}).content.decode()
    assert "Hjælp til flytning" in html and "Telt til udlån" not in html
    # The exchange's old ``?category=`` (a code of its own list) still filters: an old link
    # or bookmark finds the theme that took its place.
    html = client.get(URL, {"category": "practical"}).content.decode()
    assert "Hjælp til flytning" in html and "Telt til udlån" not in html
    assert 'value="praktisk-hjaelp" selected' in html
    # An unknown one is dropped, like any invalid filter: the whole list.
    html = client.get(URL, {"category": "findes-ikke"}).content.decode()
    assert "Hjælp til flytning" in html and "Telt til udlån" in html
    html = client.get(URL, {"area": areas["soevang"].pk}).content.decode()
    # An area shows its own posts and those for the whole municipality.
    assert "Gåtur i Søvang" in html and "Telt til udlån" in html
    html = client.get(URL, {"q": "festtel"}).content.decode()
    assert "Telt til udlån" in html and "Gåtur i Søvang" not in html
    html = client.get(URL, {"q": "gåtur søvang"}).content.decode()
    assert "Gåtur i Søvang" in html and "Telt til udlån" not in html


def test_date_filter_keeps_flexible_posts_and_overlapping_periods(client, exchange):
    today = timezone.localdate()
    PostFactory(
        title="Loppemarked",
        when_kind="date",
        date_from=today + timedelta(days=10),
        date_to=today + timedelta(days=10),
    )
    PostFactory(
        title="Sommerlejr",
        when_kind="period",
        date_from=today + timedelta(days=5),
        date_to=today + timedelta(days=20),
    )
    PostFactory(title="Når det passer")
    day = (today + timedelta(days=10)).isoformat()
    html = client.get(URL, {"date": day}).content.decode()
    assert "Loppemarked" in html and "Sommerlejr" in html and "Når det passer" in html
    day = (today + timedelta(days=15)).isoformat()
    html = client.get(URL, {"date": day}).content.decode()
    assert "Loppemarked" not in html and "Sommerlejr" in html


def test_order_newest_or_expiring_first(client, exchange):
    now = timezone.now()
    PostFactory(
        title="Gammelt men langt",
        published_at=now - timedelta(days=5),
        expires_at=now + timedelta(days=50),
    )
    PostFactory(title="Nyt men kort", published_at=now, expires_at=now + timedelta(days=3))
    html = client.get(URL).content.decode()
    assert html.index("Nyt men kort") < html.index("Gammelt men langt")
    html = client.get(URL, {"order": "expiring"}).content.decode()
    assert html.index("Nyt men kort") < html.index("Gammelt men langt")
    PostFactory(
        title="Kortest tid tilbage",
        published_at=now - timedelta(days=9),
        expires_at=now + timedelta(days=1),
    )
    html = client.get(URL, {"order": "expiring"}).content.decode()
    assert html.index("Kortest tid tilbage") < html.index("Nyt men kort")
    html = client.get(URL, {"order": "newest"}).content.decode()
    assert html.index("Nyt men kort") < html.index("Kortest tid tilbage")


def test_invalid_filters_are_ignored_not_an_error(client, exchange):
    PostFactory(title="Stadig vist")
    response = client.get(
        URL, {"side": "<script>", "area": "999999", "date": "i morgen", "page": "x"}
    )
    assert response.status_code == 200
    assert "Stadig vist" in response.content.decode()


def test_pages_of_twenty(client, exchange):
    for i in range(25):
        PostFactory(title=f"Opslag nummer {i:02d}")
    html = client.get(URL).content.decode()
    assert "Side 1 af 2" in html and html.count('class="card boers-post"') == 20
    html = client.get(URL, {"page": 2}).content.decode()
    assert html.count('class="card boers-post"') == 5


def test_list_query_count_does_not_grow_with_posts(
    client, exchange, areas, django_assert_max_num_queries, other
):
    association = AssociationFactory()
    for _i in range(3):
        PostFactory(area=areas["by"], association=association)
    client.force_login(other)
    with django_assert_max_num_queries(30) as small:
        assert client.get(URL, {"q": "tur"}).status_code == 200
    for i in range(40):
        PostFactory(area=areas["soevang"] if i % 2 else None, association=association)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL, {"q": "tur"}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).status_code == 200


def test_detail_shows_the_post_and_the_safety_note(client, exchange, areas):
    post = PostFactory(
        title="Læsemakker søges",
        kind="generations",
        theme=theme_of("children"),
        involves_children=True,
        area=areas["by"],
        body="Vi søger en <b>bedstemor</b>.",
    )
    response = client.get(f"{URL}{post.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Læsemakker søges" in html and "Dragør by" in html
    assert "Sikkerhed når børn er med" in html
    assert "&lt;b&gt;bedstemor&lt;/b&gt;" in html and "<b>bedstemor</b>" not in html
    assert "Svar" in html


def test_forged_or_hidden_post_ids_give_404(client, exchange, other):
    hidden = PostFactory(status=PostStatus.HIDDEN)
    pending = PostFactory(status=PostStatus.PENDING, published_at=None)
    for pk in [hidden.pk, pending.pk, 999999]:
        assert client.get(f"{URL}{pk}/").status_code == 404
    client.force_login(other)
    assert client.get(f"{URL}{hidden.pk}/").status_code == 404
    assert client.get(f"{URL}{hidden.pk}/ret/").status_code == 404
    assert client.get(f"{URL}{hidden.pk}/match/").status_code == 404
    assert client.get(f"{URL}abc/").status_code == 404


def test_creating_needs_login(client, exchange):
    response = client.get(f"{URL}opret/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_create_a_post_and_see_matches(client, exchange, citizen, settings):
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = False
    client.force_login(citizen)
    response = client.get(f"{URL}opret/")
    assert response.status_code == 200
    assert "Opret et opslag" in response.content.decode()
    response = client.post(f"{URL}opret/", form_data())
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{post.pk}/match/"
    assert post.status == PostStatus.PUBLISHED and post.author == citizen
    assert post.recurrence == "Tirsdage kl. 10" and post.date_from is None
    assert (post.expires_at - timezone.now()).days in (59, 60)
    assert PostTerm.objects.filter(post=post, term="gåmakker").exists()
    html = client.get(response["Location"]).content.decode()
    assert "Dit opslag er offentliggjort." in html


def test_a_double_submit_makes_one_post(client, exchange, citizen):
    client.force_login(citizen)
    client.post(f"{URL}opret/", form_data())
    client.post(f"{URL}opret/", form_data())
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"title": ""}, "Skriv en titel."),
        ({"body": "   "}, "Skriv en tekst om opslaget."),
        ({"title": "x" * 121}, "Skriv en titel på højst 120 tegn."),
        ({"body": "x" * 4001}, "Skriv en tekst på højst 4000 tegn."),
        ({"side": "maybe"}, "Vælg en af mulighederne."),
        ({"when_kind": "recurring", "recurrence": ""}, "Skriv hvor ofte"),
        ({"when_kind": "date", "date_from": ""}, "Skriv datoen."),
        ({"when_kind": "date", "date_from": "2001-01-01"}, "Datoen er passeret."),
        (
            {"when_kind": "period", "date_from": "2099-05-10", "date_to": "2099-05-01"},
            "Den sidste dag skal være samme dag som eller efter den første dag.",
        ),
        ({"area": "999999"}, "Vælg et område fra listen."),
    ],
)
def test_bad_input_gets_a_danish_message_and_changes_nothing(
    client, exchange, citizen, overrides, field_message
):
    client.force_login(citizen)
    response = client.post(f"{URL}opret/", form_data(**overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Post.objects.exists()


def test_posting_for_an_association_needs_membership(client, exchange, citizen):
    mine = MembershipFactory(user=citizen).association
    foreign = AssociationFactory()
    client.force_login(citizen)
    response = client.post(f"{URL}opret/", form_data(association=foreign.pk))
    assert response.status_code == 400 and not Post.objects.exists()
    response = client.post(f"{URL}opret/", form_data(association=mine.pk))
    assert response.status_code == 302
    assert Post.objects.get().association == mine


def test_html_and_script_in_a_post_are_escaped(client, exchange, citizen, settings):
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = False
    client.force_login(citizen)
    client.post(
        f"{URL}opret/",
        form_data(title="<script>alert(1)</script>", body="<img src=x onerror=alert(2)>"),
    )
    post = Post.objects.get()
    for url in [URL, f"{URL}{post.pk}/"]:
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_the_author_edits(client, exchange, citizen, other):
    post = PostFactory(author=citizen, title="Før")
    client.force_login(other)
    assert client.get(f"{URL}{post.pk}/ret/").status_code == 404
    assert client.post(f"{URL}{post.pk}/ret/", form_data(title="Kapret")).status_code == 404
    client.force_login(citizen)
    response = client.post(f"{URL}{post.pk}/ret/", form_data(title="Efter"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Efter"
    assert PostTerm.objects.filter(post=post, term="efter").exists()
    assert not PostTerm.objects.filter(post=post, term="før").exists()


def test_creating_posts_is_rate_limited(client, exchange, citizen, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "boers_post": "2/h/user"}
    client.force_login(citizen)
    for i in range(2):
        assert client.post(f"{URL}opret/", form_data(submission_key=f"k{i}")).status_code == 302
    response = client.post(f"{URL}opret/", form_data(submission_key="k9"))
    assert response.status_code == 429
    assert "mange opslag" in response.content.decode()
    assert Post.objects.count() == 2
