"""The shared base of the volunteer platform: the one door's pages and blocks, the shared
snippets (associations…), accounts, mail in and out, and the hooks the other apps use."""

__version__ = "0.1.0"
