"""The one door's pages and blocks, edited through the real Wagtail admin."""

import pytest
import wagtail_factories
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from frivillig_blocks import roles
from frivillig_blocks.models import (
    AgeGroup,
    Association,
    ContactPage,
    ContactPerson,
    Grant,
    TopicPage,
    VolunteerHubPage,
)


def list_items(*values):
    """Form data of a ListBlock (Wagtail 7)."""
    return {
        "count": len(values),
        **{str(i): {"value": v, "deleted": "", "order": i, "id": ""} for i, v in enumerate(values)},
    }


@pytest.fixture
def editor(client, user_factory):
    user = user_factory(username="redaktoer", groups=[roles.KOMMUNIKATOERER])
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_an_editor_creates_a_topic_page_with_every_block_through_the_admin(
    client, editor, site_tree
):
    person = ContactPerson.objects.create(
        name="Mette Holm", role="Frivilligkoordinator", email="mette@x.dk", live=True
    )
    youth = AgeGroup.objects.get(code="unge")
    association = Association.objects.create(
        name="Ungdomsklubben", slug="ungdomsklubben", purpose="For unge"
    )
    association.age_groups.add(youth)
    association.save()  # ParentalManyToMany changes are written on save
    Grant.objects.create(
        name="§ 18-puljen",
        slug="p18",
        summary="s",
        who_may_apply="w",
        amount="50.000 kr.",
        rolling=True,
        legal_basis=Grant.LegalBasis.SECTION_18,
        live=True,
    )
    image = wagtail_factories.ImageFactory(title="Havnen")
    document = wagtail_factories.DocumentFactory(title="Frivilligpolitik")
    blocks = [
        ("heading", {"text": "Overskrift i blok", "level": "h2"}),
        ("paragraph", rich_text("<p>Brødtekst i blok</p>")),
        (
            "call_to_action",
            {
                "title": "Gå til hubben",
                "text": "Tekst",
                "page": site_tree.hub.pk,
                "url": "",
                "button_text": "Af sted",
            },
        ),
        ("contact_person", {"person": person.pk, "heading": "Spørg Mette"}),
        (
            "faq",
            {
                "heading": "FAQ",
                "items": list_items(
                    {"question": "Er det gratis?", "answer": rich_text("<p>Ja, helt.</p>")}
                ),
            },
        ),
        ("fact_box", {"title": "Fakta", "text": rich_text("<p>Godt at vide</p>")}),
        (
            "image",
            {"image": image.pk, "alt_text": "Både i Dragør Havn", "caption": "Havnen om sommeren"},
        ),
        ("document", {"document": document.pk, "title": "Læs politikken"}),
        (
            "steps",
            {
                "heading": "Trin",
                "steps": list_items(
                    {"title": "Første trin", "text": rich_text("<p>Gør dette</p>")}
                ),
            },
        ),
        (
            "associations",
            {"heading": "Unge foreninger", "age_group": "unge", "theme": "", "limit": 5},
        ),
        ("open_grants", {"heading": "Åbne puljer", "limit": 3}),
        ("upcoming_events", {"heading": "Kalender", "limit": 3}),
    ]
    data = nested_form_data(
        {
            "title": "Alle blokke",
            "slug": "alle-blokke",
            "intro": "Indledning",
            "body": streamfield(blocks),
            "seo_title": "",
            "search_description": "Alt om blokkene",
            "social_image": "",
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/add/frivillig_blocks/topicpage/{site_tree.hub.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = TopicPage.objects.get(slug="alle-blokke")
    assert page.live
    assert [block.block_type for block in page.body] == [name for name, _ in blocks]
    html = client.get("/frivillig/alle-blokke/").content.decode()
    for expected in [
        "<h2>Overskrift i blok</h2>",
        "Brødtekst i blok",
        'href="/frivillig/"',
        "Spørg Mette",
        "Mette Holm",
        "<summary>Er det gratis?</summary>",
        "Godt at vide",
        'alt="Både i Dragør Havn"',
        "Havnen om sommeren",
        "Læs politikken",
        "Første trin",
        "Ungdomsklubben",
        "§ 18-puljen",
    ]:
        assert expected in html, expected
    assert "Kalender" not in html  # no calendar app yet: the block stays quiet


@pytest.mark.django_db
def test_the_image_block_requires_alt_text(client, editor, site_tree):
    image = wagtail_factories.ImageFactory()
    data = nested_form_data(
        {
            "title": "Uden alt",
            "slug": "uden-alt",
            "intro": "",
            "body": streamfield([("image", {"image": image.pk, "alt_text": "", "caption": ""})]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/add/frivillig_blocks/topicpage/{site_tree.hub.pk}/", data)
    assert response.status_code == 200  # the form again, with the error
    assert not TopicPage.objects.filter(slug="uden-alt").exists()


@pytest.mark.django_db
def test_a_hub_cannot_be_created_under_a_topic_page(client, editor, site_tree):
    response = client.get(
        f"/admin/pages/add/frivillig_blocks/volunteerhubpage/{site_tree.topic.pk}/"
    )
    assert response.status_code in (302, 403)
    response = client.post(
        f"/admin/pages/add/frivillig_blocks/volunteerhubpage/{site_tree.topic.pk}/",
        nested_form_data(
            {
                "title": "Hub 2",
                "slug": "hub2",
                "intro": rich_text(""),
                "cards": streamfield([]),
                "body": streamfield([]),
                "action-publish": "action-publish",
            }
        ),
    )
    assert response.status_code in (302, 403)
    assert VolunteerHubPage.objects.count() == 1
    assert not VolunteerHubPage.can_create_at(site_tree.topic)
    assert not ContactPage.can_create_at(site_tree.home)  # section pages live under the hub
    assert ContactPage.can_create_at(site_tree.hub)


@pytest.mark.django_db
def test_every_page_type_has_a_search_description_and_a_social_image(site_tree):
    from frivillig_blocks.models import (
        AssociationIndexPage,
        GrantIndexPage,
        HomePage,
        IdeaCatalogPage,
    )

    for model in (
        HomePage,
        VolunteerHubPage,
        TopicPage,
        AssociationIndexPage,
        GrantIndexPage,
        IdeaCatalogPage,
        ContactPage,
    ):
        fields = {f.name for f in model._meta.get_fields()}
        assert {"search_description", "social_image"} <= fields, model


@pytest.mark.django_db
def test_the_hub_shows_task_cards_linking_to_their_sections(
    client, site_tree, django_assert_max_num_queries
):
    contact = site_tree.hub.add_child(instance=ContactPage(title="Kontakt", slug="kontakt"))
    hub = site_tree.hub.specific
    hub.cards = [
        ("card", {"title": "Spørg os", "text": "Én adresse", "page": contact, "url": ""}),
        (
            "card",
            {"title": "Tag et kursus", "text": "Kurser", "page": None, "url": "/frivillig/kurser/"},
        ),
    ]
    hub.save_revision().publish()
    client.get("/frivillig/")
    with django_assert_max_num_queries(14):
        html = client.get("/frivillig/").content.decode()
    assert '<a href="/frivillig/kontakt/">Spørg os</a>' in html
    assert '<a href="/frivillig/kurser/">Tag et kursus</a>' in html


@pytest.mark.django_db
def test_the_contact_page_lists_the_named_staff_and_the_one_address(client, site_tree, settings):
    from frivillig_blocks.models import Topic

    site_tree.hub.add_child(instance=ContactPage(title="Kontakt os", slug="kontakt"))
    topic = Topic.objects.create(name="Puljer og tilskud", slug="puljer")
    person = ContactPerson.objects.create(
        name="Aisha Nielsen",
        role="Puljekonsulent",
        email="aisha@x.dk",
        phone="32 89 01 12",
        live=True,
    )
    person.topics.add(topic)
    person.save()
    ContactPerson.objects.create(
        name="Skjult Person", role="Kladde", email="skjult@x.dk", live=False
    )
    html = client.get("/frivillig/kontakt/").content.decode()
    assert "Aisha Nielsen" in html and "Puljekonsulent" in html and "Puljer og tilskud" in html
    assert f'href="mailto:{settings.FRIVILLIG_EMAIL}"' in html
    assert "Skjult Person" not in html


@pytest.mark.django_db
def test_cached_task_cards_follow_a_moved_section(client, site_tree):
    contact = site_tree.hub.add_child(instance=ContactPage(title="Kontakt", slug="kontakt"))
    hub = site_tree.hub.specific
    hub.cards = [("card", {"title": "Spørg os", "text": "Én adresse", "page": contact, "url": ""})]
    hub.save_revision().publish()
    assert (
        '<a href="/frivillig/kontakt/">Spørg os</a>' in client.get("/frivillig/").content.decode()
    )
    contact.slug = "skriv-til-os"
    contact.save_revision().publish()
    assert (
        '<a href="/frivillig/skriv-til-os/">Spørg os</a>'
        in client.get("/frivillig/").content.decode()
    )
