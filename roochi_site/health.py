"""The health endpoint for the load balancer, `/health/` (GET or HEAD).

To anyone: 200 "ok" or 503 "unavailable", nothing else (a stranger learns nothing of
the database, the migrations or the mail queue). With `Authorization: Bearer
<HEALTH_TOKEN>`: the same status and every check as JSON, for monitoring. Never a
cookie (P1), never cached (a load balancer must see the state of now).

A check is a function returning a `CheckResult`. Those that make this server unable
to answer (the database, the migrations) are critical: they turn the answer into 503,
so the load balancer takes the server out. The others (the task worker's heartbeat,
the mail waiting) report a problem that no web server would mend by leaving the
rotation; they show in the details as "degraded". The apps above register theirs at
ready() (`health_check_register`), since this module imports none of them.
"""

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: dict[str, object]


@dataclass(frozen=True)
class HealthCheck:
    name: str
    check: Callable[[], CheckResult]
    critical: bool


_checks: dict[str, HealthCheck] = {}


def health_check_register(name: str, check: Callable[[], CheckResult], *,
                          critical: bool = False) -> None:
    _checks[name] = HealthCheck(name=name, check=check, critical=critical)


def database_check() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return CheckResult(ok=True, detail={})


_migrations_on_disk: set[tuple[str, str]] | None = None


def migrations_check() -> CheckResult:
    """Every migration this code has is applied. The files are read once per process
    (they change only with a new release, which starts new processes); the applied
    ones are read each time (a restored backup may lack the latest)."""
    global _migrations_on_disk  # noqa: PLW0603 -- per process, like the code it reads.
    if _migrations_on_disk is None:
        _migrations_on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    unapplied = len(_migrations_on_disk - applied)
    return CheckResult(ok=unapplied == 0, detail={"unapplied": unapplied})


def health_report() -> tuple[bool, dict[str, dict[str, object]]]:
    """(serving, {check: {"ok": ..., detail...}}). Without the database nothing else
    can be asked: the other checks are reported as not run."""
    report: dict[str, dict[str, object]] = {}
    serving = True
    database_up = True
    for health_check in [HealthCheck("database", database_check, critical=True),
                         HealthCheck("migrations", migrations_check, critical=True),
                         *_checks.values()]:
        if not database_up:
            report[health_check.name] = {"ok": False, "not_run": "no database"}
            continue
        try:
            result = health_check.check()
        except DatabaseError as error:
            database_up = False
            result = CheckResult(ok=False, detail={"error": type(error).__name__})
        report[health_check.name] = {"ok": result.ok, **result.detail}
        if not result.ok and (health_check.critical or not database_up):
            serving = False
    return serving, report


def token_given(request: HttpRequest) -> bool:
    expected = settings.HEALTH_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode())


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    serving, report = health_report()
    status = 200 if serving else 503
    if not token_given(request):
        return HttpResponse("ok\n" if serving else "unavailable\n", status=status,
                            content_type="text/plain; charset=utf-8")
    state = ("ok" if all(entry["ok"] for entry in report.values()) else
             "degraded" if serving else "unavailable")
    return HttpResponse(json.dumps({"status": state, "checks": report}, indent=2),
                        status=status, content_type="application/json")
