"""The reverse proxy of README.md (deploy/roochi-proxy.conf, as it is), run for real:
Debian's nginx on loopback in front of a gunicorn that one slow client alone would
stall (one sync worker, one thread). Ten slow clients meet nginx, which answers
another visitor at once while they are still open and cuts them off at its deadline."""

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bench.server import free_port, gunicorn_serving
from bench.slow_clients import SLOW_CLIENTS, slow_clients_open
from tests.quality.conftest import database_url_of_tests
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")
ROOT = Path(__file__).resolve().parents[2]
PROXY_CONF = ROOT / "deploy" / "roochi-proxy.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# roochi-proxy.conf's client_header_timeout, and a little more.
HEADER_DEADLINE = 10 + 5


def nginx_conf(folder: Path, *, listen: int, upstream: int) -> Path:
    """Around the tested file, what a machine's nginx.conf has (deploy/nginx.conf),
    on loopback without TLS, everything in the test's folder."""
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    conf = folder / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    upstream roochi_site {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{listen};
        include {PROXY_CONF};
    }}
}}
""")
    return conf


@pytest.fixture
def proxied_site(collected_static, tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed for the reverse-proxy test: run `make test` "
                    "(Debian: sudo apt-get install nginx-light)")
    env = {"DJANGO_HTTPS": "false", "STATIC_ROOT": str(collected_static),
           "DATABASE_URL": database_url_of_tests(), "LOG_LEVEL": "WARNING"}
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=1, ready_path="/robots.txt",
                          options=["--worker-class", "sync", "--threads", "1"]) as site:
        port = free_port()
        conf = nginx_conf(tmp_path, listen=port, upstream=int(site.url.rsplit(":", 1)[1]))
        subprocess.run([NGINX, "-t", "-c", str(conf)], check=True, capture_output=True)
        nginx = subprocess.Popen([NGINX, "-c", str(conf)])
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: answered(url + "/robots.txt"), 20, "nginx does not answer")
            yield url, site.url
        finally:
            nginx.terminate()
            nginx.wait(timeout=20)


def answered(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            response.read()
            return response.status == 200
    except OSError:
        return False


def test_ten_slow_clients_meet_the_proxy_and_never_the_site(proxied_site):
    proxy, _site = proxied_site
    with slow_clients_open(proxy, SLOW_CLIENTS) as clients:
        assert clients.still_open() == SLOW_CLIENTS
        started = time.monotonic()
        for path in ["/", "/privacy/", "/information-request/"] * 3:
            assert answered(proxy + path)
        assert time.monotonic() - started < 5
        assert clients.still_open() == SLOW_CLIENTS
        # nginx ends them at its header deadline, however often they send a line.
        wait_until(lambda: clients.still_open() == 0, HEADER_DEADLINE, "slow clients still open")


def test_without_the_proxy_one_slow_client_stalls_that_site(proxied_site):
    """The control: the same gunicorn, reached directly, is stalled by one."""
    _proxy, site = proxied_site
    with slow_clients_open(site, 1):
        assert not answered(site + "/robots.txt")
