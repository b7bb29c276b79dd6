-- POST /api/progress/update, each connection as its own learner in its own enrollment (its line:
-- "token enrollment module lesson"). Every request records a study session: one new event.
local bench = require("bench")
bench.install()

local shared_init = init
function init(args)
  shared_init(args)
  token, enrollment, module_id, lesson = line:match("(%S+) (%S+) (%S+) (%S+)")
end

function request()
  sent = sent + 1
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  -- Below completion, so the enrollment stays in progress however long the run.
  local body = string.format(
    '{"enrollmentId": "%s", "moduleId": "%s", "lessonId": "%s", "progress": %.2f, '
      .. '"timeSpent": 1, "positionSeconds": %d}',
    enrollment, module_id, lesson, (sent % 50) / 100, sent)
  return wrk.format("POST", "/api/progress/update", headers, body)
end
