from wagtail.models import Page


class BarePage(Page):
    """A Wagtail page with nothing of ours: Wagtail's routing, serve view and middleware,
    the same processes and database, and a template of one heading (no layout, menus,
    settings or blocks). What every measured page is compared with."""

    template = "loadtest/bare_page.html"
    parent_page_types = ["wagtailcore.Page", "frivillig_blocks.HomePage"]
    subpage_types = []
