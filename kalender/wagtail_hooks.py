"""Registration only (the implementations are in integration.py): the one door's hooks,
the review queue, planning grid and newspaper listing in the admin, the snippets and the log
actions."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from frivillig_blocks import hooks as frivillig_hooks

from . import integration
from .viewsets import CalendarViewSetGroup

hooks.register("register_log_actions", integration.log_actions)
hooks.register("register_admin_urls", integration.admin_urls)
hooks.register("register_admin_menu_item", integration.admin_menu_item)
hooks.register("construct_homepage_summary_items", integration.add_review_summary)
register_snippet(CalendarViewSetGroup)
hooks.register("register_admin_viewset", integration.admin_viewset)

hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS, integration.mine_sider_section)
hooks.register(frivillig_hooks.UPCOMING_EVENTS, integration.upcoming_events)
hooks.register(frivillig_hooks.CALENDAR_EVENTS, integration.calendar_events)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
hooks.register(frivillig_hooks.FIGURE_SOURCES, integration.figure_source)
hooks.register(frivillig_hooks.PAGE_CACHE_MODELS, integration.page_cache_models)
hooks.register(frivillig_hooks.SEARCH_SOURCES, integration.search_sources)
hooks.register(frivillig_hooks.WHATS_ON, integration.next_events)
