"""Registration only (the implementations are in integration.py): the inbox menu item and
URLs, the routing rules, the log actions and the one door's hooks (the contact form, the
follow-up's figures and the personal data registry)."""

from wagtail import hooks

from frivillig_blocks import hooks as frivillig_hooks

from . import integration

hooks.register("register_admin_urls", integration.admin_urls)
hooks.register("register_admin_menu_item", integration.admin_menu_item)
hooks.register("register_admin_viewset", integration.admin_viewset)
hooks.register("register_log_actions", integration.log_actions)

hooks.register(frivillig_hooks.CONTACT_FORM, integration.render_contact_form)
hooks.register(frivillig_hooks.FIGURE_SOURCES, integration.figure_source)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
