"""Serving a Django project the way production does (README.md, Deploying): static
files collected with hashed, compressed names, gunicorn with the same worker count,
debug off. Used by `make bench` and by the page-weight tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# README.md, Deploying: `gunicorn roochi_site.wsgi --bind 127.0.0.1:8000 --workers 4`.
PRODUCTION_WORKERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def static_collect(*, root: Path, env: dict[str, str], project: Path = ROOT) -> None:
    """collectstatic into `root` (hashed names, gzip and Brotli copies)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=project, env={**os.environ, **env, "STATIC_ROOT": str(root)}, check=True)


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> dict[int, float]:
        """Each worker's peak resident memory so far (VmHWM), in MB."""
        peaks = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        return peaks


@contextmanager
def gunicorn_serving(*, app: str, env: dict[str, str], project: Path = ROOT,
                     workers: int = PRODUCTION_WORKERS, ready_path: str = "/",
                     timeout: float = 60, options: Sequence[str] = ()) -> Iterator[Server]:
    """`options` are more of gunicorn's, e.g. the site's own configuration
    (`-c python:roochi_site.gunicorn_conf`, as `make run` serves)."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning", *options],
        cwd=project, env={**os.environ, **env})
    server = Server(url=f"http://127.0.0.1:{port}", process=process)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            try:
                with urllib.request.urlopen(server.url + ready_path, timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        while len(server.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
