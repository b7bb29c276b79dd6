-- Shared by the benchmark scripts. wrk runs with as many threads as connections (-t N -c N),
-- so a thread's state is one connection's state: its own token, its own counter.
-- Arguments (after --): a file with one line per connection (token or tag), and optionally a
-- per-connection rate in requests/s (paced runs); 0 or absent means as fast as answers come.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]

local bench = {}
local threads = {}

function bench.setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function lines(path)
  local found = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(found, line) end
  end
  return found
end

-- Called in each thread's own Lua state: globals set here belong to that connection.
function bench.init(args)
  local mine = lines(args[1])
  line = mine[(id % #mine) + 1]
  sent, non2xx, statuses = 0, 0, {}
  local rate = tonumber(args[2] or "0")
  -- wrk pays a timer per request once delay() exists, so only paced runs define it.
  if rate > 0 then
    interval_ms = 1000 / rate
    delay = bench.delay
  end
end

function bench.response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

local clock = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

-- Paced runs follow a schedule, not the answers: a late request is sent at once and the
-- schedule keeps its beat, so the achieved rate stays the asked one while the server keeps up.
function bench.delay()
  local now = now_ms()
  -- Connections start spread over one interval instead of all at the same instant.
  next_at = next_at or (now + interval_ms * (id % 97) / 97)
  local wait = next_at - now
  next_at = next_at + interval_ms
  return wait > 0 and math.floor(wait) or 0
end

function bench.done(summary, latency, requests)
  local failed, by_status = 0, {}
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("non2xx")
    for status, n in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(by_status) do table.insert(parts, string.format('"%d": %d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "non2xx": %d, "statuses": {%s}, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, failed, table.concat(parts, ", "), e.connect + e.read + e.write + e.timeout))
end

-- Install the shared hooks as the globals wrk looks for; a script then adds request().
function bench.install()
  setup, init, response, done = bench.setup, bench.init, bench.response, bench.done
end

return bench
