-- wrk script: PUT answer saves rotating over many learners, attempts and slots.
-- Usage: BENCH_SAVES=bench/.run/saves.tsv wrk -t2 -c64 -d20s -s bench/save.lua http://127.0.0.1:8901
-- Each line of the TSV: path, session cookie, CSRF secret, response JSON.
-- Thread i takes the lines with index % threads == i, so every slot belongs to one
-- thread and its seq only grows: every request is a real write (saved: true).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("BENCH_SAVES")
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  entries = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then
      local p, session, csrf, response = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
      table.insert(entries, {
        path = p,
        headers = {
          ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf,
          ["X-CSRFToken"] = csrf,
          ["Content-Type"] = "application/json",
        },
        response = response,
      })
    end
    i = i + 1
  end
  n = 0
  -- Above every seq an earlier run sent (runs are seconds apart and a run makes
  -- fewer passes than it lasts seconds), so every save of every run is a real write.
  seq = os.time()
  statuses = {}
  unsaved = 0
end

function request()
  n = n + 1
  if n > #entries then
    n = 1
    seq = seq + 1
  end
  local e = entries[n]
  return wrk.format("PUT", e.path, e.headers, '{"response":' .. e.response .. ',"seq":' .. seq .. '}')
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 and not body:find('"saved":true', 1, true) then
    unsaved = unsaved + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("BENCH_JSON {\"requests\":%d,\"duration_us\":%d,\"rps\":%.1f,", summary.requests,
    summary.duration, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  local unsaved = 0
  for _, t in ipairs(threads) do
    unsaved = unsaved + t:get("unsaved")
  end
  io.write(string.format("\"unsaved\":%d,", unsaved))
  local e = summary.errors
  io.write(string.format("\"errors\":{\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}}\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
