#!/usr/bin/env python
"""The reference project of the benchmark: bare Django, nothing of ours."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reference.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
