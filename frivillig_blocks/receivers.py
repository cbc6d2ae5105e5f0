"""Signal receivers of the shared base."""

from anymail.signals import inbound
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import GroupPagePermission, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import layout, pagecache
from .inbound import handle_inbound_event
from .models import VolunteerHubPage
from .roles import FRIVILLIGKOORDINATOR, HUB_PAGE_PERMISSIONS


@receiver(inbound, dispatch_uid="frivillig_blocks.inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    handle_inbound_event(esp_name=esp_name, event=event)


@receiver(post_save, sender=VolunteerHubPage, dispatch_uid="frivillig_blocks.hub_permissions")
def grant_coordinator_the_hub(sender, instance, created, raw=False, **kwargs):
    """The Frivilligkoordinator edits the volunteer section: the hub and everything below."""
    if not created or raw:
        return
    group = Group.objects.filter(name=FRIVILLIGKOORDINATOR).first()
    if group is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=HUB_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=instance, permission=permission)


def _retire_layout(sender, instance=None, created=False, **kwargs):
    if created and isinstance(instance, BaseSiteSetting):
        return  # ``for_site`` made the row with its defaults while a layout was computed
    if instance is None or isinstance(instance, (Page, Site, BaseSiteSetting)):
        layout.bump_version()


for _signal in (post_save, post_delete):
    _signal.connect(_retire_layout, dispatch_uid=f"frivillig_blocks.layout.{_signal}")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_retire_layout, dispatch_uid=f"frivillig_blocks.layout.page.{id(_signal)}")

# Any committed change that can show on a public page retires the cached pages.
for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(pagecache.content_changed, dispatch_uid=f"frivillig_blocks.pagecache.{_signal}")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(
        pagecache.content_changed, dispatch_uid=f"frivillig_blocks.pagecache.page.{id(_signal)}"
    )
