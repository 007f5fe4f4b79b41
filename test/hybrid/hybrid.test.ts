import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { decodeRecordValue } from '../../src/hybrid/record-codec.js'
import { PyportOptionError } from '../../src/errors.js'
import { HybridConfigError } from '../../src/hybrid/errors.js'
import { hybrid } from '../../src/hybrid/hybrid.js'
import { renderReport } from '../../src/hybrid/render.js'
import type { RecordedCall } from '../../src/hybrid/record-types.js'
import { WorkerPool } from '../../src/workers/worker-pool.js'
import { portFixture } from '../workers/fixtures.js'

/** A promise you settle from outside: lets tests order events by messages, not sleeps. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const double = async (x: number) => x * 2
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyport-hybrid-'))
const pools: WorkerPool[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(pools.splice(0).map((p) => p.close()))
})

describe('hybrid modes', () => {
  it('python mode calls only Python; ts mode calls only the port', async () => {
    const py = vi.fn(double)
    const port = vi.fn(async (x: number) => x * 2)
    const a = hybrid({ name: 'double', python: py, ts: port, mode: 'python' })
    expect(await a(4)).toBe(8)
    expect(py).toHaveBeenCalledTimes(1)
    expect(port).not.toHaveBeenCalled()
    const b = hybrid({ name: 'double', python: py, ts: port, mode: 'ts' })
    expect(await b(5)).toBe(10)
    expect(port).toHaveBeenCalledWith(5)
    expect(py).toHaveBeenCalledTimes(1)
    expect(b.report().port?.n).toBe(1)
  })

  it("python mode rethrows Python's own error; ts mode rejects with the port's", async () => {
    const boom = new Error('python said no')
    const py = hybrid({
      name: 'f',
      mode: 'python',
      python: async (_x: number): Promise<number> => {
        throw boom
      },
      ts: double,
    })
    await expect(py(1)).rejects.toBe(boom)
    const ts = hybrid({
      name: 'f',
      mode: 'ts',
      python: double,
      ts: async () => {
        throw new RangeError('port said no')
      },
    })
    await expect(ts(1)).rejects.toThrow(RangeError)
  })

  it('takes its mode from PYPORT_MODE_<NAME>, then PYPORT_MODE, and reports where from', async () => {
    vi.stubEnv('PYPORT_MODE', 'ts')
    expect(hybrid({ name: 'double', python: double, ts: double }).modeSource).toBe('PYPORT_MODE')
    vi.stubEnv('PYPORT_MODE_DOUBLE', 'shadow')
    const fn = hybrid({ name: 'double', python: double, ts: double })
    expect([fn.mode, fn.modeSource]).toEqual(['shadow', 'PYPORT_MODE_DOUBLE'])
  })

  it('an unknown mode name is a HybridConfigError at creation (a PyportOptionError from the `mode` option)', () => {
    vi.stubEnv('PYPORT_MODE_DOUBLE', 'turbo')
    expect(() => hybrid({ name: 'double', python: double, ts: double })).toThrow(HybridConfigError)
    expect(() => hybrid({ name: 'double', python: double, ts: double, mode: 'rust' as 'ts' })).toThrow(PyportOptionError)
    expect(() => hybrid({ name: 'double', python: double, ts: double, mode: 'rust' as 'ts' })).toThrow(
      /`mode` must be one of python, ts, shadow, got "rust"/,
    )
  })

  it('rejects bad options with a message naming the option', () => {
    const base = { name: 'f', python: double, ts: double, mode: 'shadow' as const }
    expect(() => hybrid({ ...base, sample: 1.5 })).toThrow(
      /`sample` must be a number from 0 to 1 \(the fraction of calls shadowed\), got 1.5/,
    )
    expect(() => hybrid({ ...base, shadowTimeoutMs: 0 })).toThrow(/`shadowTimeoutMs`/)
    for (const bad of [0, 2.5, -1, Infinity, '8']) {
      expect(() => hybrid({ ...base, maxShadowBacklog: bad as number })).toThrow(PyportOptionError)
      expect(() => hybrid({ ...base, maxShadowBacklog: bad as number })).toThrow(/`maxShadowBacklog` must be a whole number >= 1/)
    }
    expect(() => hybrid({ ...base, readyAfter: 2.5 })).toThrow(/`readyAfter`/)
    expect(() => hybrid({ ...base, name: '' })).toThrow(/`name`/)
    expect(() => hybrid({ ...base, ts: 'port.js' as never })).toThrow(/`ts` must be a WorkerPool or a function/)
    expect(() => hybrid({ ...base, compare: { rtol: -1 } })).toThrow(/`rtol`/)
    expect(() => hybrid({ ...base, ignore: [{ reason: 'x' }] })).toThrow(/needs a `path` pattern/)
    expect(() => hybrid({ ...base, fallback: 'ts' as 'python' })).toThrow(/`fallback` must be 'python'/)
  })

  it("fallback: 'python' runs Python when the port fails in ts mode, and the report counts it", async () => {
    const pool = new WorkerPool({ filename: portFixture('faults.mjs'), threads: 1, timeoutMs: 300 })
    pools.push(pool)
    const py = vi.fn(async (what: string, v: number) => `python ${what} ${v}`)
    const fn = hybrid({ name: 'faults', mode: 'ts', python: py, ts: pool, fallback: 'python' })
    expect(await fn('echo', 1)).toBe(1)
    for (const what of ['throw', 'exit', 'hang', 'function']) expect(await fn(what, 2)).toBe(`python ${what} 2`)
    expect(py).toHaveBeenCalledTimes(4)
    const r = fn.report()
    expect([r.calls, r.fallbacks, r.port?.n]).toEqual([5, 4, 1])
    expect(renderReport(r)).toMatch(/, 4 fell back to Python\n/)
    // without it, the port's error reaches the caller, and nothing falls back
    const strict = hybrid({ name: 'faults', mode: 'ts', python: py, ts: pool })
    await expect(strict('throw', 3)).rejects.toThrow(/RangeError: bad value 3/)
    expect(strict.report().fallbacks).toBe(0)
  })
})

describe('hybrid shadow mode', () => {
  it('returns what Python returned while the port is still running, then records the comparison', async () => {
    const portGate = deferred<number>()
    let portStarted = false
    const fn = hybrid({
      name: 'double',
      mode: 'shadow',
      python: double,
      ts: async () => {
        portStarted = true
        return portGate.promise
      },
    })
    expect(await fn(21)).toBe(42)
    expect(portStarted).toBe(false) // an in-thread port starts only after the caller has resumed
    await vi.waitFor(() => {
      expect(portStarted).toBe(true)
    })
    expect(fn.report().shadowed).toBe(0) // the port has not answered: nothing judged yet
    portGate.resolve(42)
    await fn.settled()
    const r = fn.report()
    expect([r.calls, r.shadowed, r.matches, r.mismatches]).toEqual([1, 1, 1, 0])
    expect(r.python?.n).toBe(1)
    expect(r.port?.n).toBe(1)
  })

  it('an in-thread port starts only after the caller has its result, so a synchronous port never delays the caller', async () => {
    const events: string[] = []
    const fn = hybrid({
      name: 'double',
      mode: 'shadow',
      python: async (x: number) => {
        events.push('python')
        return x * 2
      },
      ts: (x: number) => {
        events.push('port')
        return x * 2
      }, // synchronous: it would block whatever runs with it
    })
    expect(await fn(4)).toBe(8)
    events.push('caller resumed')
    await fn.settled()
    expect(events).toEqual(['python', 'caller resumed', 'port'])
    expect(fn.report().matches).toBe(1)
  })

  it("an in-thread port that sorts its input in place changes neither the caller's array nor the result", async () => {
    const records: RecordedCall[] = []
    const fn = hybrid({
      name: 'first',
      mode: 'shadow',
      record: (r) => {
        records.push(r)
      },
      python: async (xs: number[]) => xs[0],
      ts: (xs: number[]) => xs.sort((a, b) => b - a)[0],
    })
    const input = [1, 2, 3]
    expect(await fn(input)).toBe(1)
    await fn.settled()
    expect(input).toEqual([1, 2, 3])
    expect(fn.report().mismatches).toBe(1) // the port's answer (3) differs: it is judged, not hidden
    expect(decodeRecordValue(records[0]?.args as never)).toEqual([[1, 2, 3]])
  })

  it('Python raising: the caller gets that very error; the port result is compared and recorded, not returned', async () => {
    const boom = Object.assign(new Error('division by zero'), { pythonType: 'ZeroDivisionError' })
    const records: RecordedCall[] = []
    const fn = hybrid({
      name: 'div',
      mode: 'shadow',
      python: async (_a: number, _b: number): Promise<number> => {
        throw boom
      },
      ts: async (a: number, b: number) => a / b,
      record: (r) => {
        records.push(r)
      },
    })
    await expect(fn(1, 0)).rejects.toBe(boom)
    await fn.settled()
    expect(fn.report().mismatches).toBe(1)
    expect(records[0]?.python).toMatchObject({ ok: false, error: { type: 'ZeroDivisionError', message: 'division by zero' } })
    expect(records[0]?.port).toMatchObject({ ok: true, value: { $t: 'float', v: 'Infinity' } })
    expect(records[0]?.differences?.[0]?.python).toBe('raised ZeroDivisionError: division by zero')
  })

  it("a caller mutating its arguments or Python's result after the call changes nothing that is compared or recorded", async () => {
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a gate that opens with no value
    const portGate = deferred<void>()
    const records: RecordedCall[] = []
    const fn = hybrid({
      name: 'sorted',
      mode: 'shadow',
      record: (r) => {
        records.push(r)
      },
      python: async (xs: number[]) => [...xs].sort((a, b) => a - b),
      ts: async (xs: number[]) => {
        const mine = [...xs] // an in-thread port reads its arguments when called, like a synchronous port would
        await portGate.promise
        return mine.sort((a, b) => a - b)
      },
    })
    const input = [3, 1, 2]
    const result = await fn(input)
    result.reverse()
    input.push(99)
    portGate.resolve()
    await fn.settled()
    expect(fn.report().matches).toBe(1)
    expect(decodeRecordValue(records[0]?.args as never)).toEqual([[3, 1, 2]])
  })

  it('both raising counts as a match', async () => {
    const fn = hybrid({
      name: 'f',
      mode: 'shadow',
      python: async () => {
        throw new Error('py')
      },
      ts: async () => {
        throw new Error('ts')
      },
    })
    await expect(fn()).rejects.toThrow('py')
    await fn.settled()
    expect(fn.report().matches).toBe(1)
  })

  it('Python raising while the port times out or its worker crashes is a port failure, not a match', async () => {
    const pool = new WorkerPool({ filename: portFixture('faults.mjs'), threads: 1 })
    pools.push(pool)
    const fn = hybrid({
      name: 'faults',
      mode: 'shadow',
      shadowTimeoutMs: 300,
      ts: pool,
      python: async (_what: string): Promise<string> => {
        throw new Error('py')
      },
    })
    await expect(fn('exit')).rejects.toThrow('py')
    await expect(fn('hang')).rejects.toThrow('py')
    await fn.settled()
    const r = fn.report()
    expect([r.matches, r.portErrors, r.portTimeouts]).toEqual([0, 1, 1])
    expect(r.examples[0]?.differences[0]?.python).toBe('raised Error: py')
  })

  it('a port that throws never reaches the caller and counts as a port error', async () => {
    const fn = hybrid({
      name: 'f',
      mode: 'shadow',
      python: double,
      ts: () => {
        throw new TypeError('port bug')
      },
    })
    expect(await fn(2)).toBe(4)
    await fn.settled()
    const r = fn.report()
    expect(r.portErrors).toBe(1)
    expect(r.examples[0]?.differences[0]?.port).toBe('threw TypeError: port bug')
    expect(r.verdict).toEqual({ ready: false, text: 'not ready: 1 port error' })
  })

  it('a port that hangs is cut off by shadowTimeoutMs and counted as a timeout', async () => {
    const fn = hybrid({ name: 'f', mode: 'shadow', shadowTimeoutMs: 50, python: double, ts: () => new Promise<number>(() => {}) })
    expect(await fn(3)).toBe(6)
    await fn.settled()
    expect(fn.report().portTimeouts).toBe(1)
    expect(fn.report().port).toBeNull()
  })

  it('a synchronous in-thread port that overruns shadowTimeoutMs cannot be cut, but counts as a timeout', async () => {
    const busy = (ms: number) => {
      const t0 = performance.now()
      while (performance.now() - t0 < ms) {
        // holds the thread, as CPU-bound synchronous code does
      }
      return 6
    }
    const fn = hybrid({ name: 'f', mode: 'shadow', shadowTimeoutMs: 10, python: double, ts: () => busy(50) })
    expect(await fn(3)).toBe(6)
    await fn.settled()
    expect([fn.report().portTimeouts, fn.report().matches]).toEqual([1, 0])
  })

  it('a port returning undefined or another type is a mismatch that names the path and both types', async () => {
    const none = hybrid({
      name: 'f',
      mode: 'shadow',
      python: async () => ({ hits: [1, 2] }),
      ts: async () => undefined as unknown as { hits: number[] },
    })
    await none()
    await none.settled()
    expect(none.report().examples[0]?.differences[0]).toEqual({
      path: '$',
      python: '{hits: [1, 2]} (object)',
      port: 'undefined (undefined)',
    })
    const str = hybrid({ name: 'f', mode: 'shadow', python: async () => [7], ts: async () => ['7'] as unknown as number[] })
    await str()
    await str.settled()
    expect(str.report().mismatches).toBe(1)
    expect(str.report().examples[0]?.differences[0]?.port).toBe('"7" (string)')
  })

  it('with a WorkerPool port, hangs terminate the worker and crashes are port errors; the caller sees Python only', async () => {
    const pool = new WorkerPool({ filename: portFixture('faults.mjs'), threads: 1 })
    pools.push(pool)
    const fn = hybrid({
      name: 'faults',
      mode: 'shadow',
      shadowTimeoutMs: 300,
      python: async (what: string, v: number) => `${what}:${v}`,
      ts: pool,
    })
    expect(await fn('hang', 1)).toBe('hang:1')
    // One thread: this call queues behind the hang; time spent queued does not count against its timeout.
    expect(await fn('exit', 2)).toBe('exit:2')
    // Both callers had Python's answer before either port call was judged: neither waited for the port.
    expect(fn.report().shadowed).toBe(0)
    await fn.settled()
    const r = fn.report()
    expect([r.portTimeouts, r.portErrors]).toEqual([1, 1])
    expect(await pool.apply(['echo', 'alive'])).toBe('alive')
  })

  it('sample shadows only that fraction of calls (0 shadows none)', async () => {
    const draws = [0.1, 0.9, 0.3, 0.7]
    let i = 0
    const port = vi.fn(double)
    const fn = hybrid({
      name: 'f',
      mode: 'shadow',
      sample: 0.5,
      random: () => draws[i++ % draws.length] as number,
      python: double,
      ts: port,
    })
    for (let k = 0; k < 4; k++) await fn(k)
    await fn.settled()
    expect(port).toHaveBeenCalledTimes(2)
    expect([fn.report().calls, fn.report().shadowed]).toEqual([4, 2])
    const never = vi.fn(double)
    const off = hybrid({ name: 'f', mode: 'shadow', sample: 0, python: double, ts: never })
    await off(1)
    expect(never).not.toHaveBeenCalled()
  })

  it('float tolerance and ignore rules turn accepted differences into matches or "ignored"', async () => {
    const tol = hybrid({ name: 'f', mode: 'shadow', compare: { rtol: 1e-9 }, python: async () => 0.1 + 0.2, ts: async () => 0.3 })
    await tol()
    await tol.settled()
    expect(tol.report().matches).toBe(1)
    const ign = hybrid({
      name: 'f',
      mode: 'shadow',
      ignore: [{ reason: 'display rounding', path: '$[*].pct' }],
      python: async () => [{ id: 1, pct: 12 }],
      ts: async () => [{ id: 1, pct: 13 }],
      readyAfter: 1,
    })
    await ign()
    await ign.settled()
    expect(ign.report()).toMatchObject({ ignored: 1, mismatches: 0, verdict: { ready: true } })
    expect(ign.report().examples[0]?.ignoredBy).toBe('display rounding')
  })

  it("isolate: false skips the copies: the comparison sees the caller's own result object (default: a private copy)", async () => {
    const seen: unknown[] = []
    const compare = (py: unknown) => {
      seen.push(py)
      return true
    }
    const python = async () => ({ hits: [1, 2] })
    const copied = hybrid({ name: 'f', mode: 'shadow', python, ts: python, compare })
    const a = await copied()
    await copied.settled()
    expect(seen[0]).toEqual(a)
    expect(seen[0]).not.toBe(a)
    const shared = hybrid({ name: 'f', mode: 'shadow', python, ts: python, compare, isolate: false })
    const b = await shared()
    await shared.settled()
    expect(seen[1]).toBe(b)
    expect(() => hybrid({ name: 'f', python, ts: python, isolate: 'no' as never })).toThrow(/`isolate` must be true or false, got "no"/)
  })

  it('a custom compare function decides equality', async () => {
    const fn = hybrid({
      name: 'f',
      mode: 'shadow',
      compare: (a, b) => String(a) === String(b),
      python: async () => 1,
      ts: async () => '1' as unknown as number,
    })
    await fn()
    await fn.settled()
    expect(fn.report().matches).toBe(1)
  })

  it('says "ready to switch" only after readyAfter matched calls and no mismatch', async () => {
    let wrong = false
    const fn = hybrid({ name: 'f', mode: 'shadow', readyAfter: 3, python: double, ts: async (x: number) => (wrong ? x : x * 2) })
    await fn(1)
    await fn(2)
    await fn.settled()
    expect(fn.report().verdict).toEqual({ ready: false, text: 'not ready yet: 2 of 3 matched calls needed, no mismatches so far' })
    await fn(3)
    await fn.settled()
    expect(fn.report().verdict.ready).toBe(true)
    expect(fn.report().verdict.text).toMatch(/^ready to switch: 3 matched calls/)
    wrong = true
    await fn(4)
    await fn.settled()
    expect(fn.report().verdict).toEqual({ ready: false, text: 'not ready: 1 mismatch' })
  })
})

describe('hybrid shadow mode under load', () => {
  it('a port slower than the call rate: calls beyond maxShadowBacklog are skipped and counted, never queued', async () => {
    // The port answers only when the test says so; the test waits on the count of port calls, never on time.
    const answers: Array<ReturnType<typeof deferred<number>>> = []
    const calledTimes = (n: number) => vi.waitUntil(() => answers.length >= n, { timeout: 30_000 })
    const port = vi.fn((_x: number) => {
      const d = deferred<number>()
      answers.push(d)
      return d.promise
    })
    const fn = hybrid({ name: 'double', mode: 'shadow', maxShadowBacklog: 2, python: double, ts: port })
    for (let x = 1; x <= 5; x++) expect(await fn(x)).toBe(2 * x) // every caller gets Python's answer
    await calledTimes(2)
    expect(port.mock.calls.map((c) => c[0])).toEqual([1, 2]) // calls 3 to 5 found the backlog full
    expect(fn.report()).toMatchObject({ calls: 3, shadowed: 0, skipped: 3 }) // the two in flight are not judged yet
    answers.forEach((d, i) => {
      d.resolve(2 * (i + 1))
    })
    await fn.settled()
    const r = fn.report()
    expect([r.calls, r.shadowed, r.matches, r.skipped]).toEqual([5, 2, 2, 3])
    expect(r.python?.n).toBe(5)
    expect((JSON.parse(JSON.stringify(r)) as { skipped: number }).skipped).toBe(3)
    expect(renderReport(r)).toMatch(/^ {2}calls 5, compared 2: 2 matched, .*, 0 port timeouts, 3 skipped \(not compared\)$/m)
    // The backlog drained: the next call is shadowed again.
    const next = fn(6)
    expect(await next).toBe(12)
    await calledTimes(3)
    expect(port.mock.calls.map((c) => c[0])).toEqual([1, 2, 6])
    answers[2]?.resolve(12)
    await fn.settled()
    expect([fn.report().shadowed, fn.report().skipped]).toEqual([3, 3])
    expect(renderReport(hybrid({ name: 'f', python: double, ts: double }).report())).not.toMatch(/skipped/) // shown only when there are some
  })

  it('close() drops shadow calls still waiting for a port thread (counted as skipped) and waits only for the one running', async () => {
    const shared = new SharedArrayBuffer(8)
    const cells = new Int32Array(shared) // [0]: the gate (0 closed), [1]: calls the port started
    const pool = new WorkerPool({ filename: portFixture('gate.mjs'), threads: 1 })
    pools.push(pool)
    const fn = hybrid({
      name: 'gate',
      mode: 'shadow',
      maxShadowBacklog: 3,
      python: async (_gate: SharedArrayBuffer, v: number) => v,
      ts: pool,
    })
    // One thread: call 1 runs (held at the gate), calls 2 and 3 wait for the thread, calls 4 and 5 find the backlog full.
    for (let v = 1; v <= 5; v++) expect(await fn(shared, v)).toBe(v)
    expect(fn.report().skipped).toBe(2)
    const closing = fn.close()
    Atomics.store(cells, 0, 1)
    Atomics.notify(cells, 0)
    await closing
    expect(Atomics.load(cells, 1)).toBe(1) // calls 2 and 3 never reached the port
    const r = fn.report()
    expect([r.calls, r.shadowed, r.matches, r.skipped]).toEqual([5, 1, 1, 4])
  })

  it('settled() waits for the shadow work started before it, not for calls made after it', async () => {
    const answers = [deferred<number>(), deferred<number>()]
    let n = 0
    const fn = hybrid({
      name: 'double',
      mode: 'shadow',
      python: double,
      ts: async (_x: number) => answers[n++]?.promise as Promise<number>,
    })
    await fn(1)
    const settled = fn.settled()
    await fn(2) // its port call stays unanswered while settled() is awaited
    answers[0]?.resolve(2)
    await settled // before the fix this waited for call 2 as well, and hung
    expect([fn.report().shadowed, fn.report().matches]).toEqual([1, 1])
    answers[1]?.resolve(4)
    await fn.settled()
    expect(fn.report().matches).toBe(2)
  })

  it('a call whose Python was still running when close() came is neither shadowed nor recorded, and counts as skipped', async () => {
    for (const mode of ['shadow', 'python'] as const) {
      const answer = deferred<number>()
      const records: RecordedCall[] = []
      const port = vi.fn(double)
      const fn = hybrid({
        name: 'double',
        mode,
        python: (_x: number) => answer.promise,
        ts: port,
        record: (r) => {
          records.push(r)
        },
      })
      const call = fn(1)
      await fn.close()
      answer.resolve(2)
      expect(await call).toBe(2)
      await fn.settled()
      expect(port).not.toHaveBeenCalled()
      expect(records).toEqual([])
      expect([fn.report().calls, fn.report().skipped]).toEqual([1, 1])
    }
  })
})

describe('hybrid arguments as Python sees them', () => {
  // A getter with a side effect (a counter, a cursor, a lazily filled cache): each read returns something new.
  const counting = () => {
    let reads = 0
    return {
      get n() {
        return ++reads
      },
    }
  }
  // Python reads its arguments after an await, as a wrapper that awaits its module first does.
  const python = async (o: { n: number }) => {
    await Promise.resolve()
    return o.n
  }

  it('Python reads its arguments first in every mode: the copies for the port and the record are taken after it', async () => {
    const seenByPython = async (options: { mode: 'python' | 'shadow'; isolate?: boolean; record?: () => void }) => {
      const fn = hybrid({ name: 'n', python, ts: (o: { n: number }) => o.n, ...options })
      const value = await fn(counting())
      await fn.close()
      return value
    }
    expect(await seenByPython({ mode: 'python' })).toBe(1)
    expect(await seenByPython({ mode: 'shadow' })).toBe(1)
    expect(await seenByPython({ mode: 'shadow', isolate: false })).toBe(1)
    expect(await seenByPython({ mode: 'python', record: () => {} })).toBe(1)
  })

  it('with a WorkerPool port too: the arguments are sent to the worker only after Python has read them', async () => {
    const pool = new WorkerPool({ filename: portFixture('faults.mjs'), threads: 1 })
    pools.push(pool)
    for (const isolate of [true, false]) {
      const fn = hybrid({ name: 'n', mode: 'shadow', isolate, python: async (_what: string, o: { n: number }) => python(o), ts: pool })
      expect(await fn('echo', counting())).toBe(1)
      await fn.close()
    }
  })
})

describe('hybrid recording', () => {
  it('writes every shadowed call to JSONL with lossless values, both durations, outcome and timestamp', async () => {
    const file = path.join(tmp, 'shadow.jsonl')
    const fn = hybrid({
      name: 'stats',
      mode: 'shadow',
      record: file,
      python: async (xs: bigint[]) => ({ total: xs.reduce((a, b) => a + b, 0n), seen: new Set(xs), ratio: NaN }),
      ts: async (xs: bigint[]) => ({ total: xs.reduce((a, b) => a + b, 0n), seen: new Set(xs), ratio: NaN }),
    })
    await fn([2n ** 70n, 1n])
    await fn.close()
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    const rec = JSON.parse(lines[0] as string) as RecordedCall
    expect(rec).toMatchObject({ v: 1, name: 'stats', mode: 'shadow', outcome: 'match' })
    expect(Date.parse(rec.at)).not.toBeNaN()
    expect(decodeRecordValue(rec.args)).toEqual([[2n ** 70n, 1n]])
    expect(rec.python.ok && 'value' in rec.python && decodeRecordValue(rec.python.value)).toEqual({
      total: 2n ** 70n + 1n,
      seen: new Set([2n ** 70n, 1n]),
      ratio: NaN,
    })
    expect(typeof rec.python.ms).toBe('number')
    expect(typeof rec.port?.ms).toBe('number')
  })

  it('python mode with record builds a corpus: one line per call, no port side', async () => {
    const file = path.join(tmp, 'corpus.jsonl')
    const port = vi.fn(double)
    const fn = hybrid({ name: 'double', mode: 'python', record: file, python: double, ts: port })
    for (const x of [1, 2, 3]) await fn(x)
    await fn.close()
    const recs = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RecordedCall)
    expect(recs.map((r) => [decodeRecordValue(r.args), r.python.ok && 'value' in r.python ? r.python.value : null, r.port])).toEqual([
      [[1], 2, undefined],
      [[2], 4, undefined],
      [[3], 6, undefined],
    ])
    expect(port).not.toHaveBeenCalled()
  })

  it("after close() calls still return Python's result but are neither shadowed nor recorded", async () => {
    const file = path.join(tmp, 'closed.jsonl')
    const port = vi.fn(double)
    const shadow = hybrid({ name: 'double', mode: 'shadow', python: double, ts: port, record: file })
    expect(await shadow(1)).toBe(2)
    await shadow.close()
    expect(await shadow(2)).toBe(4)
    await shadow.settled()
    expect(port).toHaveBeenCalledTimes(1)
    const corpus = hybrid({ name: 'double', mode: 'python', python: double, ts: double, record: file })
    await corpus(3)
    await corpus.close()
    expect(await corpus(4)).toBe(8)
    await corpus.settled()
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as RecordedCall).mode)).toEqual(['shadow', 'python'])
    expect([shadow.report().calls, shadow.report().shadowed]).toEqual([2, 1])
  })

  it('python mode records only the sampled fraction of calls', async () => {
    const records: RecordedCall[] = []
    const draws = [0.2, 0.8, 0.4, 0.9]
    let i = 0
    const fn = hybrid({
      name: 'double',
      mode: 'python',
      sample: 0.5,
      random: () => draws[i++] as number,
      record: (r) => {
        records.push(r)
      },
      python: double,
      ts: double,
    })
    for (const x of [1, 2, 3, 4]) expect(await fn(x)).toBe(2 * x)
    await fn.settled()
    expect(records.map((r) => decodeRecordValue(r.args))).toEqual([[1], [3]])
    expect(fn.report().calls).toBe(4)
  })

  it('class instances keep their class: both sides returning a Point match, and a Point argument is refused by the recorder and counted', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const both = hybrid({ name: 'p', mode: 'shadow', python: async () => new Point(1, 2), ts: () => new Point(1, 2) })
    expect(await both()).toBeInstanceOf(Point)
    await both.settled()
    expect([both.report().matches, both.report().mismatches]).toEqual([1, 0])
    const records: RecordedCall[] = []
    const corpus = hybrid({
      name: 'q',
      mode: 'python',
      python: async (p: Point) => p.x,
      ts: (p: Point) => p.x,
      record: (r) => {
        records.push(r)
      },
    })
    expect(await corpus(new Point(3, 4))).toBe(3)
    await corpus.settled()
    expect(records[0]?.args).toEqual({ $t: 'unencodable', v: expect.stringMatching(/cannot record a Point instance at \$\[0\]/) })
    expect(corpus.report().recordErrors).toBe(1)
  })

  it('a failing publisher or an unencodable port result never reaches the caller', async () => {
    const failing = hybrid({
      name: 'f',
      mode: 'shadow',
      python: double,
      ts: double,
      record: () => {
        throw new Error('log pipeline down')
      },
    })
    expect(await failing(1)).toBe(2)
    await failing.settled()
    expect(failing.report().recordErrors).toBe(1)
    const records: RecordedCall[] = []
    class Odd {
      x = 1
    }
    const odd = hybrid({
      name: 'f',
      mode: 'shadow',
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the case under test: Python's plain object against the port's class instance
      python: async () => ({ x: 1 }),
      ts: async () => new Odd(),
      record: (r) => {
        records.push(r)
      },
    })
    expect(await odd()).toEqual({ x: 1 })
    await odd.settled()
    expect(records[0]?.port).toMatchObject({ ok: true, unencodable: expect.stringMatching(/Odd instance/) })
    expect(records[0]?.outcome).toBe('mismatch')
  })

  it('an unwritable record file is counted, not thrown', async () => {
    const notADir = path.join(tmp, 'plain-file')
    writeFileSync(notADir, '')
    const fn = hybrid({ name: 'f', mode: 'shadow', python: double, ts: double, record: path.join(notADir, 'x.jsonl') })
    expect(await fn(1)).toBe(2)
    await fn.close()
    expect(fn.report().recordErrors).toBe(1)
  })
})
