"""Who may do what in the courses' admin, and the log actions of staff decisions."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "kurser.promote": (_("Promote from the waiting list"), _("Promoted from the waiting list")),
    "kurser.attendance": (_("Record attendance"), _("Attendance recorded")),
    "kurser.message": (_("Message to participants"), _("Message sent to the participants")),
}


def can_manage(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("kurser.change_registration"))


def can_view(user) -> bool:
    return can_manage(user) or user.has_perm("kurser.view_registration")
