-- POST /api/auth/user/register with an e-mail no request of any run has used
-- (its line: the run's tag; then the connection and a counter).
local bench = require("bench")
bench.install()

function request()
  sent = sent + 1
  local body = string.format(
    '{"email": "%s-%d-%d@example.com", "password": "a long bench password", "name": "Bench"}',
    line, id, sent)
  return wrk.format("POST", "/api/auth/user/register", { ["Content-Type"] = "application/json" }, body)
end
