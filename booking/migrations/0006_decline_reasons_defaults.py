"""The fixed decline reasons a municipality starts with (the coordinator edits them), the
coordinator's permissions on them, and the loans declined before the list: their free-text
reason becomes the internal note (it stays in the admin) and their fixed reason is "not
given"."""

from django.db import migrations

DEFAULTS = [
    "Lokalet eller udstyret er optaget på det ønskede tidspunkt.",
    "Aktiviteten ligger uden for institutionens åbningstid.",
    "Formålet falder uden for reglerne for udlån.",
    "Anmodningen kom for sent i forhold til varslingsfristen.",
    "Foreningen har nået det største antal lån for måneden.",
    "Lokalet passer ikke til aktiviteten (størrelse, indretning eller sikkerhed).",
    "Andet – institutionen fortæller dig gerne mere.",
]


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    DeclineReason = apps.get_model("booking", "DeclineReason")
    for order, text in enumerate(DEFAULTS):
        DeclineReason.objects.get_or_create(text=text, defaults={"sort_order": order * 10})
    Group = apps.get_model("auth", "Group")
    coordinator = Group.objects.filter(name="Frivilligkoordinator").first()
    if coordinator is not None:
        coordinator.permissions.add(*h.model_permissions(apps, "booking", "declinereason"))
    leaders = Group.objects.filter(name="Institutionsledere").first()
    if leaders is not None:
        leaders.permissions.add(
            h.permission(
                apps, "booking", "declinereason", "view_declinereason", "Can view decline reason"
            )
        )
    Loan = apps.get_model("booking", "Loan")
    for loan in Loan.objects.filter(status="declined").exclude(decision_reason=""):
        loan.internal_note = loan.decision_reason
        loan.decision_reason = ""
        loan.save(update_fields=["internal_note", "decision_reason"])


def backwards(apps, schema_editor):
    Loan = apps.get_model("booking", "Loan")
    for loan in Loan.objects.filter(status="declined").select_related("decline_reason"):
        loan.decision_reason = loan.internal_note or (
            loan.decline_reason.text if loan.decline_reason_id else ""
        )
        loan.save(update_fields=["decision_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0005_decline_reasons"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
