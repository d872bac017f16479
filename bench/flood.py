"""Issue 16, floods absorbed: one client floods the Information Request form with posts,
valid ones and spam, over and over, while another reads the home page and a third
sends its real requests. The site runs with its real hourly limit, behind a trusted
proxy (127.0.0.1) that names each client in X-Forwarded-For, so the three are three
addresses. Targets: the reader's p99 within twice its quiet value, every one of the
third client's requests acknowledged and stored, and the flood storing no more than
the hourly limit."""

import http.client
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.server import gunicorn_serving

FLOODER = "203.0.113.66"
THIRD_CLIENT = "198.51.100.7"
HOURLY_LIMIT = 5
# Distinct bodies the flood cycles through: half valid (each a fresh form token), half
# spam (the honeypot filled in).
FLOOD_BODIES = 40
READER_CONNECTIONS = 4
FLOOD_CONNECTIONS = 12
# P99 of the reader during the flood, at most this many times its quiet value.
READER_TARGET = 2.0


@dataclass
class Flood:
    quiet_p99_ms: float
    during_p99_ms: float
    quiet_rps: float
    during_rps: float
    flood_rps: float
    flood_accepted: int
    flood_requests: int
    flood_rows: int
    real_sent: int
    real_acknowledged: int
    real_stored: int


def request(url: str, *, client: str, body: str | None = None) -> tuple[int, str]:
    """One request from `client` through the trusted proxy; redirects not followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"X-Forwarded-For": client}
    if body is not None:
        headers |= {"Content-Type": "application/x-www-form-urlencoded",
                    "Sec-Fetch-Site": "same-origin"}
    try:
        connection.request("GET" if body is None else "POST", parts.path, body=body,
                           headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def form_bodies(url: str, fields: dict[str, str], count: int, *, client: str) -> list[str]:
    from bench.run import hidden_inputs

    bodies = []
    for _ in range(count):
        status, html = request(url, client=client)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        bodies.append(urllib.parse.urlencode({**hidden_inputs(html), **fields}))
    return bodies


def flood_run(context) -> Flood:
    # Deferred: bench.run imports this module to list it among its scenarios.
    from bench.run import BENCH, FORM_FIELDS, FORM_PATH, rows_count, wrk, wrk_result, wrk_start

    env = {**context.env, "INQUIRY_LIMIT_PER_HOUR": str(HOURLY_LIMIT),
           "TRUSTED_PROXIES": "127.0.0.1"}
    duration = context.options.duration
    page = {"script": BENCH / "page.lua", "duration": duration,
            "connections": READER_CONNECTIONS, "headers": {"Accept-Encoding": "gzip"}}
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=context.options.workers,
                          ready_path="/robots.txt") as site:
        form_url = site.url + FORM_PATH
        quiet = wrk(site.url + "/", **page)
        valid = form_bodies(form_url, {**FORM_FIELDS, "email": "flood@example.com"},
                            FLOOD_BODIES // 2, client=FLOODER)
        spam = [body + "&website=http%3A%2F%2Fcheap.example" for body in
                form_bodies(form_url, FORM_FIELDS, FLOOD_BODIES // 2, client=FLOODER)]
        bodies_file = Path(context.work) / "flood-bodies.txt"
        bodies_file.write_text("\n".join(b for pair in zip(valid, spam, strict=True)
                                         for b in pair) + "\n")
        real = form_bodies(form_url, {**FORM_FIELDS, "email": "real@example.com"},
                           HOURLY_LIMIT, client=THIRD_CLIENT)
        time.sleep(context.min_fill)
        before = rows_count(context.database_url, context.table) or 0
        flood = wrk_start(form_url, script=BENCH / "submit.lua", duration=duration,
                          connections=FLOOD_CONNECTIONS, args=[str(bodies_file), "2", "cycle"],
                          headers={"X-Forwarded-For": FLOODER})
        statuses = []

        def third_client():
            for body in real:
                time.sleep(duration / (len(real) + 1))
                statuses.append(request(form_url, client=THIRD_CLIENT, body=body)[0])

        sender = threading.Thread(target=third_client)
        time.sleep(0.5)  # the flood is under way
        sender.start()
        during = wrk(site.url + "/", **page)
        sender.join()
        flooded = wrk_result(flood)
        time.sleep(1)  # posts still in a worker finish and commit
        stored = (rows_count(context.database_url, context.table) or 0) - before
    real_stored = real_rows(context.database_url, context.table)
    return Flood(
        quiet_p99_ms=quiet.p99_ms, during_p99_ms=during.p99_ms, quiet_rps=quiet.rps,
        during_rps=during.rps, flood_rps=flooded.rps, flood_accepted=flooded.accepted,
        flood_requests=flooded.sent, flood_rows=stored - real_stored,
        real_sent=len(real), real_acknowledged=statuses.count(302), real_stored=real_stored)


def real_rows(database_url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            f'SELECT count(*) FROM "{table}" WHERE email = %s',  # noqa: S608
            ["real@example.com"]).fetchone()[0]


def flood_scenario(context) -> list[str]:
    if not context.table:
        return ["- Flood: skipped, the Information Request form is not on this branch"]
    print("Flooding the form while a reader reads and a third client sends ...", flush=True)
    flood = flood_run(context)
    ratio = flood.during_p99_ms / flood.quiet_p99_ms if flood.quiet_p99_ms else 0
    reader = "met" if ratio <= READER_TARGET else "MISSED"
    none_lost = flood.real_acknowledged == flood.real_stored == flood.real_sent
    limited = flood.flood_rows <= HOURLY_LIMIT
    return [
        f"- Flood, reader: home page p99 {flood.during_p99_ms:.1f} ms during the flood against "
        f"{flood.quiet_p99_ms:.1f} ms quiet ({ratio:.2f} of quiet; {flood.during_rps:.0f} "
        f"against {flood.quiet_rps:.0f} req/s): target <= {READER_TARGET}: {reader}",
        f"- Flood, flooder: {flood.flood_requests} posts ({flood.flood_rps:.0f}/s, valid and "
        f"spam from one address), {flood.flood_accepted} acknowledged, {flood.flood_rows} "
        f"rows stored (the hourly limit is {HOURLY_LIMIT}): "
        f"{'met' if limited else 'MISSED'}",
        f"- Flood, third client: {flood.real_acknowledged} of {flood.real_sent} requests "
        f"acknowledged, {flood.real_stored} stored: "
        f"{'none lost' if none_lost else 'SOME LOST'}",
    ]
