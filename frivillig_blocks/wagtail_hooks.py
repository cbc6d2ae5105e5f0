"""Registration only (the implementations are in integration.py)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import hooks as frivillig_hooks
from . import integration
from .viewsets import VolunteerSnippets

register_snippet(VolunteerSnippets)
hooks.register("register_admin_viewset", integration.grant_applications_viewset)
hooks.register("register_admin_viewset", integration.mail_log_viewset)
hooks.register("insert_global_admin_js", integration.admin_texts_script)

hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS, integration.associations_section)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
hooks.register(frivillig_hooks.PAGE_CACHE_MODELS, integration.page_cache_models)
hooks.register(frivillig_hooks.SEARCH_SOURCES, integration.search_sources)
hooks.register(frivillig_hooks.WHATS_ON, integration.grants_closing_soon)
