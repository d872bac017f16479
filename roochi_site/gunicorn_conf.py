"""Gunicorn's settings for the site (`gunicorn -c python:roochi_site.gunicorn_conf`):
an access log that keeps no address, browser string, query or token (P4), and workers
that a handful of slow clients cannot stall.

A sync worker reads one request at a time: four connections sending a header line
every two seconds held both workers of `make run` until gunicorn's timeout killed
them, and no other visitor was answered. The threaded worker (gthread) gives each
connection a thread of its own once its first bytes arrive (a connection that sends
nothing waits in the worker's poller, costing no thread), so slow clients occupy only
their own threads. It is a floor, not a defence against a flood of them: in a
deployment the reverse proxy buffers whole requests first (deploy/nginx.conf).
"""

import os

from roochi_site.access_log import ACCESS_LOG_FORMAT

wsgi_app = "roochi_site.wsgi"
accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
logger_class = "roochi_site.access_log.AccessLogger"

worker_class = "gthread"
# More threads than a handful of slow clients, so that even when one worker accepted
# them all it still has threads for everyone else. Each thread may keep a database
# connection (DATABASE_CONN_MAX_AGE): workers x threads per machine, summed over the
# machines, must stay within PostgreSQL's max_connections (README.md).
threads = int(os.environ.get("GUNICORN_THREADS") or 16)
# A request still unanswered after this long is a stuck worker, restarted.
timeout = 30
# Idle keep-alive connections wait in the poller, not in a thread; this long at most.
keepalive = 5
