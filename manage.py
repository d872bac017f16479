#!/usr/bin/env python
"""Django's command-line utility for the Roochi Traders site."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roochi_site.settings")
    from django.core.management import execute_from_command_line

    from roochi_site.embedded_db import EmbeddedDatabaseError

    try:
        execute_from_command_line(sys.argv)
    except EmbeddedDatabaseError as error:
        # A newcomer needs the one line that says what to do, not a traceback.
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
