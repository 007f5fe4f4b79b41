import { afterAll, describe, expect, it } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { CallStats } from '../../src/bridge/stats.js'
import { fixtures } from './helpers.js'

describe('stats', () => {
  const py = new PythonBridge({ cwd: fixtures, forwardStderr: false })
  afterAll(() => py.close())

  it('counts calls, items, errors and bytes per function, JSON-serialisable', async () => {
    const agent = await py.import('./agent.py')
    for (let i = 0; i < 5; i++) await agent.call('add', [i, 1])
    await agent.map('square', [[1], [2], [3]])
    await agent.call('fail', ['x']).catch(() => undefined)
    await agent.call('sleep', [0.05])
    const stats = JSON.parse(JSON.stringify(py.stats())) as ReturnType<PythonBridge['stats']>
    const add = stats.functions.find((f) => f.function === 'add')!
    expect(add).toMatchObject({ module: 'agent', file: `${fixtures}/agent.py`, calls: 5, items: 5, errors: 0, timeouts: 0 })
    expect(add.bytesSent).toBeGreaterThan(0)
    expect(add.bytesReceived).toBeGreaterThan(0)
    expect(add.p50Ms).toBeGreaterThan(0)
    expect(add.pythonMs).toBeGreaterThan(0)
    expect(add.pythonMs).toBeLessThan(add.totalMs)
    expect(add.p50Ms).toBeLessThanOrEqual(add.p99Ms)
    expect(add.p99Ms).toBeLessThanOrEqual(add.maxMs)
    expect(stats.functions.find((f) => f.function === 'square')).toMatchObject({ calls: 1, items: 3 })
    expect(stats.functions.find((f) => f.function === 'fail')).toMatchObject({ calls: 1, errors: 1 })
    expect(stats.interpreters.started).toBe(1)
    // the shim times the function itself: a 50 ms sleep is at least 50 ms of Python time
    expect(stats.functions.find((f) => f.function === 'sleep')!.pythonMs).toBeGreaterThanOrEqual(50)
  })
})

describe('stats of calls rejected before they were sent', () => {
  it('counts an already-aborted call as cancelled, an unsendable argument and a call after close() as errors', async () => {
    const py = new PythonBridge({ cwd: fixtures, forwardStderr: false })
    const agent = await py.import('./agent.py')
    const aborted = new AbortController()
    aborted.abort()
    await expect(agent.call('echo', [1], { signal: aborted.signal })).rejects.toBeDefined()
    await expect(agent.call('echo', [() => 1])).rejects.toThrow(/function/)
    await expect(agent.map('square', [[1], [Symbol('s')]])).rejects.toThrow(/symbol/)
    await py.close()
    await expect(agent.call('echo', [1])).rejects.toThrow(/closed/)
    const stats = py.stats().functions
    const echo = stats.find((f) => f.function === 'echo')!
    expect(echo).toMatchObject({ calls: 3, items: 3, cancelled: 1, errors: 2, timeouts: 0, bytesSent: 0, totalMs: 0, p50Ms: 0 })
    expect(stats.find((f) => f.function === 'square')).toMatchObject({ calls: 1, items: 2, errors: 1 })
  })
})

describe('CallStats percentiles', () => {
  it('are within the histogram resolution of the true values', () => {
    const s = new CallStats()
    for (let i = 1; i <= 1000; i++)
      s.record({
        module: 'm',
        file: null,
        fn: 'f',
        items: 1,
        ms: i / 10,
        pythonMs: i / 20,
        queuedMs: 0,
        outcome: 'ok',
        bytesSent: 1,
        bytesReceived: 1,
      })
    const [f] = CallStats.merged([s])
    expect(f!.p50Ms).toBeGreaterThan(50 * 0.96)
    expect(f!.p50Ms).toBeLessThan(50 * 1.04)
    expect(f!.p99Ms).toBeGreaterThan(99 * 0.96)
    expect(f!.p99Ms).toBeLessThanOrEqual(100)
    expect(f!.totalMs).toBeCloseTo(50050, 0)
    expect(f!.pythonMs).toBeCloseTo(25025, 0)
  })
})
