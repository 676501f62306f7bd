-- The ceiling's POST: the same body size to a handler that only reads it and answers 202.
function request()
  return wrk.format("POST", "/", { ["Content-Type"] = "application/json" },
    '{"submission_id":"bench-0000000000-0-000000","task":"CEI2-HE-001","period":"2026-10","progress":60,"status":"in_progress","summary":"wrk"}')
end
