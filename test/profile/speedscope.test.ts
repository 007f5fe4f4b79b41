import { describe, expect, it } from 'vitest'
import { analyse } from '../../src/profile/analyse.js'
import { parseRawProfile, type RawProfile } from '../../src/profile/raw.js'
import { toSpeedscope } from '../../src/profile/speedscope.js'
import { ProfileRunError } from '../../src/profile/errors.js'

/** A hand-made profile: main thread runpy → script <module> → work → (stdlib) json.dumps; a worker thread. */
function raw(): RawProfile {
  return {
    format: 'pyport-profile',
    version: 2,
    python: '3.11.7',
    pid: 1,
    target: { module: null, script: 'a.py', args: [] },
    exit: { reason: 'returned', code: 0 },
    wallS: 1,
    cpuS: 0.9,
    samplerCpuS: 0.01,
    counts: [
      { file: '/app/a.py', line: 3, name: 'work', calls: 7 },
      { file: '/app/a.py', line: 9, name: 'waiter', calls: 1 },
    ],
    sampling: {
      samples: 100,
      intervalMs: 2,
      waitMethod: 'proc',
      waitMethodDetail: 'test',
      frames: [
        { file: '/usr/lib/python3.11/runpy.py', line: 1, name: 'run_path', foreign: true, kind: 'stdlib', package: 'runpy' },
        { file: '/app/a.py', line: 1, name: '<module>', foreign: false, kind: 'user', package: null },
        { file: '/app/a.py', line: 3, name: 'work', foreign: false, kind: 'user', package: null },
        { file: '/usr/lib/python3.11/json/__init__.py', line: 183, name: 'dumps', foreign: true, kind: 'stdlib', package: 'json' },
        { file: '/app/a.py', line: 4, name: 'work.<locals>.<listcomp>', foreign: false, kind: 'user', package: null },
        { file: '/app/a.py', line: 9, name: 'waiter', foreign: false, kind: 'user', package: null },
      ],
      stacks: [
        { thread: 10, task: false, stack: [0, 1, 2], n: 50, cpuS: 0.5, gilS: 0, ioS: 0, coreS: 0, lockS: 0 },
        { thread: 10, task: false, stack: [0, 1, 2, 3], n: 20, cpuS: 0.2, gilS: 0, ioS: 0, coreS: 0, lockS: 0 },
        { thread: 10, task: false, stack: [0, 1, 2, 4], n: 20, cpuS: 0.2, gilS: 0, ioS: 0, coreS: 0, lockS: 0 },
        { thread: 11, task: false, stack: [5], n: 10, cpuS: 0, gilS: 0, ioS: 0.3, coreS: 0, lockS: 0 },
      ],
    },
    threads: { '10': 'MainThread', '11': 'io-worker' },
    mainThread: 10,
  }
}

describe('analyse', () => {
  const { functions, totals } = analyse(raw())
  const f = (n: string) => functions.find((x) => x.name === n)

  it('charges library calls and comprehensions to the user function that made them', () => {
    expect(f('work')?.self.cpuS).toBeCloseTo(0.9, 12)
    expect(f('work')?.calls).toBe(7)
    expect(f('dumps')).toBeUndefined()
    expect(f('work.<locals>.<listcomp>')).toBeUndefined()
    expect(f('work')?.selfCpuShare).toBeCloseTo(1, 12)
    expect(f('<module>')?.cum.cpuS).toBeCloseTo(0.9, 12)
    expect(f('work')?.callers.map((c) => c.name)).toEqual(['<module>'])
  })

  it('keeps threads apart and classes the waiting one I/O', () => {
    expect(f('waiter')).toMatchObject({ class: 'io', threads: ['io-worker'] })
    expect(f('work')).toMatchObject({ class: 'cpu', threads: ['MainThread'] })
    expect(totals).toMatchObject({ threads: 2, samples: 100, intervalMs: 2 })
    expect(totals.cpuS).toBeCloseTo(0.9, 12)
  })
})

describe('toSpeedscope', () => {
  const file = toSpeedscope(raw(), 'a.py')

  it('writes the speedscope schema: shared frames, sampled profiles, weights as long as samples', () => {
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json')
    expect(file.shared.frames).toHaveLength(6)
    expect(file.profiles.map((p) => p.name)).toEqual([
      'MainThread — wall time',
      'io-worker — wall time',
      'MainThread — CPU time',
      'io-worker — CPU time',
    ])
    for (const p of file.profiles) {
      expect(p).toMatchObject({ type: 'sampled', unit: 'milliseconds', startValue: 0 })
      expect(p.weights).toHaveLength(p.samples.length)
      expect(p.endValue).toBeCloseTo(
        p.weights.reduce((a, b) => a + b, 0),
        9,
      )
      for (const s of p.samples) for (const i of s) expect(file.shared.frames[i]).toBeDefined()
    }
  })

  it("drops the profiler's own frames below the program, outermost frame first", () => {
    expect(file.profiles[0]?.samples[0]).toEqual([1, 2])
    expect(file.profiles[0]?.samples[1]).toEqual([1, 2, 3])
  })

  it("puts waiting asyncio tasks in a wall-time profile of their own, next to their thread's", () => {
    const r = raw()
    r.sampling.stacks.push({ thread: 10, task: true, stack: [5], n: 30, cpuS: 0, gilS: 0.01, ioS: 0.5, coreS: 0, lockS: 0 })
    const names = toSpeedscope(r, 'a.py').profiles.map((p) => p.name)
    expect(names).toEqual([
      'MainThread — wall time',
      'MainThread — asyncio tasks (waiting) — wall time',
      'io-worker — wall time',
      'MainThread — CPU time',
      'io-worker — CPU time',
    ])
    const tasks = toSpeedscope(r, 'a.py').profiles[1]
    expect(tasks?.samples).toEqual([[5]])
    expect(tasks?.endValue).toBeCloseTo(510, 9)
  })
})

describe('parseRawProfile', () => {
  it.each([
    ['not JSON', 'nope', /is malformed: not valid JSON \(/],
    ['another format', '{"format": "x"}', /expected an object with format "pyport-profile"/],
    [
      'a stack pointing nowhere',
      JSON.stringify({
        ...raw(),
        sampling: { ...raw().sampling, stacks: [{ thread: 1, stack: [99], n: 1, cpuS: 0, gilS: 0, ioS: 0, coreS: 0, lockS: 0 }] },
      }),
      /refers to a frame that does not exist/,
    ],
  ])('rejects %s', (_label, text, message) => {
    expect(() => parseRawProfile(text, 'a.py')).toThrow(ProfileRunError)
    expect(() => parseRawProfile(text, 'a.py')).toThrow(message)
  })
})
