"""WSGI entry point, served by gunicorn (see Makefile and README.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roochi_site.settings")

application = get_wsgi_application()


def worker_warm_up() -> None:
    """What a process does once, done before its first visitor rather than during
    that visitor's request: a worker's first form submission waited a second for it
    (docs/benchmarks.md, 2026-12-01): the holiday calendar (the `holidays` package
    imports every country's module) and the compilation of the URL patterns."""
    from django.urls import reverse
    from django.utils import timezone

    from roochi_site.working_days import is_working_day

    is_working_day(timezone.localdate())
    reverse("admin:index")  # compiles the site's patterns and the admin's (staff notices)


worker_warm_up()
