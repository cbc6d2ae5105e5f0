"""Keep posts in step with staff records made in the admin: a blocked person's open posts
leave the exchange; a verified association's posts carry the badge."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Block, Post, PostStatus, VerifiedAssociation


@receiver(post_save, sender=Block, dispatch_uid="boers_block_hides_posts")
def hide_blocked_posts(sender, instance, created, **kwargs):
    Post.objects.filter(
        author_id=instance.user_id, status__in=[PostStatus.PUBLISHED, PostStatus.PENDING]
    ).update(status=PostStatus.HIDDEN)


@receiver(post_save, sender=VerifiedAssociation, dispatch_uid="boers_verified_badge")
def badge_on(sender, instance, **kwargs):
    Post.objects.filter(association_id=instance.association_id).update(verified_badge=True)


@receiver(post_delete, sender=VerifiedAssociation, dispatch_uid="boers_verified_badge_off")
def badge_off(sender, instance, **kwargs):
    Post.objects.filter(association_id=instance.association_id).update(verified_badge=False)
