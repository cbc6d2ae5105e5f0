"""Absolute links to the course pages, for mails and the calendar."""

from __future__ import annotations

from .tokens import make_token


def course_page():
    from .models import CourseIndexPage

    return CourseIndexPage.objects.live().order_by("path").first()


def page_link(route: str, *args, page=None) -> str:
    page = page or course_page()
    if page is None:
        return ""
    return (page.full_url or "") + page.reverse_subpage(route, args=list(args))


def course_link(course, page=None) -> str:
    return page_link("course", course.slug, page=page)


def token_link(registration, purpose: str, page=None) -> str:
    route = {"cancel": "cancel", "accept": "accept", "evaluate": "evaluate"}[purpose]
    return page_link(route, make_token(registration, purpose), page=page)
