"""Issue 16, floods absorbed: one client floods the Information Request form with posts,
valid ones and spam, over and over, while another reads the home page and a third
sends its real requests. The site runs as a deployment runs it (README.md,
Deploying): gunicorn with the site's configuration and its real hourly limit, behind
the reverse proxy of deploy/ (the files the tests run), which refuses a client's
posts past its burst with a 429 before gunicorn sees them. Every request goes through
the proxy, quiet and flooded alike; the three name themselves in X-Forwarded-For,
which the bench's proxy takes as the client's address (they all connect from
127.0.0.1), so they are three addresses to nginx and to the site. Targets: the
reader's p99 within twice its quiet value, every one of the third client's requests
acknowledged and stored, and the flood storing no more than the hourly limit.

Also measured, each alone for a moment: what one flood post costs gunicorn's workers
in CPU when it reaches the site (the site's own refusal: over the limit, or spam) and
when the proxy refuses it, against what an accepted post costs (target: a refusal
costs less than a success)."""

import http.client
import os
import resource
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.server import Server, gunicorn_serving, nginx_serving

FLOODER = "203.0.113.66"
# The flooder of the cost measures: an address of its own, so that the flood proper
# starts with the proxy's whole burst.
COST_FLOODER = "203.0.113.67"
THIRD_CLIENT = "198.51.100.7"
HOURLY_LIMIT = 5
# Distinct bodies the flood cycles through: half valid (each a fresh form token), half
# spam (the honeypot filled in).
FLOOD_BODIES = 40
READER_CONNECTIONS = 4
FLOOD_CONNECTIONS = 12
# The reader's runs are at least this long, so that its p99 rests on a few thousand
# requests, not a few dozen slow ones.
READER_MIN_SECONDS = 10
COST_SECONDS = 2
# Accepted posts of the cost measure, sent one by one, each from an address of its own
# so that none meets the hourly limit.
ACCEPTED_POSTS = 56
ACCEPTED_WARM_UP = 16
# P99 of the reader during the flood, at most this many times its quiet value.
READER_TARGET = 2.0


@dataclass
class FloodCosts:
    """Each flooder alone: the CPU one post cost, in ms, sent to gunicorn directly (the
    site answers every one: over the hourly limit or spam, the form shown again) and
    through the proxy once its burst is spent (nginx answers 429)."""

    site_cpu_ms: float
    site_posts: int
    # What one accepted post costs the site, for comparison: a refusal should cost less.
    accepted_cpu_ms: float
    proxied_site_cpu_ms: float
    proxy_cpu_ms: float
    proxied_posts: int
    proxied_reached: int


@dataclass
class Flood:
    quiet_p99_ms: float
    during_p99_ms: float
    quiet_rps: float
    during_rps: float
    quiet_requests: int
    during_requests: int
    flood_rps: float
    flood_accepted: int
    flood_reached_site: int
    flood_requests: int
    flood_rows: int
    real_sent: int
    real_acknowledged: int
    real_stored: int
    costs: FloodCosts
    # The share of a core the flooding wrk itself used, on the site's machine.
    flooder_cores: float


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


def cpu_ms(pids: list[int]) -> float:
    """The CPU time (user and system) these processes have used so far, in ms."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def nginx_pids(proxy_folder: Path) -> list[int]:
    master = int((proxy_folder / "nginx.pid").read_text())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


class AccessLog:
    """Gunicorn's access log (method, path, status: README.md, Deploying): how many
    posts to a path reached the site, whoever answered the client."""

    def __init__(self, path: Path):
        self.path = path

    def posts(self, path: str) -> int:
        if not self.path.exists():
            return 0
        with self.path.open() as log:
            return sum(line.startswith(f"POST {path} ") for line in log)


def flood_cost(url: str, bodies_file: Path, *, pids: list[int], seconds: float,
               log: AccessLog, connections: int = FLOOD_CONNECTIONS) -> tuple[float, int, int]:
    """One flooder alone for `seconds`: the CPU `pids` spent, in ms, once the posts
    still in a worker are done; the posts answered, and those that reached the site."""
    from bench.run import BENCH, wrk

    path = urllib.parse.urlsplit(url).path
    before, logged = cpu_ms(pids), log.posts(path)
    run = wrk(url, script=BENCH / "submit.lua", duration=seconds,
              connections=connections, args=[str(bodies_file), "2", "cycle"],
              headers={"X-Forwarded-For": COST_FLOODER})
    reached = settled(lambda: log.posts(path)) - logged
    return cpu_ms(pids) - before, run.answered, reached


def settled(count: Callable[[], int], *, quiet_seconds: float = 1.0,
            timeout: float = 30) -> int:
    """`count()` once it has not changed for `quiet_seconds`: the work in flight done."""
    deadline = time.monotonic() + timeout
    last = count()
    while time.monotonic() < deadline:
        time.sleep(quiet_seconds)
        if (now := count()) == last:
            return now
        last = now
    return last


def flood_run(context) -> Flood:
    # Deferred: bench.run imports this module to list it among its scenarios.
    from bench.run import BENCH, FORM_FIELDS, FORM_PATH, rows_count, wrk, wrk_result, wrk_start

    env = {**context.env, "INQUIRY_LIMIT_PER_HOUR": str(HOURLY_LIMIT),
           "TRUSTED_PROXIES": "127.0.0.1"}
    smoke = context.options.smoke
    duration = context.options.duration if smoke else max(context.options.duration,
                                                          READER_MIN_SECONDS)
    page = {"script": BENCH / "page.lua", "duration": duration,
            "connections": READER_CONNECTIONS, "headers": {"Accept-Encoding": "gzip"}}
    proxy_folder = Path(context.work) / "proxy"
    proxy_folder.mkdir()
    log = AccessLog(Path(context.work) / "flood-access.log")
    with (gunicorn_serving(app="roochi_site.wsgi", env=env, workers=context.options.workers,
                           ready_path="/robots.txt",
                           options=["-c", "python:roochi_site.gunicorn_conf",
                                    "--access-logfile", str(log.path)]) as site,
          nginx_serving(site, proxy_folder, client_named_in_header=True) as proxy):
        form_url = proxy + FORM_PATH
        valid = form_bodies(form_url, {**FORM_FIELDS, "email": "flood@example.com"},
                            FLOOD_BODIES // 2, client=FLOODER)
        spam = [body + "&website=http%3A%2F%2Fcheap.example" for body in
                form_bodies(form_url, FORM_FIELDS, FLOOD_BODIES // 2, client=FLOODER)]
        bodies_file = Path(context.work) / "flood-bodies.txt"
        bodies_file.write_text("\n".join(b for pair in zip(valid, spam, strict=True)
                                         for b in pair) + "\n")
        real = form_bodies(form_url, {**FORM_FIELDS, "email": "real@example.com"},
                           HOURLY_LIMIT, client=THIRD_CLIENT)
        accepted = [form_bodies(form_url, {**FORM_FIELDS, "email": f"accepted{n}@example.com"},
                                1, client=THIRD_CLIENT)[0] for n in range(ACCEPTED_POSTS)]
        real_before = real_rows(context.database_url, context.table)
        submission_counts_clear(context.database_url)
        time.sleep(context.min_fill)
        costs = flood_costs(site, form_url, bodies_file, proxy_folder, log=log,
                            seconds=1 if smoke else COST_SECONDS, accepted_bodies=accepted)
        quiet = wrk(proxy + "/", **page)
        before = rows_count(context.database_url, context.table) or 0
        posts_before = log.posts(FORM_PATH)
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
        during = wrk(proxy + "/", **page)
        sender.join()
        # The flooder's own CPU, which a real one spends on its own machine.
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        flooded = wrk_result(flood)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        flooder_cpu = (children_after.ru_utime + children_after.ru_stime
                       - children_before.ru_utime - children_before.ru_stime)
        # Posts still in a worker finish and commit; the third client's reached it too.
        reached = settled(lambda: log.posts(FORM_PATH)) - posts_before - len(real)
        stored = (rows_count(context.database_url, context.table) or 0) - before
    real_stored = real_rows(context.database_url, context.table) - real_before
    return Flood(
        quiet_p99_ms=quiet.p99_ms, during_p99_ms=during.p99_ms, quiet_rps=quiet.rps,
        during_rps=during.rps, quiet_requests=quiet.requests, during_requests=during.requests,
        flood_rps=flooded.rps, flood_accepted=flooded.accepted, flood_reached_site=reached,
        flood_requests=flooded.sent, flood_rows=stored - real_stored, real_sent=len(real),
        real_acknowledged=statuses.count(302), real_stored=real_stored, costs=costs,
        flooder_cores=flooder_cpu / (flooded.duration_us / 1e6))


def accepted_cost(direct_url: str, bodies: list[str], *, workers: list[int]) -> float:
    """The CPU one accepted post cost gunicorn's workers, in ms: posted one by one, so
    each is done once answered. The first ACCEPTED_WARM_UP are not counted: a worker's
    first posts compile the mail templates."""
    def sent(number: int, body: str) -> None:
        status, _text = request(direct_url, client=f"203.0.113.{100 + number}", body=body)
        if status != 302:
            raise RuntimeError(f"an accepted post of the cost measure answered {status}")

    for number, body in enumerate(bodies[:ACCEPTED_WARM_UP]):
        sent(number, body)
    before = cpu_ms(workers)
    for number, body in enumerate(bodies[ACCEPTED_WARM_UP:], start=ACCEPTED_WARM_UP):
        sent(number, body)
    return (cpu_ms(workers) - before) / (len(bodies) - ACCEPTED_WARM_UP)


def flood_costs(site: Server, form_url: str, bodies_file: Path, proxy_folder: Path, *,
                seconds: float, log: AccessLog, accepted_bodies: list[str]) -> FloodCosts:
    direct_url = site.url + urllib.parse.urlsplit(form_url).path
    accepted = accepted_cost(direct_url, accepted_bodies, workers=site.worker_pids())
    # Two connections (one for each of wrk's threads): a post cut off when wrk stops
    # costs the site CPU but leaves no line in its log, so few may be in flight.
    site_cpu, _answered, site_posts = flood_cost(
        direct_url, bodies_file, pids=site.worker_pids(), seconds=seconds, log=log,
        connections=2)
    # Spend the proxy's burst for this address first, so that what follows is the
    # flood as it goes on.
    flood_cost(form_url, bodies_file, pids=[], seconds=seconds, log=log)
    workers, proxy = site.worker_pids(), nginx_pids(proxy_folder)
    before_site = cpu_ms(workers)
    proxy_cpu, proxied_posts, reached = flood_cost(
        form_url, bodies_file, pids=proxy, seconds=seconds, log=log)
    site_cpu_proxied = cpu_ms(workers) - before_site
    return FloodCosts(site_cpu_ms=site_cpu / max(1, site_posts), site_posts=site_posts,
                      accepted_cpu_ms=accepted,
                      proxied_site_cpu_ms=site_cpu_proxied / max(1, proxied_posts),
                      proxy_cpu_ms=proxy_cpu / max(1, proxied_posts),
                      proxied_posts=proxied_posts, proxied_reached=reached)


def submission_counts_clear(database_url: str) -> None:
    """The hourly limit's counts start afresh: a run earlier in the same hour would
    otherwise have spent the third client's posts, and the flooder's."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        connection.execute("DELETE FROM roochi_site_submissioncount")


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
    costs = flood.costs
    refusal_ratio = costs.site_cpu_ms / costs.accepted_cpu_ms if costs.accepted_cpu_ms else 0
    return [
        f"- Flood, reader (through the proxy): home page p99 {flood.during_p99_ms:.1f} ms "
        f"during the flood against {flood.quiet_p99_ms:.1f} ms quiet ({ratio:.2f} of quiet; "
        f"{flood.during_rps:.0f} against {flood.quiet_rps:.0f} req/s, over "
        f"{flood.during_requests} and {flood.quiet_requests} requests): target <= "
        f"{READER_TARGET}: {reader}",
        f"- Flood, flooder: {flood.flood_requests} posts ({flood.flood_rps:.0f}/s, valid and "
        f"spam from one address), {flood.flood_reached_site} reached the site (the rest "
        f"met the proxy's 429), {flood.flood_accepted} acknowledged, {flood.flood_rows} rows "
        f"stored (the hourly limit is {HOURLY_LIMIT}): {'met' if limited else 'MISSED'}; "
        f"the flooding wrk itself used {flood.flooder_cores:.2f} of a core here",
        f"- Flood, third client: {flood.real_acknowledged} of {flood.real_sent} requests "
        f"acknowledged, {flood.real_stored} stored: "
        f"{'none lost' if none_lost else 'SOME LOST'}",
        f"- Flood, cost of one post, each flooder alone for a moment: {costs.site_cpu_ms:.1f} "
        f"ms of gunicorn CPU when the site refuses it itself ({costs.site_posts} posts); "
        f"through the proxy past its burst {costs.proxy_cpu_ms:.3f} ms of nginx's and "
        f"{costs.proxied_site_cpu_ms:.3f} ms of gunicorn's ({costs.proxied_posts} posts, "
        f"{costs.proxied_reached} reached the site)",
        f"- Flood, a refusal against a success: {costs.site_cpu_ms:.1f} ms of gunicorn CPU "
        f"for a post the site refuses, {costs.accepted_cpu_ms:.1f} ms for one it accepts "
        f"({ACCEPTED_POSTS - ACCEPTED_WARM_UP} posts, one by one; {refusal_ratio:.2f} of a "
        f"success): target < 1: {'met' if refusal_ratio < 1 else 'MISSED'}",
    ]
