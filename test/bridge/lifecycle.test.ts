import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { BridgeClosedError, PythonNotFoundError } from '../../src/bridge/errors.js'
import { closesAfterEach, newTestBridge, fixtures, isAlive, repoRoot, waitGone } from './helpers.js'

const tracked = closesAfterEach(newTestBridge)
const bridge = (options: ConstructorParameters<typeof PythonBridge>[0] = {}): PythonBridge => tracked(options)

/** Runs the fixture host; resolves with the Python pid it printed, and a way to await or kill the host. */
function startHost(mode: 'exit' | 'hang') {
  const child = spawn(process.execPath, [path.join(fixtures, 'forgets-close.mjs'), mode], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal })
    }),
  )
  const pid = new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += String(d)
      const m = /\{"pid":(\d+)\}/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    void exited.then(() => {
      reject(new Error(`host exited before printing a pid: ${out}`))
    })
  })
  return { child, exited, pid }
}

describe('lifecycle', () => {
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'dist/src/index.js'))) throw new Error('run `npm run build` first: the host fixtures import dist/')
  })

  it('spawns nothing until first use', () => {
    const py = bridge()
    expect(py.pid).toBeUndefined()
    expect(py.stats().interpreters).toEqual({ size: 1, concurrency: 1, started: 0, replaced: 0, crashed: 0, pids: [] })
  })

  it('resolves relative imports against cwd, and absolute paths with spaces', async () => {
    const py = bridge()
    const rel = await py.import('agent.py')
    expect(rel.file).toBe(path.join(fixtures, 'agent.py'))
    const spaced = await py.import(path.join(fixtures, 'dir with spaces', 'spaced agent.py'))
    expect(await spaced.call('where')).toBe('spaced')
    const byName = await py.import('json')
    expect(await byName.call('dumps', [[1, 2]])).toBe('[1, 2]')
  })

  it('passes env, runs in cwd, and leaks none of its own plumbing into Python', async () => {
    const agent = await bridge({ env: { AGENT_MODE: 'test' } }).import('./agent.py')
    expect(await agent.call('getenv', ['AGENT_MODE'])).toBe('test')
    expect(await agent.call('cwd')).toBe(fixtures)
    for (const name of ['NODE_CHANNEL_FD', 'PYPORT_FD', 'PYPORT_PYTHONIA', 'PYPORT_HOST_PID']) {
      expect(await agent.call('getenv', [name])).toBeNull()
    }
  })

  it('takes the interpreter from PYPORT_PYTHON when no option is given', async () => {
    const saved = process.env['PYPORT_PYTHON']
    process.env['PYPORT_PYTHON'] = '/nonexistent/from-env/python3'
    try {
      const err = (await bridge()
        .import('./agent.py')
        .catch((e: unknown) => e)) as PythonNotFoundError
      expect(err).toBeInstanceOf(PythonNotFoundError)
      expect(err.source).toBe('PYPORT_PYTHON')
    } finally {
      if (saved === undefined) delete process.env['PYPORT_PYTHON']
      else process.env['PYPORT_PYTHON'] = saved
    }
  })

  it('takes PYPORT_PYTHON from the `env` option too', async () => {
    const err = (await bridge({ env: { PYPORT_PYTHON: '/nonexistent/from-env-option/python3' } })
      .import('./agent.py')
      .catch((e: unknown) => e)) as PythonNotFoundError
    expect(err).toBeInstanceOf(PythonNotFoundError)
    expect(err.source).toBe('PYPORT_PYTHON')
    expect(err.message).toContain('/nonexistent/from-env-option/python3')
    const py = bridge({ env: { PYPORT_PYTHON: path.join(fixtures, 'python-wrapper.sh') } })
    const agent = await py.import('./agent.py')
    expect(await agent.call('pid')).not.toBe(py.pid) // the launcher named in `env` started Python
  })

  it("resolves a relative `python` path against the bridge's cwd, not the host's", async () => {
    expect(existsSync(path.resolve(process.cwd(), 'python-wrapper.sh'))).toBe(false)
    const py = bridge({ python: './python-wrapper.sh' })
    const agent = await py.import('./agent.py')
    expect(await agent.call('add', [1, 2])).toBe(3)
    expect(await agent.call('pid')).not.toBe(py.pid)
  })

  it('close() leaves no Python process', async () => {
    const py = bridge()
    const agent = await py.import('./agent.py')
    const pid = await agent.call<number>('pid')
    expect(pid).toBe(py.pid)
    await py.close()
    expect(isAlive(pid)).toBe(false)
  })

  it('close() during a long call rejects it and still leaves no process', async () => {
    const py = bridge({ killGraceMs: 300 })
    const agent = await py.import('./agent.py')
    const pid = py.pid!
    const call = agent.call('sleep', [60]).catch((e: unknown) => e)
    await py.close()
    expect(await call).toBeInstanceOf(BridgeClosedError)
    expect(isAlive(pid)).toBe(false)
  })

  it('close() escalates to SIGKILL when Python ignores SIGTERM and holds the GIL', async () => {
    const py = bridge({ killGraceMs: 200 })
    const agent = await py.import('./agent.py')
    const deaf = await py.import('./sigterm_deaf.py') // sets SIGTERM to SIG_IGN as it is imported
    const pid = py.pid!
    expect(await deaf.call('ignoring')).toBe(true)
    const call = agent.call('spin').catch((e: unknown) => e)
    await py.close()
    expect(isAlive(pid)).toBe(false)
    expect(await call).toBeInstanceOf(BridgeClosedError)
  })

  it('a host that never calls close() exits on its own, and its Python is gone', async () => {
    const host = startHost('exit')
    const pid = await host.pid
    expect(await host.exited).toEqual({ code: 0, signal: null })
    expect(await waitGone(pid)).toBe(true)
  })

  it('a host killed in the middle of a call takes its Python with it', async () => {
    const host = startHost('hang')
    const pid = await host.pid
    expect(isAlive(pid)).toBe(true)
    host.child.kill('SIGKILL')
    await host.exited
    expect(await waitGone(pid)).toBe(true)
  })

  it('a host whose last act is close() just after a timeout replaced its interpreter sees close() resolve', async () => {
    const child = spawn(process.execPath, [path.join(fixtures, 'close-after-replace.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += String(d)))
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(out).toBe('BridgeTimeoutError\nclosed\n')
    expect(code).toBe(0)
  })

  it('20 000 calls in flight all resolve, in order', async () => {
    const agent = await bridge().import('./agent.py')
    const n = 20_000
    const results = await Promise.all(Array.from({ length: n }, (_, i) => agent.call<number>('add', [i, 1])))
    expect(results.length).toBe(n)
    expect(results.every((r, i) => r === i + 1)).toBe(true)
  })
})
