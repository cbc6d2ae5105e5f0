"""`manage.py loadtest_bare_page`: the bare page at /bar-side/ under the default site's home
page (made once, published), for deploy/loadtest.py."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from dragoer.loadtest.models import BarePage

SLUG = "bar-side"


class Command(BaseCommand):
    help = "Make the load test's bare Wagtail page (/bar-side/)."

    def handle(self, *args, **options):
        home = Site.objects.get(is_default_site=True).root_page
        page = BarePage.objects.child_of(home).filter(slug=SLUG).first()
        if page is None:
            page = home.add_child(instance=BarePage(title="Bar side", slug=SLUG))
            page.save_revision().publish()
        self.stdout.write(page.get_url())
