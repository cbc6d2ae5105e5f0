"""Matching: after creating a post, the best posts of the opposite side (same kind and
theme, nearby area, overlapping time), each with why it matches."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from boers import search

from .conftest import URL, PostFactory, theme_of


def test_matches_rank_same_area_before_nearby_and_skip_far_and_wrong(
    client, exchange, areas, citizen
):
    mine = PostFactory(
        author=citizen,
        side="need",
        kind="recurring",
        theme=theme_of("sport"),
        area=areas["by"],
        title="Søger gåmakker",
    )
    PostFactory(
        side="offer",
        kind="recurring",
        theme=theme_of("sport"),
        area=areas["magleby"],
        title="Nabo-tilbud",
    )
    PostFactory(
        side="offer",
        kind="recurring",
        theme=theme_of("sport"),
        area=areas["by"],
        title="Samme-by-tilbud",
    )
    PostFactory(
        side="offer",
        kind="recurring",
        theme=theme_of("sport"),
        area=None,
        title="Hele-kommunen-tilbud",
    )
    PostFactory(
        side="offer",
        kind="recurring",
        theme=theme_of("sport"),
        area=areas["kongelunden"],
        title="Langt-væk-tilbud",
    )
    PostFactory(
        side="need",
        kind="recurring",
        theme=theme_of("sport"),
        area=areas["by"],
        title="Andet-behov",
    )
    PostFactory(
        side="offer",
        kind="equipment",
        theme=theme_of("sport"),
        area=areas["by"],
        title="Forkert-type",
    )
    PostFactory(
        side="offer",
        kind="recurring",
        theme=theme_of("culture"),
        area=areas["by"],
        title="Forkert-kategori",
    )
    PostFactory(
        side="offer",
        kind="recurring",
        theme=theme_of("sport"),
        area=areas["by"],
        title="Mit-eget-tilbud",
        author=citizen,
    )
    client.force_login(citizen)
    html = client.get(f"{URL}{mine.pk}/match/").content.decode()
    assert (
        html.index("Samme-by-tilbud")
        < html.index("Nabo-tilbud")
        < html.index("Hele-kommunen-tilbud")
    )
    for absent in [
        "Langt-væk-tilbud",
        "Andet-behov",
        "Forkert-type",
        "Forkert-kategori",
        "Mit-eget-tilbud",
    ]:
        assert absent not in html
    assert "Samme område: Dragør by" in html
    assert "Område i nærheden: St. Magleby" in html
    assert "Dækker hele kommunen" in html
    assert "Samme type: Fast hjælp eller makker" in html


def test_matches_need_overlapping_time(exchange, citizen):
    today = timezone.localdate()
    mine = PostFactory(
        author=citizen,
        side="need",
        kind="one_off",
        theme=theme_of("culture"),
        when_kind="period",
        date_from=today + timedelta(days=10),
        date_to=today + timedelta(days=12),
    )
    PostFactory(
        side="offer",
        kind="one_off",
        theme=theme_of("culture"),
        title="Overlapper",
        when_kind="date",
        date_from=today + timedelta(days=11),
        date_to=today + timedelta(days=11),
    )
    PostFactory(
        side="offer",
        kind="one_off",
        theme=theme_of("culture"),
        title="For tidligt",
        when_kind="date",
        date_from=today + timedelta(days=2),
        date_to=today + timedelta(days=2),
    )
    PostFactory(side="offer", kind="one_off", theme=theme_of("culture"), title="Fleksibel")
    matches = search.matching_posts(mine)
    assert [m.title for m in matches] == ["Overlapper", "Fleksibel"]


def test_only_the_author_sees_the_matches(client, exchange, citizen, other):
    mine = PostFactory(author=citizen)
    client.force_login(other)
    assert client.get(f"{URL}{mine.pk}/match/").status_code == 404


def test_matching_query_count_is_constant(
    client, exchange, areas, citizen, django_assert_max_num_queries
):
    mine = PostFactory(author=citizen, side="need", area=areas["by"])
    PostFactory(side="offer", area=areas["by"])
    client.force_login(citizen)
    with django_assert_max_num_queries(30) as small:
        client.get(f"{URL}{mine.pk}/match/")
    for _i in range(20):
        PostFactory(side="offer", area=areas["magleby"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{URL}{mine.pk}/match/")
