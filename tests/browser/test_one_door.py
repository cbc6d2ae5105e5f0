"""The one door in a real Chromium, as the issue's "done when" describes: a citizen finds a
youth association, applies for a grant, proposes an idea; an editor approves the idea in
the Wagtail admin; axe passes on every page type on the way."""

import re

from playwright.sync_api import expect

from frivillig_blocks import roles
from frivillig_blocks.models import (
    AgeGroup,
    Association,
    AssociationIndexPage,
    ContactPage,
    ContactPerson,
    Grant,
    GrantApplication,
    GrantIndexPage,
    Idea,
    IdeaCatalogPage,
)
from tests.helpers import last_mail_to

from ..factories import UserFactory


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_one_door(tree):
    hub = tree.hub.specific
    sections = {
        "directory": publish(hub, AssociationIndexPage(title="Foreninger", slug="foreninger")),
        "grants": publish(hub, GrantIndexPage(title="Puljer", slug="puljer")),
        "ideas": publish(hub, IdeaCatalogPage(title="Idékatalog", slug="idekatalog")),
        "contact": publish(hub, ContactPage(title="Kontakt os", slug="kontakt")),
    }
    hub.cards = [
        (
            "card",
            {
                "title": "Find en forening",
                "text": "For alle aldre",
                "page": sections["directory"],
                "url": "",
            },
        ),
        (
            "card",
            {"title": "Søg en pulje", "text": "Også § 18", "page": sections["grants"], "url": ""},
        ),
        (
            "card",
            {"title": "Få en idé", "text": "Idékatalog", "page": sections["ideas"], "url": ""},
        ),
        (
            "card",
            {"title": "Spørg os", "text": "Én adresse", "page": sections["contact"], "url": ""},
        ),
    ]
    hub.save_revision().publish()
    youth, seniors = AgeGroup.objects.get(code="unge"), AgeGroup.objects.get(code="seniorer")
    for name, group in [("Dragør Ungdomsteater", youth), ("Dragør Bridgeklub", seniors)]:
        association = Association.objects.create(
            name=name, slug=name.lower().replace(" ", "-").replace("ø", "oe"), purpose="Demo"
        )
        association.age_groups.add(group)
        association.save()
    Grant.objects.create(
        name="§ 18-puljen",
        slug="paragraf-18",
        summary="Frivilligt socialt arbejde",
        who_may_apply="Foreninger",
        amount="op til 50.000 kr.",
        rolling=True,
        legal_basis=Grant.LegalBasis.SECTION_18,
        live=True,
    )
    ContactPerson.objects.create(
        name="Mette Holm", role="Frivilligkoordinator", email="mette@dragoer.test", live=True
    )


def test_a_citizen_uses_the_one_door_and_an_editor_approves_the_idea(live_site, page, axe):
    _server, tree = live_site
    build_one_door(tree)
    UserFactory(username="redaktoer", groups=[roles.KOMMUNIKATOERER])

    # The door, then the directory filtered to youth.
    page.goto("/frivillig/")
    axe(page)
    page.get_by_role("link", name="Find en forening").click()
    page.wait_for_url("**/frivillig/foreninger/")
    axe(page)
    page.get_by_label("Unge", exact=True).check()
    page.get_by_role("button", name="Vis foreninger").click()
    page.wait_for_url(re.compile(r".*alder=unge.*"))
    expect(page.get_by_role("link", name="Dragør Ungdomsteater")).to_be_visible()
    assert page.get_by_role("link", name="Dragør Bridgeklub").count() == 0
    axe(page)

    # A § 18 application with its receipt.
    page.goto("/frivillig/")
    page.get_by_role("link", name="Søg en pulje").click()
    page.wait_for_url("**/frivillig/puljer/")
    axe(page)
    page.get_by_role("link", name="§ 18-puljen").first.click()
    page.wait_for_url("**/frivillig/puljer/paragraf-18/")
    page.get_by_label("Dit navn", exact=True).fill("Karen Sørensen")
    page.get_by_label("Din e-mailadresse", exact=True).fill("karen@example.org")
    page.get_by_label("Foreningens navn", exact=True).fill("Dragør Besøgsvenner")
    page.get_by_label("Projektets titel", exact=True).fill("Besøgsvenner til ensomme ældre")
    page.get_by_label("Beskriv projektet", exact=True).fill(
        "Frivillige besøger ældre en gang om ugen."
    )
    page.get_by_label("Beløb, du søger (kr.)").fill("25000")
    page.get_by_label("Foreningens sociale formål", exact=True).fill("At bekæmpe ensomhed.")
    page.get_by_label("Målgruppe", exact=True).fill("Ældre over 70 år.")
    page.get_by_label("Budget", exact=True).fill("Kaffe 5.000 kr., transport 20.000 kr.")
    axe(page)
    page.get_by_role("button", name="Send ansøgningen").click()
    page.wait_for_url("**/kvittering/**")
    application = GrantApplication.objects.get()
    expect(page.get_by_text(application.reference).first).to_be_visible()
    axe(page)
    assert application.reference in last_mail_to("karen@example.org").body

    # An idea proposal, hidden until an editor publishes it.
    page.goto("/frivillig/idekatalog/")
    axe(page)
    page.get_by_role("link", name="Foreslå en idé").first.click()
    page.wait_for_url("**/frivillig/idekatalog/foreslaa/")
    axe(page)
    page.get_by_label("Idéens titel").fill("Søndagscafé for nye i byen")
    page.get_by_label("Beskriv idéen").fill(
        "En café hver søndag, hvor nye borgere møder foreningerne."
    )
    page.get_by_label("Unge", exact=True).check()
    page.get_by_label("Hvad skal der til?").fill("Et lokale og kaffe.")
    page.get_by_label("Dit navn", exact=True).fill("Ole Hansen")
    page.get_by_label("Din e-mailadresse", exact=True).fill("ole@example.org")
    page.get_by_role("button", name="Send idéen").click()
    page.wait_for_url("**/frivillig/idekatalog/**")
    expect(
        page.get_by_text("Tak! Din idé bliver vist, når en redaktør har godkendt den.")
    ).to_be_visible()
    assert page.get_by_text("Søndagscafé for nye i byen").count() == 0
    idea = Idea.objects.get(title="Søndagscafé for nye i byen")
    assert idea.live is False

    # The editor publishes it in the Wagtail admin.
    page.goto("/admin/login/")
    page.locator("#id_username").fill("redaktoer")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/snippets/frivillig_blocks/idea/edit/{idea.pk}/")
    page.locator('button[name="action-publish"]').dispatch_event("click")
    page.wait_for_url("**/admin/snippets/frivillig_blocks/idea/")
    idea.refresh_from_db()
    assert idea.live is True
    page.goto("/frivillig/idekatalog/")
    expect(page.get_by_role("link", name="Søndagscafé for nye i byen")).to_be_visible()


def test_the_contact_page_and_a_topic_page_pass_axe(live_site, page, axe):
    _server, tree = live_site
    build_one_door(tree)
    for path in ["/frivillig/kontakt/", "/frivillig/om/", "/soeg/?q=Dragør"]:
        page.goto(path)
        axe(page)
    page.goto("/frivillig/kontakt/")
    expect(page.get_by_text("Mette Holm")).to_be_visible()
