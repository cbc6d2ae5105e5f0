"""`make loadtest`: the production settings and the load test's bare page (dragoer.loadtest),
so deploy/loadtest.py compares each page with a bare Wagtail page served by the same
processes. Never for a real site."""

from .production import *

INSTALLED_APPS = [*INSTALLED_APPS, "dragoer.loadtest"]
