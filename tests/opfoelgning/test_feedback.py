"""Feedback from volunteers ("Fandt du det, du søgte?"): the form on the volunteer section's
pages (also cached ones), the anonymous POST with its checks and rate limit, the read-only
admin list and the figures."""

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.utils import translation

from frivillig_blocks import roles
from frivillig_blocks.figures import Period, compute
from frivillig_blocks.models import IdeaCatalogPage
from opfoelgning.feedback.views import RATE_LIMIT_ACTION
from opfoelgning.models import Feedback

URL = "/mine-sider/feedback/"
ADMIN = "/admin/feedback/"


@pytest.fixture
def catalog(site_tree):
    page = site_tree.hub.add_child(instance=IdeaCatalogPage(title="Idékatalog", slug="idekatalog"))
    page.save_revision().publish()
    return page


def answer(client, target, **data):
    with translation.override("da"):  # a request before may have left English active
        next_url = target.url
    return client.post(
        URL,
        {
            "answer": "nej",
            "comment": "",
            "page": target.pk,
            "next": next_url,
            "submission_key": str(uuid.uuid4()),
            **data,
        },
    )


def login(client, user_factory, *groups):
    user = user_factory(groups=list(groups))
    client.force_login(user)
    return user


def denied(response):
    return response.status_code == 403 or (
        response.status_code == 302 and "/admin/" in response["Location"]
    )


# -- where the form is ---------------------------------------------------------------------


def test_the_form_is_on_every_page_of_the_volunteer_section_only(client, site_tree, catalog):
    for url in ["/frivillig/", "/frivillig/om/", "/frivillig/idekatalog/"]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Fandt du det, du søgte?" in html, url
        assert html.count('action="/mine-sider/feedback/"') == 1, url
    # Outside the section (the accessibility statement below the home page): no form.
    html = client.get("/tilgaengelighedserklaering/").content.decode()
    assert "Fandt du det, du søgte?" not in html


def test_the_form_is_on_a_routable_sub_page_with_the_page_and_its_address(client, site_tree):
    from frivillig_blocks.models import AssociationIndexPage

    from ..factories import AssociationFactory

    directory = site_tree.hub.add_child(
        instance=AssociationIndexPage(title="Foreninger", slug="foreninger")
    )
    AssociationFactory(name="Dragør Roklub", slug="dragoer-roklub", live=True)
    html = client.get("/frivillig/foreninger/dragoer-roklub/").content.decode()
    assert 'action="/mine-sider/feedback/"' in html
    assert f'name="page" value="{directory.pk}"' in html
    assert 'name="next" value="/frivillig/foreninger/dragoer-roklub/"' in html


def test_each_page_gets_its_own_page_address_and_key_in_the_kept_box(client, site_tree):
    """The box is rendered once and kept (issue #22): every page still gets its own page,
    its own address (escaped, whatever the query) and a new submission key each time, in
    the same markup as the template writes."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def fields(html):
        return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))

    first = fields(client.get("/frivillig/").content.decode())
    again = fields(client.get("/frivillig/").content.decode())
    hostile = client.get('/frivillig/om/?q="><script>alert(1)</script>').content.decode()
    other = fields(hostile)
    assert (
        first["page"] == again["page"] == str(site_tree.hub.pk) and first["next"] == "/frivillig/"
    )
    assert other["page"] != first["page"]
    assert other["next"] == "/frivillig/om/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    assert "<script>alert" not in hostile
    keys = {first["submission_key"], again["submission_key"], other["submission_key"]}
    assert len(keys) == 3 and all(re.fullmatch(r"[0-9a-f-]{36}", key) for key in keys)
    # The same bytes as the box rendered afresh for that page (bar the key).
    kept = client.get("/frivillig/om/?x=<1>").content.decode()
    kept = kept[kept.index('<section class="feedback"') :]
    kept = kept[: kept.index("</section>") + len("</section>")]
    request = RequestFactory().get("/frivillig/om/?x=<1>")
    fresh = render_to_string(
        "opfoelgning/feedback/box.html",
        {
            "feedback_action": "/mine-sider/feedback/",
            "slot": type(
                "Slot", (), {"page_id": int(other["page"]), "next": request.get_full_path()}
            ),
            "feedback_submission_key": fields(kept)["submission_key"],
            "request": request,
        },
    )
    assert kept == fresh.strip()


def test_the_box_is_compact_a_question_and_two_buttons(client, site_tree):
    html = client.get("/frivillig/om/").content.decode()
    box = html[html.index('<section class="feedback"') :]
    box = box[: box.index("</section>")]
    assert "<legend>Fandt du det, du søgte?</legend>" in box
    assert re.findall(r'<button type="submit" name="answer" value="(\w+)">', box) == ["ja", "nej"]
    assert "<textarea" not in box  # the comment field comes after the answer


def test_the_box_is_absent_from_form_and_receipt_pages(client, site_tree, catalog):
    # A form page (propose an idea) and a page that is a receipt right after a task.
    html = client.get("/frivillig/idekatalog/foreslaa/").content.decode()
    assert "<form" in html and 'action="/mine-sider/feedback/"' not in html
    assert "Fandt du det, du søgte?" not in html
    # ...while the catalogue itself, a page to read, has it.
    assert 'action="/mine-sider/feedback/"' in client.get("/frivillig/idekatalog/").content.decode()


def test_the_form_sets_no_cookie_so_anonymous_pages_stay_cached(client, settings, site_tree):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    first = client.get("/frivillig/om/")
    assert "Fandt du det, du søgte?" in first.content.decode()
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/frivillig/om/")["X-Page-Cache"] == "hit"


def test_an_answer_does_not_retire_the_cached_pages(transactional_db, client, settings, site_tree):
    # Real commits: a write that retires the cache does so when its transaction commits.
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    assert client.get("/frivillig/")["X-Page-Cache"] == "miss"
    assert client.get("/frivillig/")["X-Page-Cache"] == "hit"
    assert answer(client, site_tree.topic).status_code == 302
    assert Feedback.objects.count() == 1
    from django.test import Client

    assert Client().get("/frivillig/")["X-Page-Cache"] == "hit"


def test_english_pages_ask_in_english(client, site_tree):
    html = client.get("/en/frivillig/om/").content.decode()
    assert "Did you find what you were looking for?" in html
    assert 'action="/en/mine-sider/feedback/"' in html


# -- answering ------------------------------------------------------------------------------


def test_an_answer_is_stored_and_the_visitor_is_thanked_on_the_page(client, site_tree):
    topic = site_tree.topic
    response = answer(client, topic, comment="Jeg savnede <b>åbningstider</b> & priser")
    assert response.status_code == 302
    assert response["Location"] == "/frivillig/om/"
    feedback = Feedback.objects.get()
    assert feedback.found is False
    assert feedback.comment == "Jeg savnede åbningstider & priser"
    assert feedback.path == "/frivillig/om/"
    assert feedback.page_id == topic.pk
    assert feedback.service == "frivillig_blocks"
    assert feedback.task == ""
    assert feedback.language == "da"
    html = client.get(response["Location"]).content.decode()
    assert "Tak for dit svar!" in html


def test_yes_without_comment(client, site_tree):
    assert answer(client, site_tree.hub, answer="ja").status_code == 302
    assert Feedback.objects.get().found is True


def test_the_service_comes_from_the_page_not_the_form(client, site_tree, catalog):
    answer(client, catalog, service="booking", next="/frivillig/idekatalog/foreslaa/")
    feedback = Feedback.objects.get()
    assert feedback.service == "frivillig_blocks"
    assert feedback.page_id == catalog.pk
    assert feedback.path == "/frivillig/idekatalog/foreslaa/"


def test_a_path_outside_the_page_is_stored_as_the_page_address(client, site_tree):
    answer(client, site_tree.topic, next="/frivillig/")
    assert Feedback.objects.get().path == "/frivillig/om/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", "", "\\\\evil"],
)
def test_a_bad_next_goes_to_the_hub(client, site_tree, next_url):
    response = answer(client, site_tree.topic, next=next_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/mine-sider/feedback/")
    assert "next=" not in response["Location"]
    assert Feedback.objects.get().path == "/frivillig/om/"
    response = client.post(response["Location"], {"comment": "", "next": next_url})
    assert response["Location"] == "/frivillig/"
    response = answer(client, site_tree.topic, next=next_url, comment="Godt")
    assert response["Location"] == "/frivillig/"


# -- the comment step ------------------------------------------------------------------------


def test_the_answer_posts_then_the_comment_field_shows_and_is_added(client, site_tree):
    response = answer(client, site_tree.topic, answer="nej")
    assert response.status_code == 302
    comment_url = response["Location"]
    assert comment_url.startswith("/mine-sider/feedback/")
    assert comment_url.endswith("?next=%2Ffrivillig%2Fom%2F")
    feedback = Feedback.objects.get()
    assert feedback.found is False and feedback.comment == ""

    page = client.get(comment_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<textarea name="comment"' in html and "csrfmiddlewaretoken" in html
    assert 'action="/mine-sider/feedback/"' not in html  # no second box on the comment page
    assert 'href="/frivillig/om/"' in html  # back without a comment

    response = client.post(
        comment_url, {"comment": "Jeg savnede <b>priserne</b>", "next": "/frivillig/om/"}
    )
    assert response.status_code == 302 and response["Location"] == "/frivillig/om/"
    feedback.refresh_from_db()
    assert feedback.comment == "Jeg savnede priserne"
    assert Feedback.objects.count() == 1
    assert "Tak for dit svar!" in client.get("/frivillig/om/").content.decode()
    # The link adds one comment, once.
    client.post(comment_url, {"comment": "Noget andet", "next": "/frivillig/om/"})
    feedback.refresh_from_db()
    assert feedback.comment == "Jeg savnede priserne"


def test_a_too_long_comment_is_shown_again_with_its_error(client, site_tree):
    comment_url = answer(client, site_tree.topic)["Location"]
    response = client.post(comment_url, {"comment": "x" * 1001})
    assert response.status_code == 400
    assert "højst 1000 tegn" in response.content.decode()
    assert Feedback.objects.get().comment == ""


def test_a_forged_or_expired_comment_link_adds_nothing(client, site_tree):
    from frivillig_blocks.signing import sign_link
    from opfoelgning.feedback.services import COMMENT_LINK_PURPOSE

    comment_url = answer(client, site_tree.topic)["Location"]
    forged = comment_url.replace("/feedback/", "/feedback/x", 1)
    assert client.post(forged, {"comment": "Hej"}).status_code == 400
    feedback = Feedback.objects.get()
    old = sign_link(
        COMMENT_LINK_PURPOSE, feedback.pk, at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    )
    response = client.post(f"/mine-sider/feedback/{old}/", {"comment": "Hej"})
    assert response.status_code == 400
    assert "udløbet" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.comment == ""


def test_a_task_answer_after_a_receipt(client, site_tree):
    # The receipt may be outside the section; with a known task it still takes the answer.
    answer(client, site_tree.statement, task="loan", answer="ja")
    assert Feedback.objects.get().task == "loan"


def test_an_unknown_task_is_not_stored(client, site_tree):
    answer(client, site_tree.topic, task="<script>")
    assert Feedback.objects.get().task == ""


@pytest.mark.parametrize(
    "data, message",
    [
        ({"answer": ""}, "Vælg ja eller nej."),
        ({"answer": "måske"}, "Vælg ja eller nej."),
        ({"answer": "ja", "comment": "x" * 1001}, "højst 1000 tegn"),
        ({"page": "abc"}, "kunne ikke gemmes"),
        ({"page": "999999"}, "kunne ikke gemmes"),
    ],
)
def test_empty_or_malformed_answers_store_nothing(client, site_tree, data, message):
    response = answer(client, site_tree.topic, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_page_outside_the_section_takes_no_answer_without_a_task(client, site_tree):
    response = answer(client, site_tree.statement)
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_a_draft_page_takes_no_answer(client, site_tree):
    site_tree.topic.unpublish()
    assert answer(client, site_tree.topic).status_code == 400
    assert not Feedback.objects.exists()


def test_a_long_comment_is_shown_again_escaped(client, site_tree):
    text = "<script>alert(1)</script>" + "x" * 1000
    html = answer(client, site_tree.topic, comment=text).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_get_is_not_allowed(client, site_tree):
    assert client.get(URL).status_code == 405


def test_a_hundred_answers_in_a_minute_are_mostly_refused(client, settings, site_tree):
    """The site names no limit for the form: the app's default applies."""
    from opfoelgning.conf import app_settings

    assert RATE_LIMIT_ACTION not in settings.ACCOUNT_RATE_LIMITS
    limit = app_settings.FEEDBACK_RATE_LIMIT
    per_minute = int(limit.split("/")[0])
    statuses = [answer(client, site_tree.topic).status_code for _ in range(100)]
    assert statuses.count(302) == per_minute
    assert statuses.count(429) == 100 - per_minute >= 80
    assert Feedback.objects.count() == per_minute
    refused = answer(client, site_tree.topic)
    assert refused.status_code == 429
    assert "mange svar på kort tid" in refused.content.decode()


def test_the_receipt_shows_one_form_with_the_task(rf, site_tree):
    """A receipt's include takes the page's one form; the layout's own is then left out."""
    from django.template.loader import render_to_string

    from opfoelgning.feedback.services import FeedbackSlot

    request = rf.get("/frivillig/om/kvittering/")
    request.frivillig_feedback = FeedbackSlot(
        page=site_tree.topic, in_section=True, next_url=request.get_full_path()
    )
    task = render_to_string(
        "frivillig_blocks/feedback/form.html", {"feedback_task": "loan"}, request=request
    )
    layout = render_to_string(
        "frivillig_blocks/feedback/form.html", {"feedback_task": ""}, request=request
    )
    assert 'name="task" value="loan"' in task
    assert layout.strip() == ""


# -- the admin -------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [roles.FRIVILLIGKOORDINATOR, roles.KOMMUNIKATOERER])
def test_staff_see_the_feedback_escaped(client, user_factory, site_tree, group):
    Feedback.objects.create(
        found=False,
        comment='<script>alert("x")</script><img src=x onerror=alert(1)>',
        path="/frivillig/om/",
        page=site_tree.topic,
        service="frivillig_blocks",
    )
    answer(client, site_tree.topic, comment="Svært at finde <i>priserne</i>")
    login(client, user_factory, group)
    response = client.get(ADMIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Svært at finde priserne" in html
    assert '<script>alert("x")</script>' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "/frivillig/om/" in html
    feedback = Feedback.objects.order_by("pk").first()
    inspect = client.get(f"{ADMIN}inspect/{feedback.pk}/").content.decode()
    assert "&lt;script&gt;" in inspect and "<script>alert" not in inspect


def test_the_admin_list_filters_and_searches(client, user_factory, site_tree, catalog):
    for page, found, comment, service in [
        (site_tree.topic, False, "mangler priser", "frivillig_blocks"),
        (catalog, True, "fint", "frivillig_blocks"),
        (site_tree.topic, True, "", "booking"),
    ]:
        Feedback.objects.create(
            found=found, comment=comment, path=page.url, page=page, service=service
        )
    login(client, user_factory, roles.FRIVILLIGKOORDINATOR)

    def listed(query):
        html = client.get(ADMIN + "results/" + query).content.decode()
        return sorted(re.findall(r"(mangler priser|fint|/frivillig/om/)", html))

    assert "fint" not in listed("?service=booking")
    assert "mangler priser" not in listed("?found=true")
    assert "fint" not in listed(f"?page={site_tree.topic.pk}")
    assert listed("?q=priser").count("mangler priser") == 1
    assert "fint" not in listed("?q=priser")


def test_nobody_adds_or_edits_feedback_in_the_admin(client, user_factory, site_tree):
    feedback = Feedback.objects.create(found=True, path="/frivillig/", service="frivillig_blocks")
    login(client, user_factory, roles.FRIVILLIGKOORDINATOR)
    html = client.get(ADMIN).content.decode()
    assert f"{ADMIN}new/" not in html
    assert denied(client.get(f"{ADMIN}new/"))
    assert denied(client.get(f"{ADMIN}edit/{feedback.pk}/"))
    assert denied(client.post(f"{ADMIN}delete/{feedback.pk}/"))
    assert Feedback.objects.filter(pk=feedback.pk).exists()


def test_the_feedback_menu_item(client, user_factory, site_tree):
    login(client, user_factory, roles.FRIVILLIGKOORDINATOR)
    assert "Feedback" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("group", [roles.INSTITUTIONSLEDERE, roles.KURSUSANSVARLIGE])
def test_other_staff_do_not_see_the_feedback(client, user_factory, site_tree, group):
    feedback = Feedback.objects.create(
        found=False, comment="hemmelig", path="/frivillig/", service="frivillig_blocks"
    )
    login(client, user_factory, group)
    assert denied(client.get(ADMIN))
    assert denied(client.get(f"{ADMIN}inspect/{feedback.pk}/"))


def test_anonymous_visitors_do_not_see_the_feedback(client, site_tree):
    response = client.get(ADMIN)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# -- the figures -------------------------------------------------------------------------------


def make(found, comment="", service="frivillig_blocks", when=None):
    feedback = Feedback.objects.create(
        found=found, comment=comment, path="/frivillig/", service=service
    )
    if when is not None:
        Feedback.objects.filter(pk=feedback.pk).update(created_at=when)
    return feedback


def test_the_figures(db):
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    inside = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    rows = [
        (True, "", "frivillig_blocks"),
        (True, "godt", "frivillig_blocks"),
        (False, "mangler noget", "frivillig_blocks"),
        (True, "", "booking"),
        (False, "", "booking"),
    ]
    for found, comment, service in rows:
        make(found, comment, service, inside)
    make(True, "", "booking", dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC))  # before
    make(False, "", "booking", dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC))  # the year before
    report = compute(period)
    answers = report.figure("feedback.answers")
    assert answers.value == answers.people == 5
    assert {(r.value, r.people) for r in answers.rows} == {(3, 3), (2, 2)}
    yes = report.figure("feedback.yes_share")
    assert yes.value == 60.0 and yes.people == 5 and yes.unit == "%"
    assert sorted(r.value for r in yes.rows) == [50.0, round(200 / 3, 1)]
    comments = report.figure("feedback.comments")
    assert comments.value == comments.people == 2
    section = next(s for s in report.sections if s.key == "feedback")
    assert section.title == "Feedback fra frivillige"
    previous = {c.figure.key: c.previous for c in section.comparisons}
    assert previous["feedback.answers"].value == 1
    assert previous["feedback.yes_share"].value == 0.0


def test_the_figures_take_the_same_queries_whatever_the_data(db, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frivillig_blocks.figures import Filters
    from opfoelgning.feedback.figures import FeedbackFigures

    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    when = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    counts = []
    for n in (3, 9):
        for i in range(n):
            make(
                i % 2 == 0,
                "x" if i % 3 else "",
                ["frivillig_blocks", "booking", "kurser"][i % 3],
                when,
            )
        with CaptureQueriesContext(connection) as queries:
            FeedbackFigures().figures(period, Filters())
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


def test_a_double_send_stores_one_answer_but_two_visitors_of_one_cached_page_two(client, site_tree):
    """The box is on cached pages: every visitor gets the same hidden key. The same answer
    sent twice from one client counts once; the same key from another client (another
    visitor of the cached page) or with another answer counts again."""
    html = client.get("/frivillig/").content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)
    data = {"answer": "ja", "page": site_tree.hub.pk, "next": "/frivillig/", "submission_key": key}
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 302
    assert Feedback.objects.count() == 1
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(URL, data).status_code == 302
    assert client.post(URL, {**data, "answer": "nej"}).status_code == 302
    assert Feedback.objects.count() == 3
