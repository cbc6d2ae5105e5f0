"""Keep posts in step with staff records made in the admin: a verified association's posts
carry the badge. (A blocked person's posts are hidden by ``services.block_user`` and
``services.hide_posts_of_blocked_user``, which the admin's views call.)"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Post, VerifiedAssociation


@receiver(post_save, sender=VerifiedAssociation, dispatch_uid="boers_verified_badge")
def badge_on(sender, instance, **kwargs):
    Post.objects.filter(association_id=instance.association_id).update(verified_badge=True)


@receiver(post_delete, sender=VerifiedAssociation, dispatch_uid="boers_verified_badge_off")
def badge_off(sender, instance, **kwargs):
    Post.objects.filter(association_id=instance.association_id).update(verified_badge=False)
