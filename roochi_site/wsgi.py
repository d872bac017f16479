"""WSGI entry point, served by gunicorn (see Makefile and README.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roochi_site.settings")

application = get_wsgi_application()
