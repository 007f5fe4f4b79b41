import { describe, expect, it } from 'vitest'
import { MIN_SAVED_SHARE, advise, portSaving } from '../../src/profile/advisor.js'
import { classify } from '../../src/profile/classify.js'
import type { Calibration, FunctionProfile, FunctionTimes } from '../../src/profile/types.js'

const cal: Calibration = { speedup: 20, bridgeUs: 100, source: { speedup: 'option', bridgeUs: 'option' }, detail: '' }
const times = (cpuS: number, ioS = 0, samples = 100): FunctionTimes => ({
  cpuS,
  gilS: 0,
  ioS,
  coreS: 0,
  lockS: 0,
  wallS: cpuS + ioS,
  samples,
})

function fn(name: string, o: Partial<FunctionProfile> & { cpu: number; io?: number; totalCpu: number }): FunctionProfile {
  const t = times(o.cpu, o.io ?? 0)
  return {
    key: `/app/agent.py:1:${name}`,
    file: '/app/agent.py',
    line: 1,
    name,
    calls: o.calls ?? 1,
    self: t,
    cum: o.cum ?? t,
    selfCpuShare: o.cpu / o.totalCpu,
    selfCpuIn: o.selfCpuIn ?? { ownS: o.cpu, stdlibS: 0, packages: {}, importS: 0 },
    imports: o.imports ?? [],
    class: o.class ?? classify(t, t, 0.002),
    callers: o.callers ?? [],
    threads: ['MainThread'],
  }
}

describe('portSaving: Amdahl with the bridge paid per call', () => {
  it('saves the CPU part minus calls × bridge', () => {
    expect(portSaving(2, 10, cal)).toBeCloseTo(2 * (1 - 1 / 20) - 10 * 100e-6, 12)
    expect(portSaving(0.1, 1_000_000, cal)).toBeLessThan(0)
  })
})

describe('advise', () => {
  const total = 10
  const caller = fn('rank_docs', { cpu: 0.5, totalCpu: total, calls: 3 })
  const score = fn('score', {
    cpu: 2,
    totalCpu: total,
    calls: 2_100_000,
    cum: times(2.4),
    callers: [{ key: caller.key, name: 'rank_docs', wallS: 2.4 }],
  })
  const primes = fn('sum_primes', { cpu: 5, totalCpu: total, calls: 12 })
  const fetch = fn('fetch', { cpu: 0.1, io: 4, totalCpu: total, calls: 40 })
  const helper = fn('fmt', { cpu: 0.01, totalCpu: total, calls: 5 })
  const advice = advise({ functions: [caller, score, primes, fetch, helper], calibration: cal, wallS: 14, cpuS: total })
  const a = (n: string) => advice.find((x) => x.name === n)

  it('ranks by estimated time saved, the big CPU function first; then, among those saving nothing, by CPU', () => {
    expect(advice.map((x) => x.name)).toEqual(['sum_primes', 'rank_docs', 'score', 'fetch', 'fmt'])
    expect(a('sum_primes')).toMatchObject({ verdict: 'port', reason: 'CPU-bound, 50 % of CPU in 12 calls: port it' })
    expect(a('sum_primes')?.savedShare).toBeCloseTo(portSaving(5, 12, cal) / 14, 12)
  })

  it('sends a function of many tiny calls to its caller, and judges the caller with it', () => {
    expect(a('score')).toMatchObject({ verdict: 'port-caller', portCaller: 'rank_docs', savedS: 0 })
    expect(a('score')?.reason).toBe(
      '2.1 M calls of 952 ns: the bridge (100 µs a call) would cost more than it saves — port its caller `rank_docs` instead',
    )
    expect(a('rank_docs')).toMatchObject({ verdict: 'port', portWith: ['score'] })
    expect(a('rank_docs')?.savedS).toBeCloseTo(portSaving(2.5, 3, cal), 12)
  })

  it('does not recommend porting I/O-bound or negligible functions', () => {
    expect(a('fetch')).toMatchObject({ verdict: 'io-bound', savedS: 0, reason: 'waits on I/O 98 % of its time: porting will not help' })
    expect(a('fmt')).toMatchObject({ verdict: 'too-small', savedS: 0 })
  })

  it('a function with too few samples to classify is not called CPU-bound', () => {
    const few = fn('quick', { cpu: 0.5, totalCpu: 1, calls: 1, class: 'unknown' })
    const [out] = advise({ functions: [few], calibration: cal, wallS: 1, cpuS: 1 })
    expect(out?.reason).toBe(
      'too few samples to tell CPU from I/O, 50 % of CPU in 1 call: port it if it is CPU work (profile a longer run to be sure)',
    )
    expect(out?.reason).not.toMatch(/CPU-bound/)
  })

  it('a tiny function called from module level: move the loop into a function', () => {
    const mod = { ...fn('<module>', { cpu: 1, totalCpu: total, calls: null }) }
    const t = fn('tiny', { cpu: 1, totalCpu: total, calls: 5_000_000, callers: [{ key: mod.key, name: '<module>', wallS: 1 }] })
    const out = advise({ functions: [mod, t], calibration: cal, wallS: 2, cpuS: total })
    expect(out.find((x) => x.name === 'tiny')?.reason).toMatch(/move the loop that calls it from module level into a function/)
    expect(out.find((x) => x.name === '<module>')?.verdict).toBe('module-level')
  })
})

describe('classify', () => {
  it('CPU, I/O, mixed and unknown by where the time went', () => {
    expect(classify(times(1, 0.1), times(1, 0.1), 0.002)).toBe('cpu')
    expect(classify(times(0.01, 1), times(0.01, 1), 0.002)).toBe('io')
    expect(classify(times(0.5, 0.5), times(0.5, 0.5), 0.002)).toBe('mixed')
    expect(classify(times(0.001, 0, 1), times(0.001, 0, 1), 0.002)).toBe('unknown')
  })

  it('GIL waits count as wanting CPU, not as I/O', () => {
    const t: FunctionTimes = { cpuS: 0.5, gilS: 0.5, ioS: 0, coreS: 0, lockS: 0, wallS: 1, samples: 100 }
    expect(classify(t, t, 0.002)).toBe('cpu')
  })
})

describe('advise: sampler noise on tiny functions', () => {
  it('does not call a function of 300 k tiny calls I/O-bound for nanoseconds of "waiting" per call', () => {
    const total = 0.25
    const caller = fn('tiny_caller', { cpu: 0.03, totalCpu: total, calls: 1 })
    const tiny = fn('tiny', {
      cpu: 0,
      io: 0.004, // 13 ns a call: preemption seen by the sampler, not I/O
      totalCpu: total,
      calls: 300_000,
      class: 'io',
      callers: [{ key: caller.key, name: 'tiny_caller', wallS: 0.004 }],
    })
    const advice = advise({ functions: [caller, tiny], calibration: cal, wallS: 0.6, cpuS: total })
    expect(advice.find((x) => x.name === 'tiny')).toMatchObject({ verdict: 'port-caller', portCaller: 'tiny_caller' })
  })

  it('still calls real waits I/O-bound', () => {
    const sleeper = fn('sleeper', { cpu: 0.001, io: 0.3, totalCpu: 0.25, calls: 1, class: 'io' })
    expect(advise({ functions: [sleeper], calibration: cal, wallS: 0.6, cpuS: 0.25 })[0]?.verdict).toBe('io-bound')
  })
})

describe('advise: a port must pay', () => {
  it(`a saving under ${MIN_SAVED_SHARE * 100} % of the wall time is not a port, and the reason says so`, () => {
    // 10 % of the CPU, but the program waits most of its 10 s: a port saves ~95 ms, under 1 % of the wall time
    const f = fn('helper', { cpu: 0.1, totalCpu: 1, calls: 1 })
    const [a] = advise({ functions: [f], calibration: cal, wallS: 10, cpuS: 1 })
    expect(a).toMatchObject({ verdict: 'too-small', savedS: 0 })
    expect(a?.reason).toBe('a port would save 94.9 ms, 0.9 % of the wall time: less than the 2.0 % a port must save to pay for itself')
  })
})

describe('advise: library time', () => {
  const split = (ownS: number, packages: Record<string, number>, stdlibS = 0, importS = 0) => ({ ownS, stdlibS, packages, importS })

  it('mostly inside a package: names it, says what a port means, and counts only its own code as saved', () => {
    const f = fn('render_report', { cpu: 4, totalCpu: 4, calls: 1, selfCpuIn: split(0.6, { fakedoc: 3.2 }, 0.2) })
    const [a] = advise({ functions: [f], calibration: cal, wallS: 5, cpuS: 4 })
    expect(a).toMatchObject({ verdict: 'library', library: 'fakedoc' })
    expect(a?.reason).toBe(
      '80 % of its CPU is inside `fakedoc`, a third-party package: porting it means finding or writing a TypeScript equivalent of fakedoc, not rewriting this function',
    )
    expect(a?.savedS).toBeCloseTo(portSaving(0.6, 1, cal), 12) // 11 % of the 5 s: its own code's part pays
    expect(a?.estimate).toBe(
      'saved = own code 600 ms × (1 − 1/20.0, the measured speed-up of a tight loop) − 1 call × 100 µs of bridge; ' +
        '3.20 s in `fakedoc`, 200 ms in the standard library counted unchanged (no measured speed-up for them)',
    )
  })

  it('mostly inside a package, with too little own code for a port to pay: no saving, the estimate still shown', () => {
    const f = fn('render_report', { cpu: 4, totalCpu: 4, calls: 1, selfCpuIn: split(0.05, { fakedoc: 3.95 }) })
    const [a] = advise({ functions: [f], calibration: cal, wallS: 5, cpuS: 4 })
    expect(a).toMatchObject({ verdict: 'library', library: 'fakedoc', savedS: 0 })
    expect(a?.estimate).toMatch(/^saved = own code 50\.0 ms .*3\.95 s in `fakedoc` counted unchanged/)
  })

  it('mostly its own code: a port, whose saving leaves the library part out', () => {
    const f = fn('score', { cpu: 4, totalCpu: 4, calls: 1, selfCpuIn: split(3, { fakedoc: 1 }) })
    const [a] = advise({ functions: [f], calibration: cal, wallS: 5, cpuS: 4 })
    expect(a).toMatchObject({ verdict: 'port' })
    expect(a?.savedS).toBeCloseTo(portSaving(3, 1, cal), 12)
    expect(a?.estimate).toMatch(/; 1\.00 s in `fakedoc` counted unchanged \(no measured speed-up for it\)$/)
  })

  it('module-level code that is mostly imports: import time, never "move it into a function"', () => {
    const mod = fn('<module>', {
      cpu: 0.5,
      totalCpu: 2,
      calls: null,
      selfCpuIn: split(0.05, {}, 0, 0.45),
      imports: [
        { name: 'fakedoc', cpuS: 0.4, wallS: 0.6 },
        { name: 'json', cpuS: 0.05, wallS: 0.05 },
      ],
    })
    const [a] = advise({ functions: [mod], calibration: cal, wallS: 3, cpuS: 2 })
    expect(a).toMatchObject({ verdict: 'import', savedS: 0 })
    expect(a?.reason).toBe(
      'import time, 23 % of CPU (importing fakedoc 600 ms, json 50.0 ms of wall): start-up cost, not code to port — import lazily where it is needed, or keep the process alive between tasks',
    )
  })
})

describe('advise: nested functions', () => {
  it('a lambda at module level is not a port candidate of its own', () => {
    const lam = { ...fn('<lambda>', { cpu: 1, totalCpu: 2, calls: null }) }
    const [a] = advise({ functions: [lam], calibration: cal, wallS: 3, cpuS: 2 })
    expect(a).toMatchObject({ verdict: 'module-level', savedS: 0 })
    expect(a?.reason).toBe('a lambda at module or class level (50 % of CPU): give it a name with def, inside a function, to port it')
  })
})
