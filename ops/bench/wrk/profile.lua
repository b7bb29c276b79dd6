-- PUT /api/auth/user/profile, each connection as its own user (its line: an access token).
-- The name changes on every request: an unchanged profile saves nothing.
local bench = require("bench")
bench.install()

function request()
  sent = sent + 1
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. line }
  local body = string.format('{"name": "Bench %d-%d"}', id, sent)
  return wrk.format("PUT", "/api/auth/user/profile", headers, body)
end
