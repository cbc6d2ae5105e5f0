"""The demo content: the courses page at /frivillig/kurser/ with a term of courses."""

from io import StringIO

from kurser import demo
from kurser.models import Course, CourseIndexPage, Session


def test_seed_is_idempotent_and_shows_on_the_site(client, site_tree):
    demo.seed(StringIO())
    demo.seed(StringIO())
    assert CourseIndexPage.objects.get().url_path.endswith("/frivillig/kurser/")
    assert Course.objects.filter(audience="staff").exists()
    assert Course.objects.filter(audience="volunteers").exists()
    assert Session.objects.count() == Course.objects.count() == len(demo.COURSES)
    response = client.get("/frivillig/kurser/")
    assert response.status_code == 200
    assert "Førstehjælp for trænere og ledere" in response.content.decode()
