"""The small documented hooks through which the other apps plug into the shared base.
They are Wagtail hooks (``wagtail.hooks.register``), so an app that is not installed simply
registers nothing.

``MINE_SIDER_SECTIONS`` – ``fn(request) -> MineSiderSection | None``
    Adds a section to the signed-in person's "Mine sider" page.

``PERSONAL_DATA_EXPORT`` – ``fn(user) -> dict | None``
    Adds the app's data about the person to the download (JSON), under the app's name.

``BEFORE_ACCOUNT_DELETE`` – ``fn(user) -> None``
    Called inside the deleting transaction, before the user row goes: anonymise or delete
    what the app keeps about the person (records that must stay, such as a decided loan,
    keep their numbers but lose the name).

``UPCOMING_EVENTS`` – ``fn(limit) -> list[{"title", "url", "start"}]``
    Filled by the calendar app: the events the "upcoming events" block shows.

``CONTACT_FORM`` – ``fn(request, contact_page) -> str (safe HTML) | None``
    The inbox app's contact form on the contact page; it posts to the app's own URL.

``SEED_DEMO`` – ``fn(stdout) -> None``
    Adds the app's demo content when ``manage.py seed_demo`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import hooks

MINE_SIDER_SECTIONS = "frivillig_mine_sider_sections"
PERSONAL_DATA_EXPORT = "frivillig_personal_data_export"
BEFORE_ACCOUNT_DELETE = "frivillig_before_account_delete"
UPCOMING_EVENTS = "frivillig_upcoming_events"
SEED_DEMO = "frivillig_seed_demo"
CONTACT_FORM = "frivillig_contact_form"


@dataclass
class MineSiderSection:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


def mine_sider_sections(request) -> list[MineSiderSection]:
    sections = [fn(request) for fn in hooks.get_hooks(MINE_SIDER_SECTIONS)]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, str(s.title)))


def personal_data(user) -> dict:
    data: dict = {}
    for fn in hooks.get_hooks(PERSONAL_DATA_EXPORT):
        part = fn(user)
        if part:
            data.update(part)
    return data


def before_account_delete(user) -> None:
    for fn in hooks.get_hooks(BEFORE_ACCOUNT_DELETE):
        fn(user)
