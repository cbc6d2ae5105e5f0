"""factory_boy factories shared by every app's tests."""

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from frivillig_blocks.models import (
    Association,
    AssociationMembership,
    HomePage,
    MembershipRole,
    Place,
    TopicPage,
    VolunteerHubPage,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Forening {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    purpose = "At samle frivillige om gode formål i lokalområdet."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssociationMembership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    role = MembershipRole.MEMBER


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Forside"
    slug = "home"


class VolunteerHubPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = VolunteerHubPage

    title = "Frivillig"
    slug = "frivillig"
    show_in_menus = True


class TopicPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TopicPage

    title = factory.Sequence(lambda n: f"Emne {n}")
    slug = factory.Sequence(lambda n: f"emne-{n}")
    intro = "En kort indledning."


class PlaceFactory(factory.django.DjangoModelFactory):
    """A venue (``frivillig_blocks.Place``): every app's tests build them here."""

    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Medborgerhuset {n}")
    address = factory.Sequence(lambda n: f"Kirkevej {n}")
    postcode = "2791"
    city = "Dragør"
