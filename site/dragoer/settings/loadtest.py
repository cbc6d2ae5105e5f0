"""`make loadtest`: the production settings and the load test's bare page (dragoer.loadtest),
so deploy/loadtest.py compares each page with a bare Wagtail page served by the same
processes. Never for a real site."""

from frivillig_blocks.conf import app_settings

from .production import *

INSTALLED_APPS = [*INSTALLED_APPS, "dragoer.loadtest"]

# The bare page is the reference of every phase: Wagtail's routing, serve view and a
# template of one heading, rendered for each request (never from our page cache). Its twin
# at /bar-side-cache/ is served from the page cache when it is on, for information.
FRIVILLIG_PAGE_CACHE_EXCLUDE = (*app_settings.defaults["PAGE_CACHE_EXCLUDE"], "/bar-side/")
