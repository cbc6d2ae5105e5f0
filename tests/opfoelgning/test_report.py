"""The follow-up report in the admin, its exports and the public figures page, driven by a
figures source the test registers over real rows (association memberships): the machinery
is tested here with whichever apps are installed (also alone, in `make matrix`); each app's
own figures are tested in tests/<app>/test_figures.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail import hooks

from frivillig_blocks import figures, roles
from frivillig_blocks.figures import Figure, FigureSource, Filters, Period, Row
from frivillig_blocks.models import AssociationMembership, OutboundMessage
from opfoelgning.models import FiguresPage, FollowUpNote

from ..exports import (
    PAYLOADS,
    assert_no_formula_in_csv,
    assert_payloads_defused,
    csv_rows,
    xlsx_cells,
)
from ..factories import AssociationFactory, MembershipFactory, UserFactory
from ..helpers import assert_tagged_pdf

TODAY = dt.date(2026, 11, 20)
PERIOD = Period(dt.date(2025, 11, 21), TODAY)


class MembershipFigures(FigureSource):
    """New members per association: honours the association filter."""

    key = "members"
    title = "Nye medlemmer"
    order = 1
    filters = frozenset({"association"})

    def figures(self, period, filters):
        qs = AssociationMembership.objects.filter(period.q("created_at"))
        if filters.association:
            qs = qs.filter(association_id=filters.association)
        total = qs.aggregate(
            n=Count("pk"),
            people=Count("user", distinct=True),
            admins=Count("pk", filter=Q(role="admin")),
        )
        per = qs.values("association__name").annotate(
            n=Count("pk"), people=Count("user", distinct=True)
        )
        return [
            Figure(
                "members.joined",
                "Nye medlemskaber",
                total["n"],
                people=total["people"],
                rows=tuple(Row(r["association__name"], r["n"], r["people"]) for r in per),
            ),
            Figure(
                "members.admins", "Nye administratorer", total["admins"], people=total["admins"]
            ),
        ]


@pytest.fixture
def source(monkeypatch):
    """Only the test's source: the apps' own sources are tested in tests/<app>/."""
    monkeypatch.setattr(figures, "sources", lambda: [MembershipFigures()])


def join(association, when: dt.datetime, n=1, role="member"):
    made = []
    for _ in range(n):
        membership = MembershipFactory(association=association, role=role)
        AssociationMembership.objects.filter(pk=membership.pk).update(created_at=when)
        made.append(membership)
    return made


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=figures.CPH)


@pytest.fixture
def data(db):
    spejdere = AssociationFactory(name="Dragør Søspejdere")
    roklub = AssociationFactory(name="Dragør Roklub")
    join(spejdere, at(dt.date(2026, 3, 1)), n=6)
    join(roklub, at(dt.date(2026, 5, 1)), n=4)
    join(roklub, at(dt.date(2026, 6, 1)), n=1, role="admin")
    join(spejdere, at(dt.date(2025, 3, 1)), n=2)  # the year before
    join(spejdere, at(dt.date(2024, 3, 1)), n=9)  # outside both
    return spejdere, roklub


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])


def query(period=PERIOD, **filters):
    return {"fra": period.start.isoformat(), "til": period.end.isoformat(), **filters}


# -- the registry ----------------------------------------------------------------------


def test_compute_counts_the_period_and_the_year_before(source, data):
    report = figures.compute(PERIOD)
    section = next(s for s in report.sections if s.key == "members")
    joined = section.comparisons[0]
    assert (joined.figure.value, joined.figure.people) == (11, 11)
    assert joined.previous.value == 2
    assert joined.change == 9
    assert {r.label: r.value for r in joined.figure.rows} == {
        "Dragør Søspejdere": 6,
        "Dragør Roklub": 5,
    }
    assert joined.previous_row("Dragør Søspejdere") == 2
    assert report.figure("members.admins").value == 1


def test_a_filter_narrows_the_source_that_honours_it(source, data):
    spejdere, _ = data
    report = figures.compute(PERIOD, Filters(association=str(spejdere.pk), topic="x"))
    section = next(s for s in report.sections if s.key == "members")
    assert report.figure("members.joined").value == 6
    assert section.ignored == frozenset({"topic"})


def test_period_bounds_are_whole_danish_days():
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert period.since == dt.datetime(2026, 3, 1, tzinfo=figures.CPH)
    assert period.until == dt.datetime(2026, 4, 1, tzinfo=figures.CPH)
    assert Period(dt.date(2024, 2, 29), dt.date(2024, 3, 1)).year_before() == Period(
        dt.date(2023, 2, 28), dt.date(2023, 3, 1)
    )
    with pytest.raises(ValueError):
        Period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("spans", "expected"),
    [([3, 1, 10], 3), ([3, 1, 10, 7], 5), ([], None)],
    ids=["odd", "even", "none"],
)
def test_median_duration_is_the_middle_of_the_sorted_spans(db, spans, expected):
    base = at(dt.date(2026, 1, 1))
    for i, span in enumerate(spans):
        message = OutboundMessage.objects.create(
            message_id=f"<m{i}@test>",
            purpose="test",
            from_email="a@b.dk",
            subject="s",
            body_text="t",
        )
        OutboundMessage.objects.filter(pk=message.pk).update(
            created_at=base, sent_at=base + dt.timedelta(days=span)
        )
    OutboundMessage.objects.create(
        message_id="<unsent@test>", purpose="test", from_email="a", subject="s", body_text="t"
    )
    with CaptureQueriesContext(connection) as queries:
        median, n = figures.median_duration(OutboundMessage.objects.all(), "created_at", "sent_at")
    assert n == len(spans)
    assert median == (None if expected is None else dt.timedelta(days=expected))
    assert len(queries) <= 2
    assert figures.days(median) == expected


def test_span_seconds_are_the_spans_in_seconds_and_a_float_in_the_database(db):
    """``SpanSeconds`` answers each span in seconds, ordered by the database; on PostgreSQL
    as ``double precision`` (``date_part``): ``EXTRACT``'s ``numeric`` made the medians'
    ordered reads five times slower at 1,000,000 rows (#22)."""
    base = at(dt.date(2026, 1, 1))
    spans = [
        dt.timedelta(days=400, microseconds=123_457),
        dt.timedelta(seconds=1, microseconds=500_000),
        dt.timedelta(0),
        -dt.timedelta(hours=3, microseconds=1),
        dt.timedelta(days=3, hours=2),
    ]
    for i, span in enumerate(spans):
        message = OutboundMessage.objects.create(
            message_id=f"<s{i}@test>", purpose="test", from_email="a@b.dk", subject="s"
        )
        OutboundMessage.objects.filter(pk=message.pk).update(created_at=base, sent_at=base + span)
    ordered = OutboundMessage.objects.annotate(
        span=figures.SpanSeconds(F("sent_at"), F("created_at"))
    ).order_by("span")
    exact = 1e-6 if connection.vendor == "postgresql" else 1e-3  # SQLite: julianday()
    assert list(ordered.values_list("span", flat=True)) == pytest.approx(
        sorted(span.total_seconds() for span in spans), abs=exact
    )
    if connection.vendor == "postgresql":
        sql, params = ordered.values("span").query.sql_with_params()
        with connection.cursor() as cursor:
            # The SQL Django compiled, its values as parameters.
            cursor.execute(f"SELECT DISTINCT pg_typeof(span)::text FROM ({sql}) AS s", params)  # noqa: S608
            assert cursor.fetchall() == [("double precision",)]


@pytest.mark.parametrize(
    ("people", "shown"),
    [(4, False), (5, True), (None, True)],
    ids=["four-people-withheld", "five-people-shown", "no-people"],
)
def test_public_withholds_a_figure_about_fewer_than_five(people, shown):
    assert figures.public(Figure("x.y", "X", 4, people=people)).shown is shown


def test_public_merges_small_rows_until_no_group_under_five_remains():
    figure = Figure(
        "x.y",
        "X",
        30,
        people=30,
        rows=(Row("A", 12, 12), Row("B", 9, 9), Row("C", 6, 6), Row("D", 2, 2), Row("E", 1, 1)),
    )
    rows = figures.public(figure).rows
    assert [(r.label, r.value) for r in rows] == [("A", 12), ("B", 9), ("Andet", 9)]
    # one small row alone would be recoverable by subtraction: it is never shown alone
    figure = Figure("x.y", "X", 16, people=16, rows=(Row("A", 12, 12), Row("D", 4, 4)))
    assert figures.public(figure).rows == ()


# -- the admin report --------------------------------------------------------------------


def test_the_coordinator_sees_the_figures_against_a_year_before(client, source, data, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("frivillig_report:index"), query())
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'<tr data-figure="members.joined">(.*?)</tr>', html, re.S).group(1)
    assert [c.strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)] == ["11", "2", "+9"]
    assert "Dragør Søspejdere" in html
    # the chart is an image with a text alternative, beside its table
    assert 'role="img"' in html and '<title id="chart-members-joined-title">' in html
    assert '<desc id="chart-members-joined-desc">' in html


@pytest.mark.parametrize("group", [roles.KOMMUNIKATOERER, roles.FRIVILLIGKOORDINATOR])
def test_both_staff_roles_may_read_it(client, db, source, group):
    client.force_login(UserFactory(groups=[group]))
    assert client.get(reverse("frivillig_report:index")).status_code == 200
    assert client.get(reverse("frivillig_report:export", args=["csv"])).status_code == 200


@pytest.mark.parametrize("group", [roles.INSTITUTIONSLEDERE, roles.KURSUSANSVARLIGE, None])
def test_other_accounts_may_not(client, db, source, group):
    user = UserFactory(groups=[group] if group else [])
    if group is None:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (
        reverse("frivillig_report:index"),
        reverse("frivillig_report:export", args=["pdf"]),
        reverse("frivillig_report:export", args=["xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.get("Content-Type", "").startswith("text/html")
    response = client.post(reverse("frivillig_report:note"), {"section": "", "text": "x"})
    assert response.status_code in (302, 403)
    assert not FollowUpNote.objects.exists()


def test_anonymous_is_sent_to_the_login(client, db, source):
    response = client.get(reverse("frivillig_report:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_kommunikator_reads_but_does_not_write_the_texts(client, db, source):
    client.force_login(UserFactory(groups=[roles.KOMMUNIKATOERER]))
    assert "Save the text" not in client.get(reverse("frivillig_report:index")).content.decode()
    assert "Gem teksten" not in client.get(reverse("frivillig_report:index")).content.decode()
    response = client.post(
        reverse("frivillig_report:note"),
        {"section": "", "period_start": "2026-01-01", "period_end": "2026-12-31", "text": "Hej"},
    )
    assert response.status_code in (302, 403)  # Wagtail sends a refused admin user home
    assert not FollowUpNote.objects.exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"fra": "2026-05-01", "til": "2026-04-01"},
            "Perioden skal slutte samme dag som den begynder eller senere.",
        ),
        ({"fra": "2015-01-01", "til": "2026-01-01"}, "Vælg en periode på højst fem år."),
        ({"fra": "1. maj"}, "Skriv datoen som åååå-mm-dd."),
        ({"association": "'; DROP TABLE x; --"}, "Vælg en af mulighederne på listen."),
    ],
    ids=["reversed", "too-long", "malformed", "hostile"],
)
def test_bad_periods_and_filters_get_a_danish_message(
    client, source, data, coordinator, params, message
):
    client.force_login(coordinator)
    response = client.get(reverse("frivillig_report:index"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_query_count_does_not_grow_with_the_data(client, source, data, coordinator):
    client.force_login(coordinator)
    url = reverse("frivillig_report:index")
    client.get(url, query())  # warm caches (site, settings)
    with CaptureQueriesContext(connection) as few:
        client.get(url, query())
    spejdere, _roklub = data
    for i in range(3):
        join(AssociationFactory(name=f"Ny forening {i}"), at(dt.date(2026, 4, 1)), n=5)
    join(spejdere, at(dt.date(2026, 8, 1)), n=20)
    with CaptureQueriesContext(connection) as many:
        client.get(url, query())
    assert len(many) == len(few)


# -- exports ----------------------------------------------------------------------------


def test_csv_holds_the_figures_the_danish_way(client, source, data, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("frivillig_report:export", args=["csv"]), query())
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="opfoelgning-20251121-20261120.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:6] == ["Tjeneste", "Tal", "Opdeling", "Denne periode", "Året før", "Ændring"]
    assert rows[1][:6] == ["Nye medlemmer", "Nye medlemskaber", "", "11", "2", "9"]
    assert ["Nye medlemmer", "Nye medlemskaber", "Dragør Søspejdere", "6", "2", "4"] in [
        r[:6] for r in rows
    ]


def test_a_cell_that_looks_like_a_formula_is_defused(client, source, coordinator):
    """Association names are a citizen's words (issue #18, item 6): each of the issue's
    payloads reaches the CSV and the XLSX as text, in the Danish dialect."""
    for n, payload in enumerate(PAYLOADS):
        join(AssociationFactory(name=payload), at(dt.date(2026, 5, 1)), n=n + 1)
    client.force_login(coordinator)
    url = reverse("frivillig_report:export", args=["csv"])
    rows = csv_rows(client.get(url, query()))
    assert_no_formula_in_csv(rows)
    assert_payloads_defused(row[2] for row in rows[1:])  # the breakdown by association
    assert ["Nye medlemmer", "Nye medlemskaber", "Anna;=1+2;", "3", "", ""] in [
        row[:6] for row in rows
    ]
    url = reverse("frivillig_report:export", args=["xlsx"])
    cells = xlsx_cells(client.get(url, query()))
    assert_payloads_defused((c.value for c in cells if c.column == 3), xlsx=True)


def test_xlsx_opens_and_holds_numbers(client, source, data, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("frivillig_report:export", args=["xlsx"]), query())
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Opfølgning på aktivt medborgerskab"
    assert ["Nye medlemmer", "Nye medlemskaber", None, 11, 2, 9] in [r[:6] for r in rows]


def test_the_pdf_for_the_council_holds_the_figures_and_the_texts(client, source, data, coordinator):
    client.force_login(coordinator)
    for section, text in (
        ("", "Et år med flere frivillige."),
        ("members", "Roklubben voksede mest."),
    ):
        response = client.post(
            reverse("frivillig_report:note"),
            {
                "section": section,
                "period_start": PERIOD.start.isoformat(),
                "period_end": PERIOD.end.isoformat(),
                "text": text,
                "next": reverse("frivillig_report:index") + "?fra=2025-11-21&til=2026-11-20",
            },
        )
        assert response.status_code == 302
    assert FollowUpNote.objects.get(section="members").updated_by == coordinator
    response = client.get(reverse("frivillig_report:export", args=["pdf"]), query())
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Opfølgning på aktivt medborgerskab" in text
    assert "Et år med flere frivillige." in text and "Roklubben voksede mest." in text
    assert re.search(r"Nye medlemskaber\s+11\s+2\s+\+9", text)
    # Tagged for a screen reader (PDF/UA): structure, language and title.
    assert_tagged_pdf(response.content, title="Opfølgning på aktivt medborgerskab")


def test_a_text_is_saved_once_per_service_and_period_and_rejects_junk(
    client, db, source, coordinator
):
    client.force_login(coordinator)
    url = reverse("frivillig_report:note")
    base = {"section": "members", "period_start": "2026-01-01", "period_end": "2026-12-31"}
    client.post(url, {**base, "text": "Første"})
    client.post(url, {**base, "text": "Anden <script>alert(1)</script>"})
    assert FollowUpNote.objects.get().text == "Anden <script>alert(1)</script>"
    response = client.get(
        reverse("frivillig_report:index"), {"fra": "2026-01-01", "til": "2026-12-31"}
    )
    assert "Anden &lt;script&gt;" in response.content.decode()
    response = client.post(url, {**base, "text": "x" * 5001}, follow=True)
    assert "Teksten blev ikke gemt" in response.content.decode()
    response = client.post(url, {**base, "section": "no-such-service", "text": "x"}, follow=True)
    assert "Teksten blev ikke gemt" in response.content.decode()
    response = client.post(url, {**base, "text": "x", "next": "https://evil.example/"})
    assert response["Location"].startswith("/admin/")
    assert FollowUpNote.objects.count() == 1


# -- the public page --------------------------------------------------------------------


@pytest.fixture
def figures_page(site_tree):
    page = FiguresPage(title="Frivilligheden i Dragør i tal", slug="i-tal")
    site_tree.hub.add_child(instance=page)
    return page


def test_the_public_page_withholds_a_group_of_four(client, source, figures_page, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    roklub = AssociationFactory(name="Dragør Roklub")
    spejdere = AssociationFactory(name="Dragør Søspejdere")
    lille = AssociationFactory(name="Lille Forening")
    join(roklub, at(dt.date(2026, 5, 1)), n=7)
    join(spejdere, at(dt.date(2026, 5, 1)), n=6)
    join(lille, at(dt.date(2026, 5, 1)), n=4)  # a group of four
    join(roklub, at(dt.date(2026, 5, 2)), n=4, role="admin")  # four admins: the whole figure
    join(roklub, at(dt.date(2025, 5, 2)), n=3)  # a year before: three people
    join(spejdere, at(dt.date(2025, 5, 2)), n=5)
    response = client.get("/frivillig/i-tal/")
    assert response.status_code == 200
    html = response.content.decode()
    admins = re.search(r'<tr data-figure="members.admins">(.*?)</tr>', html, re.S).group(1)
    assert "færre end 5" in admins and ">4<" not in admins
    assert "Lille Forening" not in html
    assert "Dragør Søspejdere" not in html  # the small group is merged with the next smallest
    assert re.search(r"<th scope=\"row\">Andet</th><td>10</td>", html)
    assert "Dragør Roklub" in html
    # a row shown now whose year-before group was small says so instead of its number
    roklub_row = re.search(r'<th scope="row">Dragør Roklub</th>(.*?)</tr>', html, re.S).group(1)
    assert "<td>11</td>" in roklub_row and "færre end 5" in roklub_row and ">3<" not in roklub_row


def test_the_public_page_opens_with_the_key_figures_and_boxes_its_tables(
    client, source, figures_page, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    roklub = AssociationFactory(name="Dragør Roklub")
    join(roklub, at(dt.date(2026, 5, 1)), n=7)
    join(roklub, at(dt.date(2026, 5, 2)), n=4, role="admin")  # four: withheld everywhere
    html = client.get("/frivillig/i-tal/").content.decode()
    keys = html.index('class="figures-keys"')
    # The key figures come first: before the period's explanation and every table.
    assert keys < html.index("Tallene dækker") < html.index('class="figures-table"')
    key_list = html[keys : html.index("</ul>", keys)]
    first = re.search(r'data-figure="([\w.]+)".*?figures-key__value">([^<]+)<', key_list, re.S)
    assert first.group(1) == "members.joined" and first.group(2).strip() == "11"
    assert "members.admins" not in key_list  # a withheld figure is never a key figure
    # Every table scrolls inside its own box, which a keyboard can reach.
    assert html.count('<table class="figures-table">') == html.count(
        '<div class="table-scroll" role="region" tabindex="0"'
    )


def test_the_public_page_without_any_source_says_so(client, figures_page):
    with hooks.register_temporarily(figures.FIGURE_SOURCES, lambda: None):
        response = client.get("/frivillig/i-tal/")
    assert response.status_code == 200


def test_the_report_renders_with_every_installed_source(client, coordinator, figures_page):
    """Whatever apps are installed (all of them here, one alone in `make matrix`), the
    report, its exports and the public page render."""
    client.force_login(coordinator)
    assert client.get(reverse("frivillig_report:index")).status_code == 200
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("frivillig_report:export", args=[fmt])).status_code == 200
    assert client.get("/frivillig/i-tal/").status_code == 200


def test_free_text_rows_stay_in_the_admin():
    figure = Figure(
        "x.y", "X", 12, people=12, rows=(Row("Lokalet var optaget", 12, 12),), public_rows=False
    )
    shown = figures.public(figure)
    assert shown.shown and shown.rows == ()


# -- the public page's report of the day (issue #22) -------------------------------------


def key_figure(html: str) -> str:
    keys = html[html.index('class="figures-keys"') :]
    return re.search(r'figures-key__value">([^<]+)<', keys).group(1).strip()


def test_the_public_report_is_worked_out_once_a_day_per_language(
    client, source, figures_page, monkeypatch
):
    """The public page works its report out on the first visit of the day and reads it
    from ``PublicFigures`` after that: a later request reads one row, whatever the history
    holds; what happens during the day shows the next day; English has its own labels."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opfoelgning.models import PublicFigures

    today = {"day": TODAY}
    monkeypatch.setattr(timezone, "localdate", lambda *a: today["day"])
    roklub = AssociationFactory(name="Dragør Roklub")
    join(roklub, at(dt.date(2026, 5, 1)), n=7)
    with CaptureQueriesContext(connection) as first:
        assert key_figure(client.get("/frivillig/i-tal/").content.decode()) == "7"
    assert any("associationmembership" in q["sql"] for q in first.captured_queries)
    assert PublicFigures.objects.get(language="da").day == TODAY

    join(roklub, at(dt.date(2026, 5, 2)), n=3)  # later the same day
    with CaptureQueriesContext(connection) as again:
        html = client.get("/frivillig/i-tal/").content.decode()
    assert key_figure(html) == "7"  # today's figures, as the first visitor saw them
    assert not [q for q in again.captured_queries if "associationmembership" in q["sql"]]
    assert len(again) < len(first)

    english = client.get("/en/frivillig/i-tal/").content.decode()
    assert "The figures cover" in english and key_figure(english) == "10"  # its own, today
    assert set(PublicFigures.objects.values_list("language", flat=True)) == {"da", "en"}

    today["day"] = TODAY + dt.timedelta(days=1)  # the next day: worked out again
    assert key_figure(client.get("/frivillig/i-tal/").content.decode()) == "10"
    assert PublicFigures.objects.get(language="da").day == TODAY + dt.timedelta(days=1)
    assert PublicFigures.objects.count() == 2  # one row per language, never more


def test_a_public_report_kept_in_another_shape_is_worked_out_again(
    client, source, figures_page, monkeypatch
):
    from opfoelgning.models import PublicFigures

    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    join(AssociationFactory(name="Dragør Roklub"), at(dt.date(2026, 5, 1)), n=6)
    PublicFigures.objects.create(language="da", day=TODAY, report={"sections": "gammel"})
    response = client.get("/frivillig/i-tal/")
    assert response.status_code == 200 and key_figure(response.content.decode()) == "6"
    assert "period" in PublicFigures.objects.get(language="da").report


def test_a_report_is_kept_as_json_and_read_back_the_same(db, source, data):
    """Every field of the report survives the JSON column, a breakdown and a figure
    without a year before included."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    report = figures.compute(PERIOD)
    report.sections[0].comparisons.append(
        figures.Comparison(Figure("x.avg", "Gennemsnit", Decimal("3.5"), decimals=1), None)
    )
    data = json.loads(json.dumps(figures.report_to_data(report), cls=DjangoJSONEncoder))
    back = figures.report_from_data(data)
    assert back.sections[0].comparisons[-1].figure.value == 3.5
    back.sections[0].comparisons[-1] = report.sections[0].comparisons[-1] = None
    assert back == report
    assert back.figure("members.joined").rows == report.figure("members.joined").rows != ()
