"""Gunicorn's settings for the site (`gunicorn -c python:roochi_site.gunicorn_conf`):
an access log that keeps no address, browser string, query or token (P4)."""

from roochi_site.access_log import ACCESS_LOG_FORMAT

wsgi_app = "roochi_site.wsgi"
accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
logger_class = "roochi_site.access_log.AccessLogger"
