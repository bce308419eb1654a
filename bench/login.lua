-- login.lua - wrk script for `make bench`: every request is a full login,
-- POST /inloggen with the pre-login CSRF pair (form field csrf equal to the
-- kp_csrf cookie, 43 characters of base64url). wrk keeps no cookies, so each
-- request starts without a session and costs one Argon2id verification.
--
--   wrk -t2 -c8 -d20s -s bench/login.lua URL -- EMAIL PASSWORD [CSRF]
--
-- A successful login answers 303. A wrong password answers 200 (the form
-- again) and, after 5 failures per account within 15 minutes, 429; wrk's own
-- "Non-2xx or 3xx" count misses the 200s, so done() prints every status seen:
--   login status 303: 1234
-- and "login not-303: N" (0 when every request logged in).

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end))
end

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    local email, password, csrf = args[1], args[2], args[3]
    if not email or not password then
        error("login.lua: pass EMAIL PASSWORD [CSRF] after --")
    end
    -- any 43 characters of base64url will do; the server only compares
    csrf = csrf or string.rep("benchCsrf0", 5):sub(1, 43)
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["Cookie"] = "kp_csrf=" .. csrf
    wrk.body = "csrf=" .. urlencode(csrf) .. "&gebruikersnaam=" .. urlencode(email) ..
        "&wachtwoord=" .. urlencode(password)
    statuses = {}
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local total, other = {}, 0
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
        if status ~= 303 then other = other + total[status] end
    end
    io.write(string.format("login not-303: %d\n", other))
end
