-- The conversions API under load: each request a new order (a thread's own
-- numbering, so no two collide), sent as a shop's backend would. Prints the
-- 95th latency percentile like p95.lua.
local counter = 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"order_id":"BENCH-%d-%d-%d","amount":"49.90","currency":"USD","occurred_at":"2026-12-01T10:00:00Z"}',
    os.time(), id, counter)
  return wrk.format("POST", "/api/v1/conversions", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_API_TOKEN"),
  }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
