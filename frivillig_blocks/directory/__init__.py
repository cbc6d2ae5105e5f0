"""The directory of associations and initiatives (/frivillig/foreninger/), routed from
``AssociationIndexPage``: the filtered, paginated list and one page per entry."""

from .views import association_view, directory_view

__all__ = ["association_view", "directory_view"]
