"""The demo content: the manual page, four institutions and some loans, idempotent."""

from booking import demo
from booking.models import BookingIndexPage, Institution, Loan, Resource

from ..factories import AssociationFactory


def test_seed_demo_twice(client, site_tree):
    AssociationFactory(name="Dragør Boldklub", live=True, email="bold@example.org")
    demo.seed()
    demo.seed()
    assert BookingIndexPage.objects.count() == 1
    assert Institution.objects.count() == 4
    assert Resource.objects.filter(kind="equipment").count() == 4
    assert Loan.objects.count() == 4
    html = client.get("/frivillig/laan/").content.decode()
    assert "Dragør Bibliotek" in html and "Kulturhuset Dragør" in html and "Juleferie" in html
    assert client.get("/frivillig/laan/bibliotek/salen/").status_code == 200
