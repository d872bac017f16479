"""Slow clients (slowloris): connections that send a request one header line every
two seconds and never finish it, while a reader reads pages.

Used by `make bench` (the scenario: the reader's p99 latency with ten of them open,
against the same reader quiet; target within twice) and by the tests that prove a
handful of them stall neither `make run` nor the reverse proxy of README.md.
"""

import contextlib
import select
import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bench.server import gunicorn_serving

# Issue 16: four such connections left no sync worker free.
SLOW_CLIENTS = 10
LINE_EVERY_SECONDS = 2.0
# The p99 latency of the reader with the slow clients open, at most this many times
# its quiet value.
P99_TARGET = 2.0


class SlowClients:
    """`count` connections to `url`'s server, each sending "GET / HTTP/1.1" and then one
    more header line every `line_every` seconds, never the blank line that ends it."""

    def __init__(self, url: str, count: int, *, line_every: float = LINE_EVERY_SECONDS):
        parts = urllib.parse.urlsplit(url)
        self.address = (parts.hostname, parts.port or 80)
        self.host = parts.netloc
        self.count, self.line_every = count, line_every
        self.sockets: list[socket.socket] = []
        self.lines_sent = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.trickle, name="slow-clients", daemon=True)

    def __enter__(self) -> "SlowClients":
        for _ in range(self.count):
            connection = socket.create_connection(self.address, timeout=5)
            connection.sendall(f"GET / HTTP/1.1\r\nHost: {self.host}\r\n".encode())
            self.sockets.append(connection)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(timeout=self.line_every + 5)
        for connection in self.sockets:
            connection.close()

    def trickle(self) -> None:
        number = 0
        while not self.stopping.wait(self.line_every):
            number += 1
            for connection in self.sockets:
                with contextlib.suppress(OSError):  # a closed one is counted by still_open
                    connection.sendall(f"X-Slow-{number}: {'x' * 20}\r\n".encode())
            self.lines_sent = number

    def still_open(self) -> int:
        """How many the server has neither answered nor closed: nothing to read yet."""
        readable, _, _ = select.select(self.sockets, [], [], 0)
        return self.count - len(readable)


@contextlib.contextmanager
def slow_clients_open(url: str, count: int = SLOW_CLIENTS) -> Iterator[SlowClients]:
    """The slow clients, each past its first trickled line (so each holds whatever
    the server gives a request it has started to read) when the block starts."""
    with SlowClients(url, count) as clients:
        while clients.lines_sent < 1 and clients.thread.is_alive():
            clients.stopping.wait(0.1)
        yield clients


@dataclass
class SlowClientsRun:
    count: int
    quiet_p99_ms: float
    slow_p99_ms: float
    quiet_rps: float
    slow_rps: float
    still_open: int

    @property
    def met(self) -> bool:
        return self.slow_p99_ms <= P99_TARGET * self.quiet_p99_ms

    def lines(self) -> list[str]:
        verdict = "met" if self.met else "MISSED"
        return [
            f"- Slow clients: a reader of the home page with {self.count} connections open "
            f"that send one header line every {LINE_EVERY_SECONDS:g} s: p99 "
            f"{self.slow_p99_ms:.1f} ms ({self.slow_rps:.0f} req/s), against "
            f"{self.quiet_p99_ms:.1f} ms ({self.quiet_rps:.0f} req/s) quiet "
            f"({self.slow_p99_ms / self.quiet_p99_ms:.2f} of quiet; target <= "
            f"{P99_TARGET:g}: {verdict}); {self.still_open} of {self.count} still open at "
            "the end",
        ]


def slow_clients_compare(url: str, read: Callable[[], object], *,
                         count: int = SLOW_CLIENTS) -> SlowClientsRun:
    """`read()` (a wrk run with p99_ms and rps) quiet, then with the slow clients open."""
    quiet = read()
    with slow_clients_open(url, count) as clients:
        during = read()
        still_open = clients.still_open()
    return SlowClientsRun(count=count, quiet_p99_ms=quiet.p99_ms, slow_p99_ms=during.p99_ms,
                          quiet_rps=quiet.rps, slow_rps=during.rps, still_open=still_open)


def slow_clients_scenario(context) -> list[str]:
    """The site served as `make run` and a deployment serve it (the site's gunicorn
    configuration, with its threads), read by wrk quiet and then beside the slow
    clients. `context` is bench.run's BenchContext."""
    from bench.run import BENCH, wrk

    print(f"Slow clients: a reader beside {SLOW_CLIENTS} of them ...", flush=True)
    reader = {"script": BENCH / "page.lua", "duration": context.options.duration,
              "connections": 2}
    with gunicorn_serving(app="roochi_site.wsgi", env=context.env,
                          workers=context.options.workers, ready_path="/robots.txt",
                          options=["-c", "python:roochi_site.gunicorn_conf",
                                   "--access-logfile", "/dev/null"]) as site:
        run = slow_clients_compare(site.url, lambda: wrk(site.url + "/", **reader))
    return run.lines()
