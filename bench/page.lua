-- wrk script for a page: GET the URL given to wrk; print a summary line as JSON.
function done(summary, latency, requests)
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"errors": %d, "bad_status": %d, "sent": 0, "answered": 0, ' ..
    '"accepted": 0, "exhausted": 0}\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
