"""Template tags for the site-wide layout: navigation, language switcher, social meta."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

register = template.Library()


def _site_root(request) -> Page | None:
    if request is None:
        return None
    if not hasattr(request, "_frivillig_site_root"):
        site = Site.find_for_request(request)
        request._frivillig_site_root = site.root_page.specific if site else None
    return request._frivillig_site_root


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    root = _site_root(context.get("request"))
    return root.get_url(context.get("request")) if root else "/"


@register.inclusion_tag("frivillig_blocks/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    root = _site_root(request)
    current = context.get("page")
    items = []
    if root is not None:
        for child in (
            root.get_children().live().in_menu().only("id", "title", "url_path", "path", "depth")
        ):
            active = current is not None and current.path.startswith(child.path)
            items.append({"title": child.title, "url": child.get_url(request), "active": active})
    return {"items": items, "request": request}


def _other_languages(request):
    current = translation.get_language()
    for code, name in settings.LANGUAGES:
        url = translate_url(request.get_full_path(), code) if request else "/"
        yield code, name, url, code == current


@register.inclusion_tag("frivillig_blocks/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    languages = [
        {"code": code, "name": name, "url": url}
        for code, name, url, is_current in _other_languages(request)
        if not is_current
    ]
    return {"languages": languages}


@register.inclusion_tag("frivillig_blocks/includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    request = context.get("request")
    if request is None:
        return {"alternates": []}
    return {
        "alternates": [
            {"code": code, "url": request.build_absolute_uri(url)}
            for code, _name, url, _current in _other_languages(request)
        ]
    }


@register.inclusion_tag("frivillig_blocks/includes/social_meta.html", takes_context=True)
def social_meta(context, page):
    request = context.get("request")
    image = getattr(page, "social_image", None)
    return {
        "title": page.seo_title or page.title,
        "description": page.search_description,
        "url": page.get_full_url(request),
        "image": image.get_rendition("fill-1200x630").url if image else "",
        "request": request,
    }
