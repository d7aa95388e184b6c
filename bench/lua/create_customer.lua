-- POST /customers with a label unique to this run, thread and request: the API answers
-- 409 to a label whose slug already exists, so a constant body would measure conflicts.
-- Usage: wrk -s create_customer.lua http://host:port/customers -- <run-tag>

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

local run_tag = "bench"
local sent = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  if args[1] ~= nil then
    run_tag = args[1]
  end
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"label":"Load %s t%d n%d","allowed_statuses":[{"status":"Open","category":"PENDING"}]}',
    run_tag, thread_number, sent
  )
  return wrk.format("POST", nil, headers, body)
end
