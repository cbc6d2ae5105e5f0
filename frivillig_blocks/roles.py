"""The staff roles: Wagtail groups made by a data migration (0002_staff_groups). Each app
adds its own permissions to these groups in a migration of its own."""

from django.utils.translation import gettext_lazy as _

KOMMUNIKATOERER = "Kommunikatører"
FRIVILLIGKOORDINATOR = "Frivilligkoordinator"
INSTITUTIONSLEDERE = "Institutionsledere"
KURSUSANSVARLIGE = "Kursusansvarlige"

ROLE_DESCRIPTIONS = {
    KOMMUNIKATOERER: _("All content and snippets"),
    FRIVILLIGKOORDINATOR: _("The volunteer section, the inbox, moderation and reports"),
    INSTITUTIONSLEDERE: _("Decide loans for their own institutions"),
    KURSUSANSVARLIGE: _("Courses"),
}

HUB_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
