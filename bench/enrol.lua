-- enrol.lua - wrk script for `make bench` (bench/enrol.sh): every request is
-- one enrolment, POST /evenementen/<id>/inschrijven as the enrolment page's
-- form sends it (csrf, context=persoon), with the session cookie of one of
-- the persons bench_enrol setup made.
--
--   wrk -t2 -c8 -d20s -s bench/enrol.lua URL -- SESSIONS EVENTS THREADS [START]
--
-- SESSIONS: "<token> <csrf>" per line (bench_enrol setup's sessions.txt);
-- EVENTS: one event id per line; THREADS: wrk's -t; START: the first pair
-- number (default 0; each run of bench/enrol.sh takes a block of its own,
-- since wrk's threads do not keep in step). Request
-- number k (thread i sends k = START + i, + THREADS, + 2 THREADS, ...)
-- enrols person (k / E) mod P in event k mod E, as bench_enrol run does,
-- so no pair comes twice before all P x E are used and nobody is refused.
--
-- A stored enrolment answers 303 (to its Bevestiging); done() prints every
-- status seen, the requests that stored nothing and the enrolments per
-- second:
--   enrol status 303: 1234
--   enrol not-303: 0
--   enrol ok/s: 61.70

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end))
end

local function lines(path)
    local out = {}
    local f = assert(io.open(path, "r"), "enrol.lua: cannot open " .. path)
    for l in f:lines() do
        if l ~= "" then table.insert(out, l) end
    end
    f:close()
    return out
end

local threads = {}

function setup(thread)
    thread:set("offset", #threads)
    table.insert(threads, thread)
end

local sessions, events = {}, {}
local k, stride = 0, 1

function init(args)
    local sfile, efile, nthreads, start = args[1], args[2], tonumber(args[3]), tonumber(args[4] or "0")
    if not sfile or not efile or not nthreads then
        error("enrol.lua: pass SESSIONS EVENTS THREADS after --")
    end
    for _, l in ipairs(lines(sfile)) do
        local token, csrf = l:match("^(%S+) (%S+)$")
        table.insert(sessions, { cookie = "kp_sessie=" .. token,
            body = "csrf=" .. urlencode(csrf) .. "&context=persoon" })
    end
    events = lines(efile)
    k = start + (offset or 0)
    stride = nthreads
    statuses = {}
end

function request()
    local e = k % #events
    local p = math.floor(k / #events) % #sessions
    k = k + stride
    local s = sessions[p + 1]
    return wrk.format("POST", "/evenementen/" .. events[e + 1] .. "/inschrijven",
        { ["Cookie"] = s.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, s.body)
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
        io.write(string.format("enrol status %d: %d\n", status, total[status]))
        if status == 303 then ok = total[status] else other = other + total[status] end
    end
    io.write(string.format("enrol not-303: %d\n", other))
    io.write(string.format("enrol ok/s: %.2f\n", ok / (summary.duration / 1e6)))
end
