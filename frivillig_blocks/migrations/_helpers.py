"""Helpers for data migrations that give groups permissions (permissions are otherwise only
created after all migrations have run). Each app's migrations may import these."""


def permission(apps, app_label, model, codename, name=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name or codename}
    )
    return perm


def model_permissions(apps, app_label, model, actions=("add", "change", "delete", "view")):
    return [
        permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}")
        for action in actions
    ]
