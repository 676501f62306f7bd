-- POST /v1/progress at a set pace: each connection sends a new submission, then waits.
-- With C connections and a pause of P ms, the rate is about C * 1000 / P a second while
-- answers take much less than P. Arguments: token, task, pause in ms. The requests are
-- progress.lua's (run from the repository's root, as Benchmarks/desk-bench does); wrk asks
-- for delay() only in a script that defines it, so the saturation runs stay without one.
id_prefix = "paced"
dofile("Benchmarks/wrk/progress.lua")

local init_requests = init
function init(args)
  init_requests(args)
  pause = tonumber(args[3])
end

function delay()
  return pause
end
