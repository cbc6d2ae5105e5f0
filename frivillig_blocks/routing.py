"""A routable page's routes as one table instead of one wrapper method per view.

A page lists its routes::

    class CourseIndexPage(SectionIndexPage):
        routes = (
            Route("", ".views.course_list_view", "course_list"),
            Route("afmeld/<str:token>/", ".views.cancel_view", "cancel"),
        )

Each route calls its view as ``view(request, page, **kwargs)``: the URL's named parts (and
the route's fixed ``kwargs``) by name. A view path starting with ``.`` is relative to the
page's app (the package of its models module); the view is imported on the first request,
so a page's module does not import its views. The names are Wagtail's route names:
``page.reverse_subpage(name)`` and ``{% routablepageurl page name … %}`` work unchanged.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.urls import path as path_func
from django.urls import re_path as re_path_func
from django.utils.module_loading import import_string
from wagtail.contrib.routable_page.models import RoutablePageMixin

# (page class, route name): the path of a route with no arguments (RouteTableMixin).
_reversed: dict[tuple[type, str], str] = {}


@dataclass(frozen=True)
class Route:
    pattern: str
    view: str  # dotted path; ".views.x" is relative to the page's app
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    regex: bool = False

    def view_path(self, page_class: type) -> str:
        if not self.view.startswith("."):
            return self.view
        app = page_class.__module__.partition(".models")[0]
        return app + self.view

    def urlpattern(self, page_class: type):
        view_path, fixed, name = self.view_path(page_class), dict(self.kwargs), self.name

        def serve_route(page, request, *args, **kwargs):
            view = import_string(view_path)
            return view(request, page, *args, **kwargs, **fixed)

        serve_route.__name__ = serve_route.__qualname__ = name
        serve_route.view_path = view_path
        serve_route.fixed = fixed
        function = re_path_func if self.regex else path_func
        return function(self.pattern, serve_route, name=name)


class RouteTableMixin(RoutablePageMixin):
    """Wagtail's RoutablePageMixin with the routes of ``routes`` (a class's own table first,
    then its base classes', then any routes declared with Wagtail's decorators)."""

    routes: ClassVar[tuple[Route, ...]] = ()

    def reverse_subpage(self, name, args=None, kwargs=None):
        """Wagtail's, with a route of no arguments reversed once per page class: its path
        depends on the class's table only (the routes are not translated), and a calendar
        page links to ten of them on every request (issue #22)."""
        if args or kwargs:
            return super().reverse_subpage(name, args, kwargs)
        key = (type(self), name)
        path = _reversed.get(key)
        if path is None:
            path = _reversed[key] = super().reverse_subpage(name)
        return path

    @classmethod
    def get_subpage_urls(cls):
        table = [
            route.urlpattern(klass)
            for klass in cls.__mro__
            for route in klass.__dict__.get("routes", ())
        ]
        return (*table, *super().get_subpage_urls())

    @classmethod
    def check(cls, **kwargs):
        from django.core.checks import Error

        errors = super().check(**kwargs)
        for pattern in cls.get_subpage_urls():
            view_path = getattr(pattern.callback, "view_path", None)
            if view_path is None:
                continue
            try:
                view = import_string(view_path)
                names = set(pattern.pattern.regex.groupindex)
                fixed = pattern.callback.fixed
                inspect.signature(view).bind(None, None, **dict.fromkeys(names), **fixed)
            except (ImportError, TypeError) as exc:
                errors.append(
                    Error(
                        f"The route {pattern.name!r} of {cls.__name__} cannot call "
                        f"{view_path}: {exc}",
                        obj=cls,
                        id="frivillig_blocks.E050",
                    )
                )
        return errors


class DirectChildRoutingMixin:
    """Wagtail's routing to a child page with one query instead of two (issue #22): Wagtail
    reads the child's generic row, then its specific row; knowing the child's type from
    ``layout.children`` (kept per layout version), this reads the specific row at once. The
    row read is checked (same slug, still this page's child), so a stale hint, or a slug the
    hint does not know, falls back to Wagtail's own route: the result is always Wagtail's.
    A child on the way to a longer path (the hub, the calendar for its month, the courses
    for a course) is not read at all: its row is kept per layout and content version
    (``layout.section_row``), a copy for each request. For pages with a handful of children
    (the home page, the volunteer hub)."""

    def route(self, request, path_components):
        from . import layout

        if not path_components and self.get_deferred_fields():
            # This very page, made without its own fields (a site's root as
            # ``serving.find_site`` gives it): its row in one query, as Wagtail reads it.
            return type(self).objects.get(pk=self.pk).route(request, path_components)
        if path_components:
            slug = path_components[0]
            hint = layout.children(self).get(slug)
            if hint is not None:
                content_type_id, pk = hint
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                if model is None:
                    subpage = None
                elif path_components[1:]:
                    # A section page on the way to one of its routes or children (the
                    # calendar's month, a course): its row kept (layout.section_row).
                    subpage = layout.section_row(model, pk)
                else:
                    subpage = model.objects.filter(pk=pk).first()
                if (
                    subpage is not None
                    and subpage.slug == slug
                    and subpage.depth == self.depth + 1
                    and subpage.path.startswith(self.path)
                ):
                    subpage._cached_parent_obj = self
                    return subpage.route(request, path_components[1:])
        return super().route(request, path_components)
