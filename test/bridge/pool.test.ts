import { describe, expect, it } from 'vitest'
import { PythonPool } from '../../src/bridge/pool.js'
import { PythonError } from '../../src/bridge/errors.js'
import { closesAfterEach, fixtures, isAlive } from './helpers.js'

const pool = closesAfterEach((size: number) => new PythonPool({ size, cwd: fixtures, forwardStderr: false }))

describe('PythonPool', () => {
  it('runs `size` interpreters and spreads calls over them', async () => {
    const p = pool(2)
    const agent = await p.import('./agent.py')
    expect(new Set(p.pids).size).toBe(2)
    const pids = await Promise.all(Array.from({ length: 20 }, () => agent.call<number>('pid')))
    expect(new Set(pids)).toEqual(new Set(p.pids))
  })

  it('map cuts the list into slices, one per interpreter, and keeps the order', async () => {
    const agent = await pool(2).import('./agent.py')
    const items = Array.from({ length: 101 }, (_, i) => [i])
    expect(await agent.map<number>('square', items)).toEqual(items.map(([i]) => i! * i!))
    const pids = await agent.map<number>('pid', [[], [], [], []])
    expect(new Set(pids).size).toBe(2)
  })

  it('a failing map item keeps its index across slices', async () => {
    const agent = await pool(2).import('./agent.py')
    const items = Array.from({ length: 10 }, (_, i) => [i, 7])
    const err = (await agent.map('fail_on', items).catch((e: unknown) => e)) as PythonError
    expect(err).toBeInstanceOf(PythonError)
    expect(err.index).toBe(7)
  })

  it('sum_primes in chunks gives the same total as one call', async () => {
    const agent = await pool(2).import('./agent.py')
    const whole = await agent.call<number>('sum_primes', [2, 20_000])
    const chunks = [
      [2, 5000],
      [5000, 10_000],
      [10_000, 15_000],
      [15_000, 20_000],
    ]
    const parts = await agent.map<number>('sum_primes', chunks)
    expect(parts.reduce((a, b) => a + b, 0)).toBe(whole)
  })

  it('stats merge every interpreter; close() leaves no process', async () => {
    const p = pool(2)
    const agent = await p.import('./agent.py')
    await Promise.all(Array.from({ length: 10 }, (_, i) => agent.call('add', [i, i])))
    const stats = p.stats()
    expect(stats.interpreters.size).toBe(2)
    expect(stats.interpreters.started).toBe(2)
    expect(stats.functions.find((f) => f.function === 'add')?.calls).toBe(10)
    const pids = p.pids
    await p.close()
    expect(pids.some(isAlive)).toBe(false)
  })

  it('rejects a bad size', () => {
    expect(() => new PythonPool({ size: 0 })).toThrow(/`size` option/)
  })
})
