-- GET the URL given to wrk, each connection with its own access token (its line), or with
-- none when the line is "-". No request() function: wrk builds the request once per
-- connection and reuses it, the cheapest load it can generate.
local bench = require("bench")
bench.install()

local shared_init = init
function init(args)
  shared_init(args)
  if line ~= "-" then wrk.headers["Authorization"] = "Bearer " .. line end
end
