-- wrk script for benches/load.sh: POST /api/track with realistic ~1 KB track events (the same
-- shape as benches/engine.rs), 100 distinct bodies so identities and notes vary.
local bodies = {}
local n = 0

local template = [[{"app_id":"11","identity":"customer-%d@example.com","event":"Checkout Completed",]]
  .. [["timestamp":"2026-11-29T10:15:00.000Z","session_id":"5849260383614712","idempotency_key":"evt-%08d",]]
  .. [["properties":{"order_id":"ORD-2024-%06d","total":129.9,"currency":"EUR","items":3,"coupon":"WINTER25",]]
  .. [["payment_method":"card","shipping_method":"express","page_title":"Checkout - Step 3 of 3 | Example Shop",]]
  .. [["page_path":"/checkout/confirm","referrer":"https://www.example.com/cart?utm_source=newsletter&utm_medium=email",]]
  .. [["search_term":"waterproof hiking boots size 42",]]
  .. [["note":"Please leave the parcel with the neighbour at number 12 if nobody is home.",]]
  .. [["support_message":"Contact me at jane.doe%d@example.com about the delivery window",]]
  .. [["app_version":"4.17.21","build":"2026.11.2","experiment":"checkout-v2","variant":"B",]]
  .. [["device_model":"iPhone14,3","locale":"de-DE","viewport":"390x844","latency_ms":182,]]
  .. [["first_purchase":false,"loyalty_tier":"gold","api_token":"sk_live_51HxQ2eZvKYlo2C9"}}]]

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
