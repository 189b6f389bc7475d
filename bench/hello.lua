-- wrk script for the ceiling: GET the benchmark-only hello-world view; prints the
-- same BENCH_JSON summary line as save.lua.
function done(summary, latency, requests)
  io.write(string.format("BENCH_JSON {\"requests\":%d,\"duration_us\":%d,\"rps\":%.1f,", summary.requests,
    summary.duration, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  local e = summary.errors
  io.write(string.format("\"errors\":{\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}}\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
