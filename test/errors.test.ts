import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as api from '../src/index.js'
import type { PythonObject } from '../src/index.js'
import { RunFailedError, UsageError } from '../src/cli/command.js'
import { compileIgnoreRules } from '../src/hybrid/ignore.js'
import { isPortFault } from '../src/hybrid/outcome.js'
import { PortFault } from '../src/workers/errors.js'
import { portFixture } from './workers/fixtures.js'

const {
  PyportError,
  PyportOptionError,
  PyportArgumentError,
  PythonNotFoundError,
  PythonError,
  BridgeTimeoutError,
  BridgeClosedError,
  PythonValueError,
  PythonObjectLostError,
  PortLoadError,
  PortError,
  PortCrashedError,
  PortTimeoutError,
  PortInputError,
  PortOutputError,
  WorkerPoolClosedError,
  HybridConfigError,
  RecordEncodeError,
  CorpusError,
  ProfileInputError,
  ProfileRunError,
} = api

/** One instance of every pyport error class: a class exported and missing here fails the first test. */
const samples: Error[] = [
  new PyportOptionError({ option: 'timeoutMs', expected: 'a number', received: 'soon' }),
  new PyportArgumentError({ owner: 'PythonModule.call', argument: 'args', expected: 'an array', value: 1 }),
  new PythonNotFoundError('python3', 'default', 'was not found on PATH'),
  new PythonError({ pythonType: 'ValueError', message: 'no', traceback: '', frames: [] }, 'agent', 'run'),
  new BridgeTimeoutError('agent', 'run', 100, 1234, 'cancelled'),
  new BridgeClosedError('exited', 'Python exited', { exitCode: 1, stderrTail: ['boom'] }),
  new PythonValueError('to-js', 'datetime.datetime', '[0]', 'return an ISO string', 'agent.run'),
  new PythonObjectLostError('agent.Agent', 'released', 1234),
  new PortLoadError({ reason: 'missing-file', filename: 'x.js', exportName: 'default' }),
  new PortError('x.js', 'RangeError', 'bad', undefined),
  new PortCrashedError('x.js', 'exited with code 1'),
  new PortTimeoutError('x.js', 100, true),
  new PortInputError('x.js', 'a function could not be cloned.'),
  new PortOutputError('x.js', 'a function at $'),
  new WorkerPoolClosedError('x.js', 'closed'),
  new HybridConfigError('unknown mode'),
  new RecordEncodeError('a function at $'),
  new CorpusError('corpus x cannot be read'),
  new ProfileInputError('no script given'),
  new ProfileRunError({ failed: 'exit', target: 'agent.py', exitCode: 4 }),
  new UsageError('pyport: bad flag'),
  new RunFailedError('the script crashed'),
]

describe('one error family', () => {
  it('every error class exported from the package has a sample here', () => {
    const exported = Object.entries(api)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof Error)
      .map(([k]) => k)
      .filter((k) => k !== 'PyportError')
    const sampled = new Set(samples.map((e) => e.constructor.name))
    expect(exported.filter((k) => !sampled.has(k))).toEqual([])
  })

  it('every pyport error is instanceof PyportError, with a distinct non-empty code and its own name', () => {
    for (const err of samples) {
      expect(err, err.constructor.name).toBeInstanceOf(PyportError)
      expect(err.name).toBe(err.constructor.name)
      expect((err as { code?: unknown }).code, err.name).toMatch(/^PYPORT_[A-Z_]+$/)
    }
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the samples are PyportError subclasses, each made by its constructor
    const codes = samples.map((e) => (e as InstanceType<typeof PyportError>).code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('keeps the bases users rely on, and instanceof of other classes is still the prototype test', () => {
    for (const err of [samples[0], samples[1], new PortInputError('x.js', 'r'), new PortOutputError('x.js', 'r')])
      expect(err).toBeInstanceOf(TypeError)
    expect(samples[1]).not.toBeInstanceOf(PyportOptionError)
    expect(new PortError('x.js', 'E', 'm', undefined)).not.toBeInstanceOf(PortCrashedError)
    expect(new PortInputError('x.js', 'r')).not.toBeInstanceOf(PyportOptionError)
    expect(new TypeError('plain')).not.toBeInstanceOf(PyportError)
    expect({ code: 'PYPORT_OPTION' }).not.toBeInstanceOf(PyportError)
  })

  it('the port faults share the PortFault base (TypeError-based ones by its brand); PortError (the port threw) is not one', () => {
    const faults = samples.filter((e) =>
      ['PortLoadError', 'PortCrashedError', 'PortTimeoutError', 'PortInputError', 'PortOutputError', 'WorkerPoolClosedError'].includes(
        e.name,
      ),
    )
    expect(faults).toHaveLength(6)
    for (const err of faults) {
      expect(err, err.name).toBeInstanceOf(PortFault)
      expect(err, err.name).toBeInstanceOf(PyportError)
      expect(isPortFault(err), err.name).toBe(true)
    }
    for (const err of samples.filter((e) => !faults.includes(e))) {
      expect(err, err.name).not.toBeInstanceOf(PortFault)
      expect(isPortFault(err), err.name).toBe(false)
    }
    expect(new PortCrashedError('x.js', 'r')).not.toBeInstanceOf(PortTimeoutError)
    expect(new TypeError('plain')).not.toBeInstanceOf(PortFault)
  })

  it('the same field has one type everywhere: exitCode number | null, stderrTail string[]', () => {
    const closed = new BridgeClosedError('closed', 'closed')
    const run = new ProfileRunError({ failed: 'bad-output', target: 'a.py', detail: 'no stacks' })
    expect([closed.exitCode, run.exitCode, closed.signal, run.signal]).toEqual([null, null, null, null])
    expect([closed.stderrTail, run.stderrTail]).toEqual([[], []])
    expect(new ProfileRunError({ failed: 'exit', exitCode: 3, stderrTail: ['a'] })).toMatchObject({ exitCode: 3, stderrTail: ['a'] })
  })

  it('a port load error builds its message from its fields, and keeps them through within()', () => {
    const missing = new PortLoadError({ reason: 'missing-file', filename: '/p/rank.js', exportName: 'rank' })
    expect(missing.message).toBe('port file /p/rank.js does not exist. Build the port (npm run build) and point at the compiled .js file.')
    expect(missing).toMatchObject({
      reason: 'missing-file',
      filename: '/p/rank.js',
      exportName: 'rank',
      problem: missing.message,
      context: undefined,
    })
    const noExport = new PortLoadError({ reason: 'no-export', filename: '/p/rank.js', exportName: 'rank', callableExports: ['add', 'mul'] })
    expect(noExport.message).toBe('port /p/rank.js#rank is not usable: it has no such export; callable exports: add, mul')
    const wrapped = noExport.within('hybrid "rank"').within('pyport run')
    expect(wrapped.message).toBe(`pyport run: hybrid "rank": ${noExport.message}`)
    expect(wrapped).toMatchObject({
      reason: 'no-export',
      callableExports: ['add', 'mul'],
      context: 'pyport run: hybrid "rank"',
      problem: noExport.message,
    })
    expect(new PortLoadError({ reason: 'not-callable', filename: '/p/m.js', exportName: 'default', detail: 'number' }).message).toBe(
      'port /p/m.js is not usable: that export is a number, not a function; callable exports: none',
    )
    expect(new PortLoadError({ reason: 'bad-spec', spec: '#rank', filename: '', exportName: 'rank' }).message).toMatch(
      /^port "#rank" names no file/,
    )
    expect(new PortLoadError({ reason: 'bad-spec', spec: 'r.js#', filename: 'r.js', exportName: '' }).message).toMatch(
      /^port "r.js#" has an empty export after "#"/,
    )
  })

  it('a profile run error builds its message from what failed', () => {
    const exit = new ProfileRunError({ failed: 'exit', target: 'agent.py', exitCode: 4, pid: 12, stderrTail: ['x'] })
    expect(exit.message).toMatch(
      /^agent\.py exited with code 4 before the profiler could write its profile \(killed, or it called os\._exit\)\. Nothing to report/,
    )
    expect(exit).toMatchObject({
      failed: 'exit',
      stage: 'profile',
      target: 'agent.py',
      exitCode: 4,
      signal: null,
      pid: 12,
      stderrTail: ['x'],
    })
    expect(new ProfileRunError({ failed: 'signal', target: 'a.py', signal: 'SIGTERM', cancelled: 'caller gave up' }).message).toBe(
      'a.py was killed by SIGTERM after the run was cancelled (caller gave up); no profile was written.',
    )
    expect(new ProfileRunError({ failed: 'start', target: 'a.py', python: '/no/python', detail: 'spawn ENOENT' }).message).toBe(
      'could not start /no/python to profile a.py: spawn ENOENT',
    )
    expect(new ProfileRunError({ failed: 'bad-output', target: 'a.py', detail: 'counts must be a list' }).message).toBe(
      'the profile written by the profiler (a.py) is malformed: counts must be a list',
    )
    expect(new ProfileRunError({ failed: 'exit', stage: 'calibrate', exitCode: 1, stderrTail: ['a', 'b'] }).message).toBe(
      'the calibration probe exited early (code 1): a / b',
    )
    expect(new ProfileRunError({ failed: 'bad-output', stage: 'calibrate', detail: 'it answered call 3, expected 2' }).message).toBe(
      'the calibration probe answered wrongly: it answered call 3, expected 2',
    )
  })

  it('an option error builds its message from its fields', () => {
    const e = new PyportOptionError({ option: 'threads', expected: 'a whole number >= 1', received: 0, owner: 'WorkerPool' })
    expect(e.message).toBe('WorkerPool: `threads` must be a whole number >= 1, got 0 (number)')
    expect(e.within('hybrid "f"').message).toBe('hybrid "f": WorkerPool: `threads` must be a whole number >= 1, got 0 (number)')
    expect(new PyportOptionError({ option: 'size', expected: 'a positive integer', received: '2' }).message).toBe(
      'Expected the `size` option to be a positive integer, got "2" (string)',
    )
  })
})

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyport-errors-'))
const bridges: InstanceType<typeof api.PythonBridge>[] = []
afterAll(async () => {
  await Promise.all(bridges.map((b) => b.close()))
})

/** Calls `make` and returns what it threw or rejected with. */
async function thrown(make: () => unknown): Promise<unknown> {
  try {
    await make()
  } catch (err) {
    return err
  }
  throw new Error('did not throw')
}

describe('a bad option in each area is a PyportOptionError naming the option', () => {
  const pool = () => new api.WorkerPool({ filename: portFixture('math.mjs'), exportName: 'add', threads: 1 })
  const corpus = path.join(tmp, 'c.jsonl')
  writeFileSync(corpus, '')
  const cases: Array<[string, string, () => unknown]> = [
    ['PythonBridge', 'timeoutMs', () => new api.PythonBridge({ timeoutMs: -1 })],
    ['PythonBridge', 'env.X', () => new api.PythonBridge({ env: { X: 1 as unknown as string } })],
    [
      'PythonBridge call',
      'kwargs',
      () => bridges[bridges.push(new api.PythonBridge()) - 1]!.import('json').then((m) => m.call('dumps', [1], { kwargs: 3 as never })),
    ],
    [
      'PythonBridge call',
      'options',
      () => bridges[bridges.push(new api.PythonBridge()) - 1]!.import('json').then((m) => m.call('dumps', [1], 3 as never)),
    ],
    ['PythonPool', 'size', () => new api.PythonPool({ size: 0 })],
    ['WorkerPool', 'threads', () => new api.WorkerPool({ filename: 'x.js', threads: 0 })],
    ['WorkerPool', 'timeoutMs', () => new api.WorkerPool({ filename: 'x.js', timeoutMs: -5 })],
    ['hybrid', 'sample', () => api.hybrid({ name: 'f', python: () => 1, ts: () => 1, sample: 2 })],
    ['hybrid', 'isolate', () => api.hybrid({ name: 'f', python: () => 1, ts: () => 1, isolate: 'yes' as never })],
    ['hybrid', 'config', () => api.hybrid({ name: 'f', python: () => 1, ts: () => 1, config: 5 as never })],
    ['hybrid', 'mode', () => api.hybrid({ name: 'f', python: () => 1, ts: () => 1, mode: 'fast' as never })],
    ['hybrid compare', 'rtol', () => api.hybrid({ name: 'f', python: () => 1, ts: () => 1, compare: { rtol: -1 } })],
    ['ports', 'sample', () => new api.PythonBridge({ ports: { score: { ts: pool(), sample: 2 } } })],
    ['compare', 'atol', () => api.compareValues(1, 1, { atol: NaN })],
    ['ignore', 'path', () => compileIgnoreRules([{ reason: 'x', path: 'score' }])],
    ['replay', 'readyAfter', () => api.replayCorpus({ corpus, port: { filename: 'x.js', exportName: 'default' }, readyAfter: 0 })],
    ['replay', 'timeoutMs', () => api.replayCorpus({ corpus, port: { filename: 'x.js', exportName: 'default' }, timeoutMs: -1 })],
    ['profile', 'speedup', () => api.profile({ script: 'x.py' }, { speedup: -1 })],
    ['profile', 'intervalMs', () => api.profile({ script: 'x.py' }, { intervalMs: 0 })],
    ['profileFromStats', 'bridgeUs', () => api.profileFromStats({}, { bridgeUs: 0 })],
  ]
  for (const [area, option, make] of cases) {
    it(`${area}: \`${option}\``, async () => {
      const err = await thrown(make)
      expect(err).toBeInstanceOf(PyportOptionError)
      expect(err).toBeInstanceOf(PyportError)
      expect(err).toBeInstanceOf(TypeError)
      const e = err as InstanceType<typeof PyportOptionError>
      expect(e.code).toBe('PYPORT_OPTION')
      expect(e.option).toBe(option)
      expect(e.message).toContain(`\`${option}\``)
    })
  }
})

describe('a bad argument to a public method is a PyportArgumentError naming the method and the argument', () => {
  it('builds its message from its fields, keeps a short description of the value, and stays a TypeError', () => {
    const e = new PyportArgumentError({
      owner: 'PythonModule.call',
      argument: 'args',
      target: 'score',
      expected: 'an array of positional arguments (e.g. [1, 2])',
      value: 'abc',
    })
    expect(e.message).toBe('PythonModule.call("score"): `args` must be an array of positional arguments (e.g. [1, 2]), got "abc" (string)')
    expect(e).toMatchObject({
      code: 'PYPORT_BAD_ARGUMENT',
      owner: 'PythonModule.call',
      argument: 'args',
      target: 'score',
      received: '"abc" (string)',
      at: undefined,
    })
    expect(e).toBeInstanceOf(TypeError)
    expect(e).toBeInstanceOf(PyportError)
    const long = new PyportArgumentError({ owner: 'PythonModule.map', argument: 'fn', expected: 'a string', value: 'x'.repeat(500) })
    expect(long.received).toHaveLength(80)
    expect(long.received.endsWith('…')).toBe(true)
  })

  const agentPy = path.join(tmp, 'agent_args.py')
  writeFileSync(agentPy, 'def add(a, b):\n    return a + b\n\nclass Box:\n    def get(self):\n        return 1\n')
  const mod = async () => {
    const py = new api.PythonBridge({ cwd: tmp })
    bridges.push(py)
    return { py, agent: await py.import('./agent_args.py') }
  }
  const cases: Array<[string, string, string, (m: Awaited<ReturnType<typeof mod>>) => unknown]> = [
    ['PythonModule.call', 'args', '1 (number)', ({ agent }) => agent.call('add', 1 as never)],
    ['PythonModule.call', 'fn', '"" (string)', ({ agent }) => agent.call('', [])],
    ['PythonModule.map', 'argsList', 'null (null)', ({ agent }) => agent.map('add', null as never)],
    ['PythonModule.map', 'argsList[1]', '3 (number)', ({ agent }) => agent.map('add', [[1, 2], 3] as never)],
    ['PythonBridge.import', 'spec', '42 (number)', ({ py }) => py.import(42 as never)],
    ['PythonBridge.import', 'spec', '"not a module!" (string)', ({ py }) => py.import('not a module!')],
    ['PythonObject.call', 'method', '7 (number)', async ({ agent }) => (await agent.call<PythonObject>('Box', [])).call(7 as never)],
    ['PythonObject.get', 'name', '"" (string)', async ({ agent }) => (await agent.call<PythonObject>('Box', [])).get('')],
    ['decodeRecordValue', 'value', '"1.5" (string)', () => api.decodeRecordValue({ $t: 'bigint', v: '1.5' })],
  ]
  for (const [owner, argument, received, make] of cases) {
    it(`${owner}: \`${argument}\` (got ${received})`, async () => {
      const m = owner === 'decodeRecordValue' ? (undefined as never) : await mod()
      const err = await thrown(() => make(m))
      expect(err).toBeInstanceOf(PyportArgumentError)
      expect(err).toBeInstanceOf(TypeError)
      expect(err).toMatchObject({ code: 'PYPORT_BAD_ARGUMENT', owner, argument, received })
      expect((err as Error).message).toContain(`\`${argument}\``)
      expect((err as Error).message).toContain(`got ${received}`)
    })
  }
})
