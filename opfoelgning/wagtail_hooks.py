"""Registration only: the implementations are in integration.py."""

from wagtail import hooks

from frivillig_blocks import hooks as frivillig_hooks

from . import integration

hooks.register("before_serve_page", integration.feedback_slot)
hooks.register("register_admin_viewset", integration.feedback_viewset)
hooks.register("register_admin_viewset", integration.theme_meeting_viewset)
hooks.register("register_log_actions", integration.log_actions)
hooks.register("register_admin_urls", integration.report_urls)
hooks.register("register_admin_menu_item", integration.report_menu_item)
hooks.register(frivillig_hooks.PAGE_FEEDBACK, integration.page_feedback)
hooks.register(frivillig_hooks.FIGURE_SOURCES, integration.figure_source)
hooks.register(frivillig_hooks.CALENDAR_ENTRIES, integration.theme_meetings_in_calendar)
hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS, integration.invitations_section)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
hooks.register(frivillig_hooks.PAGE_CACHE_MODELS, integration.page_cache_models)
hooks.register(frivillig_hooks.SEARCH_MISSES, integration.search_miss)
