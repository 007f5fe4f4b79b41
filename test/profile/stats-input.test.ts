import { describe, expect, it } from 'vitest'
import { ProfileInputError } from '../../src/profile/errors.js'
import { adviseFromStats, profileFromStats } from '../../src/profile/from-stats.js'
import { parseBridgeStats } from '../../src/profile/stats-input.js'
import type { Calibration } from '../../src/profile/types.js'
import { fixture } from './helpers.js'

const cal: Calibration = { speedup: 20, bridgeUs: 200, source: { speedup: 'option', bridgeUs: 'option' }, detail: '' }

describe('parseBridgeStats accepts the shapes PythonBridge.stats() may take', () => {
  const figures = { calls: 4, totalMs: 10, p50Ms: 2, errors: 1 }
  it.each([
    ['an object keyed by function', { score: figures }, 'score'],
    ['nested by module', { 'agent.py': { score: figures } }, 'agent.py.score'],
    ['a list with names', [{ name: 'score', ...figures }], 'score'],
    ['under "functions"', { functions: { score: figures } }, 'score'],
    ['snake_case fields', { score: { count: 4, total_ms: 10, p50_ms: 2, errors: 1 } }, 'score'],
    [
      'PythonBridge.stats() itself',
      {
        functions: [{ module: 'agent', file: '/a/agent.py', function: 'score', items: 4, cancelled: 0, pythonMs: 3, ...figures }],
        interpreters: { size: 1 },
      },
      'agent.score',
    ],
    ['a mean instead of a total', { score: { calls: 4, meanMs: 2.5, errors: 1 } }, 'score'],
  ])('%s', (_label, input, name) => {
    const [s] = parseBridgeStats(JSON.stringify(input), 'stats.json')
    expect(s).toMatchObject({ name, calls: 4, totalMs: 10, errors: 1, timeouts: 0 })
  })

  it.each([
    ['not JSON', '{', /stats\.json is not JSON/],
    ['a number', '42', /stats\.json holds number; expected the object PythonBridge\.stats\(\) returns/],
    ['no calls', '{"score": {"totalMs": 3}}', /"score": missing "calls" \(a number\)/],
    ['negative time', '{"score": {"calls": 1, "totalMs": -3}}', /"score": "totalMs" must be a finite number >= 0, got -3/],
    ['fractional calls', '{"score": {"calls": 1.5, "totalMs": 3}}', /"calls" must be a whole number, got 1\.5/],
    ['no time at all', '{"score": {"calls": 1}}', /needs "totalMs" \(or "meanMs"\)/],
    ['a list entry without a name', '[{"calls": 1, "totalMs": 1}]', /entry 0 has no "function" or "name"/],
  ])('rejects %s with a message naming the fix', (_label, text, message) => {
    expect(() => parseBridgeStats(text, 'stats.json')).toThrow(ProfileInputError)
    expect(() => parseBridgeStats(text, 'stats.json')).toThrow(message)
  })
})

describe('adviseFromStats', () => {
  it('ranks by time saved: the bridge-bound function and the slow CPU one, with reasons', async () => {
    const report = await profileFromStats(fixture('stats-bridge.json'), { speedup: 20, bridgeUs: 200 })
    const names = report.functions.map((f) => f.name)
    expect(names[0]).toBe('fetch')
    const score = report.functions.find((f) => f.name === 'score')
    // 20 000 calls × 200 µs = 4 s of its 4.4 s is bridge
    expect(score?.bridgeShare).toBeCloseTo(4000 / 4400, 10)
    expect(score?.reason).toMatch(/20 k calls of 220 µs, 91 % of it the bridge: port it, or batch the calls with map\(\); 3 error\(s\)/)
    const primes = report.functions.find((f) => f.name === 'sum_primes')
    expect(primes?.savedS).toBeCloseTo((12 * 0.2 + (6600 - 2.4) * 0.95) / 1000, 10)
    expect(primes?.reason).toMatch(/call stats cannot tell CPU from waiting/)
  })

  it('uses the measured time inside Python (pythonMs) when the stats have it', () => {
    const r = adviseFromStats([{ name: 'score', calls: 1000, totalMs: 500, pythonMs: 100, errors: 0, timeouts: 0 }], cal, 'x')
    // 400 ms outside Python: the bridge (1000 × 200 µs) is 200 ms, the other 200 ms waited in line; the 100 ms of
    // work runs 20× faster; queueing is not a port's to save
    expect(r.functions[0]?.bridgeShare).toBeCloseTo(0.4, 12)
    expect(r.functions[0]?.queuedShare).toBeCloseTo(0.4, 12)
    expect(r.functions[0]?.savedS).toBeCloseTo((200 + 100 * 0.95) / 1000, 12)
  })

  it('a function never called gains nothing', () => {
    const r = adviseFromStats([{ name: 'idle', calls: 0, totalMs: 0, errors: 0, timeouts: 0 }], cal, 'x')
    expect(r.functions[0]).toMatchObject({ savedS: 0, reason: 'never called: nothing to gain' })
  })

  it('rejects a missing file and an empty one, naming them', async () => {
    await expect(profileFromStats('/nonexistent/stats.json', { speedup: 2, bridgeUs: 2 })).rejects.toThrow(
      /cannot read stats file "\/nonexistent\/stats\.json": ENOENT/,
    )
    await expect(profileFromStats({}, { speedup: 2, bridgeUs: 2 })).resolves.toMatchObject({ functions: [] })
  })
})

describe('adviseFromStats: queueing and map()', () => {
  // real PythonBridge.stats() (concurrency 1): 10 calls of a 50 ms sleep made at once, and one map() of 500 items
  const queued = () => profileFromStats(fixture('stats-queued.json'), { speedup: 20, bridgeUs: 250 })

  it('calls that waited for a free Python thread are told so, with the fix, and not that the bridge is the cost', async () => {
    const r = await queued()
    expect(r.interpreters).toEqual({ size: 1, concurrency: 1 })
    const wait = r.functions.find((f) => f.name === 'slow.wait_api')
    // 2853.4 ms of round trips, 503.8 ms in Python, 10 × 0.25 ms of bridge: the rest waited in line
    expect(wait?.queuedShare).toBeCloseTo((2853.411 - 503.834 - 2.5) / 2853.411, 6)
    expect(wait?.queue).toBe('measured')
    expect(wait?.bridgeShare).toBeLessThan(0.01)
    expect(wait?.reason).toMatch(
      /^10 calls of 285 ms, 82 % of it waiting in line for a free Python thread \(concurrency 1\): raise `concurrency` if the calls wait on I\/O, or spread them over a PythonPool if they compute/,
    )
    expect(wait?.reason).not.toMatch(/batch|of it the bridge/)
  })

  it('calls that came from map() are never told to batch with map()', async () => {
    const double = (await queued()).functions.find((f) => f.name === 'slow.double')
    expect(double).toMatchObject({ calls: 1, items: 500 })
    expect(double?.reason).toMatch(
      /^1 map\(\) call of 500 items .*already batched, so the cost is the data each call carries — port it, or send less per item$/,
    )
    expect(double?.reason).not.toMatch(/batch the calls with map/)
  })

  it('estimates queueing from older stats without queuedMs, and reads stats without items or pythonMs as before', () => {
    const r = adviseFromStats([{ name: 'tool', calls: 10, totalMs: 1000, pythonMs: 200, errors: 0, timeouts: 0 }], cal, 'x')
    expect(r.functions[0]).toMatchObject({ queue: 'estimated', items: 10 })
    expect(r.functions[0]?.queuedShare).toBeCloseTo((1000 - 200 - 10 * 0.2) / 1000, 12)
    const old = adviseFromStats([{ name: 'score', calls: 100, totalMs: 30, errors: 0, timeouts: 0 }], cal, 'x')
    expect(old.functions[0]).toMatchObject({ queue: 'unknown', queuedShare: 0 })
  })

  it('rejects interpreters settings that are not whole numbers', async () => {
    await expect(profileFromStats({ functions: [], interpreters: { concurrency: 0 } }, { speedup: 2, bridgeUs: 2 })).rejects.toThrow(
      /"interpreters\.concurrency" must be a whole number >= 1, got 0/,
    )
  })
})
