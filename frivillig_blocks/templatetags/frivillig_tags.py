"""Template tags for the site-wide layout: navigation, language switcher, social meta."""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail import hooks as wagtail_hooks

from .. import hooks, layout
from ..links import absolute

register = template.Library()


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    return layout.home_url(context.get("request"))


@register.simple_tag
def layout_version() -> int:
    return layout.version()


@register.simple_tag
def content_version() -> int:
    """The page cache's content version (pagecache.py): moves with every committed change a
    public page can show, so a fragment keyed by it is never older than the data."""
    from .. import pagecache

    return pagecache.version()


@register.simple_tag
def colours_url() -> str:
    """The address of the municipality's colours (views.colours_stylesheet), with the
    layout's version so a change shows at once; empty when the site does not serve it."""
    try:
        url = reverse("frivillig_colours")
    except NoReverseMatch:
        return ""
    return f"{url}?v={layout.version()}"


BREADCRUMBS_TEMPLATE = "frivillig_blocks/includes/breadcrumbs.html"


@register.simple_tag(takes_context=True)
def breadcrumbs(context, current="", current_block=""):
    """``BREADCRUMBS_TEMPLATE`` with the way (``_breadcrumbs``), rendered once per distinct
    way and language (``render_kept``)."""
    values = _breadcrumbs(context, current, current_block)
    return render_kept(BREADCRUMBS_TEMPLATE, values) if values["items"] else ""


def _breadcrumbs(context, current, current_block) -> dict:
    """The way from the home page to the page one is on (schema.org ``BreadcrumbList`` in
    microdata). Nothing on the home page itself. On a view of a page's own (an event, a
    grant), the page is the last item, marked as the current location. A view outside the
    page tree (the search, Mine sider) names itself with ``current``, or with the text of one
    of its template's blocks, ``current_block`` (the sign-in pages: django-allauth's
    ``head_title``, so each of its many pages is named as its own title names it)."""
    request = context.get("request")
    page = context.get("page")
    if current_block and not current:
        current = _block_text(context, current_block)
    if request is not None and current and not hasattr(page, "path"):
        home = {"title": "", "url": layout.home_url(request)}
        return {"items": [home, {"title": current, "url": request.path}], "current": "page"}
    if request is None or page is None or not hasattr(page, "path"):
        return {"items": []}
    items = layout.breadcrumbs(request, page)
    if len(items) < 2:
        return {"items": []}
    on_page = request.path == items[-1]["url"]
    return {"items": items, "current": "page" if on_page else "location"}


def _block_text(context, name: str) -> str:
    """The text of block ``name`` as the template being rendered defines it (its most
    derived version), without tags: rendered once more, as ``{% block %}`` renders it."""
    from html import unescape

    from django.template.loader_tags import BLOCK_CONTEXT_KEY
    from django.utils.html import strip_tags

    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context is not None else None
    if block is None:
        return ""
    return " ".join(unescape(strip_tags(block.render(context))).split())


@register.inclusion_tag("frivillig_blocks/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    current = context.get("page")
    current_path = getattr(current, "path", None)
    items = [
        {**item, "active": bool(current_path and current_path.startswith(item["path"]))}
        for item in layout.main_menu(request)
    ]
    return {"items": items, "request": request}


@functools.lru_cache(maxsize=2048)
def _translated(path: str, code: str, current: str, urlconf) -> str:
    """``translate_url`` of a path (no query): a pure function of the path, the languages
    and the URLconf, which resolves and reverses the path on every page (issue #22). Kept
    for the last 2,048 paths, so any number of addresses asked costs no more memory."""
    return translate_url(path, code)


_DICT = "\x00dict"


def _frozen(value):
    """``value`` as a key: lists become tuples, dicts tuples of sorted pairs (marked), lazy
    texts text."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return (_DICT, *sorted((key, _frozen(item)) for key, item in value.items()))
    return value if isinstance(value, int | str | None) else str(value)


def _thawed(value):
    if isinstance(value, tuple):
        if value[:1] == (_DICT,):
            return {key: _thawed(item) for key, item in value[1:]}
        return [_thawed(item) for item in value]
    return value


@functools.lru_cache(maxsize=2048)
def _rendered(template_name: str, language: str | None, frozen: tuple) -> str:
    with translation.override(language):
        return get_template(template_name).render(_thawed(frozen))


def render_kept(template_name: str, values: dict) -> str:
    """``template_name`` rendered with ``values`` alone (no request, no page context), kept
    for the last 2,048 distinct values and languages: the small parts of the layout that
    are a pure function of a few values (breadcrumbs, language links) render once per
    distinct value instead of once per page (issue #22). The key is the values themselves,
    so what it answers is never older than they are; the template stays overridable."""
    return mark_safe(  # noqa: S308 - rendered by the template engine, escaped there
        _rendered(template_name, translation.get_language(), _frozen(values))
    )


@receiver(setting_changed)
def _forget_translated(**kwargs) -> None:
    """A test that swaps the URLconf, the languages or the templates starts afresh (as
    Django's own URL caches do)."""
    _translated.cache_clear()
    _rendered.cache_clear()


def _other_languages(request):
    """(code, name, url, is_current) per language, worked out once per request."""
    current = translation.get_language()
    cached = getattr(request, "_frivillig_languages", None)
    if cached is None or cached[0] != current:
        path, mark, query = (request.get_full_path() if request else "/").partition("?")
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        languages = [
            (code, name, _translated(path, code, current, urlconf) + mark + query, code == current)
            for code, name in settings.LANGUAGES
        ]
        cached = (current, languages)
        if request is not None:
            request._frivillig_languages = cached
    return cached[1]


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """The links to the page in the other languages
    (``frivillig_blocks/includes/language_switcher.html``, ``render_kept``)."""
    request = context.get("request")
    languages = [
        {"code": code, "name": name, "url": url}
        for code, name, url, is_current in _other_languages(request)
        if not is_current
    ]
    return render_kept("frivillig_blocks/includes/language_switcher.html", {"languages": languages})


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """``<link rel="alternate" hreflang>`` per language
    (``frivillig_blocks/includes/language_alternates.html``, ``render_kept``)."""
    request = context.get("request")
    if request is None:
        return ""
    alternates = [
        {"code": code, "url": absolute(url)}
        for code, _name, url, _current in _other_languages(request)
    ]
    return render_kept(
        "frivillig_blocks/includes/language_alternates.html", {"alternates": alternates}
    )


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


@register.inclusion_tag("frivillig_blocks/includes/whats_on.html", takes_context=True)
def whats_on(context, limit=3):
    """The hub's "what is on now": a panel per installed app that fills ``hooks.WHATS_ON``
    and has something to show; nothing at all when none has."""
    return {"panels": layout.whats_on(context.get("request"), limit)}


@register.simple_tag(takes_context=True)
def page_feedback(context, task=""):
    """The feedback slot of a page (``hooks.PAGE_FEEDBACK``): what the installed apps put
    there, or nothing."""
    parts = [fn(context, task) for fn in wagtail_hooks.get_hooks(hooks.PAGE_FEEDBACK)]
    return format_html_join("", "{}", ((part,) for part in parts if part))


@register.simple_tag
def content_lang() -> str:
    """`` lang="da"`` on content that is not translated (what editors, staff and citizens
    wrote, in the site's own language) while the page is shown in another language, so
    ``/en/`` pages do not declare Danish text English; nothing on the site's own language."""
    content = settings.LANGUAGE_CODE
    current = translation.get_language() or content
    if current.split("-")[0] == content.split("-")[0]:
        return ""
    return format_html(' lang="{}"', content)


class LayoutFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list, timeout: int):
        self.nodelist, self.name, self.vary, self.timeout = nodelist, name, vary, timeout

    def render(self, context):
        request = context.get("request")
        site = layout.site_for(request) if request is not None else None
        if site is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        vary = repr([value.resolve(context) for value in self.vary])
        key = layout.NAMESPACE.key(
            "fragment", self.name, site.pk, translation.get_language(), layout.digest(vary)
        )
        return mark_safe(  # noqa: S308 - rendered by the template engine, escaped there
            layout.NAMESPACE.remembered(key, lambda: self.nodelist.render(context), self.timeout)
        )


@register.tag
def layout_fragment(parser, token):
    """``{% layout_fragment "name" vary1 vary2 %}…{% endlayout_fragment %}``: a part of the
    layout rendered once per layout version (any page, site or settings change retires it),
    site, language and the values it varies on, then read from the process's copy
    (``layout.NAMESPACE.remembered``; issue #22). Only for what is the same for every
    visitor with those values: never a form with a token, never a user's own data. A
    preview renders it afresh. A last argument ``timeout=<seconds>`` keeps it for at most
    that long (default ``layout.TIMEOUT``), for what moves with the clock."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("layout_fragment needs a name")
    timeout = layout.TIMEOUT
    if bits[-1].startswith("timeout="):
        try:
            timeout = int(bits.pop()[len("timeout=") :])
        except ValueError:
            raise template.TemplateSyntaxError(
                "layout_fragment's timeout is whole seconds"
            ) from None
    nodelist = parser.parse(("endlayout_fragment",))
    parser.delete_first_token()
    return LayoutFragmentNode(
        nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]], timeout
    )
