#!/usr/bin/env python
"""Django's command-line utility for Eksempel Kommune's site. The apps come from the
installed distribution (`pip install frivillig-platform`), not from this repository."""

import os
import sys
from pathlib import Path


def main() -> None:
    # Only the site's own package (eksempel/) beside this file.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eksempel.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
