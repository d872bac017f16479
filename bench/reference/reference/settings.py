"""A bare Django project, the yardstick of `make bench`: Django's own defaults for what
a request passes through, one template view, one insert view, PostgreSQL."""

import os
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "reference-benchmark-only-never-deployed")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["reference"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "reference.urls"
WSGI_APPLICATION = "reference.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    # The runner writes home.html here: a template the size of the site's home page.
    "DIRS": [Path(os.environ["REFERENCE_TEMPLATES"])],
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
_database = conninfo_to_dict(os.environ["REFERENCE_DATABASE_URL"])
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": _database.pop("dbname", ""),
    "USER": _database.pop("user", ""),
    "PASSWORD": _database.pop("password", ""),
    "HOST": _database.pop("host", ""),
    "PORT": _database.pop("port", ""),
    "OPTIONS": _database,
    # As the site (roochi_site/settings.py): connections reused, health-checked.
    "CONN_MAX_AGE": 60,
    "CONN_HEALTH_CHECKS": True,
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
