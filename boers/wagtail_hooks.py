"""Registration only (the implementations are in integration.py): moderation menu and
URLs, the admin viewsets, log actions, the dashboard summary, and the one door's hooks (Mine
sider, the personal data registry, figures)."""

from wagtail import hooks

from frivillig_blocks import hooks as frivillig_hooks

from . import integration

hooks.register("register_admin_urls", integration.admin_urls)
hooks.register("register_admin_menu_item", integration.admin_menu_item)
hooks.register("register_admin_viewset", integration.admin_viewset)
hooks.register("register_log_actions", integration.log_actions)
hooks.register("construct_homepage_summary_items", integration.add_summary_item)

hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS, integration.mine_sider_section)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
hooks.register(frivillig_hooks.FIGURE_SOURCES, integration.figure_source)
hooks.register(frivillig_hooks.PAGE_CACHE_MODELS, integration.page_cache_models)
hooks.register(frivillig_hooks.SEARCH_SOURCES, integration.search_sources)
hooks.register(frivillig_hooks.WHATS_ON, integration.newest_needs)
