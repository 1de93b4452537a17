-- wrk script: a new document every request. The file named by the first script argument holds one
-- JSON body per line, each with "__N__" in its names; request n sends body n modulo their count
-- with "__N__" replaced by n, counting from the second argument, so no two requests of a run (nor
-- of two runs given starts far enough apart) send the same document. At the end it prints one
-- JSON line (prefixed "RESULT "), as post.lua does.
local bodies = {}
local counter = 0

function init(args)
  local file = assert(io.open(args[1], "rb"))
  for line in file:lines() do
    bodies[#bodies + 1] = line
  end
  file:close()
  counter = tonumber(args[2])
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  local body = (bodies[(counter % #bodies) + 1]:gsub("__N__", tostring(counter)))
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
