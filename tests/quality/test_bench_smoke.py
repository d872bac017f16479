"""A small run of `make bench` (tiny data, one second a scenario, one worker), so that
the benchmark keeps working. Its numbers are not checked: the bench is not a test."""

import subprocess
import sys

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from bench.run import database_ensure
from bench.server import ROOT
from tests.quality.conftest import database_url_of_tests

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]


@pytest.fixture
def reference_database():
    url = database_ensure(database_url_of_tests(), "test_bench_reference")
    yield url
    server = make_conninfo(**{**conninfo_to_dict(url), "dbname": "postgres"})
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute('DROP DATABASE "test_bench_reference" WITH (FORCE)')


def test_the_benchmark_runs_both_sites_and_reports_every_measure(
        collected_static, reference_database):
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--database-url", database_url_of_tests(),
         "--reference-database-url", reference_database, "--static-root", str(collected_static)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    report = result.stdout
    for scenario in ["| Home page / | ", "| Home page / with visit statistics off | ",
                     "| Privacy policy /privacy/ | ", "| Home page / against a static file | ",
                     "| Privacy policy /privacy/ against a static file | "]:
        line = next(line for line in report.splitlines() if line.startswith(scenario))
        assert line.count("|") == 8, line
        assert "skipped" not in line
    for sender in ["an address each", "one address"]:
        row = f"| Form submissions POST /information-request/, {sender} |"
        line = next(line for line in report.splitlines() if line.startswith(row))
        assert line.count("|") == 8, line
        for site in ["ours", "reference"]:
            assert f"- Rows stored by {site}, {sender}: " in report
    assert "none lost, none duplicated" in report
    assert "LOST" not in report
    assert "Peak memory of each ours worker (MB): " in report
    assert "Peak memory of each reference worker (MB): " in report
    assert "CPU: " in report
    assert "- Visit statistics, home page in 3 turns each: " in report
    assert "- Recording a page view adds " in report
    assert "received by the sink: every recipient once" in report
    assert "- Home page / while it was sent: " in report
    assert "- Flood, reader (through the proxy): home page p99 " in report
    assert "- Flood, flooder: " in report
    assert "met the proxy's 429" in report
    assert "- Flood, cost of one post, each flooder alone for a moment: " in report
    assert "- Flood, a refusal against a success: " in report
    assert "(the hourly limit is 5): met" in report
    assert "- Flood, third client: 5 of 5 requests acknowledged, 5 stored: none lost" in report
    assert "- Slow clients: a reader of the home page with 10 connections open" in report


def test_the_benchmark_refuses_a_scenario_it_does_not_have():
    result = subprocess.run([sys.executable, "-m", "bench.run", "--only", "flood", "floods"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "invalid choice: 'floods'" in result.stderr
