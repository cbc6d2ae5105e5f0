"""Issue #19: the follow-up left frivillig_blocks for its own app. Its migrations move the
models with their rows: from the base's last state before the move, rows of every model and
a published figures page come through, the page still answers at its address as the new
page type, and the staff groups keep their permissions."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.test import Client
from wagtail.models import Page

from frivillig_blocks import roles

from ..factories import UserFactory

BEFORE = ("frivillig_blocks", "0012_submissions")
MOVED = (
    "contactpreference",
    "feedback",
    "figurespage",
    "followupnote",
    "thememeeting",
    "thememeetinginvitation",
)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # ContentType's cache is left as it is: the moved types keep their ids and end with the
    # labels they started with (clearing it would let the next test's serialized rollback
    # make content types twice).
    return executor


def tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_follow_up_moves_to_its_app_with_its_rows_and_its_figures_page(site_tree):
    person = UserFactory(email="borger@example.org")
    coordinator = UserFactory(groups=[roles.FRIVILLIGKOORDINATOR])
    hub = site_tree.hub
    last_child = hub.get_last_child()
    figures_path = last_child._inc_path() if last_child else hub.path + "0001"
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    executor = migrate([BEFORE, ("opfoelgning", None)])
    assert {f"frivillig_blocks_{name}" for name in MOVED} <= tables()
    assert not {f"opfoelgning_{name}" for name in MOVED} & tables()

    old = executor.loader.project_state([BEFORE]).apps

    def model(name):
        return old.get_model("frivillig_blocks", name)

    old_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="frivillig_blocks", model="figurespage"
    )[0]
    page = model("FiguresPage").objects.create(
        title="Frivilligheden i tal",
        draft_title="Frivilligheden i tal",
        slug="i-tal",
        path=figures_path,
        depth=hub.depth + 1,
        numchild=0,
        url_path=f"{hub.url_path}i-tal/",
        content_type=old_type,
        locale_id=hub.locale_id,
        live=True,
        intro="<p>Tallene følger planens mål.</p>",
        body="[]",
    )
    old.get_model("wagtailcore", "Page").objects.filter(pk=hub.pk).update(
        numchild=F("numchild") + 1
    )
    model("Feedback").objects.create(
        found=False, comment="Svært at finde", path="/frivillig/", page_id=hub.pk, service="x"
    )
    model("ContactPreference").objects.create(user_id=person.pk, invitations=True)
    start = dt.datetime(2026, 3, 5, 17, tzinfo=dt.UTC)
    meeting = model("ThemeMeeting").objects.create(
        title="Temamøde", start=start, end=start + dt.timedelta(hours=2)
    )
    model("ThemeMeetingInvitation").objects.create(
        meeting=meeting, user_id=person.pk, email=person.email
    )
    model("FollowUpNote").objects.create(
        section="", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), text="Ind"
    )

    migrate(latest)

    from opfoelgning.models import (
        ContactPreference,
        Feedback,
        FiguresPage,
        FollowUpNote,
        ThemeMeeting,
        ThemeMeetingInvitation,
    )

    assert {f"opfoelgning_{name}" for name in MOVED} <= tables()
    assert not {f"frivillig_blocks_{name}" for name in MOVED} & tables()
    assert Feedback.objects.get().comment == "Svært at finde"
    assert ContactPreference.objects.get().user == person
    invitation = ThemeMeetingInvitation.objects.select_related("meeting").get()
    assert invitation.meeting == ThemeMeeting.objects.get(title="Temamøde")
    assert invitation.email == "borger@example.org"
    assert FollowUpNote.objects.get().text == "Ind"

    moved = Page.objects.get(pk=page.pk)
    assert moved.content_type.app_label == "opfoelgning"
    assert isinstance(moved.specific, FiguresPage)
    response = Client().get(moved.url)
    assert response.status_code == 200
    assert "Frivilligheden i tal" in response.content.decode()

    # The staff groups' permissions followed their content types.
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert coordinator.has_perm("opfoelgning.view_followup_report")
    assert coordinator.has_perm("opfoelgning.change_followupnote")
    assert not ContentType.objects.filter(app_label="frivillig_blocks", model__in=MOVED).exists()
