-- login.lua - wrk script for `make bench`: every request is a full login,
-- POST /inloggen with the pre-login CSRF pair (form field csrf equal to the
-- kp_csrf cookie, 43 characters of base64url). wrk keeps no cookies, so each
-- request starts without a session and costs one Argon2id verification.
--
--   wrk -t2 -c8 -d20s -s bench/login.lua URL -- EMAILS PASSWORD [CSRF]
--
-- EMAILS is one address or several separated by commas (all with the same
-- password); the requests take them in turn.
--
-- A successful login answers 303. A wrong password answers 200 (the form
-- again) and the brake answers 429; wrk's own "Non-2xx or 3xx" count misses
-- the 200s, so done() prints every status seen, the requests that did not
-- log in, and the successful logins per second:
--   login status 303: 1234
--   login not-303: 0
--   login ok/s: 61.70

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end))
end

local threads = {}

function setup(thread)
    thread:set("offset", #threads)
    table.insert(threads, thread)
end

local requests = {}
local turn = 0

function init(args)
    local emails, password, csrf = args[1], args[2], args[3]
    if not emails or not password then
        error("login.lua: pass EMAILS PASSWORD [CSRF] after --")
    end
    -- any 43 characters of base64url will do; the server only compares
    csrf = csrf or string.rep("benchCsrf0", 5):sub(1, 43)
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["Cookie"] = "kp_csrf=" .. csrf
    for email in emails:gmatch("[^,]+") do
        local body = "csrf=" .. urlencode(csrf) .. "&gebruikersnaam=" .. urlencode(email) ..
            "&wachtwoord=" .. urlencode(password)
        table.insert(requests, wrk.format(nil, nil, nil, body))
    end
    turn = offset or 0
    statuses = {}
end

function request()
    turn = turn % #requests + 1
    return requests[turn]
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, reqs)
    local total, other, ok = {}, 0, 0
    for _, t in ipairs(threads) do
        local s = t:get("statuses")
        if s then
            for status, n in pairs(s) do
                total[status] = (total[status] or 0) + n
            end
        end
    end
    local keys = {}
    for status in pairs(total) do table.insert(keys, status) end
    table.sort(keys)
    for _, status in ipairs(keys) do
        io.write(string.format("login status %d: %d\n", status, total[status]))
        if status == 303 then ok = total[status] else other = other + total[status] end
    end
    io.write(string.format("login not-303: %d\n", other))
    io.write(string.format("login ok/s: %.2f\n", ok / (summary.duration / 1e6)))
end
