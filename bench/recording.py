"""What recording a page view costs a request (issue 14: under a millisecond at the
median), measured alone: the statistics middleware around a page that is already
rendered, called with recording on and off in turns, each call timed. Runs in a
child process with the bench's settings; prints one JSON line.

    python -m bench.recording
"""

import json
import statistics
import time

CALLS = 20_000
ROUND = 1_000


def median_call_us() -> dict[str, float]:
    import django

    django.setup()
    from django.conf import settings
    from django.http import HttpResponse
    from django.test import RequestFactory

    from bench.run import BROWSER
    from sitestats import recorder
    from sitestats.middleware import PageViewMiddleware

    page = HttpResponse("<!doctype html><title>Home</title>")
    request = RequestFactory().get("/", headers={"user-agent": BROWSER,
                                                 "referer": "https://example.org/"})
    middleware = PageViewMiddleware(lambda request: page)
    timings: dict[bool, list[int]] = {True: [], False: []}
    for _ in range(CALLS // ROUND):
        for enabled in (True, False):
            settings.SITESTATS_ENABLED = enabled
            for _ in range(ROUND):
                start = time.perf_counter_ns()
                middleware(request)
                timings[enabled].append(time.perf_counter_ns() - start)
        recorder._buffer.clear()  # what the writer would have taken
    on, off = (statistics.median(timings[enabled]) / 1000 for enabled in (True, False))
    return {"on_us": on, "off_us": off, "cost_us": on - off}


if __name__ == "__main__":
    print(json.dumps(median_call_us()))  # noqa: T201
