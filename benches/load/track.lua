-- wrk script for benches/load.sh: POST /api/track with realistic ~1 KB track events (the same
-- shape as benches/engine.rs), 100 distinct bodies so identities and notes vary (the template
-- is track_body.tpl, beside this file).
local bodies = {}
local n = 0

-- The body, with four %d-style fields per request number; shared with benches/instructions.sh.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local file = assert(io.open(here .. "track_body.tpl", "r"))
local template = file:read("*l")
file:close()

init = function(args)
  for i = 1, 100 do
    bodies[i] = string.format(template, i, i, i, i)
  end
end

-- Paced mode (benches/load.sh --pinned with PACED_RATE): each connection waits a random
-- pause, this many milliseconds on average (uniform from 0 to twice it), after an answer
-- before its next request, so the load is close to a fixed rate (connections / pause) while
-- answers are fast, and latency is measured at that rate rather than at saturation. Random,
-- so that the connections do not fall into step and arrive in bursts.
local pause = tonumber(os.getenv("WRK_PAUSE_MS") or "")
if pause and pause > 0 then
  math.randomseed(os.time())
  delay = function()
    return math.random(0, 2 * pause)
  end
end

request = function()
  n = n + 1
  return wrk.format("POST", "/api/track", { ["Content-Type"] = "application/json" }, bodies[(n % 100) + 1])
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  if errors > 0 then
    io.stderr:write(string.format("warning: %d errors (status %d, timeout %d)\n", errors,
      summary.errors.status, summary.errors.timeout))
  end
  io.write(string.format("RESULT %.1f %.3f %.3f %.3f %d %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, errors,
    summary.requests))
end
