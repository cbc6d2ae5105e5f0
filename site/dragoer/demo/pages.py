"""The demo's one way to make a page: find it or add it below its parent, published."""

from __future__ import annotations

from frivillig_blocks.models import VolunteerHubPage


def child(parent, page_class, slug, **fields):
    """The ``page_class`` page at ``slug`` below ``parent``, added and published if missing."""
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def section_page(page_class, slug, stdout=None, **fields):
    """An app's section page below the volunteer hub (``/frivillig/<slug>/``): the one that
    exists (wherever an editor moved it), or a new one. None, with a line on ``stdout``,
    when the site has no hub yet."""
    hub = VolunteerHubPage.objects.first()
    if hub is None:
        if stdout is not None:
            stdout.write(f"  {page_class._meta.app_label}: no volunteer hub; /{slug}/ is not made.")
        return None
    existing = page_class.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    page = child(hub, page_class, slug, **fields)
    if stdout is not None:
        stdout.write(f"  {page_class._meta.app_label}: {page_class.__name__} at {page.url_path}")
    return page
