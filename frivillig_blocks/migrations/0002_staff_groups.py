"""The four staff roles as Wagtail groups. Each app adds its own permissions to these
groups in its own migrations, so a site with only some apps gets only what it needs."""

from django.db import migrations

KOMMUNIKATOERER = "Kommunikatører"
FRIVILLIGKOORDINATOR = "Frivilligkoordinator"
INSTITUTIONSLEDERE = "Institutionsledere"
KURSUSANSVARLIGE = "Kursusansvarlige"
ALL_GROUPS = [KOMMUNIKATOERER, FRIVILLIGKOORDINATOR, INSTITUTIONSLEDERE, KURSUSANSVARLIGE]

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image", "delete_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document", "delete_document"],
}


def permission(*args, **kwargs):
    from frivillig_blocks.migrations._helpers import permission as make

    return make(*args, **kwargs)


def model_permissions(*args, **kwargs):
    from frivillig_blocks.migrations._helpers import model_permissions as make

    return make(*args, **kwargs)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    groups = {}
    for name in ALL_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group

    # Kommunikatører: all content (every page from the tree's root), images, documents,
    # the shared snippets, the municipality's settings.
    komm = groups[KOMMUNIKATOERER]
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=komm, page=root, permission=permission(apps, "wagtailcore", "page", codename)
            )
    collection = Collection.objects.filter(depth=1).first()
    for group in (komm, groups[FRIVILLIGKOORDINATOR]):
        if collection is None:
            break
        for (app_label, model), codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission(apps, app_label, model, codename)
                )
    komm.permissions.add(
        *model_permissions(apps, "frivillig_blocks", "association"),
        permission(apps, "frivillig_blocks", "municipalitysettings", "change_municipalitysettings"),
        permission(apps, "frivillig_blocks", "municipalitysettings", "view_municipalitysettings"),
    )

    # Frivilligkoordinator: the volunteer section (page permissions on the hub are granted
    # when a hub page is created, see receivers.py), associations, and the mail log.
    groups[FRIVILLIGKOORDINATOR].permissions.add(
        *model_permissions(apps, "frivillig_blocks", "association"),
        *model_permissions(apps, "frivillig_blocks", "inboundmessage", ("change", "view")),
        *model_permissions(apps, "frivillig_blocks", "outboundmessage", ("view",)),
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ALL_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frivillig_blocks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
