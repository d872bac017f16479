-- wrk script for form submissions: POST each prepared body once (one fresh form token
-- each), split between the threads; a thread stops when its bodies run out.
-- Arguments after `--`: the file of bodies (one urlencoded body a line), the number of
-- threads, and "cycle" to post the bodies over and over instead (a flood, as a bot
-- sends it: bench/flood.py).
local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  local line_number = 0
  local total = tonumber(args[2])
  cycle = args[3] == "cycle"
  for line in io.lines(args[1]) do
    if line_number % total == id then table.insert(bodies, line) end
    line_number = line_number + 1
  end
  next_body, sent, answered, accepted, exhausted = 1, 0, 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
end

function request()
  if cycle and next_body > #bodies then next_body = 1 end
  if next_body > #bodies then
    exhausted = 1
    wrk.thread:stop()
    return wrk.format("GET", "/robots.txt", {}, nil)
  end
  local body = bodies[next_body]
  next_body = next_body + 1
  sent = sent + 1
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status < 400 then accepted = accepted + 1 end
end

function done(summary, latency, requests)
  local sent_all, answered_all, accepted_all, exhausted_all = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    sent_all = sent_all + thread:get("sent")
    answered_all = answered_all + thread:get("answered")
    accepted_all = accepted_all + thread:get("accepted")
    exhausted_all = exhausted_all + thread:get("exhausted")
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"errors": %d, "bad_status": %d, "sent": %d, "answered": %d, "accepted": %d, ' ..
    '"exhausted": %d}\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, sent_all, answered_all, accepted_all, exhausted_all))
end
