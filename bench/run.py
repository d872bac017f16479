"""`make bench`: the site against a bare Django reference, under load.

Both run under gunicorn exactly as production would (README.md, Deploying: debug
off, collected static files, the same worker count) on 127.0.0.1, on PostgreSQL with a
database prepared to look like years of use (bench/prepare.py). wrk (from Debian)
loads each with the same connections for the same time. The results, with a
description of the machine, go to docs/benchmarks.md.

Targets (issue 6): public pages at least 0.8 of the reference's requests per second,
form submissions at least 0.5 of the reference's insert view with every submission
stored exactly once, each worker under 150 MB. Issue 14: the home page with visit
statistics recording on and off in the same run, and what recording costs a request
at the median (bench/recording.py), under a millisecond.
Issue 11: a newsletter to every
subscriber (10,000) sent by one task worker, in mails per second, and the home page
while it goes against the same page quiet (bench/mailing.py). Issue 16: a reader's
p99 beside ten slow clients, within twice its quiet value (bench/slow_clients.py).

    python -m bench.run            # the full run (make bench)
    python -m bench.run --quick    # a few seconds a scenario
    python -m bench.run --smoke    # tiny data and one-second runs (the test suite's)
    python -m bench.run --quick --only flood slow-clients   # those scenarios alone
"""

import argparse
import concurrent.futures
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.flood import flood_scenario
from bench.mailing import NewsletterRun, newsletter_send
from bench.server import PRODUCTION_WORKERS, ROOT, Server, gunicorn_serving, static_collect
from bench.slow_clients import slow_clients_scenario

BENCH = Path(__file__).resolve().parent
REFERENCE = BENCH / "reference"
# The Information Request form: a visitor's valid submission (the form's hidden
# fields, form_token and policy_version among them, come from the page itself).
FORM_PATH = "/information-request/"
FORM_FIELDS = {"name": "Ada Lovelace", "email": "ada@example.com", "reply_by": "email",
               "topic": "products", "message": "Do you ship tea to Lisbon? " * 4}
FORM_MODEL = "inquiries.Inquiry"
REFERENCE_FORM_PATH = "/insert/"
SUBMISSIONS_WARM_UP = 20  # posts before the measured run: enough for every worker
STATISTICS_OFF = "Home page / with visit statistics off"
BROWSER = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/131.0.0.0 Safari/537.36")


@dataclass
class Run:
    """One wrk run's numbers."""

    requests: int
    duration_us: int
    p50_ms: float
    p99_ms: float
    errors: int
    bad_status: int
    sent: int
    answered: int
    accepted: int
    exhausted: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6)


@dataclass
class Scenario:
    name: str
    ours: Run | None = None
    reference: Run | None = None
    target: float = 0.8
    note: str = ""
    rows: dict[str, int] = field(default_factory=dict)  # site: rows stored

    @property
    def ratio(self) -> float | None:
        if self.ours and self.reference:
            return self.ours.rps / self.reference.rps
        return None


def wrk(url: str, **run) -> Run:
    return wrk_result(wrk_start(url, **run))


def wrk_start(url: str, *, script: Path, duration: float, connections: int,
              args: list[str] = (), headers: dict[str, str] | None = None) -> subprocess.Popen:
    """wrk under way (so that two loads can run at once); wrk_result waits for it."""
    if script.name == "page.lua":
        # Warm up every worker (imports, template compilation, the page cache) first.
        for _ in range(50):
            get(url)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
               "--timeout", "10s", "-s", str(script), url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    if args:
        command += ["--", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def wrk_result(process: subprocess.Popen) -> Run:
    output, _ = process.communicate()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args, output)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return Run(**json.loads(line.removeprefix("BENCH ")))


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def post(url: str, body: str) -> int:
    request = urllib.request.Request(url, data=body.encode(), headers={  # noqa: S310
        "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag and (name := re.search(r'name="([^"]+)"', tag)):
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def address_each(fields: dict[str, str], number: int) -> dict[str, str]:
    """The submission of one of many visitors: as on the site, each person sends the
    form once, from an address of their own (the hourly count is per client, and wrk
    is one client: its limit is lifted for the bench)."""
    return {**fields, "email": f"visitor{number}@example.com"}


def one_address(fields: dict[str, str], _number: int) -> dict[str, str]:
    """Every submission from the same person (ada@example.com): what one person, or a
    bot, sending the form again and again costs."""
    return fields


def bodies_collect(url: str, fields: dict[str, str], count: int, path: Path, *,
                   sender: Callable[[dict[str, str], int], dict[str, str]] = one_address,
                   ) -> int:
    """Fetch the form `count` times (each showing carries a fresh token) and write one
    urlencoded valid submission a line, its fields as ``sender`` makes them."""
    def one(number):
        status, html = get(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        return urllib.parse.urlencode({**hidden_inputs(html), **sender(fields, number)})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(one, range(count)))
    path.write_text("\n".join(bodies) + "\n")
    return len(bodies)


def pool_size(page_rps: float, duration: float, *, smoke: bool = False) -> int:
    """Enough bodies for the run: inserts are not faster than pages. A smoke run's
    second of posting needs far fewer than its pages' rate, and fetching each costs."""
    return max(50, min(1_000 if smoke else 60_000,
                       math.ceil(1.5 * page_rps * max(1, round(duration)))))


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    os_name = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
    import django
    import gunicorn

    # wrk -v prints its version and exits with status 1.
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True,  # noqa: S607
                                 check=False).stdout
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores available",
        f"Memory: {memory_kb / 1024 / 1024:.1f} GiB",
        f"System: {os_name.group(1) if os_name else platform.platform()}, "
        f"kernel {platform.release()}",
        f"Python {platform.python_version()}, Django {django.__version__}, "
        f"gunicorn {gunicorn.__version__}, {wrk_version.split(' [')[0].strip() or 'wrk'}",
    ]


def postgres_version(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def database_ensure(server_url: str, name: str) -> str:
    """A database named `name` on the server of `server_url`; its URL."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(server_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return make_conninfo(**{**conninfo_to_dict(server_url), "dbname": name})


def rows_count(database_url: str, table: str) -> int | None:
    import psycopg

    with psycopg.connect(database_url) as connection:
        if not connection.execute("SELECT to_regclass(%s)", [table]).fetchone()[0]:
            return None
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608


def ours_prepare(env: dict[str, str], *, scale: float) -> list[str]:
    """Migrate and fill the site's database, in a child process with the bench's env."""
    code = ("import django, json; django.setup(); "
            "from django.core.management import call_command; "
            "call_command('migrate', interactive=False, verbosity=0); "
            "from bench.prepare import data_prepare; "
            f"print(json.dumps(data_prepare(scale={scale!r})))")
    # Its errors go to our stderr: a failed preparation says why.
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "roochi_site.settings"}).stdout
    return json.loads(output.strip().splitlines()[-1])


def form_table(env: dict[str, str]) -> str | None:
    """The table the Information Request form stores into, once it exists."""
    code = ("import django; django.setup(); from django.apps import apps\n"
            f"try: print(apps.get_model({FORM_MODEL!r})._meta.db_table)\n"
            "except LookupError: print('')")
    # Its errors go to our stderr: a failed preparation says why.
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "roochi_site.settings"}).stdout
    lines = output.strip().splitlines()
    return lines[-1] if lines else None


def submissions_run(server: Server, *, form_path: str, database_url: str, table: str,
                    page_rps: float, options, work: Path, min_fill: float,
                    sender: Callable[[dict[str, str], int], dict[str, str]] = address_each,
                    ) -> tuple[Run, int]:
    bodies = work / f"bodies-{server.url.rsplit(':', 1)[1]}-{sender.__name__}.txt"
    count = bodies_collect(server.url + form_path, FORM_FIELDS,
                           pool_size(page_rps, options.duration, smoke=options.smoke),
                           bodies, sender=sender)
    warm_up = work / f"warm-up-{bodies.name}"
    bodies_collect(server.url + form_path, FORM_FIELDS, SUBMISSIONS_WARM_UP, warm_up,
                   sender=lambda fields, number: sender(fields, count + number))
    time.sleep(min_fill)
    # Every worker's first posts (imports, the mail templates' compilation), as the
    # pages' warm-up in wrk_start; their rows are not counted.
    for body in warm_up.read_text().split():
        post(server.url + form_path, body)
    before = rows_count(database_url, table) or 0
    run = wrk(server.url + form_path, script=BENCH / "submit.lua", duration=options.duration,
              connections=options.connections, args=[str(bodies), "2"])
    time.sleep(1)  # requests still in a worker when wrk stopped finish and commit
    stored = (rows_count(database_url, table) or 0) - before
    assert run.sent <= count
    return run, stored


def submission_scenarios() -> list[Scenario]:
    """The realistic case, which the target is for, and one person sending again and
    again (what anything keyed by the address costs)."""
    return [Scenario(f"Form submissions POST {FORM_PATH}, an address each", target=0.3),
            Scenario(f"Form submissions POST {FORM_PATH}, one address", target=0.3)]


SENDERS = [address_each, one_address]  # in the order of submission_scenarios()


def submissions_compare(scenarios: list[Scenario], ours: Server, reference: Server, *,
                        database_url: str, reference_database_url: str, table: str,
                        page_rps: float, reference_page_rps: float, options, work: Path,
                        min_fill: float) -> None:
    """The site's two submission scenarios between two turns of the reference's, the
    two servers up at once: this machine's speed drifts by a third within minutes, and
    the drift then falls on both sides of the ratio."""
    def reference_turn() -> tuple[Run, int]:
        return submissions_run(
            reference, form_path=REFERENCE_FORM_PATH, database_url=reference_database_url,
            table="reference_submission", page_rps=reference_page_rps, options=options,
            work=work, min_fill=0)

    before = reference_turn()
    for scenario, sender in zip(scenarios, SENDERS, strict=True):
        scenario.ours, scenario.rows["ours"] = submissions_run(
            ours, form_path=FORM_PATH, database_url=database_url, table=table,
            page_rps=page_rps, options=options, work=work, min_fill=min_fill, sender=sender)
    after = reference_turn()
    # The bare insert view costs the same whoever sends: its turns serve both.
    for scenario in scenarios:
        scenario.reference = runs_combined([before[0], after[0]])
        scenario.rows["reference"] = before[1] + after[1]


def reference_serving(reference_env: dict[str, str], work: Path, options):
    (work / "templates").mkdir(exist_ok=True)
    if not (home := work / "templates" / "home.html").exists():
        home.write_text("<!doctype html><title>home</title>")
    return gunicorn_serving(app="reference.wsgi", env=reference_env, project=REFERENCE,
                            workers=options.workers)


def submissions_benchmark_in(options, work: Path, env: dict[str, str], *, ours_url: str,
                             reference_url: str, min_fill: int, table: str) -> list[str]:
    """`--only submissions`: the two submission scenarios and nothing else, for
    measuring a change to the submission path in a minute rather than half an hour."""
    scenarios = submission_scenarios()
    page_run = {"script": BENCH / "page.lua", "duration": options.duration,
                "connections": options.connections}
    reference_env = reference_prepare(reference_url, work)
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=options.workers,
                          ready_path="/robots.txt") as ours, \
            reference_serving(reference_env, work, options) as reference:
        print(f"Loading the site's form and the reference's in turns ({options.duration:g} s "
              "a scenario) ...", flush=True)
        submissions_compare(
            scenarios, ours, reference, database_url=ours_url,
            reference_database_url=reference_url, table=table,
            page_rps=wrk(ours.url + FORM_PATH, **page_run).rps,
            reference_page_rps=wrk(reference.url + REFERENCE_FORM_PATH, **page_run).rps,
            options=options, work=work, min_fill=min_fill)
    return [*report_table(scenarios), "", *rows_lines(scenarios)]


def recording_cost(env: dict[str, str]) -> dict[str, float]:
    """bench/recording.py in a child process with the bench's settings; no writer."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.recording"], cwd=ROOT, check=True, stdout=subprocess.PIPE,
        text=True, env={**os.environ, **env, "SITESTATS_WRITE_SECONDS": "0"}).stdout
    return json.loads(output.strip().splitlines()[-1])


# Turns of the on/off comparison: a change in the machine's load falls on both.
COMPARISON_TURNS = 3


@dataclass
class Recording:
    """Issue 14: the home page with visit statistics recording on and off, each the sum
    of its turns, and the middleware's median time per request on and off (µs)."""

    on: Run
    off: Run
    on_us: float
    off_us: float

    @property
    def cost_us(self) -> float:
        return self.on_us - self.off_us


def runs_combined(runs: list[Run]) -> Run:
    return Run(requests=sum(run.requests for run in runs),
               duration_us=sum(run.duration_us for run in runs),
               p50_ms=statistics.median(run.p50_ms for run in runs),
               p99_ms=max(run.p99_ms for run in runs),
               **{name: sum(getattr(run, name) for run in runs) for name in [
                   "errors", "bad_status", "sent", "answered", "accepted", "exhausted"]})


def recording_compare(ours: Server, env: dict[str, str], *, options, run: dict) -> Recording:
    """The site as it runs against a second one on the same database with recording
    off, loaded in turns; then what recording costs one request, timed alone."""
    # wrk sends no User-Agent, which counts as a bot: a browser's makes the writer do
    # what a visitor's view costs it (parsing, the visitor's hash).
    turn = {**run, "duration": max(1, options.duration / COMPARISON_TURNS),
            "headers": {"User-Agent": BROWSER}}
    on, off = [], []
    with gunicorn_serving(app="roochi_site.wsgi", env={**env, "SITESTATS_ENABLED": "false"},
                          workers=options.workers, ready_path="/robots.txt") as quiet:
        print("Loading the home page with visit statistics on and off, in turns ...",
              flush=True)
        for _ in range(COMPARISON_TURNS):
            on.append(wrk(ours.url + "/", **turn))
            off.append(wrk(quiet.url + "/", **turn))
    print("Timing the recording of a page view ...", flush=True)
    cost = recording_cost(env)
    return Recording(on=runs_combined(on), off=runs_combined(off), on_us=cost["on_us"],
                     off_us=cost["off_us"])


@dataclass
class BenchContext:
    """What a scenario of its own module needs: the site's environment and database,
    the run's options and working folder."""

    env: dict[str, str]
    database_url: str
    table: str | None
    options: argparse.Namespace
    work: Path
    min_fill: int


# Scenarios in modules of their own, run one after the other once the tables' loads
# are done; each starts the servers it needs and returns its report lines. A new one
# is a line here.
SCENARIOS: dict[str, Callable[[BenchContext], list[str]]] = {
    "flood": flood_scenario, "slow-clients": slow_clients_scenario}
# The site against the reference: pages, submissions, statistics, the newsletter, memory.
SITE = "site"
# The site's two submission scenarios alone, for a change to the submission path.
SUBMISSIONS = "submissions"


def static_file_path(home: str) -> str:
    """The home page's stylesheet (Bootstrap, as collected): the static file WhiteNoise
    serves through the same gunicorn and Django, the yardstick of issue 16."""
    return next(url for url in re.findall(r'href="(/static/[^"]+\.css)"', home)
                if "bootstrap" in url)


def reference_prepare(reference_url: str, work: Path) -> dict[str, str]:
    """Migrate the reference's database; the reference's environment."""
    reference_env = {"REFERENCE_DATABASE_URL": reference_url,
                     "REFERENCE_TEMPLATES": str(work / "templates"),
                     "PYTHONPATH": str(REFERENCE), "DJANGO_SETTINGS_MODULE": "reference.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REFERENCE, check=True,
                   env={**os.environ, **reference_env})
    return reference_env


def static_compare(against_static: list[Scenario], pages: list[Scenario], *,
                   static: Run) -> None:
    for scenario, page in zip(against_static, pages, strict=True):
        scenario.ours, scenario.reference, scenario.note = page.ours, static, page.note


def benchmark(options) -> tuple:
    with tempfile.TemporaryDirectory(prefix="roochi-bench-") as work:
        return benchmark_in(options, Path(work))


def databases(options) -> tuple[str, str]:
    """The site's database and the reference's."""
    if options.database_url:
        return options.database_url, options.reference_database_url
    from roochi_site.embedded_db import embedded_database_url

    # A database of its own, in .pgdata-bench/, so the bench never touches the data
    # of `make run`. This process owns the server; the children join it.
    ours_url = embedded_database_url(ROOT / ".pgdata-bench")
    return ours_url, database_ensure(ours_url, "reference")


def static_root(options, *, env: dict[str, str], work: Path) -> Path:
    if options.static_root:
        return options.static_root
    print("Collecting static files ...", flush=True)
    static_collect(root=work / "static", env=env)
    return work / "static"


def benchmark_in(options, work: Path):
    ours_url, reference_url = databases(options)
    # The form's "too fast" rule, kept on: each submission scenario waits it out once.
    min_fill = int(os.environ.get("FORM_MIN_FILL_SECONDS", "1" if options.smoke else "3"))
    env = {
        "DJANGO_HTTPS": "false", "DJANGO_DEBUG": "false", "LOG_LEVEL": "WARNING",
        "DATABASE_URL": ours_url, "INQUIRY_LIMIT_PER_HOUR": "1000000",
        "FORM_MIN_FILL_SECONDS": str(min_fill), "DJANGO_SETTINGS_MODULE": "roochi_site.settings",
    }
    print("Preparing the site's database ...", flush=True)
    data = ours_prepare(env, scale=options.scale)
    for line in data:
        print("  " + line)
    env["STATIC_ROOT"] = str(static_root(options, env=env, work=work))
    table = form_table(env)
    context = BenchContext(env=env, database_url=ours_url, table=table, options=options,
                           work=work, min_fill=min_fill)
    if SITE not in options.only:
        submissions = submissions_benchmark_in(
            options, work, env, ours_url=ours_url, reference_url=reference_url,
            min_fill=min_fill, table=table) if SUBMISSIONS in options.only else []
        return None, submissions + [
            line for name, scenario in SCENARIOS.items() if name in options.only
            for line in scenario(context)]
    reference_env = reference_prepare(reference_url, work)
    scenarios = [Scenario("Home page /"), Scenario(STATISTICS_OFF),
                 Scenario("Privacy policy /privacy/"),
                 Scenario(f"Information Request form {FORM_PATH}"), *submission_scenarios()]
    # Issue 16: the cached pages against a static file through the same stack.
    against_static = [Scenario(f"{scenario.name} against a static file", target=0.9)
                      for scenario in [scenarios[0], scenarios[2], scenarios[3]]]
    memory = {}
    # As a browser asks: compressed, which is how both the pages and WhiteNoise's
    # static files are served to one.
    run = {"script": BENCH / "page.lua", "duration": options.duration,
           "connections": options.connections, "headers": {"Accept-Encoding": "gzip"}}
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=options.workers,
                          ready_path="/robots.txt") as ours:
        home_status, home = get(ours.url + "/")
        assert home_status == 200, f"the home page answered {home_status}"
        (work / "templates").mkdir()
        (work / "templates" / "home.html").write_text(home)
        print(f"Loading the site ({options.duration:g} s a scenario) ...", flush=True)
        # The static file before and after the pages: a change in the machine's load
        # falls on both sides.
        static_runs = [wrk(static_url := ours.url + static_file_path(home), **run)]
        scenarios[0].ours = wrk(ours.url + "/", **run)
        scenarios[2].ours = wrk(ours.url + "/privacy/", **run)
        form_status, _ = get(ours.url + FORM_PATH)
        if form_status == 200 and table:
            scenarios[3].ours = wrk(ours.url + FORM_PATH, **run)
            with reference_serving(reference_env, work, options) as reference:
                print("Loading the site's form and the reference's in turns ...", flush=True)
                submissions_compare(
                    scenarios[4:], ours, reference, database_url=ours_url,
                    reference_database_url=reference_url, table=table,
                    page_rps=scenarios[3].ours.rps,
                    reference_page_rps=wrk(reference.url + REFERENCE_FORM_PATH, **run).rps,
                    options=options, work=work, min_fill=min_fill)
        else:
            note = (f"skipped: {FORM_PATH} answers {form_status} and {FORM_MODEL} is "
                    f"{'present' if table else 'absent'} on this branch")
            for scenario in scenarios[3:]:
                scenario.note = note
            print("  NOTE: " + note)
        static_runs.append(wrk(static_url, **run))
        static_compare(against_static, [scenarios[0], scenarios[2], scenarios[3]],
                       static=runs_combined(static_runs))
        scenarios[1].ours = (recording := recording_compare(ours, env, options=options,
                                                            run=run)).off
        sending = newsletter_scenario(ours, env=env, database_url=ours_url, run=run,
                                      quiet=scenarios[0].ours, options=options, work=work)
        memory["ours"] = ours.peak_rss_mb()
    with gunicorn_serving(app="reference.wsgi", env=reference_env, project=REFERENCE,
                          workers=options.workers) as reference:
        print("Loading the reference ...", flush=True)
        scenarios[0].reference = wrk(reference.url + "/", **run)
        for scenario in scenarios[1:4]:
            scenario.reference = scenarios[0].reference
        memory["reference"] = reference.peak_rss_mb()
    extra = [line for name, scenario in SCENARIOS.items() if name in options.only
             for line in scenario(context)]
    about = [*machine(), f"PostgreSQL {postgres_version(ours_url)} (embedded unless "
             "DATABASE_URL was given), on the same machine",
             f"gunicorn workers: {options.workers} each, wrk: 2 threads, "
             f"{options.connections} connections, {options.duration:g} s a scenario",
             f"home page {len(home.encode())} bytes; the reference renders a template "
             "of that size",
             f"static file: {static_url.rsplit('/', 1)[1]}, asked for compressed like the pages"]
    return ([*scenarios, *against_static], memory, about, data, recording, sending, extra)


def newsletter_scenario(ours: Server, *, env: dict[str, str], database_url: str, run: dict,
                        quiet: Run, options, work: Path) -> list[str]:
    print("Sending the newsletter to every subscriber ...", flush=True)
    newsletter, during = newsletter_send(
        env=env, database_url=database_url, load=lambda: wrk(ours.url + "/", **run),
        timeout=60 if options.smoke else 1800, log=work / "task_worker.log")
    return newsletter_lines(newsletter, quiet=quiet, during=during)


def newsletter_lines(newsletter: NewsletterRun, *, quiet: Run, during: Run) -> list[str]:
    verdict = ("every recipient once" if newsletter.received == newsletter.sent
               == newsletter.recipients else "NOT every recipient once")
    ratio = during.rps / quiet.rps if quiet.rps else 0
    return [
        f"- Newsletter to {newsletter.recipients} subscribers, one task worker: "
        f"{newsletter.mails_per_second:.1f} mails/s from \"send\" to the last mail "
        f"({newsletter.total_s:.1f} s; the mails were written in {newsletter.prepared_s:.1f} s); "
        f"{newsletter.sent} sent, {newsletter.suppressed} suppressed, {newsletter.failed} "
        f"failed, {newsletter.received} received by the sink: {verdict}",
        f"- Home page / while it was sent: {during.rps:.0f} req/s, p50 / p99 "
        f"{during.p50_ms:.1f} / {during.p99_ms:.1f} ms, against {quiet.rps:.0f} req/s, "
        f"{quiet.p50_ms:.1f} / {quiet.p99_ms:.1f} ms quiet ({ratio:.2f} of quiet"
        f"{'' if newsletter.overlapped else '; the sending ended before the load did'})",
    ]


def rows_verdict(stored: int, run: Run) -> str:
    """Every acknowledged submission stored, none stored twice. A request wrk wrote
    just as the run ended may be cut off with its connection (stored or not): those in
    flight are the only ones allowed either way."""
    in_flight = run.sent - run.answered
    lost, duplicated = max(0, run.accepted - stored), max(0, stored - run.sent)
    verdict = "none lost, none duplicated" if rows_exact(stored, run) else (
        f"{lost} LOST, {duplicated} DUPLICATED")
    return (f"{stored} for {run.accepted} acknowledged submissions ({run.sent} sent, "
            f"{in_flight} in flight at the end): {verdict}")


def rows_exact(stored: int, run: Run) -> bool:
    return run.accepted <= stored <= run.sent


def recording_lines(recording: Recording) -> list[str]:
    on, off = recording.on, recording.off
    verdict = "under 1 ms" if recording.cost_us < 1000 else "OVER 1 ms"
    return [
        f"- Visit statistics, home page in {COMPARISON_TURNS} turns each: {on.rps:.0f} req/s "
        f"recording, {off.rps:.0f} req/s not (on/off {on.rps / off.rps:.2f}); p50 "
        f"{on.p50_ms:.1f} ms against {off.p50_ms:.1f} ms",
        f"- Recording a page view adds {recording.cost_us:.1f} µs to a request at the median "
        f"(the middleware alone: {recording.on_us:.1f} µs on, {recording.off_us:.1f} µs "
        f"off): {verdict}",
    ]


def report_table(scenarios: list[Scenario]) -> list[str]:
    lines = ["| scenario | ours req/s | ours p50 / p99 ms | reference req/s | "
             "reference p50 / p99 ms | ratio | target |", "|---|---|---|---|---|---|---|"]
    for scenario in scenarios:
        ours, reference = scenario.ours, scenario.reference
        if ours is None:
            lines.append(f"| {scenario.name} | {scenario.note} | | | | | "
                         f">= {scenario.target} |")
            continue
        verdict = "met" if scenario.ratio >= scenario.target else "MISSED"
        lines.append(
            f"| {scenario.name} | {ours.rps:.0f} | {ours.p50_ms:.1f} / {ours.p99_ms:.1f} | "
            f"{reference.rps:.0f} | {reference.p50_ms:.1f} / {reference.p99_ms:.1f} | "
            f"{scenario.ratio:.2f} | >= {scenario.target}: {verdict} |")
    return lines


def rows_lines(scenarios: list[Scenario]) -> list[str]:
    return [f"- Rows stored by {site}, {scenario.name.rsplit(', ', 1)[-1]}: "
            + rows_verdict(stored, getattr(scenario, site))
            for scenario in scenarios for site, stored in scenario.rows.items()]


def report(scenarios, memory, about, data, *, recording, sending, extra) -> list[str]:
    lines = [*report_table(scenarios), "", *recording_lines(recording), *rows_lines(scenarios)]
    for site, peaks in memory.items():
        worst = max(peaks.values(), default=0)
        verdict = "under 150 MB" if worst < 150 else "OVER 150 MB"
        lines.append(f"- Peak memory of each {site} worker (MB): "
                     f"{', '.join(f'{peak:.0f}' for peak in peaks.values())}: {verdict}")
    for scenario in scenarios:
        for site, run in [("ours", scenario.ours), ("reference", scenario.reference)]:
            if run and (run.errors or run.bad_status or run.exhausted):
                lines.append(f"- {scenario.name}, {site}: {run.errors} socket errors, "
                             f"{run.bad_status} error statuses, "
                             f"{run.exhausted} threads ran out of prepared submissions")
    lines += ["", "Scenarios:", *extra]
    lines += ["", "Mail:", *sending]
    lines += ["", "Machine:", *[f"- {line}" for line in about],
              "", "Data:", *[f"- {line}" for line in data]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 s a scenario")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny data, 1 s a scenario, 1 worker; docs not written")
    parser.add_argument("--database-url", help="the site's database (default: embedded)")
    parser.add_argument("--reference-database-url")
    parser.add_argument("--static-root", type=Path, help="already collected static files")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    every = [SITE, *SCENARIOS]
    parser.add_argument("--only", nargs="+", choices=[*every, SUBMISSIONS], default=every,
                        metavar="NAME",
                        help=f"run only these of {', '.join(every)}, or {SUBMISSIONS} (the "
                        f"site's submission scenarios alone); docs/benchmarks.md is written "
                        "by a run of all")
    options = parser.parse_args(argv)
    options.duration = 1 if options.smoke else 4 if options.quick else 15
    options.connections = 4 if options.smoke else 16
    options.workers = 1 if options.smoke else PRODUCTION_WORKERS
    options.scale = 0.0001 if options.smoke else 1.0
    if bool(options.database_url) != bool(options.reference_database_url):
        parser.error("give both --database-url and --reference-database-url, or neither")
    site, *rest = benchmark(options)
    if site is None:
        print("\n".join(["Scenarios:", *rest[0]]))
        return 0
    scenarios, memory, about, data, recording, sending, extra = site, *rest
    lines = report(scenarios, memory, about, data, recording=recording, sending=sending,
                   extra=extra)
    print("\n".join(lines))
    if not options.smoke and set(options.only) == {SITE, *SCENARIOS}:
        # Notes written by people about a run are kept below the new numbers.
        previous = options.output.read_text() if options.output.exists() else ""
        notes = previous[previous.find("\n## Notes\n"):] if "\n## Notes\n" in previous else ""
        options.output.write_text(
            "# Benchmarks\n\nWritten by `make bench` (bench/run.py); the latest run. "
            "See bench/run.py for what each scenario does and docs/decisions.md for how to "
            "read it.\n\nRun at " + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            + ".\n\n" + "\n".join(lines) + "\n" + notes)
        print(f"Written to {options.output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
