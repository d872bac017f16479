"""P4: what the site's logs keep of a request: the method, the path without its query
string (a staff search may be a name) with the tokens of known link paths replaced by
a placeholder (a copy link works for days), the status, the size and the duration.
Never the client's address, its browser string or where it came from.

Used by gunicorn's access log (``gunicorn -c python:roochi_site.gunicorn_conf``) and,
as a logging filter, by Django's own loggers, which name the path of a 404 or a 500.
"""

import logging
import re

from gunicorn.glogging import Logger

PLACEHOLDER = ":token"
# Paths whose last part is a secret: a confirmation link, a copy link, a policy
# choice link, a newsletter's confirmation and unsubscribe links (signed, they name the
# address), a signed thank-you address. tests/roochi_site/test_logs.py checks that every
# URL with a token is here.
SECRET_PATHS = [
    re.compile(r"^(/privacy/requests/(?:confirm|copy)/)[^/]+(/.*)?$"),
    re.compile(r"^(/newsletter/(?:confirm|unsubscribe)/)[^/]+(/.*)?$"),
    re.compile(r"^(/privacy/choice/)[^/]+(/.*)?$"),
    re.compile(r"^(/request-received/)[^/]+(/.*)?$"),
    re.compile(r"^(/request-status/view/)[^/]+(/.*)?$"),
]
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(b)s %(L)ss"
# The only parts of a request gunicorn may write; any other atom prints "-".
KEPT_ATOMS = ("m", "s", "b", "B", "L", "D", "M", "T", "t", "H", "p")


def path_for_log(path: str) -> str:
    path = path.split("?", 1)[0]
    for pattern in SECRET_PATHS:
        path = pattern.sub(lambda match: f"{match[1]}{PLACEHOLDER}{match[2] or ''}", path)
    return path


class AccessLogger(Logger):
    """Gunicorn's logger with an access log that can only write the kept atoms, and
    an error log of one line per event, like the site's (roochi_site/logs.py)."""

    def setup(self, cfg):
        from roochi_site.logs import OneLineFormatter

        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(OneLineFormatter("[%(asctime)s] [%(process)d] %(levelname)s "
                                                  "%(name)s: %(message)s"))

    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        kept = {name: every[name] for name in KEPT_ATOMS}
        kept["U"] = path_for_log(environ.get("PATH_INFO") or "")
        return kept


class PathsForLogFilter(logging.Filter):
    """Rewrites any path among a record's arguments (Django logs "Not Found: %s")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                path_for_log(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True
