-- wrk script: each request gives one acknowledgment from the load file written by
-- `charter demo --ack-load-people N --ack-load-campaigns M --ack-load-out FILE`
-- (lines "<token> <campaign id> <version id>"). Each wrk thread takes every n-th line, so no
-- acknowledgment is given twice while the file lasts.
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

function init(args)
  local path = os.getenv("ACK_LOAD")
  local threads = tonumber(os.getenv("WRK_THREADS") or "2")
  local all = {}
  for line in io.lines(path) do
    all[#all + 1] = line
  end
  lines = {}
  for i = thread_number, #all, threads do
    lines[#lines + 1] = all[i]
  end
  index = 0
end

function request()
  index = index + 1
  local line = lines[((index - 1) % #lines) + 1]
  local token, campaign, version = line:match("(%S+) (%S+) (%S+)")
  return wrk.format("POST", "/api/v1/campaigns/" .. campaign .. "/acknowledgments",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"version_id":"' .. version .. '"}')
end
