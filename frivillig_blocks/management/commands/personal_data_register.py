"""Print the record of processing (GDPR art. 30) from the personal data registry, as the
Markdown table the README holds; ``--update README.md`` puts it there (between the markers)."""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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


START = "<!-- personal_data_register: start -->"
END = "<!-- personal_data_register: end -->"


def update(path: Path, table: str) -> bool:
    """Replace the table between the markers in ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise CommandError(f"{path} has no {START} … {END} markers")
    new = pattern.sub(lambda _m: f"{START}\n{table}\n{END}", text, count=1)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


class Command(BaseCommand):
    help = "Print the record of processing (every personal data source) as a Markdown table."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            metavar="README",
            help="write the table into this file, between its personal_data_register markers",
        )

    def handle(self, *args, **options):
        from django.utils import translation

        with translation.override("en"):
            table = markdown()
        if options["update"]:
            changed = update(Path(options["update"]), table)
            self.stdout.write(f"{options['update']}: {'updated' if changed else 'up to date'}")
        else:
            self.stdout.write(table)
