import { describe, expect, it } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { BridgeClosedError, BridgeTimeoutError, PythonError, PythonNotFoundError, PythonValueError } from '../../src/bridge/errors.js'
import { closesAfterEach, newTestBridge, fixtures, waitGone } from './helpers.js'

const tracked = closesAfterEach(newTestBridge)
const bridge = (options: ConstructorParameters<typeof PythonBridge>[0] = {}): PythonBridge => tracked(options)

describe('typed errors from real failing calls', () => {
  it('PythonError carries type, message, traceback text and frames, module and function', async () => {
    const agent = await bridge().import('./agent.py')
    const err = (await agent.call('fail', ['boom']).catch((e: unknown) => e)) as PythonError
    expect(err).toBeInstanceOf(PythonError)
    expect(err.pythonType).toBe('ValueError')
    expect(err.pythonMessage).toBe('boom')
    expect(err.message).toContain('ValueError: boom')
    expect(err.module).toBe('agent')
    expect(err.function).toBe('fail')
    expect(err.traceback).toMatch(/Traceback \(most recent call last\):[\s\S]*agent\.py", line \d+, in fail[\s\S]*ValueError: boom/)
    expect(err.traceback).not.toMatch(/pyport[\\/]bridge[\\/]/) // none of pyport's own frames (boot.py, requests.py, calls.py, dispatch.py)
    expect(err.frames.at(-1)).toMatchObject({ function: 'fail', code: 'raise ValueError(message)' })
    expect(err.message).not.toMatch(/\u001b\[/)
  })

  it('PythonError names a user-defined exception class by module', async () => {
    const agent = await bridge().import('./agent.py')
    const err = (await agent.call('fail_custom').catch((e: unknown) => e)) as PythonError
    expect(err.pythonType).toBe('agent.QuotaError')
  })

  it('sys.exit() in a call is an error, not a dead interpreter', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const pid = py.pid
    const err = (await agent.call('sys_exit').catch((e: unknown) => e)) as PythonError
    expect(err.pythonType).toBe('SystemExit')
    expect(await agent.call('pid')).toBe(pid)
  })

  it('PythonValueError for a result that cannot cross', async () => {
    const agent = await bridge().import('./agent.py')
    await expect(agent.call('self_ref')).rejects.toBeInstanceOf(PythonValueError)
  })

  it('PythonNotFoundError for a missing interpreter, on first use, as a rejection', async () => {
    const py = bridge({ python: '/nonexistent/python3' })
    const pending = py.import('./agent.py')
    await expect(pending).rejects.toBeInstanceOf(PythonNotFoundError)
    await expect(pending).rejects.toThrow(/\/nonexistent\/python3.*PYPORT_PYTHON/s)
  })

  it('a missing module file and a missing module name are PythonErrors naming them', async () => {
    const py = bridge()
    const file = (await py.import('./no_such_agent.py').catch((e: unknown) => e)) as PythonError
    expect(file).toBeInstanceOf(PythonError)
    expect(file.pythonType).toBe('FileNotFoundError')
    expect(file.message).toContain(`${fixtures}/no_such_agent.py`)
    expect(file.stage).toBe('import')
    expect(file.message).toMatch(/^importing no_such_agent raised FileNotFoundError: no Python file at /)
    const mod = (await py.import('no_such_module_xyz').catch((e: unknown) => e)) as PythonError
    expect(mod.pythonType).toBe('ModuleNotFoundError')
    expect(mod.message).toContain('no_such_module_xyz')
  })

  it('a module that raises on import reports its own traceback', async () => {
    const err = (await bridge()
      .import('./broken_agent.py')
      .catch((e: unknown) => e)) as PythonError
    expect(err.pythonType).toBe('ZeroDivisionError')
    expect(err.frames[0]?.file).toBe(`${fixtures}/broken_agent.py`)
  })

  it('a missing function is an AttributeError suggesting the close name', async () => {
    const agent = await bridge().import('./agent.py')
    const err = (await agent.call('sqare', [2]).catch((e: unknown) => e)) as PythonError
    expect(err.pythonType).toBe('AttributeError')
    expect(err.message).toMatch(/has no function 'sqare'; did you mean 'square'/)
  })

  it('bad arguments reject with PyportArgumentError, a TypeError (never throw synchronously)', async () => {
    const agent = await bridge().import('./agent.py')
    const notArray = agent.call('add', 1 as unknown as unknown[])
    await expect(notArray).rejects.toThrow(/^PythonModule\.call\("add"\): `args` must be an array of positional arguments/)
    await expect(notArray).rejects.toBeInstanceOf(TypeError)
    await expect(agent.map('square', [1] as unknown as unknown[][])).rejects.toThrow(
      /`argsList\[0\]` must be an array of positional arguments \(e\.g\. \[x\]\), got 1 \(number\)/,
    )
    await expect(agent.call('add', [1, 2], { timeoutMs: -1 })).rejects.toThrow(/`timeoutMs` option/)
    await expect(bridge().import('not a module!')).rejects.toBeInstanceOf(TypeError)
    expect(() => new PythonBridge({ timeoutMs: 'soon' as unknown as number })).toThrow(/`timeoutMs`/)
  })

  it('kwargs reach Python', async () => {
    const agent = await bridge().import('./agent.py')
    expect(await agent.call('greet', ['Ada'], { kwargs: { greeting: 'hi' } })).toBe('hi, Ada')
  })
})

describe('recovery', () => {
  it('a timeout rejects with BridgeTimeoutError, replaces the interpreter, and later calls succeed', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const oldPid = py.pid!
    const slow = agent.call('sleep', [60], { timeoutMs: 300 })
    const queuedBehind = [agent.call('add', [1, 2]), agent.call('square', [5])] // sent after it: never started
    const err = (await slow.catch((e: unknown) => e)) as BridgeTimeoutError
    expect(err).toBeInstanceOf(BridgeTimeoutError)
    expect(err.timeoutMs).toBe(300)
    expect(err.pid).toBe(oldPid)
    expect(await Promise.all(queuedBehind)).toEqual([3, 25])
    expect(await agent.call('add', [2, 2])).toBe(4)
    expect(py.pid).not.toBe(oldPid)
    expect(await waitGone(oldPid)).toBe(true)
    const stats = py.stats()
    expect(stats.interpreters.replaced).toBe(1)
    expect(stats.functions.find((f) => f.function === 'sleep')?.timeouts).toBe(1)
  })

  it('a call that times out while queued never runs; the call running ahead of it finishes, on the same interpreter', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const pid = py.pid!
    const running = agent.call<number>('sleep', [1.5], { timeoutMs: 0 })
    const queued = (await agent.call('note_fail_on', ['never', 'x'], { timeoutMs: 200 }).catch((e: unknown) => e)) as BridgeTimeoutError
    expect(queued).toBeInstanceOf(BridgeTimeoutError)
    expect(queued.queued).toBe(true)
    expect(queued.message).toMatch(/still queued behind other calls on interpreter pid \d+, which keep running; it will not run/)
    expect(await running).toBe(1.5)
    expect(await agent.call('add', [1, 2])).toBe(3)
    expect(await agent.call('seen')).not.toContain('never')
    expect(py.pid).toBe(pid) // Python dropped the queued call: nothing to replace
    expect(py.stats().interpreters.replaced).toBe(0)
  })

  it('aborting a queued call leaves the running call alone', async () => {
    const agent = await bridge().import('./agent.py')
    const running = agent.call<number>('sleep', [1], { timeoutMs: 0 })
    const ac = new AbortController()
    const queued = agent.call('note_fail_on', ['never', 'x'], { signal: ac.signal })
    setTimeout(() => {
      ac.abort(new Error('user gave up'))
    }, 100)
    await expect(queued).rejects.toThrow('user gave up')
    expect(await running).toBe(1)
    expect(await agent.call('seen')).not.toContain('never')
  })

  it('an AbortSignal cancels a running call the same way', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const oldPid = py.pid!
    const ac = new AbortController()
    const call = agent.call('sleep', [60], { signal: ac.signal })
    setImmediate(() => {
      ac.abort(new Error('user gave up'))
    })
    await expect(call).rejects.toThrow('user gave up')
    expect(await agent.call('add', [1, 1])).toBe(2)
    expect(await waitGone(oldPid)).toBe(true)
    await expect(agent.call('add', [1, 1], { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i)
  })

  it('an interpreter killed mid-call rejects every pending call with BridgeClosedError; the next call works', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const pid = py.pid!
    const pending = [agent.call('sleep', [60]), ...Array.from({ length: 50 }, (_, i) => agent.call('add', [i, 0]))]
    const killedAt = Date.now()
    process.kill(pid, 'SIGKILL')
    const results = await Promise.allSettled(pending)
    expect(Date.now() - killedAt).toBeLessThan(1000) // the bound: every pending call rejected within a second
    for (const r of results) {
      expect(r.status).toBe('rejected')
      const e = (r as PromiseRejectedResult).reason as BridgeClosedError
      expect(e).toBeInstanceOf(BridgeClosedError)
      expect(e.signal).toBe('SIGKILL')
      expect(e.reason).toBe('exited')
    }
    expect(await agent.call('add', [20, 22])).toBe(42)
    expect(py.pid).not.toBe(pid)
    expect(py.stats().interpreters.crashed).toBe(1)
  })

  it('os._exit mid-call: BridgeClosedError with the exit code and the last stderr lines', async () => {
    const agent = await bridge().import('./agent.py')
    const err = (await agent.call('write_stderr_and_die', ['fatal: out of cheese']).catch((e: unknown) => e)) as BridgeClosedError
    expect(err).toBeInstanceOf(BridgeClosedError)
    expect(err.exitCode).toBe(7)
    expect(err.stderrTail).toContain('fatal: out of cheese')
    expect(err.message).toContain('fatal: out of cheese')
    expect(await agent.call('add', [1, 2])).toBe(3)
  })

  it('a map reports the first failing item by index; the others still ran', async () => {
    const agent = await bridge().import('./agent.py')
    const err = (await agent
      .map('note_fail_on', [
        [1, 3],
        [2, 3],
        [3, 3],
        [4, 3],
      ])
      .catch((e: unknown) => e)) as PythonError
    expect(err).toBeInstanceOf(PythonError)
    expect(err.index).toBe(2)
    expect(await agent.call('seen')).toEqual([1, 2, 3, 4])
    expect(err.pythonType).toBe('KeyError')
    expect(err.message).toContain('map item 2')
    const bad = (await agent.map('echo', [[1], [new Map([[{}, 1]])]]).catch((e: unknown) => e)) as PythonValueError
    expect(bad).toBeInstanceOf(PythonValueError)
  })

  it('calls after close() reject with BridgeClosedError', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    await py.close()
    await expect(agent.call('add', [1, 2])).rejects.toBeInstanceOf(BridgeClosedError)
  })
})

describe('the shim never goes down with a bad request', () => {
  it('arguments nested deeper than Python can read are a PythonValueError, and the interpreter lives on', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const pid = py.pid
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    const err = (await agent.call('echo', [deep]).catch((e: unknown) => e)) as PythonValueError
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.direction).toBe('to-python')
    expect(await agent.call('add', [1, 2])).toBe(3)
    expect(py.pid).toBe(pid)
  })
})
