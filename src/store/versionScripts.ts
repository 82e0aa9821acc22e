// The Lua scripts that change the tables in Redis, each one atomic step.

/** Redis's clock in ms, never behind the activation it replaces (a restored one may be ahead). */
const ACTIVATION_TIME = `
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[3]) or '0')
if at <= last then at = last + 1 end
local stamp = string.format('%.0f', at)`;

// Trims the oldest versions beyond `keep`, never the active one, in the same atomic step as the save.
export const SAVE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('HSET', KEYS[3], 'csv', ARGV[3], 'meta', ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local keep = tonumber(ARGV[5])
local count = redis.call('ZCARD', KEYS[1])
if count > keep then
  local active = redis.call('GET', KEYS[2])
  for _, v in ipairs(redis.call('ZRANGE', KEYS[1], 0, count - keep - 1)) do
    if v ~= active and v ~= ARGV[1] then
      redis.call('ZREM', KEYS[1], v)
      redis.call('DEL', ARGV[6] .. v)
    end
  end
end
return 1`;

// Moving the pointer and telling every instance is one atomic step: two activations cannot interleave.
// KEYS: active, the version's hash, activatedAt.
export const ACTIVATE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return {0, '', ''} end
local previous = redis.call('GET', KEYS[1]) or ''
${ACTIVATION_TIME}
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[3], stamp)
redis.call('PUBLISH', ARGV[2], ARGV[1])
return {1, previous, stamp}`;

// Only an empty Redis (no pointer) is seeded; whoever gets there first wins, the rest follow.
// KEYS: active, versions, activatedAt, the version's hash.
export const SEED = `
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
if redis.call('EXISTS', KEYS[4]) == 0 then
  redis.call('HSET', KEYS[4], 'csv', ARGV[3], 'meta', ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
end
${ACTIVATION_TIME}
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[3], stamp)
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {1, ARGV[1]}`;

// Puts back an activation Redis lost, unless a later one is there: the later activation wins.
// KEYS: active, the version's hash, activatedAt.
export const RESTORE_ACTIVATION = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1`;
