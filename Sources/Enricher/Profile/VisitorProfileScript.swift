import Shared

/// The Lua script that applies one batch of events to the visitor profiles in Redis, atomically and
/// in one round trip. `docs/visitor-profile.md` describes the rules; ``VisitorProfileRequest`` builds
/// its arguments and ``VisitorProfileReply`` reads its answer.
///
/// Keys: per visitor group `g` (1-based) `KEYS[2g-1]` = the profile and `KEYS[2g]` = the visitor's
/// recently seen event ids, both MessagePack arrays in plain strings (the ids as `{id, stamp, id, stamp,
/// …}`, oldest first); after them one key per event without a visitor (`<prefix>e:<event id>`, value =
/// batch stamp). All visitor keys are read with one `MGET`; each changed one is written with one `SET … PX`,
/// so the script makes about two Redis calls per visitor and none per event.
///
/// Arguments: `now` (ms, wall clock), `stamp` (`now` + a random fraction: identifies this batch so a
/// retry after an ambiguous failure recognises its own event ids), session timeout (ms), duplicate
/// window (ms), profile TTL (ms), maximum event ids per visitor, `1` to render contexts of duplicates,
/// the number of visitor groups; then per group: visitor id, event count, and per event (in event-time
/// order) event id (`''` = none), event time (ms), flags (1 = page view, 2 = a touch follows), and for a
/// touch its eight values; finally the number of events without a visitor.
///
/// Answer: `{touches, events, anonymousEvents}`. `touches` is flat, nine values per touch (time and
/// the eight values); `events` is flat, eleven values per visitor event in argument order: status
/// bits (``VisitorProfileReply/Status``), firstSeen, lastSeen, eventCount, pageViewCount, visitCount,
/// sessionIndex, sessionStartedAt, sessionId, first-touch and last-touch reference (1-based into
/// `touches`, 0 = none); `anonymousEvents` has one status per event without a visitor.
///
/// Profile array (version 1): `{1, firstSeen, lastSeen, eventCount, pageViewCount, sessionIndex,
/// sessionId, sessionStart, previousIndex, previousId, previousStart, previousLast, firstTouch,
/// lastTouch}`; a missing touch or previous session is `0`. The current session always ends at
/// `lastSeen`.
enum VisitorProfileScript {
    static let script = RedisScript(
        #"""
        local now = tonumber(ARGV[1])
        local stamp = tonumber(ARGV[2])
        local timeout = tonumber(ARGV[3])
        local window = tonumber(ARGV[4])
        local ttl = tonumber(ARGV[5])
        local maxIds = tonumber(ARGV[6])
        local renderDuplicates = ARGV[7] == '1'
        local groups = tonumber(ARGV[8])
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
            for k = 1, 9 do touches[#touches + 1] = touch[k] end
          end
          return index
        end

        local function sessionId(visitor, index, start)
          local h = redis.sha1hex(visitor .. '\n' .. index .. '\n' .. string.format('%.0f', start))
          local variant = string.format('%x', 8 + tonumber(string.sub(h, 17, 17), 16) % 4)
          return string.sub(h, 1, 8) .. '-' .. string.sub(h, 9, 12) .. '-5' .. string.sub(h, 14, 16) .. '-' ..
            variant .. string.sub(h, 18, 20) .. '-' .. string.sub(h, 21, 32)
        end

        -- One MGET for all profile and id-list keys (in chunks: unpack has a stack limit).
        local stored = {}
        for first = 1, groups * 2, 1000 do
          local last = math.min(first + 999, groups * 2)
          local reply = redis.call('MGET', unpack(KEYS, first, last))
          for k = 1, #reply do stored[first + k - 1] = reply[k] end
        end

        -- Which session of profile p an event at time t belongs to, without changing p:
        -- 'cur', 'prev', or 'new' (after more than `timeout` of inactivity).
        local function sessionOf(p, t)
          if t > p[3] + timeout then return 'new' end
          if t >= p[8] - timeout then return 'cur' end
          if p[9] > 0 and t >= p[11] - timeout then return 'prev' end
          if p[9] > 0 then return 'prev' end
          return 'cur'
        end

        local events = {}
        local a = 9
        local keyIndex = 0
        for g = 1, groups do
          local visitor = ARGV[a]
          local n = tonumber(ARGV[a + 1])
          a = a + 2
          local profileKey, idsKey = KEYS[keyIndex + 1], KEYS[keyIndex + 2]
          keyIndex = keyIndex + 2

          local batch = {}
          for i = 1, n do
            local flags = tonumber(ARGV[a + 2])
            local e = {ARGV[a], tonumber(ARGV[a + 1]), flags % 2 == 1, 0}
            a = a + 3
            if flags >= 2 then
              e[4] = {e[2], ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6], ARGV[a + 7]}
              a = a + 8
            end
            batch[i] = e
          end

          local list = {}
          if stored[keyIndex] then list = cmsgpack.unpack(stored[keyIndex]) end
          local seen = {}
          for k = 1, #list, 2 do seen[list[k]] = list[k + 1] end

          local raw = stored[keyIndex - 1]
          local p = nil
          if raw then p = cmsgpack.unpack(raw) end
          local changed, added, seenHere = false, 0, {}

          for i = 1, n do
            local e = batch[i]
            local id, t = e[1], e[2]
            local status, apply = 0, true
            if id ~= '' then
              if seenHere[id] then
                status, apply = DUPLICATE, false
              else
                local s = seen[id]
                if s ~= nil and s == stamp then
                  status, apply = REPLAYED, false
                elseif s ~= nil and s >= horizon then
                  status, apply = DUPLICATE, false
                else
                  list[#list + 1] = id
                  list[#list + 1] = stamp
                  added = added + 1
                end
                seenHere[id] = true
              end
            end

            local session = 'cur'
            if apply then
              changed = true
              local touch = e[4]
              if p == nil then
                p = {1, t, t, 0, 0, 1, sessionId(visitor, 1, t), t, 0, '', 0, 0, 0, 0}
                status = status + NEW_VISITOR + NEW_SESSION
              else
                session = sessionOf(p, t)
                if t < p[3] then status = status + LATE end
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
              if e[3] then p[5] = p[5] + 1 end
              if type(touch) == 'table' then
                if type(p[13]) ~= 'table' or t < p[13][1] then p[13] = touch end
                if type(p[14]) ~= 'table' or t >= p[14][1] then p[14] = touch end
              end
            elseif p ~= nil then
              session = sessionOf(p, t)
              if session == 'new' then session = 'cur' end
            end

            local base = #events
            if p == nil or (status % 2 == DUPLICATE and not renderDuplicates) then
              if p == nil then status = status + NO_PROFILE end
              events[base + 1] = status
              for k = 2, 8 do events[base + k] = 0 end
              events[base + 9] = ''
              events[base + 10] = 0
              events[base + 11] = 0
            else
              events[base + 1] = status
              events[base + 2] = p[2]
              events[base + 3] = p[3]
              events[base + 4] = p[4]
              events[base + 5] = p[5]
              events[base + 6] = p[6]
              if session == 'prev' then
                events[base + 7] = p[9]
                events[base + 8] = p[11]
                events[base + 9] = p[10]
              else
                events[base + 7] = p[6]
                events[base + 8] = p[8]
                events[base + 9] = p[7]
              end
              events[base + 10] = ref(p[13])
              events[base + 11] = ref(p[14])
            end
          end

          if changed then
            redis.call('SET', profileKey, cmsgpack.pack(p), 'PX', ttl)
          end
          if added > 0 then
            -- Forget ids older than the window, then all but the newest maxIds.
            local kept, count = {}, 0
            for k = 1, #list, 2 do
              if list[k + 1] >= horizon then
                kept[count * 2 + 1] = list[k]
                kept[count * 2 + 2] = list[k + 1]
                count = count + 1
              end
            end
            if count > maxIds then
              local trimmed, skip = {}, (count - maxIds) * 2
              for k = skip + 1, count * 2 do trimmed[k - skip] = kept[k] end
              kept = trimmed
            end
            redis.call('SET', idsKey, cmsgpack.pack(kept), 'PX', window)
          end
        end

        local anonymous = {}
        local m = tonumber(ARGV[a])
        local seenHere = {}
        for j = 1, m do
          local key = KEYS[keyIndex + j]
          local status = 0
          if seenHere[key] then
            status = DUPLICATE
          else
            seenHere[key] = true
            local value = redis.call('GET', key)
            local s = nil
            if value then s = tonumber(value) end
            if s ~= nil and s == stamp then
              status = REPLAYED
            elseif s ~= nil and s >= horizon then
              status = DUPLICATE
            else
              redis.call('SET', key, ARGV[2], 'PX', window)
            end
          end
          anonymous[j] = status
        end

        return {touches, events, anonymous}
        """#
    )
}
