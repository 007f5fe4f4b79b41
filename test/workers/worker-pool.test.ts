import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import {
  PortCrashedError,
  PortError,
  PortInputError,
  PortLoadError,
  PortOutputError,
  PortTimeoutError,
  WorkerPoolClosedError,
} from '../../src/workers/errors.js'
import { PyportArgumentError, PyportOptionError } from '../../src/errors.js'
import { WorkerPool } from '../../src/workers/worker-pool.js'
import { defaultWorkerPoolOptions, resolveWorkerPoolOptions } from '../../src/workers/worker-pool-options.js'
import { portFixture } from './fixtures.js'

const pools: WorkerPool[] = []
function pool(options: ConstructorParameters<typeof WorkerPool>[0]): WorkerPool {
  const p = new WorkerPool(options)
  pools.push(p)
  return p
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()))
})

describe('WorkerPool', () => {
  it('runs the default export with one input, and apply() spreads several', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    expect(await p.apply(['echo', { a: [1, 2] }])).toEqual({ a: [1, 2] })
    const math = pool({ filename: new URL(`file://${portFixture('math.mjs')}`), exportName: 'add', threads: 1 })
    expect(await math.apply([2, 3])).toBe(5)
    expect(await math.run(4)).toBeNaN() // run(x) is add(x): b is undefined
  })

  it('carries Map, Set, bigint, bytes and NaN through the worker unchanged', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const value = { m: new Map([[1, 'x']]), s: new Set(['a']), big: 2n ** 70n, bytes: new Uint8Array([1, 255]), nan: NaN }
    expect(await p.apply(['echo', value])).toEqual(value)
  })

  it('a port that throws rejects that call only, with its error name and message', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const err = await p.apply(['throw', 5]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortError)
    expect((err as PortError).portErrorName).toBe('RangeError')
    expect((err as PortError).message).toContain('bad value 5')
    expect((err as PortError).portStack).toContain('faults.mjs')
    const str = await p.apply(['throw-string']).catch((e: unknown) => e)
    expect((str as PortError).portErrorName).toBe('non-Error value')
    expect(await p.apply(['echo', 'still here'])).toBe('still here')
  })

  it('a port that calls process.exit rejects that call with PortCrashedError and the pool keeps serving', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const results = await Promise.allSettled([p.apply(['exit']), p.apply(['echo', 1]), p.apply(['echo', 2])])
    expect(results[0].status).toBe('rejected')
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(PortCrashedError)
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/exited with code: 7/)
    expect(results.slice(1).map((r) => (r as PromiseFulfilledResult<unknown>).value)).toEqual([1, 2])
  })

  it('a port that runs out of memory crashes only its worker', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } })
    const err = await p.apply(['oom']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortCrashedError)
    expect((err as Error).message).toMatch(/memory/)
    expect(await p.apply(['echo', 'after oom'])).toBe('after oom')
  })

  it('a port that returns something a thread cannot send back is a PortOutputError naming what and where; the worker survives', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const err = await p.apply(['nested-function', 1]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortOutputError)
    expect((err as Error).message).toMatch(
      /faults\.mjs returned a value a worker thread cannot send back: a function \(fn\) at \$\[0\]\.fn\. Return data/,
    )
    await expect(p.apply(['function', 1])).rejects.toThrow(/cannot send back: a function at \$\./)
    await expect(p.apply(['symbol', 'tag'])).rejects.toThrow(/cannot send back: a symbol \(tag\) at \$\./)
    for (const small of [0, 'text', true, null, undefined, 2n ** 64n]) expect(await p.apply(['echo', small])).toBe(small)
    expect(await p.apply(['echo', 3])).toBe(3)
  })

  it('arguments a thread cannot receive are a PortInputError, and the pool keeps serving', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const err = await p.apply(['echo', () => 1]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortInputError)
    expect((err as Error).message).toMatch(/cannot be sent to a worker thread: .*could not be cloned.* Pass data/)
    expect(await p.apply(['echo', 3])).toBe(3)
  })

  it('a port that hangs past its timeout rejects with PortTimeoutError and its worker is replaced', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1, timeoutMs: 30_000 })
    const err = await p.apply(['hang'], { timeoutMs: 200 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortTimeoutError)
    expect((err as PortTimeoutError).timeoutMs).toBe(200)
    expect(await p.apply(['echo', 'next'])).toBe('next')
  })

  it('the timeout counts only time on a worker, not time queued for a free thread', async () => {
    const p = pool({ filename: portFixture('sleep.mjs'), threads: 1, timeoutMs: 600 })
    await p.ready()
    // One thread, four 200 ms calls at once: the last waits 600 ms for the thread, but runs for 200 ms only.
    const results = await Promise.allSettled([1, 2, 3, 4].map((v) => p.apply([200, v])))
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 2, 3, 4])
  })

  it('a PortTimeoutError says the time is counted from the start on a worker', async () => {
    const p = pool({ filename: portFixture('sleep.mjs'), threads: 1 })
    const err = await p.apply([5_000, 'late'], { timeoutMs: 100 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortTimeoutError)
    expect((err as Error).message).toMatch(
      /did not finish within 100 ms of starting on a worker \(time queued for a free thread not counted\); its worker was terminated/,
    )
  })

  it('a call aborted while it waits for a thread never runs; close() rejects the calls still waiting', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const ac = new AbortController()
    const running = p.apply(['hang'], { timeoutMs: 2_000 })
    const queued = p.apply(['exit'], { signal: ac.signal }) // would crash its worker if it ever ran
    ac.abort(new Error('not needed any more'))
    await expect(queued).rejects.toThrow('not needed any more')
    const waiting = p.apply(['echo', 1])
    const outcomes = Promise.allSettled([running, waiting])
    await p.close()
    const [r, w] = await outcomes
    expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WorkerPoolClosedError)
    expect((w as PromiseRejectedResult).reason).toBeInstanceOf(WorkerPoolClosedError)
    expect((w as PromiseRejectedResult).reason.message).toMatch(/closed before the call started/)
  })

  it("a caller's abort signal rejects with the signal's reason", async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const ac = new AbortController()
    const call = p.apply(['hang'], { signal: ac.signal })
    setTimeout(() => {
      ac.abort(new Error('caller gave up'))
    }, 100)
    await expect(call).rejects.toThrow('caller gave up')
  })

  it('apply() with arguments that are not an array is a PyportArgumentError (a TypeError), before any thread starts', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    const err = await p.apply(5 as unknown as unknown[]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PyportArgumentError)
    expect(err).toBeInstanceOf(TypeError)
    expect(err).toMatchObject({ code: 'PYPORT_BAD_ARGUMENT', owner: 'WorkerPool.apply', argument: 'args' })
    expect((err as Error).message).toMatch(/^WorkerPool\.apply: `args` must be an array of arguments \(e\.g\. \[1, 2\]\), got 5/)
  })

  it('a port file that does not exist rejects with PortLoadError naming the file and the fix', async () => {
    const p = pool({ filename: portFixture('missing.mjs') })
    const err = await p.run(1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortLoadError)
    expect((err as Error).message).toMatch(/missing\.mjs does not exist.*npm run build/)
  })

  it('a .ts port is refused with a hint to build it', async () => {
    await expect(pool({ filename: portFixture('port.ts') }).ready()).rejects.toThrow(/TypeScript source.*compiled \.js/)
  })

  it('a module that exports nothing callable, or a missing export, fails with the callable exports listed', async () => {
    const none = await pool({ filename: portFixture('no-callable.mjs'), threads: 1 })
      .ready()
      .catch((e: unknown) => e)
    expect(none).toBeInstanceOf(PortLoadError)
    expect((none as Error).message).toMatch(/no such export; callable exports: none/)
    expect(none).toMatchObject({ reason: 'no-export', callableExports: [] })
    const wrong = pool({ filename: portFixture('math.mjs'), exportName: 'mul', threads: 1 })
    const noExport = await wrong.run(1).catch((e: unknown) => e)
    expect((noExport as Error).message).toMatch(/math\.mjs#mul.*callable exports: add, slowDouble/)
    expect(noExport).toMatchObject({ reason: 'no-export', exportName: 'mul', callableExports: ['add', 'slowDouble'] })
    const notFn = pool({ filename: portFixture('math.mjs'), exportName: 'notCallable', threads: 1 })
    const notCallable = await notFn.ready().catch((e: unknown) => e)
    expect((notCallable as Error).message).toMatch(/is a number, not a function/)
    expect(notCallable).toMatchObject({ reason: 'not-callable', detail: 'number' })
  })

  it('a module that throws while loading is a PortLoadError', async () => {
    const err = await pool({ filename: portFixture('import-fails.mjs'), threads: 1 })
      .ready()
      .catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/importing it failed: this module fails while it loads/)
    expect(err).toMatchObject({ reason: 'import-failed', detail: expect.stringMatching(/fails while it loads/) })
  })

  it.runIf(process.platform === 'linux')('niceIncrement lowers the CPU priority of the worker threads only', async () => {
    const base = os.getPriority()
    const low = pool({ filename: portFixture('priority.mjs'), threads: 1, niceIncrement: 5 })
    expect(await low.run(null)).toBe(Math.min(19, base + 5))
    expect(os.getPriority()).toBe(base)
  })

  it('rejects calls after close()', async () => {
    const p = pool({ filename: portFixture('faults.mjs'), threads: 1 })
    await p.close()
    await expect(p.run(1)).rejects.toBeInstanceOf(WorkerPoolClosedError)
  })

  it('validates its options with messages that name the option', () => {
    expect(() => new WorkerPool({ filename: '' })).toThrow(/`filename` must be a path/)
    expect(() => new WorkerPool({ filename: 'x.js', threads: 0 })).toThrow(/`threads` must be a whole number >= 1, got 0/)
    expect(() => new WorkerPool({ filename: 'x.js', timeoutMs: -1 })).toThrow(/`timeoutMs`/)
    expect(() => new WorkerPool({ filename: 'x.js', niceIncrement: 20 })).toThrow(
      /`niceIncrement` must be a whole number from 0 to 19, got 20/,
    )
    expect(() => new WorkerPool({ filename: 'x.js', timeoutMs: NaN })).toThrow(PyportOptionError)
  })

  it('timeoutMs 0 or Infinity is no timeout, as on PythonBridge: for the pool and per call', async () => {
    for (const none of [0, Infinity]) {
      const p = pool({ filename: portFixture('sleep.mjs'), threads: 1, timeoutMs: none })
      expect(await p.apply([150, 'slow'])).toBe('slow')
    }
    const p = pool({ filename: portFixture('sleep.mjs'), threads: 1, timeoutMs: 50 })
    expect(await p.apply([150, 'per call'], { timeoutMs: 0 })).toBe('per call')
    expect(await p.apply([150, 'per call'], { timeoutMs: Infinity })).toBe('per call')
    await expect(p.apply([150, 'late'])).rejects.toBeInstanceOf(PortTimeoutError)
    await expect(p.apply([1, 'x'], { timeoutMs: -1 })).rejects.toThrow(
      /WorkerPool: `timeoutMs` must be a non-negative number of milliseconds \(0 or Infinity for none\), got -1/,
    )
  })

  it('resolveWorkerPoolOptions applies the named defaults', () => {
    const o = resolveWorkerPoolOptions({ filename: 'x.js' })
    expect(o).toMatchObject({ exportName: defaultWorkerPoolOptions.exportName, timeoutMs: 0, niceIncrement: 0, resourceLimits: undefined })
    expect(o.threads).toBe(Math.max(1, os.availableParallelism()))
    expect(resolveWorkerPoolOptions({ filename: 'x.js', timeoutMs: Infinity }).timeoutMs).toBe(0)
  })
})
