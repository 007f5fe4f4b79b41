import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { BridgeTimeoutError, PythonError } from '../../src/bridge/errors.js'
import { closesAfterEach, newTestBridge, waitGone } from './helpers.js'

const bridge = closesAfterEach(newTestBridge)

/** A fresh log file: each call the fixture runs appends its tag, whichever interpreter runs it. */
function logFile(): { file: string; lines: () => string[] } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pyport-log-')), 'ran.log')
  return { file, lines: () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []) }
}

describe('async def', () => {
  it('runs any number of coroutine calls at once on one interpreter', async () => {
    const mod = await bridge({}).import('./concurrent.py')
    // each call returns only once all 200 are waiting together
    const results = await Promise.all(Array.from({ length: 200 }, () => mod.call('wait_all', [200])))
    expect(results).toEqual(Array(200).fill(200))
  })

  it('awaits an async classmethod, and an awaitable returned by a sync function', async () => {
    const mod = await bridge({}).import('./concurrent.py')
    expect(await mod.call('Agent.create', ['scout'])).toBe('created scout')
    expect(await mod.call('returns_coroutine', [21])).toBe(42)
    expect(await mod.call('returns_future', [41])).toBe(42)
  })

  it('an exception in a coroutine is a PythonError with its traceback', async () => {
    const mod = await bridge({}).import('./concurrent.py')
    const err = (await mod.call('boom').catch((e: unknown) => e)) as PythonError
    expect(err).toBeInstanceOf(PythonError)
    expect(err.pythonType).toBe('ValueError')
    expect(err.traceback).toMatch(/async boom/)
  })

  it('a timeout cancels a coroutine (its finally runs) and the interpreter lives on', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    const pid = py.pid
    const err = (await mod.call('forever', ['t1'], { timeoutMs: 200 }).catch((e: unknown) => e)) as BridgeTimeoutError
    expect(err).toBeInstanceOf(BridgeTimeoutError)
    expect(err.inPython).toBe('cancelled')
    const ac = new AbortController()
    const aborted = mod.call('forever', ['t2'], { signal: ac.signal })
    setTimeout(() => {
      ac.abort(new Error('user gave up'))
    }, 50)
    await expect(aborted).rejects.toThrow('user gave up')
    await expect.poll(() => mod.call<string[]>('cancelled_tags')).toEqual(['t1', 't2'])
    expect(py.pid).toBe(pid)
    expect(py.stats().interpreters.replaced).toBe(0)
  })

  it('a coroutine that never awaits (it blocks the event loop) cannot be cancelled: its interpreter is retired', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    const oldPid = py.pid!
    await expect(mod.call('never_awaits', [], { timeoutMs: 200 })).rejects.toMatchObject({ inPython: 'cancelled' })
    await expect.poll(() => py.stats().interpreters.replaced, { timeout: 5000 }).toBe(1)
    expect(await mod.call('wait_all', [1])).toBe(1) // a fresh interpreter, whose loop runs
    expect(py.pid).not.toBe(oldPid)
    expect(await waitGone(oldPid)).toBe(true)
  })
})

describe('concurrency: N synchronous calls at once', () => {
  it('rejects a `concurrency` that is not a positive integer, naming the option', () => {
    for (const bad of [0, -1, 1.5, 'x', NaN]) {
      expect(() => new PythonBridge({ concurrency: bad as number })).toThrow(/`concurrency` option/)
      expect(() => new PythonBridge({ concurrency: bad as number })).toThrow(TypeError)
    }
  })

  it('with concurrency: 4, four blocking calls run at once on four threads', async () => {
    const mod = await bridge({ concurrency: 4 }).import('./concurrent.py')
    const names = await Promise.all(Array.from({ length: 4 }, () => mod.call<string>('meet', [4, 'four'])))
    expect(new Set(names).size).toBe(4)
  })

  it('map() honours it: its items run on the threads at once', async () => {
    const mod = await bridge({ concurrency: 3 }).import('./concurrent.py')
    expect(
      (
        await mod.map<string>('meet', [
          [3, 'map'],
          [3, 'map'],
          [3, 'map'],
        ])
      ).length,
    ).toBe(3)
  })

  it('the default, 1, runs sync calls one at a time, in order, and stats() shows the time they queued', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    const log = logFile()
    await Promise.all(['a', 'b', 'c', 'd'].map((t) => mod.call('block', [log.file, t, 0.05])))
    expect(log.lines()).toEqual(['a', 'b', 'c', 'd'])
    const stats = py.stats()
    expect(stats.interpreters.concurrency).toBe(1)
    expect(stats.functions.find((f) => f.function === 'block')!.queuedMs).toBeGreaterThan(50) // b, c, d waited
  })
})

describe('at most once', () => {
  it('A runs; B times out while queued; C is queued after B: B never runs, C runs once, on the same interpreter', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    const log = logFile()
    const pid = py.pid
    const a = mod.call('block', [log.file, 'A', 0.6])
    const b = mod.call('block', [log.file, 'B', 0], { timeoutMs: 100 }).catch((e: unknown) => e)
    const c = mod.call('block', [log.file, 'C', 0])
    expect(((await b) as BridgeTimeoutError).inPython).toBe('not-started')
    expect(await a).toBe('A')
    expect(await c).toBe('C')
    expect(log.lines()).toEqual(['A', 'C'])
    expect(py.pid).toBe(pid)
  })

  it('a running sync call times out: it rejects at once, the calls queued behind it run once on a fresh interpreter, the old one is stopped', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    const log = logFile()
    const oldPid = py.pid!
    const a = mod.call('block', [log.file, 'A', 30], { timeoutMs: 300 }).catch((e: unknown) => e)
    const queued = ['B', 'C', 'D'].map((t) => mod.call('block', [log.file, t, 0]))
    const err = (await a) as BridgeTimeoutError
    expect(err).toBeInstanceOf(BridgeTimeoutError)
    expect(err.inPython).toBe('still-running')
    expect(await Promise.all(queued)).toEqual(['B', 'C', 'D'])
    expect(log.lines()).toEqual(['A', 'B', 'C', 'D'])
    expect(py.pid).not.toBe(oldPid)
    expect(await waitGone(oldPid)).toBe(true)
    expect(py.stats().interpreters.replaced).toBe(1)
  })

  it('with concurrency: 2, a timed-out sync call leaves the other running call to finish on the retired interpreter', async () => {
    const py = bridge({ concurrency: 2 })
    const mod = await py.import('./concurrent.py')
    const log = logFile()
    const oldPid = py.pid!
    const other = mod.call<number>('block', [log.file, 'other', 0.8])
    const stuck = mod.call('block', [log.file, 'stuck', 30], { timeoutMs: 200 }).catch((e: unknown) => e)
    expect(((await stuck) as BridgeTimeoutError).inPython).toBe('still-running')
    const fresh = await mod.call<number>('pid') // goes to a fresh interpreter at once
    expect(fresh).not.toBe(oldPid)
    expect(await other).toBe('other') // finished where it was
    expect(await waitGone(oldPid)).toBe(true)
  })
})

describe('at most once, under a busy host', () => {
  it('a call the drain dropped, whose own timeout fired before the host read the drop, is reported not-started', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    const log = logFile()
    const t0 = Date.now()
    const a = mod.call('block', [log.file, 'A', 0.3], { timeoutMs: 100 }).catch((e: unknown) => {
      while (Date.now() < t0 + 200); // the host is busy (a GC pause, a big JSON.parse) until B's deadline has passed
      return e
    })
    const b = mod.call('block', [log.file, 'B', 0], { timeoutMs: 150 }).catch((e: unknown) => e)
    const c = mod.call('block', [log.file, 'C', 0])
    expect(((await a) as BridgeTimeoutError).inPython).toBe('still-running')
    expect(((await b) as BridgeTimeoutError).inPython).toBe('not-started')
    expect(await c).toBe('C')
    expect(log.lines()).toEqual(['A', 'C'])
  })

  it('never runs more than concurrency + 1 call threads, however many calls are in flight', async () => {
    const py = bridge({ concurrency: 2 })
    const mod = await py.import('./concurrent.py')
    await Promise.all(Array.from({ length: 600 }, () => mod.call('nap', [0.002])))
    const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${py.pid}/status`, 'utf8'))![1])
    expect(threads).toBeLessThanOrEqual(2 + 1 + 2) // the call threads, the main thread (event loop), the host watch
  })
})

describe('the channel', () => {
  it('user code writing to fd 3 cannot corrupt it: the call gets OSError, and later calls work', async () => {
    const mod = await bridge({}).import('./concurrent.py')
    const err = (await mod.call('write_fd3').catch((e: unknown) => e)) as PythonError
    expect(err).toBeInstanceOf(PythonError)
    expect(err.pythonType).toBe('OSError')
    expect(await mod.call('pid')).toBeTypeOf('number')
  })

  it("a line that is not pyport's stops that interpreter only: pending calls fail, the next calls all go to a fresh one", async () => {
    const py = bridge({ concurrency: 2 })
    const mod = await py.import('./concurrent.py')
    const log = logFile()
    const oldPid = py.pid!
    const pending = mod.call('block', [log.file, 'p', 30]).catch((e: unknown) => e)
    await expect(mod.call('write_channel', ['partial\n'])).rejects.toMatchObject({ name: 'BridgeClosedError', reason: 'protocol' })
    expect(await pending).toMatchObject({ name: 'BridgeClosedError', reason: 'protocol' })
    const pids = await Promise.all(Array.from({ length: 20 }, () => mod.call<number>('pid')))
    expect(new Set(pids).size).toBe(1)
    expect(pids[0]).not.toBe(oldPid)
    expect(await waitGone(oldPid)).toBe(true)
  })

  it('a result over maxMessageChars is a PythonValueError naming its size; the interpreter lives on', async () => {
    const py = bridge({ maxMessageChars: 1_000_000 })
    const mod = await py.import('./concurrent.py')
    const pid = py.pid
    await expect(mod.call('text', [2_000_000])).rejects.toMatchObject({
      name: 'PythonValueError',
      hint: expect.stringMatching(/the result is 1\.9 Mi characters once encoded, over the bridge's limit of 976\.6 ki characters/),
    })
    expect(await mod.call<string>('text', [3])).toBe('ééé')
    expect(py.pid).toBe(pid)
  })

  it('a line longer than the host accepts is dropped unjoined: a protocol error for that interpreter, never a host crash', async () => {
    const py = bridge({ maxMessageChars: 1024 }) // the host joins lines up to 2 × 1024 + 4096 characters
    const mod = await py.import('./concurrent.py')
    const oldPid = py.pid!
    await expect(mod.call('write_channel', ['x'.repeat(50_000) + '\n'])).rejects.toMatchObject({
      name: 'BridgeClosedError',
      reason: 'protocol',
      message: expect.stringMatching(/over the host's limit/),
    })
    expect(await mod.call('pid')).not.toBe(oldPid)
  })

  it('MemoryError while a result is encoded is a PythonValueError about the result, not an error of the function', async () => {
    const mod = await bridge({}).import('./concurrent.py')
    const err = await mod.call('out_of_memory_result').catch((e: unknown) => e)
    expect(err).toMatchObject({
      name: 'PythonValueError',
      direction: 'to-js',
      where: "['rows']",
      hint: expect.stringMatching(/raised MemoryError/),
    })
  })

  it('non-ASCII text crosses unescaped (a character is not six)', async () => {
    const py = bridge({})
    const mod = await py.import('./concurrent.py')
    expect(await mod.call<string>('text', [10_000, '日'])).toBe('日'.repeat(10_000))
    expect(await mod.call<string>('text', [1, '\ud800'])).toBe('\ud800') // a lone surrogate still crosses exactly
    const received = py.stats().functions.find((f) => f.function === 'text')!.bytesReceived
    expect(received).toBeLessThan(10_000 + 400)
  })
})

describe('imports', () => {
  it('a fresh interpreter re-imports before calls are sent: re-import time never counts against a call', async () => {
    const py = bridge({ env: { SLOW_IMPORT_S: '1' } })
    const mod = await py.import('./slow_import.py')
    await expect(mod.call('die')).rejects.toMatchObject({ name: 'BridgeClosedError' })
    expect(await mod.call('ping', [], { timeoutMs: 500 })).toBe('pong') // the re-import alone takes 1 s
  })

  it('imports have their own timeout, importTimeoutMs', async () => {
    const py = bridge({ env: { SLOW_IMPORT_S: '30' }, importTimeoutMs: 300 })
    const err = (await py.import('./slow_import.py').catch((e: unknown) => e)) as BridgeTimeoutError
    expect(err).toBeInstanceOf(BridgeTimeoutError)
    expect(err.timeoutMs).toBe(300)
    expect(err.function).toBe('<import>')
  })

  it('module code runs on the main thread (it may set signal handlers); a call that sets one gets a clear ValueError', async () => {
    const mod = await bridge({}).import('./sigterm_deaf.py')
    expect(await mod.call('ignoring')).toBe(true)
    const other = await bridge({}).import('./concurrent.py')
    await expect(other.call('set_signal')).rejects.toMatchObject({
      pythonType: 'ValueError',
      pythonMessage: expect.stringMatching(/main thread/),
    })
  })
})

describe("the user's own environment", () => {
  const shadowing = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/bridge/shadowing')

  it('an ast.py, dis.py or opcode.py in the working directory does not stop the interpreter', async () => {
    const py = new PythonBridge({ cwd: shadowing, forwardStderr: false })
    try {
      expect(await (await py.import('./work.py')).call('answer')).toBe(42)
    } finally {
      await py.close()
    }
  })

  it.each(['spawn', 'forkserver'])('multiprocessing with the %s context works inside a call', async (method) => {
    const py = new PythonBridge({ cwd: shadowing, forwardStderr: false })
    try {
      const work = await py.import('./work.py')
      expect(await work.call('pool_squares', [method, 4], { timeoutMs: 60_000 })).toEqual([0, 1, 4, 9])
    } finally {
      await py.close()
    }
  })
})
