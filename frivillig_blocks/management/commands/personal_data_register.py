"""Print the record of processing (GDPR art. 30) from the personal data registry, as the
Markdown table the README holds."""

from django.core.management.base import BaseCommand

from frivillig_blocks.personal_data import register_table

COLUMNS = [
    ("key", "Source"),
    ("data", "Personal data"),
    ("purpose", "Purpose"),
    ("legal_basis", "Legal basis"),
    ("retention", "Retention"),
]


def markdown() -> str:
    def cell(value: str) -> str:
        return " ".join(value.split()).replace("|", "\\|")

    lines = [
        "| " + " | ".join(title for _, title in COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for row in register_table():
        lines.append("| " + " | ".join(cell(row[key]) for key, _ in COLUMNS) + " |")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the record of processing (every personal data source) as a Markdown table."

    def handle(self, *args, **options):
        from django.utils import translation

        with translation.override("en"):
            self.stdout.write(markdown())
