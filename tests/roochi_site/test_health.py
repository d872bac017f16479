"""/health/ for the load balancer: "ok" or "unavailable" to anyone, details only with
the bearer token; no cookie, never cached; each state it reports, made for real."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bench.server import gunicorn_serving
from communications.health import worker_heartbeat_write
from communications.models import OutboundMail, WorkerHeartbeat
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "health-token-for-tests-0123456789"


@pytest.fixture
def healthy(db, settings):
    settings.HEALTH_TOKEN = TOKEN
    worker_heartbeat_write()


def details(client) -> tuple[int, dict]:
    response = client.get("/health/", headers={"Authorization": f"Bearer {TOKEN}"})
    return response.status_code, json.loads(response.content)


def assert_public_answer(response, status: int, body: str) -> None:
    assert response.status_code == status
    assert response.content.decode() == body
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("healthy")
def test_a_healthy_site_says_ok_and_nothing_more(client):
    assert_public_answer(client.get("/health/"), 200, "ok\n")
    head = client.head("/health/")
    assert head.status_code == 200
    assert head.content == b""
    same_site = {"Sec-Fetch-Site": "same-origin"}
    assert client.post("/health/", headers=same_site).status_code == 405


@pytest.mark.usefixtures("healthy")
def test_the_token_shows_every_check(client):
    status, report = details(client)
    assert status == 200
    assert report["status"] == "ok"
    assert report["checks"]["database"] == {"ok": True}
    assert report["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert report["checks"]["task_worker"]["ok"] is True
    assert report["checks"]["task_worker"]["last_heartbeat_seconds_ago"] <= 1
    assert report["checks"]["outbox"] == {"ok": True, "queued": 0, "overdue": 0}


@pytest.mark.usefixtures("healthy")
@pytest.mark.parametrize("authorization", [
    f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "])
def test_a_wrong_token_sees_what_a_stranger_sees(client, authorization):
    response = client.get("/health/", headers={"Authorization": authorization})
    assert_public_answer(response, 200, "ok\n")


@pytest.mark.usefixtures("healthy")
def test_without_a_configured_token_nobody_sees_details(client, settings):
    settings.HEALTH_TOKEN = ""
    response = client.get("/health/", headers={"Authorization": "Bearer "})
    assert_public_answer(response, 200, "ok\n")


@pytest.mark.usefixtures("healthy")
def test_unapplied_migrations_take_the_server_out(client):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'communications' "
                       "AND name = '0005_worker_heartbeat'")
    assert_public_answer(client.get("/health/"), 503, "unavailable\n")
    status, report = details(client)
    assert status == 503
    assert report["status"] == "unavailable"
    assert report["checks"]["migrations"] == {"ok": False, "unapplied": 1}


@pytest.mark.usefixtures("healthy")
def test_a_stale_heartbeat_is_reported_without_taking_the_server_out(client, settings):
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(
        seconds=settings.HEALTH_WORKER_HEARTBEAT_MAX_SECONDS + 5))
    assert_public_answer(client.get("/health/"), 200, "ok\n")
    status, report = details(client)
    assert (status, report["status"]) == (200, "degraded")
    assert report["checks"]["task_worker"]["ok"] is False
    assert report["checks"]["task_worker"]["last_heartbeat_seconds_ago"] >= (
        settings.HEALTH_WORKER_HEARTBEAT_MAX_SECONDS + 5)


@pytest.mark.usefixtures("healthy")
def test_no_heartbeat_ever_is_reported(client):
    WorkerHeartbeat.objects.all().delete()
    _status, report = details(client)
    assert report["checks"]["task_worker"] == {"ok": False, "last_heartbeat_seconds_ago": None}


def queued_mail(minutes_ago: int, **fields) -> OutboundMail:
    mail = OutboundMail.objects.create(to="someone@example.com", subject="Hello", body="Hi",
                                       category=OutboundMail.Category.REPLY,
                                       purpose="inquiry-ack", **fields)
    OutboundMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return mail


@pytest.mark.usefixtures("healthy")
def test_mail_waiting_too_long_for_its_first_attempt_is_a_backlog(client, settings):
    wait = settings.HEALTH_OUTBOX_WAIT_MINUTES
    for _ in range(3):
        queued_mail(wait + 1)
    queued_mail(wait - 1)  # a worker may not have reached it yet
    queued_mail(wait + 30, attempts=1, last_error="refused")  # waits for its retry
    queued_mail(wait + 30, status=OutboundMail.Status.SENT)
    status, report = details(client)
    assert (status, report["status"]) == (200, "degraded")
    assert report["checks"]["outbox"] == {"ok": False, "queued": 5, "overdue": 3}


@pytest.mark.usefixtures("committed_db")
def test_the_task_worker_writes_its_heartbeat(settings):
    from tests.quality.conftest import database_url_of_tests

    env = {**os.environ, "DJANGO_HTTPS": "false", "DATABASE_URL": database_url_of_tests()}
    worker = subprocess.Popen([sys.executable, "manage.py", "task_worker"], cwd=ROOT, env=env)
    try:
        beat = wait_until(WorkerHeartbeat.objects.first, 30, "no heartbeat")
        assert timezone.now() - beat.beat_at < timedelta(seconds=30)
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def answer(url: str, token: str = "") -> tuple[int, str, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url + "/health/", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(), dict(error.headers)


def test_a_database_outage_takes_the_server_out(throwaway_postgres):
    env = {"DJANGO_HTTPS": "false", "DATABASE_URL": throwaway_postgres.url,
           "HEALTH_TOKEN": TOKEN, "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, timeout=120)
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=1,
                          ready_path="/robots.txt") as server:
        assert answer(server.url)[:2] == (200, "ok\n")
        throwaway_postgres.stop()
        status, body, headers = answer(server.url)
        assert (status, body) == (503, "unavailable\n")
        assert "Set-Cookie" not in headers
        status, body, _headers = answer(server.url, TOKEN)
        report = json.loads(body)
        assert (status, report["status"]) == (503, "unavailable")
        assert report["checks"]["database"] == {"ok": False, "error": "OperationalError"}
        assert report["checks"]["outbox"] == {"ok": False, "not_run": "no database"}
        throwaway_postgres.start()
        wait_until(lambda: answer(server.url)[0] == 200, 30, "still unavailable")
