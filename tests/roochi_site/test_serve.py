"""`make run`: one command serves the site, says what went wrong in one line, and
Ctrl-C stops everything, the embedded database included."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, pgdata: Path) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["EMBEDDED_PGDATA"] = str(pgdata)
    return subprocess.Popen(
        [sys.executable, "-m", "roochi_site.serve", "--port", str(port)],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )


def wait_for_site(port: int, process: subprocess.Popen, seconds: float = 90) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.5)
    pytest.fail("the site did not answer")


def interrupt(process: subprocess.Popen) -> tuple[str, str]:
    """What a terminal's Ctrl-C does: SIGINT to the whole foreground group."""
    os.killpg(process.pid, signal.SIGINT)
    return process.communicate(timeout=60)


def admin_login(port: int, password: str) -> str:
    """Sign in to the admin as a person would; the page reached after it."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    login = f"http://127.0.0.1:{port}/admin/login/?next=/admin/"
    form = opener.open(login, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": "admin", "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})
    return opener.open(request, timeout=10).read().decode()


def read_until(process: subprocess.Popen, marker: str) -> str:
    """What the run printed, up to the line holding the marker."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if marker in line:
            return "".join(lines)
    pytest.fail(f"the run ended without printing {marker!r}: {''.join(lines)}")


@pytest.fixture
def pgdata():
    """A data folder the embedded server's own system user can reach (pytest's
    tmp_path lies in a folder only root may enter)."""
    folder = Path(tempfile.mkdtemp(prefix="roochi-serve-"))
    folder.chmod(0o755)
    yield folder / "pgdata"
    shutil.rmtree(folder, ignore_errors=True)


def test_make_run_serves_the_site_and_ctrl_c_stops_everything(pgdata):
    port = free_port()

    first = serve(port, pgdata)
    banner = read_until(first, "Ctrl-C stops everything")
    assert f"Site:  http://127.0.0.1:{port}/" in banner
    assert f"Admin: http://127.0.0.1:{port}/admin/" in banner
    password = re.search(r"First admin account: admin / (\S+)", banner).group(1)
    assert b"Roochi Traders" in wait_for_site(port, first)
    assert "Site administration" in admin_login(port, password)

    _out, err = interrupt(first)
    assert first.returncode == 0, err
    assert not (pgdata / "postmaster.pid").exists(), err
    assert "Traceback" not in err
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # nothing listens any more

    second = serve(port, pgdata)
    banner = read_until(second, "Ctrl-C stops everything")
    assert "First admin account" not in banner, "the data (and the account) did not survive"
    wait_for_site(port, second)
    assert "Site administration" in admin_login(port, password)
    interrupt(second)


def test_a_port_in_use_is_one_line_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = serve(taken.getsockname()[1], tmp_path / "pgdata")
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().splitlines() == [err.strip()]
    assert "is in use" in err
    assert "Traceback" not in err


def test_a_database_that_will_not_start_is_one_line_not_a_traceback(tmp_path):
    broken = tmp_path / "pgdata"
    broken.mkdir()
    (broken / "PG_VERSION").write_text("9\n")  # a data folder from another PostgreSQL
    process = serve(free_port(), broken)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.startswith("error: the embedded PostgreSQL")
    assert "Traceback" not in err
