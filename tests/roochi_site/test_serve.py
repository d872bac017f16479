"""`make run`: one command serves the site, says what went wrong in one line, outlives
a crashed child and a database outage, and Ctrl-C stops everything, the embedded
database included."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from roochi_site import serve as runner

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
    data = urllib.parse.urlencode({"username": "bootstrap", "password": password,
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


def children_of(process: subprocess.Popen) -> dict[int, str]:
    """The run's children: process id and command line."""
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    found = {}
    for pid in path.read_text().split():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue  # it just ended
        found[int(pid)] = command.replace(b"\0", b" ").decode()
    return found


def task_worker_pid(process: subprocess.Popen, *, other_than: int | None = None,
                    seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = [pid for pid, command in children_of(process).items()
                if "task_worker" in command and pid != other_than]
        if pids:
            return pids[0]
        time.sleep(0.1)
    pytest.fail("no task worker is running")


class Messages:
    """What the run writes to its standard error, read as it comes, so that a test
    waits for a line with a deadline."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.lines.extend, args=(process.stderr,),
                                       daemon=True)
        self.reader.start()

    def wait_for(self, text: str, seconds: float = 30, *, times: int = 1) -> float:
        """Seconds it took for ``times`` lines holding ``text`` to be written."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if sum(text in line for line in list(self.lines)) >= times:
                return time.monotonic() - started
            time.sleep(0.05)
        pytest.fail(f"after {seconds} s, no {text!r} in: {''.join(self.lines)}")

    def text(self) -> str:
        self.reader.join(timeout=10)
        return "".join(self.lines)


@pytest.fixture
def pgdata():
    """A data folder the embedded server's own system user can reach (pytest's
    tmp_path lies in a folder only root may enter)."""
    folder = Path(tempfile.mkdtemp(prefix="roochi-serve-"))
    folder.chmod(0o755)
    yield folder / "pgdata"
    shutil.rmtree(folder, ignore_errors=True)


def test_make_run_serves_the_site_restarts_a_child_that_died_and_ctrl_c_stops_all(pgdata):
    port = free_port()

    first = serve(port, pgdata)
    banner = read_until(first, "Ctrl-C stops everything")
    assert f"Site:  http://127.0.0.1:{port}/" in banner
    assert f"Admin: http://127.0.0.1:{port}/admin/" in banner
    password = re.search(r"Bootstrap account: bootstrap / (\S+)", banner).group(1)
    assert b"Roochi Traders" in wait_for_site(port, first)
    assert "Create the first staff account" in admin_login(port, password)
    # The address the site gives of itself follows the port it serves.
    for path in ["robots.txt", ".well-known/security.txt", "sitemap.xml"]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as answer:
            text = answer.read().decode()
        assert f"http://127.0.0.1:{port}/" in text, path
        assert "127.0.0.1:8000" not in text, path

    _out, err = interrupt(first)
    assert first.returncode == 0, err
    assert not (pgdata / "postmaster.pid").exists(), err
    assert "Traceback" not in err
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # nothing listens any more

    second = serve(port, pgdata)
    messages = Messages(second)
    banner = read_until(second, "Ctrl-C stops everything")
    assert "Bootstrap account" not in banner, "the data (and the account) did not survive"
    wait_for_site(port, second)
    assert "Create the first staff account" in admin_login(port, password)

    # A child that dies is started again; the site never stopped.
    killed = task_worker_pid(second)
    os.kill(killed, signal.SIGKILL)
    messages.wait_for("The task worker stopped (exit code -9); starting it again in")
    task_worker_pid(second, other_than=killed)
    messages.wait_for("Starting worker", times=2)  # the new one is up and polling
    assert second.poll() is None
    wait_for_site(port, second)

    os.killpg(second.pid, signal.SIGINT)
    second.wait(timeout=60)
    err = messages.text()
    second.stdout.close()
    second.stderr.close()
    assert second.returncode == 0, err
    assert "Traceback" not in err
    assert not (pgdata / "postmaster.pid").exists(), err


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


def child(name: str, code: str) -> runner.Child:
    return runner.Child(name, [sys.executable, "-c", code])


def test_a_child_that_keeps_stopping_right_away_ends_the_run(monkeypatch, capsys):
    monkeypatch.setattr(runner, "RESTART_DELAYS", [0.05])
    stays = child("web server", "import time; time.sleep(60)")
    stops = child("task worker", "raise SystemExit(3)")
    stop_signals: list[int] = []
    deadline = threading.Timer(30, stop_signals.append, [signal.SIGTERM])  # never hang
    deadline.start()
    try:
        assert runner.supervise([stays, stops], stop_signals) == 1
    finally:
        deadline.cancel()
        runner.stop_children([stays.process, stops.process])
    err = capsys.readouterr().err
    assert err.count("The task worker stopped (exit code 3); starting it again") == 4
    assert ("error: the task worker stopped right after starting 5 times in a row "
            "(exit code 3)") in err
    assert "web server" not in err


def test_a_child_that_ran_for_a_while_is_always_started_again(monkeypatch, capsys):
    monkeypatch.setattr(runner, "RESTART_DELAYS", [0.05])
    monkeypatch.setattr(runner, "QUICK_STOP_SECONDS", 0.2)
    stop_signals: list[int] = []
    worker = child("task worker", "import time; time.sleep(0.3)")
    starts = []
    original_start = runner.Child.start

    def start(self):
        starts.append(self.name)
        if len(starts) > runner.QUICK_STOPS_ALLOWED + 2:
            stop_signals.append(signal.SIGINT)
        original_start(self)

    monkeypatch.setattr(runner.Child, "start", start)
    try:
        assert runner.supervise([worker], stop_signals) == 0
    finally:
        runner.stop_children([worker.process])
    assert len(starts) > runner.QUICK_STOPS_ALLOWED + 2
    assert "error:" not in capsys.readouterr().err
