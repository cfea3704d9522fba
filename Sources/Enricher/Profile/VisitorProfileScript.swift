import Shared

/// The Lua script that applies one batch of events to the visitor profiles in Redis, atomically and
/// in one round trip. `docs/visitor-profile.md` describes the rules; ``VisitorProfileRequest`` builds
/// its arguments and ``VisitorProfileReply`` reads its answer.
///
/// Keys: first one profile key per visitor group (`<prefix>v:<visitor id>`, a MessagePack array in a
/// string), then one key per event that has an `event_id` (`<prefix>e:<event id>`, value = the source
/// of the copy that recorded it — ``VisitorProfileInput/source`` or else the batch's stamp), in argument
/// order. The profiles are read with one `MGET` and each changed
/// one is written with one `SET`: `… PX` when it is new or its expiry was last set a hundredth of the
/// TTL ago or more, else `… KEEPTTL` (no expiry to replace: the expiry table is touched once per
/// hundredth of the TTL, not per event); each event id costs one `SET … NX PX` (check and record at
/// once), and a `GET` of its source only when the id was already recorded.
///
/// Arguments: `now` (ms, wall clock), `stamp` (`now` + a random fraction; the Swift side sends it
/// as the source of events that have none, so a retry after an ambiguous failure recognises its own
/// event ids; unused by the script itself), session timeout (ms), duplicate
/// window (ms), profile TTL (ms), `1` to render contexts of duplicates, the number of visitor groups,
/// and then one MessagePack array (``MessagePack``) holding, per group: visitor id, event count, and per
/// event (in event-time order) event time (ms), flags (1 = page view, 2 = a touch follows, 4 = has an
/// event-id key), for an event-id key its source, and for a touch its eight values packed into one string
/// (``VisitorTouch/packedValues``); finally the number
/// of events without a visitor (each has an event-id key) and their sources. Numbers are MessagePack
/// integers, everything else strings.
///
/// Answer: one MessagePack array `{touches, events, anonymousEvents}` (a bulk string). `touches` is flat,
/// two values per touch (time and the packed values); `events` is flat, eleven values per visitor event
/// in argument order: status bits (``VisitorProfileReply/Status``), firstSeen, lastSeen, eventCount,
/// pageViewCount, visitCount, sessionIndex, sessionStartedAt, sessionId, first-touch and last-touch
/// reference (1-based into `touches`, 0 = none); `anonymousEvents` has one status per event without a
/// visitor. One argument and one answer instead of one RESP value per number: thousands fewer objects
/// per batch in Redis and allocations in the enricher.
///
/// Profile array (version 2): `{2, firstSeen, lastSeen, eventCount, pageViewCount, sessionIndex,
/// sessionId, sessionStart, previousIndex, previousId, previousStart, previousLast, firstTouch,
/// lastTouch, ttlSetAt}`, a touch being `{time, packed values}`; a missing touch or previous session is
/// `0`; `ttlSetAt` (wall-clock ms of the last `SET … PX`, absent in profiles written before session 8,
/// which then get a new expiry on their next write) decides between `PX` and `KEEPTTL`. The
/// current session always ends at `lastSeen`. Version 1 (before session 5) kept a touch as `{time,
/// eight values}`; such touches are converted when a profile is read and the profile is written back as
/// version 2.
enum VisitorProfileScript {
    static let script = RedisScript(
        #"""
        local argv, keys = ARGV, KEYS
        local tonumber, type, call, sha1hex = tonumber, type, redis.call, redis.sha1hex
        local format, match = string.format, string.match
        local unpackProfile, packProfile = cmsgpack.unpack, cmsgpack.pack
        local now = tonumber(argv[1])
        local timeout = tonumber(argv[3])
        -- window and ttl go to SET as the argument strings: no number-to-text formatting per call
        local windowText, ttlText = argv[4], argv[5]
        local window = tonumber(windowText)
        -- a stored profile's expiry moves forward only once a hundredth of the TTL has passed since it
        -- was last set (its time is the profile's 15th value); until then SET keeps it (KEEPTTL)
        local refreshAfter = tonumber(ttlText) / 100
        local renderDuplicates = argv[6] == '1'
        local groups = tonumber(argv[7])
        -- the groups' and events' values: one MessagePack array (see the type's documentation)
        local data = unpackProfile(argv[8])
        local horizon = now - window

        local DUPLICATE, NEW_VISITOR, NEW_SESSION, LATE, REPLAYED, NO_PROFILE = 1, 2, 4, 8, 16, 32

        local touches, touchIndex, touchCount = {}, {}, 0
        local function ref(touch)
          if type(touch) ~= 'table' then return 0 end
          local index = touchIndex[touch]
          if index == nil then
            touchCount = touchCount + 1
            index = touchCount
            touchIndex[touch] = index
            local base = #touches
            touches[base + 1], touches[base + 2] = touch[1], touch[2]
          end
          return index
        end

        -- the RFC 4122 variant digit for the hex digit at position 17 (its two high bits become 10)
        local VARIANT = {}
        for d = 0, 15 do VARIANT[format('%x', d)] = format('%x', 8 + d % 4) end
        local function sessionId(visitor, index, start)
          local h = sha1hex(visitor .. '\n' .. index .. '\n' .. format('%.0f', start))
          local a, b, c, v, d, e = match(h, '^(........)(....).(...)(.)(...)(............)')
          return a .. '-' .. b .. '-5' .. c .. '-' .. VARIANT[v] .. d .. '-' .. e
        end

        -- Checks and records one event id coming from `source`: DUPLICATE, REPLAYED (recorded from the
        -- same source: an earlier attempt of this batch, or the same raw record delivered again) or 0
        -- (new, now recorded). A numeric value is a batch stamp: older than the window, it is stale.
        -- SET NX without GET: a new id (the usual case) costs no read; a known one is read after.
        local seenHere = {}
        local function checkId(key, source)
          if seenHere[key] then return DUPLICATE end
          seenHere[key] = true
          if call('SET', key, source, 'NX', 'PX', windowText) then return 0 end
          local old = call('GET', key)
          if old == source then return REPLAYED end
          local s = tonumber(old)
          if s == nil or s >= horizon then return DUPLICATE end
          call('SET', key, source, 'PX', windowText)
          return 0
        end

        -- A touch of a version-1 profile ({time, eight values}) in version 2's form ({time, packed}): each
        -- value as its byte count, ':' and its bytes, as VisitorTouch.packedValues writes them.
        local function upgradeTouch(touch)
          if type(touch) ~= 'table' or #touch ~= 9 then return touch end
          local parts = {}
          for k = 2, 9 do parts[k - 1] = #touch[k] .. ':' .. touch[k] end
          return {touch[1], table.concat(parts)}
        end

        -- Which session of profile p an event at time t belongs to, without changing p:
        -- 'cur', 'prev', or 'new' (after more than `timeout` of inactivity).
        local function sessionOf(p, t)
          if t > p[3] + timeout then return 'new' end
          if t >= p[8] - timeout then return 'cur' end
          if p[9] > 0 then return 'prev' end
          return 'cur'
        end

        -- One MGET for all profiles (in chunks: unpack has a stack limit).
        local stored = {}
        for first = 1, groups, 1000 do
          local last = math.min(first + 999, groups)
          local reply = call('MGET', unpack(keys, first, last))
          for k = 1, #reply do stored[first + k - 1] = reply[k] end
        end

        local events = {}
        local count = 0
        local a = 1
        local idKey = groups
        for g = 1, groups do
          local visitor = data[a]
          local n = data[a + 1]
          a = a + 2
          local p = nil
          if stored[g] then
            p = unpackProfile(stored[g])
            p[13], p[14] = upgradeTouch(p[13]), upgradeTouch(p[14])
          end
          local changed = false

          for i = 1, n do
            local t = data[a]
            local flags = data[a + 1]
            a = a + 2
            local source = nil
            if flags >= 4 then
              source = data[a]
              a = a + 1
            end
            local touch = 0
            if flags % 4 >= 2 then
              touch = {t, data[a]}
              a = a + 1
            end
            local status = 0
            if flags >= 4 then
              idKey = idKey + 1
              status = checkId(keys[idKey], source)
            end

            local session = 'cur'
            if status == 0 then
              changed = true
              if p == nil then
                p = {2, t, t, 0, 0, 1, sessionId(visitor, 1, t), t, 0, '', 0, 0, 0, 0}
                status = NEW_VISITOR + NEW_SESSION
              else
                session = sessionOf(p, t)
                if t < p[3] then status = LATE end
                if session == 'new' then
                  p[9], p[10], p[11], p[12] = p[6], p[7], p[8], p[3]
                  p[6] = p[6] + 1
                  p[7] = sessionId(visitor, p[6], t)
                  p[8] = t
                  session = 'cur'
                  status = status + NEW_SESSION
                elseif session == 'cur' then
                  if t < p[8] and t >= p[8] - timeout then p[8] = t end
                elseif t >= p[11] - timeout then
                  if t < p[11] then p[11] = t end
                  if t > p[12] then p[12] = t end
                end
                if t < p[2] then p[2] = t end
                if t > p[3] then p[3] = t end
              end
              p[4] = p[4] + 1
              if flags % 2 == 1 then p[5] = p[5] + 1 end
              if type(touch) == 'table' then
                if type(p[13]) ~= 'table' or t < p[13][1] then p[13] = touch end
                if type(p[14]) ~= 'table' or t >= p[14][1] then p[14] = touch end
              end
            elseif p ~= nil then
              session = sessionOf(p, t)
              if session == 'new' then session = 'cur' end
            end

            if p == nil or (status == DUPLICATE and not renderDuplicates) then
              if p == nil then status = status + NO_PROFILE end
              events[count + 1] = status
              for k = 2, 8 do events[count + k] = 0 end
              events[count + 9] = ''
              events[count + 10] = 0
              events[count + 11] = 0
            else
              events[count + 1] = status
              events[count + 2] = p[2]
              events[count + 3] = p[3]
              events[count + 4] = p[4]
              events[count + 5] = p[5]
              events[count + 6] = p[6]
              if session == 'prev' then
                events[count + 7] = p[9]
                events[count + 8] = p[11]
                events[count + 9] = p[10]
              else
                events[count + 7] = p[6]
                events[count + 8] = p[8]
                events[count + 9] = p[7]
              end
              events[count + 10] = ref(p[13])
              events[count + 11] = ref(p[14])
            end
            count = count + 11
          end

          if changed then
            p[1] = 2
            local refreshed = p[15]
            if stored[g] and type(refreshed) == 'number' and now >= refreshed and now - refreshed < refreshAfter then
              call('SET', keys[g], packProfile(p), 'KEEPTTL')
            else
              p[15] = now
              call('SET', keys[g], packProfile(p), 'PX', ttlText)
            end
          end
        end

        local anonymous = {}
        local m = data[a]
        for j = 1, m do
          idKey = idKey + 1
          anonymous[j] = checkId(keys[idKey], data[a + j])
        end

        return packProfile({touches, events, anonymous})
        """#
    )
}
