import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BridgeClosedError } from '../../src/bridge/errors.js'
import { closesAfterEach, fixtures, isAlive, newTestBridge, repoRoot, waitGone } from './helpers.js'

/** A launcher script that runs `python3 "$@"` without exec, so Python's parent is the shell, not the host. */
const wrapper = path.join(fixtures, 'python-wrapper.sh')
const bridge = closesAfterEach(newTestBridge)

describe('an interpreter started through a launcher script that does not exec', () => {
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'dist/src/index.js'))) throw new Error('run `npm run build` first: the host fixture imports dist/')
  })

  it('answers calls, and close() leaves neither the launcher nor Python', async () => {
    const py = bridge({ python: wrapper })
    const agent = await py.import('./agent.py')
    expect(await agent.call('add', [2, 3])).toBe(5)
    const pythonPid = await agent.call<number>('pid')
    const launcherPid = py.pid!
    expect(pythonPid).not.toBe(launcherPid) // the launcher really sits in between
    expect(await agent.call('add', [1, 1])).toBe(2)
    await py.close()
    expect(await waitGone(launcherPid)).toBe(true)
    expect(await waitGone(pythonPid)).toBe(true)
  })

  it('close() during a long call rejects it and leaves no process', async () => {
    const py = bridge({ python: wrapper, killGraceMs: 300 })
    const agent = await py.import('./agent.py')
    const pythonPid = await agent.call<number>('pid')
    const launcherPid = py.pid!
    const call = agent.call('sleep', [60]).catch((e: unknown) => e)
    await py.close()
    expect(await call).toBeInstanceOf(BridgeClosedError)
    expect(await waitGone(launcherPid)).toBe(true)
    expect(await waitGone(pythonPid)).toBe(true)
  })

  it('a host killed in the middle of a call takes its Python with it', async () => {
    const child = spawn(process.execPath, [path.join(fixtures, 'forgets-close.mjs'), 'hang'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PYPORT_PYTHON: wrapper },
    })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    const pid = await new Promise<number>((resolve, reject) => {
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
    expect(isAlive(pid)).toBe(true)
    child.kill('SIGKILL')
    await exited
    expect(await waitGone(pid)).toBe(true)
  })
})
