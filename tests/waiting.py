"""Waiting for something another process does, with a deadline instead of a sleep."""

import time

import pytest


def wait_until(condition, seconds: float, what: str):
    """The first true value of ``condition()``, polled until ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    pytest.fail(f"after {seconds} s: {what}")
