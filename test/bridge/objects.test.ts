import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { PythonPool } from '../../src/bridge/pool.js'
import { PythonError, PythonObjectLostError, PythonValueError } from '../../src/bridge/errors.js'
import { PythonIterator, PythonObject } from '../../src/bridge/handles.js'
import { closesAfterEach, fixtures, newTestBridge } from './helpers.js'

const bridge = closesAfterEach(newTestBridge)

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

describe('PythonObject: Python values with no exact mapping arrive as handles', () => {
  it('an agent made by calling its class keeps its state between calls; attributes read as values or handles', async () => {
    const mod = await bridge({}).import('./objects.py')
    const agent = await mod.call<PythonObject>('Agent', ['scout'])
    expect(agent).toBeInstanceOf(PythonObject)
    expect(agent.type).toBe('objects.Agent')
    expect(await agent.call('observe', ['a storm'])).toBe(1)
    expect(await agent.call('observe', ['a ship'])).toBe(2)
    expect(await agent.call('think', ['the sea'])).toBe('scout thinks about the sea with 2 memories') // an async method
    expect(await agent.get('memory')).toEqual(['a storm', 'a ship'])
    const created = await agent.get<PythonObject>('created') // a datetime: a handle
    expect(created.type).toBe('datetime.datetime')
    expect(await created.call('isoformat')).toBe('2024-05-17T12:00:00')
  })

  it('an async classmethod returns a handle; passing a handle back gives Python the very same object', async () => {
    const mod = await bridge({}).import('./objects.py')
    const agent = await mod.call<PythonObject>('Agent.create', ['pilot'])
    await agent.call('observe', ['land'])
    expect(await mod.call('same', [agent, agent])).toBe(true)
    expect(await mod.call('memory_of', [], { kwargs: { agent } })).toEqual(['land'])
    expect(await mod.call('memory_of', [[agent][0]])).toEqual(['land'])
  })

  it('a handle used after release(), or after `await using` ends, rejects with PythonObjectLostError', async () => {
    const py = bridge({})
    const mod = await py.import('./objects.py')
    const agent = await mod.call<PythonObject>('Agent', ['a'])
    await agent.release()
    await agent.release() // idempotent
    await expect(agent.call('observe', ['x'])).rejects.toMatchObject({ name: 'PythonObjectLostError', reason: 'released' })
    await expect(mod.call('same', [agent, agent])).rejects.toBeInstanceOf(PythonValueError)
    {
      await using scoped = await mod.call<PythonObject>('Agent', ['b'])
      expect(await scoped.call('observe', ['y'])).toBe(1)
    }
    expect(await mod.call('live_objects')).toBe(0)
    expect(py.stats().objects).toMatchObject({ live: 0, created: 2, released: 2 })
  })

  it('a handle whose interpreter died, was replaced, or whose bridge closed rejects at once, saying why', async () => {
    const py = bridge({})
    const mod = await py.import('./objects.py')
    const before = await mod.call<PythonObject>('Agent', ['a'])
    await expect(mod.call('die')).rejects.toMatchObject({ name: 'BridgeClosedError' })
    const err = (await before.call('observe', ['x']).catch((e: unknown) => e)) as PythonObjectLostError
    expect(err).toBeInstanceOf(PythonObjectLostError)
    expect(err.reason).toBe('exited')
    expect(err.message).toMatch(/objects\.Agent object is gone: its interpreter exited/)
    const fresh = await mod.call<PythonObject>('Agent', ['b']) // the next call gets a fresh interpreter
    expect(await fresh.call('observe', ['y'])).toBe(1)
    expect(py.stats().objects.lost).toBe(1)
    await expect(mod.call('block', [30], { timeoutMs: 200 })).rejects.toMatchObject({ inPython: 'still-running' })
    await expect(fresh.call('observe', ['z'])).rejects.toMatchObject({ name: 'PythonObjectLostError', reason: 'replaced' })
    const third = await mod.call<PythonObject>('Agent', ['c'])
    await py.close()
    await expect(third.call('observe', ['z'])).rejects.toMatchObject({ name: 'PythonObjectLostError', reason: 'closed' })
  })

  it('a handle from one bridge passed to another is refused before anything is sent', async () => {
    const a = await bridge({}).import('./objects.py')
    const b = await bridge({}).import('./objects.py')
    const agent = await a.call<PythonObject>('Agent', ['a'])
    const err = (await b.call('same', [agent, agent]).catch((e: unknown) => e)) as PythonValueError
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.where).toBe('args[0]')
    expect(err.hint).toMatch(/belongs to another PythonBridge/)
  })

  it("on a PythonPool, a handle's calls go to its interpreter, and so do module calls that pass it", async () => {
    const pool = new PythonPool({ size: 2, cwd: fixtures, forwardStderr: false })
    try {
      const mod = await pool.import('./objects.py')
      const agents = await Promise.all([0, 1, 2, 3].map((i) => mod.call<PythonObject>('Agent', [`a${i}`])))
      for (const agent of agents) {
        for (let k = 1; k <= 3; k++) expect(await agent.call('observe', [k])).toBe(k)
        expect(await mod.call('same', [agent, agent])).toBe(true)
      }
      expect(pool.stats().objects.live).toBe(4)
    } finally {
      await pool.close()
    }
  })

  it('handles dropped without release() are released when garbage-collected, in batches', async () => {
    const py = bridge({})
    const mod = await py.import('./objects.py')
    for (let i = 0; i < 20; i++)
      await mod.map(
        'Agent',
        Array.from({ length: 1000 }, (_, j) => [`a${j}`]),
      ) // 20 000 handles, dropped
    expect(py.stats().objects.created).toBe(20_000)
    for (let i = 0; i < 50 && py.stats().objects.live > 0; i++) {
      gc()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(py.stats().objects.live).toBe(0)
    await expect.poll(() => mod.call('live_objects')).toBe(0)
  })
})

describe('PythonIterator: generators stream', () => {
  it('a generator, an async generator: every item, in order, in batches', async () => {
    const mod = await bridge({ streamBatch: 64 }).import('./objects.py')
    const it = await mod.call<PythonIterator<string>>('tokens', [1000])
    expect(it).toBeInstanceOf(PythonIterator)
    const items: string[] = []
    for await (const t of it) items.push(t)
    expect(items).toEqual(Array.from({ length: 1000 }, (_, i) => `t${i}`))
    const nums: number[] = []
    for await (const n of await mod.call<PythonIterator<number>>('async_tokens', [100])) nums.push(n)
    expect(nums).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(await mod.call('live_objects')).toBe(0) // an iterator that ended is released
  })

  it('break closes the Python generator: its finally runs', async () => {
    const mod = await bridge({}).import('./objects.py')
    for await (const t of await mod.call<PythonIterator<string>>('tokens', [1_000_000, 'sync'])) if (t === 't2') break
    for await (const n of await mod.call<PythonIterator<number>>('async_tokens', [1_000_000, 'async'])) if (n === 2) break
    expect(await mod.call('closed_tags')).toEqual(['sync', 'async'])
    expect(await mod.call('live_objects')).toBe(0)
  })

  it('an exception mid-stream rejects the iteration with PythonError, after every item before it', async () => {
    const mod = await bridge({}).import('./objects.py')
    const seen: number[] = []
    const err = await (async () => {
      for await (const n of await mod.call<PythonIterator<number>>('fails_after', [3])) seen.push(n)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([0, 1, 2])
    expect(err).toBeInstanceOf(PythonError)
    expect((err as PythonError).pythonMessage).toBe('the stream broke after 3 items')
    expect(await mod.call('live_objects')).toBe(0)
  })

  it('rejects a streamBatch that is not a positive integer, naming the option', () => {
    expect(() => newTestBridge({ streamBatch: 0 })).toThrow(/`streamBatch` option/)
  })
})
