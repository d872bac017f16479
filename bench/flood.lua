-- wrk script for a flood: one client posting the prepared bodies over and over (valid
-- ones and spam), as a bot would. Arguments after `--`: the file of bodies.
-- Answers under 400 count as accepted: a refused post answers 400.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do table.insert(bodies, line) end
  next_body, accepted, refused = 1, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status < 400 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local accepted_all, refused_all = 0, 0
  for _, thread in ipairs(threads) do
    accepted_all = accepted_all + thread:get("accepted")
    refused_all = refused_all + thread:get("refused")
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"errors": %d, "bad_status": %d, "sent": %d, "answered": %d, "accepted": %d, ' ..
    '"exhausted": 0}\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests, accepted_all + refused_all, accepted_all))
end
