import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { BridgeClosedError } from '../../src/bridge/errors.js'
import { PythonPool } from '../../src/bridge/pool.js'
import type { PortOptions } from '../../src/bridge/ports.js'
import { PyportOptionError } from '../../src/errors.js'
import { renderReport } from '../../src/hybrid/render.js'
import { replayCorpus } from '../../src/hybrid/replay.js'
import { summariseRecords } from '../../src/hybrid/summarise.js'
import { PortLoadError } from '../../src/workers/errors.js'
import { WorkerPool, type WorkerPoolOptions } from '../../src/workers/worker-pool.js'
import { closesAfterEach, fixtures, isAlive, repoRoot } from './helpers.js'

const portFile = (name: string) => path.join(fixtures, 'ports', name)
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'pyport-ports-'))

const pools: WorkerPool[] = []
function workerPool(file: string, options: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const p = new WorkerPool({ filename: portFile(file), threads: 2, ...options })
  pools.push(p)
  return p
}

const bridge = closesAfterEach(
  <P extends Record<string, PortOptions>>(ports: P) => new PythonBridge({ cwd: fixtures, forwardStderr: false, ports }),
)

afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(pools.splice(0).map((p) => p.close()))
})

interface Described {
  error: string
  mro: string[]
  port: string
  ts_name: string
  ts_message: string
  ts_stack: string | null
  where: string | null
  message: string
}

describe('@port without a port to call: the function itself', () => {
  it('python mode, an unregistered name: the very same function object; ts mode: a wrapper with its name', async () => {
    const py = bridge({
      plain: { ts: workerPool('args.mjs'), mode: 'python' },
      score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'ts' },
    })
    const mod = await py.import('./ported.py')
    expect(await mod.call('identities')).toEqual({
      python_mode: true,
      unregistered: true,
      unregistered_bare: true,
      ts_mode_wraps: true,
      wrapped_keeps_name: true,
    })
    expect(await mod.call('call', ['plain', 1])).toBe(2)
    expect(py.ports.plain.mode).toBe('python')
    expect(py.ports.plain.report().calls).toBe(0) // python mode: nothing reaches the host
  })

  it('under plain python3 (no host), `from pyport import port` leaves every function as it is', () => {
    const code = [
      'from pyport import port',
      'def f(x): return x',
      'print(port(f) is f, port("f")(f) is f, port(name="f")(f) is f, port()(f) is f)',
    ].join('\n')
    const out = execFileSync('python3', ['-c', code], { env: { ...process.env, PYTHONPATH: path.join(repoRoot, 'python') } }).toString()
    expect(out.trim()).toBe('True True True True')
  })

  it('the README\'s import fallback runs a decorated module under python3 without pyport, for @port and @port("name")', () => {
    const code = [
      'try:',
      '    from pyport import port',
      'except ImportError:',
      '    port = lambda f=None, *a, **k: f if callable(f) else (lambda g: g)',
      '@port',
      'def f(x): return x + 1',
      '@port("rank")',
      'def g(x): return x + 2',
      '@port(name="rank")',
      'def h(x): return x + 3',
      'import sys',
      "print('pyport' in sys.modules, f(1), g(1), h(1), f.__name__, g.__name__)",
    ].join('\n')
    const out = execFileSync('python3', ['-c', code], { cwd: tmp(), env: { ...process.env, PYTHONPATH: '' } }).toString()
    expect(out.trim()).toBe('False 2 3 4 f g')
  })

  it('a keyword-only parameter, or a generator, is refused when decorating (a port takes positional arguments, returns one value)', async () => {
    const mod = await bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'ts' } }).import('./ported.py')
    expect(await mod.call('keyword_only_refused')).toMatch(
      /parameter b is keyword-only, but a TypeScript port receives its arguments by position/,
    )
    expect(await mod.call('generator_refused')).toMatch(/a generator cannot be served by a port/)
  })
})

describe('ts mode: Python calls, the port answers', () => {
  it("returns the port's results; arguments are bound to the signature, defaults filled in, positionally", async () => {
    const py = bridge({
      score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'ts' },
      echo_args: { ts: workerPool('args.mjs'), mode: 'ts' },
    })
    const mod = await py.import('./ported.py')
    expect(await mod.call('call', ['score', 'wrong', 20])).toBe(41) // the port's answer, not Python's 40
    expect(await mod.call('keywords')).toEqual([
      [1, 2],
      [1, 5],
      [7, 2],
      [1, 2, 3, 4],
    ])
    expect(py.ports.score.report().calls).toBe(1)
    expect(py.ports.score.report().port?.n).toBe(1)
  })

  it('4 Python threads (ThreadPoolExecutor) wait on the port at once: none holds the GIL while it waits', async () => {
    const folder = tmp()
    const py = bridge({ meet: { ts: workerPool('meet.mjs', { threads: 4 }), mode: 'ts' } })
    const mod = await py.import('./ported.py')
    // meet() returns only once all four calls are in the port together
    const out = await mod.call('in_threads', ['meet_in_python', ['a', 'b', 'c', 'd'].map((t) => [folder, 4, t]), 4])
    expect(out).toEqual(['port a', 'port b', 'port c', 'port d'])
    expect(py.ports.meet.report().calls).toBe(4)
  })

  it('an async def port is awaitable: three calls wait together and the event loop keeps running', async () => {
    const folder = tmp()
    const mod = await bridge({ ameet: { ts: workerPool('meet.mjs', { threads: 3 }), mode: 'ts' } }).import('./ported.py')
    const out = await mod.call<{ results: string[]; ticks: number }>('gathered', [
      'ameet_in_python',
      ['x', 'y', 'z'].map((t) => [folder, 3, t]),
    ])
    expect(out.results).toEqual(['port x', 'port y', 'port z'])
    expect(out.ticks).toBeGreaterThan(1) // the loop ran while the three waited
  })

  it('a quick function that calls the port on the thread reading the socket hands the reading over (no deadlock)', async () => {
    const mod = await bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'ts' } }).import('./ported.py')
    const results: number[] = []
    for (let i = 1; i <= 60; i++) results.push(await mod.call<number>('sometimes', [i], { timeoutMs: 10_000 }))
    expect(results).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 2))
    expect(await mod.call('call', ['score', 'ok', 5])).toBe(10) // and the interpreter still answers
  })

  // 2 s port timeouts: a worker replaced after the crash must start within them, also on a loaded 2-core machine
  it('each port fault raises its PortError subclass in Python, with the TypeScript name, message and stack', async () => {
    const score = workerPool('score.mjs', { exportName: 'score', timeoutMs: 2000 })
    const mod = await bridge({ score: { ts: score, mode: 'ts' }, echo_args: { ts: workerPool('args.mjs'), mode: 'ts' } }).import(
      './ported.py',
    )
    const fault = (what: string) => mod.call<Described>('call_safely', ['score', what, 3])

    const thrown = await fault('throw')
    expect(thrown).toMatchObject({ error: 'PortError', port: 'score', ts_name: 'RangeError', ts_message: 'port refuses 3' })
    expect(thrown.mro).toEqual(['PortError', 'Exception', 'BaseException', 'object'])
    expect(thrown.ts_stack).toMatch(/RangeError: port refuses 3\n\s+at score .*score\.mjs/)
    expect(thrown.message).toBe('score: the TypeScript port failed: RangeError: port refuses 3')

    const hung = await fault('hang')
    expect(hung).toMatchObject({ error: 'PortTimeoutError', ts_name: 'PortTimeoutError' })
    expect(hung.ts_message).toMatch(/did not finish within 2000 ms/)
    expect(hung.mro.slice(0, 3)).toEqual(['PortTimeoutError', 'PortError', 'Exception'])

    const crashed = await fault('exit')
    expect(crashed).toMatchObject({ error: 'PortCrashedError', ts_name: 'PortCrashedError' })
    expect(crashed.mro).toContain('PortError')

    const unsendable = await fault('function')
    expect(unsendable).toMatchObject({ error: 'PortValueError', ts_name: 'PortOutputError' })
    expect(unsendable.ts_message).toMatch(/cannot send back: a function at \$/)

    const noCounterpart = await fault('date')
    expect(noCounterpart).toMatchObject({ error: 'PortValueError', ts_name: 'PythonValueError', where: 'result.when' })
    expect(noCounterpart.ts_message).toMatch(
      /^the port returned a Date instance at result\.when, which cannot cross to Python exactly; return a plain object/,
    )

    const argument = await mod.call<Described>('datetime_argument')
    expect(argument).toMatchObject({ error: 'PortValueError', port: 'echo_args', ts_name: null, where: "args[0]['when']" })
    expect(argument.message).toMatch(
      /a datetime\.datetime at args\[0\]\['when'\] \(parameter 'a'\) has no exact counterpart in JS; pass value\.isoformat\(\)/,
    )

    expect(await mod.call('call', ['score', 'ok', 4])).toBe(8) // every fault left the port serving
  })

  it("fallback: 'python' runs the Python original on each port fault, and the report counts it", async () => {
    const py = bridge({
      score: { ts: workerPool('score.mjs', { exportName: 'score', timeoutMs: 2000 }), mode: 'ts', fallback: 'python' },
      echo_args: { ts: workerPool('args.mjs'), mode: 'ts', fallback: 'python' },
    })
    const mod = await py.import('./ported.py')
    for (const what of ['throw', 'hang', 'exit', 'function', 'date']) expect(await mod.call('call', ['score', what, 3])).toBe(6)
    expect(await mod.call('call', ['score', 'wrong', 3])).toBe(7) // no fault: the port's (wrong) answer
    expect(await mod.call('datetime_argument')).toEqual({ value: "['python', {'when': datetime.datetime(2020, 1, 2, 0, 0)}, 2]" })
    const r = py.ports.score.report()
    expect([r.calls, r.fallbacks]).toEqual([6, 5])
    expect(renderReport(r)).toMatch(/5 fell back to Python/)
    expect(py.ports.echo_args.report().fallbacks).toBe(1)
  })
})

describe('shadow mode: Python answers, the port runs beside it', () => {
  it("returns Python's result whatever the port does; the report counts each outcome", async () => {
    const py = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow', shadowTimeoutMs: 3000 } })
    const mod = await py.import('./ported.py')
    expect(py.ports.score.mode).toBe('shadow')
    for (const [what, x] of [
      ['ok', 1],
      ['wrong', 2],
      ['throw', 3],
      ['exit', 6],
    ] as const)
      expect(await mod.call('call', ['score', what, x])).toBe(x * 2)
    expect(await mod.call('call', ['score', 'hang', 4])).toBe(8)
    // Python had its answer long before the hung port's 3 s deadline
    expect(py.ports.score.report().portTimeouts).toBe(0)
    await expect(mod.call('call', ['score', 'both', 5])).rejects.toThrow(/ValueError: python refuses 5/)
    await py.ports.score.settled()
    const r = py.ports.score.report()
    // ok and both (each side raised) match; wrong mismatches; throw and exit are port errors; hang timed out
    expect([r.calls, r.shadowed, r.matches, r.mismatches, r.portErrors, r.portTimeouts]).toEqual([6, 6, 2, 1, 2, 1])
    expect(r.examples.find((e) => e.outcome === 'mismatch')?.differences).toEqual([{ path: '$', python: '4', port: '5' }])
    expect(r.python?.n).toBe(6)
  })

  it('an async def in shadow mode: its own result, compared', async () => {
    const py = bridge({ ascore: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow' } })
    const mod = await py.import('./ported.py')
    const out = await mod.call<{ results: unknown[] }>('gathered', [
      'ascore',
      [
        ['ok', 1],
        ['wrong', 2],
        ['both', 3],
      ],
    ])
    expect(out.results).toEqual([2, 4, 'ValueError'])
    await py.ports.ascore.settled()
    expect([py.ports.ascore.report().matches, py.ports.ascore.report().mismatches]).toEqual([2, 1])
  })

  it('sample: 0 compares nothing but counts every call and its Python time', async () => {
    const py = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow', sample: 0 } })
    const mod = await py.import('./ported.py')
    expect(
      await mod.call('in_threads', [
        'score',
        [
          ['wrong', 1],
          ['wrong', 2],
          ['wrong', 3],
        ],
      ]),
    ).toEqual([2, 4, 6])
    const r = py.ports.score.report()
    expect([r.calls, r.shadowed, r.python?.n]).toEqual([3, 0, 3])
  })
})

describe('observations nothing waits for (shadow and sample notes) are batched, never lost or repeated', () => {
  it('a shadowed call made by a background thread, with no reply after it, still reaches the host', async () => {
    const py = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow' } })
    const mod = await py.import('./ported.py')
    expect(await mod.call('later_in_a_thread', ['score', ['ok', 4]])).toBe('started')
    await vi.waitFor(
      () => {
        expect(py.ports.score.report().calls).toBe(1)
      },
      { timeout: 5000, interval: 20 },
    )
    await py.ports.score.settled()
    expect(py.ports.score.report().matches).toBe(1)
  })

  it('every observation made during a call arrives before its reply', async () => {
    const py = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow', sample: 0 } })
    const mod = await py.import('./ported.py')
    const args = Array.from({ length: 50 }, (_, i) => ['ok', i])
    expect(await mod.call('in_threads', ['score', args])).toHaveLength(50)
    expect(py.ports.score.report().calls).toBe(50) // read synchronously, with the reply: nothing was left behind
  })

  it("a forked child does not send its parent's unsent observations again", async () => {
    const py = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow' } })
    const mod = await py.import('./ported.py')
    expect(await mod.call('fork_after', ['score', ['ok', 3]])).toBe(0)
    await new Promise((r) => setTimeout(r, 300)) // past the flusher's delay: a repeat would have arrived
    await py.ports.score.settled()
    const r = py.ports.score.report()
    expect([r.calls, r.matches]).toEqual([1, 1])
  })
})

describe('records from Python calls', () => {
  it('shadow records are the same format: `pyport report` and `pyport verify` read them', async () => {
    const dir = tmp()
    const shadowFile = path.join(dir, 'shadow.jsonl')
    const corpusFile = path.join(dir, 'corpus.jsonl')
    const py = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'shadow', record: shadowFile } })
    const mod = await py.import('./ported.py')
    for (const [what, x] of [
      ['ok', 1],
      ['wrong', 2],
      ['ok', 3],
    ] as const)
      await mod.call('call', ['score', what, x])
    await py.close() // closes the record file
    const lines = readFileSync(shadowFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { mode: string; name: string; args: unknown; outcome: string })
    // in the order the comparisons finished
    expect(
      lines.map((l) => [l.mode, l.name, l.args, l.outcome]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([
      ['shadow', 'score', ['ok', 1], 'match'],
      ['shadow', 'score', ['ok', 3], 'match'],
      ['shadow', 'score', ['wrong', 2], 'mismatch'],
    ])
    const summary = await summariseRecords([shadowFile])
    expect([summary.reports[0]?.matches, summary.reports[0]?.mismatches]).toEqual([2, 1])

    // python mode with `record`: Python's own calls make a corpus, which `pyport verify` replays against the port
    const recorder = bridge({ score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'python', record: corpusFile } })
    const rec = await recorder.import('./ported.py')
    for (const x of [1, 2, 3, 4]) expect(await rec.call('call', ['score', 'ok', x])).toBe(x * 2)
    await recorder.close()
    const verified = await replayCorpus({ corpus: corpusFile, port: { filename: portFile('score.mjs'), exportName: 'score' }, threads: 1 })
    expect([verified.calls, verified.matches, verified.passed]).toEqual([4, 4, true])
  })
})

describe('the host goes away', () => {
  it('Python threads waiting on ports raise HostClosedError at once, and so does every later port call; nothing hangs', async () => {
    const log = path.join(tmp(), 'log')
    const py = new PythonBridge({
      cwd: fixtures,
      forwardStderr: false,
      killGraceMs: 20_000,
      ports: { score: { ts: workerPool('score.mjs', { exportName: 'score', threads: 4 }), mode: 'ts' } },
    })
    const mod = await py.import('./ported.py')
    const pid = py.pid!
    const pending = mod.call('wait_on_port', [log, 4]).catch((e: unknown) => e)
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
    await expect.poll(lines, { timeout: 10_000 }).toHaveLength(4)
    await new Promise((r) => setTimeout(r, 300)) // the four calls reach the port, which never answers
    const t0 = Date.now()
    await py.close()
    // no SIGTERM was needed (that comes 20 s after EOF): every thread was released at once
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(isAlive(pid)).toBe(false)
    expect(await pending).toBeInstanceOf(BridgeClosedError)
    expect(lines().slice(4)).toEqual(Array(4).fill('HostClosedError then HostClosedError'))
  })
})

describe('PythonPool with ports', () => {
  it('serves every interpreter from the same WorkerPool, with one report per port', async () => {
    const pool = new PythonPool({
      size: 2,
      cwd: fixtures,
      forwardStderr: false,
      ports: { score: { ts: workerPool('score.mjs', { exportName: 'score' }), mode: 'ts' } },
    })
    try {
      const mod = await pool.import('./ported.py')
      const out = await mod.map(
        'call',
        Array.from({ length: 8 }, (_, i) => ['score', 'wrong', i]),
      )
      expect(out).toEqual(Array.from({ length: 8 }, (_, i) => i * 2 + 1))
      expect(pool.pids).toHaveLength(2)
      expect(pool.ports.score.report().calls).toBe(8)
      expect(pool.ports.score.mode).toBe('ts')
    } finally {
      await pool.close()
    }
  })
})

describe('port options', () => {
  const ts = () => workerPool('score.mjs', { exportName: 'score' })
  const make = (ports: unknown) => () => new PythonBridge({ cwd: fixtures, ports: ports as Record<string, PortOptions> })

  it('bad options are PyportOptionErrors naming the port and the option, at construction', () => {
    expect(make({ score: { ts: ts(), sample: 2 } })).toThrow(PyportOptionError)
    expect(make({ score: { ts: ts(), sample: 2 } })).toThrow(/PythonBridge option `ports.score`: `sample` must be a number from 0 to 1/)
    expect(make({ score: { ts: ts(), fallback: 'ts' } })).toThrow(/`ports.score`: `fallback` must be 'python'/)
    expect(make({ score: { ts: ts(), sampel: 0.5 } })).toThrow(/`ports.score`: unknown option `sampel`/)
    expect(make({ score: { ts: ts(), python: () => 1 } })).toThrow(
      /unknown option `python`: the Python side is the decorated function itself/,
    )
    expect(make({ score: { ts: 'score.mjs' } })).toThrow(/`ports.score`: `ts` must be a WorkerPool/)
    expect(make({ score: { ts: (x: number) => x } })).toThrow(
      /A plain function is refused: it would run on the host's main thread, where it could call back into the Python thread/,
    )
    expect(make({ score: { ts: ts(), mode: 'turbo' } })).toThrow(/`ports.score`: `mode` must be one of python, ts, shadow, got "turbo"/)
    expect(make([1])).toThrow(/PythonBridge: `ports` must be an object/)
    expect(make({ score: null })).toThrow(/`ports.score` must be an object/)
    expect(() => new PythonPool({ size: 1, ports: { score: { ts: ts(), readyAfter: 0 } } })).toThrow(
      /PythonPool option `ports.score`: `readyAfter`/,
    )
  })

  it('takes its mode from PYPORT_MODE_<NAME> like hybrid(), and says where from', () => {
    vi.stubEnv('PYPORT_MODE_SCORE', 'shadow')
    const py = new PythonBridge({ ports: { score: { ts: ts() } } })
    expect([py.ports.score.mode, py.ports.score.modeSource]).toEqual(['shadow', 'PYPORT_MODE_SCORE'])
    vi.stubEnv('PYPORT_MODE_SCORE', 'fast')
    expect(() => new PythonBridge({ ports: { score: { ts: ts() } } })).toThrow(/unknown mode "fast" from PYPORT_MODE_SCORE/)
  })

  it('a missing port file is a PortLoadError at construction, naming the file', () => {
    const missing = path.join(tmp(), 'rank-documents.js')
    const err = (() => {
      try {
        new PythonBridge({ ports: { rank: { ts: new WorkerPool({ filename: missing }), mode: 'ts' } } })
      } catch (e) {
        return e
      }
    })() as PortLoadError
    expect(err).toBeInstanceOf(PortLoadError)
    expect(err.message).toContain(`port file ${missing} does not exist`)
    expect(err.message).toMatch(/^PythonBridge option `ports.rank`/)
    // in python mode the port never runs: no check
    expect(() => new PythonBridge({ ports: { rank: { ts: new WorkerPool({ filename: missing }), mode: 'python' } } })).not.toThrow()
  })

  it('a port file without the export fails the first import with a PortLoadError naming the file and its exports', async () => {
    const py = bridge({ score: { ts: workerPool('constant.mjs'), mode: 'shadow' } })
    const err = (await py.import('./ported.py').catch((e: unknown) => e)) as PortLoadError
    expect(err).toBeInstanceOf(PortLoadError)
    expect(err.message).toMatch(
      /port "score" \(the `ports` option\): port .*constant\.mjs is not usable: it has no such export; callable exports: none/,
    )
    expect(py.pid).toBeUndefined() // no interpreter was started
  })
})
