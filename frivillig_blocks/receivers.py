"""Signal receivers of the shared base."""

from anymail.signals import inbound
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission

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
