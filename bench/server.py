"""Serving a Django project the way production does (README.md, Deploying): static
files collected with hashed, compressed names, gunicorn with the same worker count,
debug off, and the reverse proxy of deploy/ in front when asked. Used by `make bench`
and by the page-weight, reverse-proxy and two-servers tests."""

import os
import shutil
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
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


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


def answering_wait(process: subprocess.Popen, url: str, *, deadline: float) -> None:
    """Until `url` answers with success; raise when `process` exits or time is up."""
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def gunicorn_serving(**serving) -> Iterator[Server]:
    """One gunicorn; `serving` as gunicorns_serving's."""
    with gunicorns_serving(1, **serving) as (server,):
        yield server


@contextmanager
def gunicorns_serving(count: int, *, app: str, env: dict[str, str], project: Path = ROOT,
                      workers: int = PRODUCTION_WORKERS, ready_path: str = "/",
                      timeout: float = 60,
                      options: Sequence[str] = ()) -> Iterator[list[Server]]:
    """`count` separate gunicorns (as on as many machines), started side by side and
    stopped side by side, each booting while the others do. `options` are more of
    gunicorn's, e.g. the site's own configuration (`-c python:roochi_site.gunicorn_conf`,
    as `make run` serves)."""
    servers = []
    try:
        for _ in range(count):
            port = free_port()
            process = subprocess.Popen(
                [str(GUNICORN), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                 "--log-level", "warning", *options],
                cwd=project, env={**os.environ, **env})
            servers.append(Server(url=f"http://127.0.0.1:{port}", process=process))
        deadline = time.monotonic() + timeout
        for server in servers:
            answering_wait(server.process, server.url + ready_path, deadline=deadline)
            while len(server.worker_pids()) < workers and time.monotonic() < deadline:
                time.sleep(0.1)
        yield servers
    finally:
        for server in servers:
            server.process.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def nginx_conf(folder: Path, *, listen: int, upstream: int,
               client_named_in_header: bool = False) -> Path:
    """Around deploy/'s two tested files, as they are, what a machine's nginx.conf has
    (deploy/nginx.conf), on loopback without TLS, everything in `folder`.
    `client_named_in_header`: every client connects from 127.0.0.1, so a bench names
    its clients in X-Forwarded-For, which nginx then takes as the client's address (as
    behind a load balancer); never on a proxy that visitors reach directly."""
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    real_ip = ("set_real_ip_from 127.0.0.1; real_ip_header X-Forwarded-For;"
               if client_named_in_header else "")
    conf = folder / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {DEPLOY / "roochi-limits.conf"};
    upstream roochi_site {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{listen};
        {real_ip}
        include {DEPLOY / "roochi-proxy.conf"};
    }}
}}
""")
    return conf


@contextmanager
def nginx_serving(site: Server, folder: Path, *, client_named_in_header: bool = False,
                  timeout: float = 20) -> Iterator[str]:
    """Debian's nginx with deploy/'s configuration in front of `site`; its URL."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is needed: `make nginx` (Debian: apt-get install nginx-light)")
    port = free_port()
    conf = nginx_conf(folder, listen=port, upstream=int(site.url.rsplit(":", 1)[1]),
                      client_named_in_header=client_named_in_header)
    subprocess.run([NGINX, "-t", "-c", str(conf)], check=True, capture_output=True)
    process = subprocess.Popen([NGINX, "-c", str(conf)])
    url = f"http://127.0.0.1:{port}"
    try:
        answering_wait(process, url + "/robots.txt", deadline=time.monotonic() + timeout)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
