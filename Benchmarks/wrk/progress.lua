-- POST /v1/progress with a new submission_id each time, so every request is accepted (202).
-- Arguments: the bearer token and a task id the token may report on (status in_progress).
-- progress-paced.lua runs these same requests at a set pace.
id_prefix = id_prefix or "bench"
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  token = args[1]
  task = args[2]
  counter = 0
  run = tostring(os.time())
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"submission_id":"%s-%s-%d-%d","task":"%s","period":"2026-10","progress":60,"status":"in_progress","summary":"wrk"}',
    id_prefix, run, thread_id, counter, task)
  return wrk.format("POST", "/v1/progress", headers, body)
end
