#!/usr/bin/env python
"""Django's command-line utility for the Dragør reference site."""

import os
import sys
from pathlib import Path


def main() -> None:
    # The apps live at the repository root (one level up); the settings package here.
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoer.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
