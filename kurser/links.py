"""Absolute links to the course pages, for mails and the calendar."""

from __future__ import annotations

from frivillig_blocks.links import section_page, section_url

from .tokens import make_token


def course_page():
    from .models import CourseIndexPage

    return section_page(CourseIndexPage)


def page_link(route: str, *args, page=None) -> str:
    from .models import CourseIndexPage

    return section_url(CourseIndexPage, route, *args, page=page)


def course_link(course, page=None) -> str:
    return page_link("course", course.slug, page=page)


def token_link(registration, purpose: str, page=None) -> str:
    route = {"cancel": "cancel", "accept": "accept", "evaluate": "evaluate"}[purpose]
    return page_link(route, make_token(registration, purpose), page=page)
