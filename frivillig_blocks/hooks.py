"""The small documented hooks through which the other apps plug into the shared base.
They are Wagtail hooks (``wagtail.hooks.register``), so an app that is not installed simply
registers nothing.

``MINE_SIDER_SECTIONS`` – ``fn(request) -> MineSiderSection | None``
    Adds a section to the signed-in person's "Mine sider" page.

``PERSONAL_DATA_SOURCES`` – ``fn() -> iterable[personal_data.PersonalDataSource]``
    The app's declarations in the personal data registry (personal_data.py): what it keeps
    about a person, why and how long, and how to export, erase and expire it. The data
    download, account deletion and the nightly retention task all read the registry.

``UPCOMING_EVENTS`` – ``fn(limit) -> list[{"title", "url", "start"}]``
    Filled by the calendar app: the events the "upcoming events" block shows.

``WHATS_ON`` – ``fn(request, limit) -> WhatsOn | None``
    A panel of "what is on now" on the hub (and the front page): the next events, the
    newest needs in the exchange, grants with a deadline soon, the prize's current phase.
    At most ``limit`` items, in a fixed number of queries whatever their number (the hub's
    query count is asserted); None, or a panel without items, shows nothing.

``CONTACT_FORM`` – ``fn(request, contact_page) -> str (safe HTML) | None``
    The inbox app's contact form on the contact page; it posts to the app's own URL.

``CALENDAR_ENTRIES`` – ``fn(start, end) -> iterable[CalendarEntry]``
    What other apps put in the shared calendar (public loans, course sessions, Frivillig
    Fredag) between two aware datetimes. The calendar app lists them; nobody else needs to.

``VENUE_BOOKINGS`` – ``fn(place_id, start, end) -> iterable[VenueBooking]``
    Pending and approved loans of a place's rooms overlapping ``[start, end)``: the calendar's
    hard clash check asks the loans app through this, without importing it.

``CALENDAR_EVENTS`` – ``fn(start, end, limit) -> list[{"title", "url", "start", "end", "place"}]``
    Filled by the calendar app: its published events in a period (the Frivillig Fredag page
    shows the day's programme through it).

``FIGURE_SOURCES`` – ``fn() -> figures.FigureSource | None``
    The app's figures for the council's follow-up (figures.py: the contract a source
    implements). The council follow-up app shows them in its report and on the public
    page "Frivilligheden i tal"; an app registers its source without importing it.

``SEARCH_SOURCES`` – ``fn() -> iterable[search.sources.SearchSource]``
    What the app gives the site search (/soeg/): a kind of public content, the queryset of
    what the public may see of it (a model that is ``index.Indexed``) and how one object
    becomes a hit (title, link, summary, date). search/sources.py holds the contract.

``SEARCH_MISSES`` – ``fn(request, query) -> None``
    Called once per search that found nothing, with the normalised query. Filled by the
    follow-up app (its report's "Søgninger uden resultat").

``PAGE_FEEDBACK`` – ``fn(context, task) -> str (safe HTML) | None``
    The page's feedback slot ("Fandt du det, du søgte?"): base.html renders it on every page
    and a receipt renders it with its ``task`` ("loan", "event"…). Filled by the follow-up app.

``PAGE_CACHE_MODELS`` – ``fn() -> iterable[str | model]``
    The models whose rows public pages show, as ``"app_label.ModelName"`` or classes: a
    committed write to one of them retires the anonymous page cache (pagecache.py). The
    page cache is opt-in: a model nobody registers (a feedback answer, an inbound mail)
    never empties it. Wagtail's pages, snippets, images, documents and settings are
    registered by the base.

The base's other registries are functions, not hooks: ``inbound.register_inbound_address``
(an app's own mail address, called in its ``AppConfig.ready``) and ``scheduling`` (each
app's ``schedule.py`` lists its periodic tasks).

An app implements these in its ``integration.py``; its ``wagtail_hooks.py`` only registers
them (the README's "One idiom per app").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import hooks

MINE_SIDER_SECTIONS = "frivillig_mine_sider_sections"
PERSONAL_DATA_SOURCES = "frivillig_personal_data_sources"
UPCOMING_EVENTS = "frivillig_upcoming_events"
CONTACT_FORM = "frivillig_contact_form"
CALENDAR_ENTRIES = "frivillig_calendar_entries"
VENUE_BOOKINGS = "frivillig_venue_bookings"
CALENDAR_EVENTS = "frivillig_calendar_events"
FIGURE_SOURCES = "frivillig_figure_sources"
PAGE_FEEDBACK = "frivillig_page_feedback"
PAGE_CACHE_MODELS = "frivillig_page_cache_models"
SEARCH_SOURCES = "frivillig_search_sources"
SEARCH_MISSES = "frivillig_search_misses"
WHATS_ON = "frivillig_whats_on"


@dataclass
class MineSiderSection:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class WhatsOnItem:
    title: str
    url: str = ""
    meta: str = ""  # plain text beside the title: a date, a place, a deadline


@dataclass
class WhatsOn:
    """One app's panel of "what is on now"."""

    title: str
    items: list[WhatsOnItem]
    more_url: str = ""
    more_text: str = ""
    order: int = 100


@dataclass(frozen=True)
class CalendarEntry:
    """An item another app shows in the shared calendar. ``uid`` is stable across requests
    (it becomes the iCalendar UID); ``kind`` is one of "loan", "course", "prize"."""

    uid: str
    title: str
    start: object  # aware datetime
    end: object  # aware datetime
    kind: str
    url: str = ""
    place_id: int | None = None
    location: str = ""
    description: str = ""


@dataclass(frozen=True)
class VenueBooking:
    """A loan holding a room of a place; no personal data."""

    start: object  # aware datetime
    end: object  # aware datetime
    room: str
    label: str


def calendar_entries(start, end) -> list[CalendarEntry]:
    entries: list[CalendarEntry] = []
    for fn in hooks.get_hooks(CALENDAR_ENTRIES):
        entries.extend(fn(start, end) or ())
    return sorted(entries, key=lambda e: (e.start, e.title))


def venue_bookings(place_id, start, end) -> list[VenueBooking]:
    found: list[VenueBooking] = []
    for fn in hooks.get_hooks(VENUE_BOOKINGS):
        found.extend(fn(place_id, start, end) or ())
    return sorted(found, key=lambda b: b.start)


def calendar_events(start, end, limit=50) -> list[dict]:
    found: list[dict] = []
    for fn in hooks.get_hooks(CALENDAR_EVENTS):
        found.extend(fn(start, end, limit) or ())
    return sorted(found, key=lambda e: e["start"])[:limit]


def mine_sider_sections(request) -> list[MineSiderSection]:
    sections = [fn(request) for fn in hooks.get_hooks(MINE_SIDER_SECTIONS)]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, str(s.title)))


def whats_on(request, limit=3) -> list[WhatsOn]:
    panels = [fn(request, limit) for fn in hooks.get_hooks(WHATS_ON)]
    return sorted((p for p in panels if p and p.items), key=lambda p: (p.order, str(p.title)))
