-- POST /v1/progress at a set pace: each connection sends a new submission, then waits.
-- With C connections and a pause of P ms, the rate is about C * 1000 / P a second while
-- answers take much less than P. Arguments: token, task, pause in ms.
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  token = args[1]
  task = args[2]
  pause = tonumber(args[3])
  counter = 0
  run = tostring(os.time())
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"submission_id":"paced-%s-%d-%d","task":"%s","period":"2026-10","progress":60,"status":"in_progress","summary":"wrk"}',
    run, thread_id, counter, task)
  return wrk.format("POST", "/v1/progress", headers, body)
end
