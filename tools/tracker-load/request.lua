-- wrk script for tools/tracker-load.sh: announce or scrape against an HTTP tracker.
-- Usage: wrk ... -s request.lua URL -- MODE HASHFILE [close]
--   MODE announce: every request a new peer (peer_id and port vary per request and per thread), swarms in turn
--   MODE scrape:   one info_hash per request, swarms in turn
--   close:         send "Connection: close" on every request (a TCP connect per request)
-- Prints one line "JSON {...}" with the figures when done.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local mode, hashes, counter

function init(args)
  mode = args[1]
  hashes = {}
  for line in io.lines(args[2]) do
    if #line == 40 then
      table.insert(hashes, (line:gsub("..", function(h) return "%" .. h end)))
    end
  end
  if args[3] == "close" then
    wrk.headers["Connection"] = "close"
  end
  counter = 0
end

function request()
  counter = counter + 1
  local hash = hashes[(counter % #hashes) + 1]
  if mode == "scrape" then
    return wrk.format("GET", "/scrape?info_hash=" .. hash)
  end
  local n = counter * 2 + thread_id
  local peer_id = string.format("-WK0001-%012d", n)
  local port = 1024 + (math.floor(n / #hashes) % 64000)
  return wrk.format("GET", "/announce?info_hash=" .. hash .. "&peer_id=" .. peer_id .. "&port=" .. port ..
    "&uploaded=0&downloaded=0&left=1000&numwant=50&compact=1&event=started")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"requests_per_s":%.1f,"latency_p50_us":%d,"latency_p90_us":%d,' ..
    '"latency_p99_us":%d,"latency_max_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
