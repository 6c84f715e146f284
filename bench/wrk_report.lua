-- Driven by bench/load.py. Cycles through the paths listed in the file named by $BENCH_PATHS
-- and prints one line of JSON with the counts and latency percentiles.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then
    paths[#paths + 1] = line
  end
end
local next_path = 0

function request()
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, '
      .. '"status_errors": %d, "p50_us": %d, "p95_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency.max
  ))
end
