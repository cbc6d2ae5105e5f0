"""`manage.py loadtest_bare_page`: the bare page at /bar-side/ (the load test's reference,
never cached) and its twin at /bar-side-cache/ (cached like any page) under the default
site's home page (made once, published), for deploy/loadtest.py."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from dragoer.loadtest.models import BarePage

SLUGS = ("bar-side", "bar-side-cache")


class Command(BaseCommand):
    help = "Make the load test's bare Wagtail page (/bar-side/)."

    def handle(self, *args, **options):
        home = Site.objects.get(is_default_site=True).root_page
        for slug in SLUGS:
            page = BarePage.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                page = home.add_child(instance=BarePage(title="Bar side", slug=slug))
                page.save_revision().publish()
            self.stdout.write(page.get_url())
