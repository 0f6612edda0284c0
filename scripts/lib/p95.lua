-- wrk prints the 50th, 75th, 90th and 99th latency percentiles; discovery's
-- target is on the 95th, so print it too (in microseconds).
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
