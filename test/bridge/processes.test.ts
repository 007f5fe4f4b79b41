import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BridgeClosedError, BridgeTimeoutError } from '../../src/bridge/errors.js'
import { closesAfterEach, fixtures, isAlive, newTestBridge, repoRoot, waitGone } from './helpers.js'

/** Processes started by calls (subprocesses, forks, multiprocessing workers) never outlive their interpreter. */

const bridge = closesAfterEach(newTestBridge)
const wrapper = path.join(fixtures, 'python-wrapper.sh')
let scratch = ''

/** The live (not zombie) processes whose process group is `pgid` (Linux /proc), with their parents. */
function liveProcesses(pgid: number): { pid: number; ppid: number }[] {
  const out: { pid: number; ppid: number }[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') out.push({ pid: Number(name), ppid: Number(ppid) })
  }
  return out
}

const liveMembers = (pgid: number): number[] => liveProcesses(pgid).map((p) => p.pid)

async function waitGroupGone(pgid: number, ms = 5000): Promise<number[]> {
  const end = Date.now() + ms
  for (;;) {
    const left = liveMembers(pgid)
    if (left.length === 0 || Date.now() > end) return left
    await sleep(50)
  }
}

/** Waits for a fixture call to write its pids (the call itself is still running). */
async function readPids(file: string, ms = 10_000): Promise<number[]> {
  const end = Date.now() + ms
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`no pids written to ${file}`)
    await sleep(20)
  }
  return JSON.parse(readFileSync(file, 'utf8')) as number[]
}

/** All these pids gone within `ms`; the ones left, if not. */
async function allGone(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms
  for (;;) {
    const left = pids.filter(isAlive)
    if (left.length === 0 || Date.now() > end) return left
    await sleep(25)
  }
}

/** Never leave a spinning process behind, even when a test fails. */
function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
}

interface HostPids {
  launcher: number
  python: number
  child: number
}

/** Runs spawner-host.mjs under the launcher script; resolves once Python spins in its GIL-holding call. */
function startHost(mode: 'hang' | 'exit') {
  const host = spawn(process.execPath, [path.join(fixtures, 'spawner-host.mjs'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PYPORT_PYTHON: wrapper },
  })
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    host.on('exit', (code, signal) => {
      resolve({ code, signal })
    }),
  )
  const ready = new Promise<HostPids>((resolve, reject) => {
    let out = ''
    host.stdout.on('data', (d: Buffer) => {
      out += String(d)
      const m = /(\{"launcher".*\})\n[\s\S]*spinning\n/.exec(out)
      if (m) resolve(JSON.parse(m[1]!) as HostPids)
    })
    void exited.then(() => {
      reject(new Error(`host exited before Python started spinning: ${out}`))
    })
  })
  return { host, exited, ready }
}

/** Python is running (R), not sleeping: it is inside the C call. */
/** Some thread of the process is on a CPU (calls run on worker threads; the main thread runs the asyncio loop). */
function running(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).some((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'R'
  })
}

describe('processes started by a call', () => {
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'dist/src/index.js'))) throw new Error('run `npm run build` first: the host fixture imports dist/')
    scratch = mkdtempSync(path.join(tmpdir(), 'pyport-procs-'))
  })
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true })
  })

  it('each interpreter leads a process group of its own, with its sentinel; close() leaves nothing in it', async () => {
    const py = bridge({})
    const m = await py.import('./spawner.py')
    const leader = py.pid!
    expect(await m.call('pid')).toBe(leader)
    const members = liveProcesses(leader)
    expect(members.map((p) => p.pid)).toContain(leader)
    expect(members.length).toBe(2) // the interpreter and its sentinel
    expect(members.filter((p) => p.ppid === leader)).toEqual([]) // the sentinel is not the interpreter's child
    const agent = await py.import('./agent.py')
    expect(await agent.call('getenv', ['PYPORT_SENTINEL'])).toBeNull() // plumbing, not the user's
    await py.close()
    expect(await waitGroupGone(leader)).toEqual([])
  })

  it('a call that times out: the subprocess and the fork it started are gone with its interpreter', async () => {
    const py = bridge({ killGraceMs: 300 })
    const m = await py.import('./spawner.py')
    const leader = py.pid!
    const file = path.join(scratch, 'timeout.json')
    const err = await m.call('start_then_block', [file, 60], { timeoutMs: 1500 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BridgeTimeoutError)
    const pids = await readPids(file)
    try {
      expect(await allGone(pids, 3000)).toEqual([])
      expect(await waitGroupGone(leader)).toEqual([])
    } finally {
      killAll(pids)
    }
  })

  it('close() of an idle interpreter: its atexit handlers run, then what it started is gone', async () => {
    const py = bridge({})
    const m = await py.import('./spawner.py')
    const leader = py.pid!
    const pids = [await m.call<number>('sleeper'), await m.call<number>('forked')]
    const marker = path.join(scratch, 'atexit.json')
    expect(await m.call('on_exit_write', [marker])).toBe(true)
    try {
      await py.close()
      expect(JSON.parse(readFileSync(marker, 'utf8'))).toBe('atexit ran')
      expect(await allGone(pids, 3000)).toEqual([])
      expect(await waitGroupGone(leader)).toEqual([])
    } finally {
      killAll(pids)
    }
  })

  it('close() during a call: the busy workers of a multiprocessing.Pool are gone', async () => {
    const py = bridge({ killGraceMs: 300 })
    const m = await py.import('./spawner.py')
    const leader = py.pid!
    const file = path.join(scratch, 'pool.json')
    const call = m.call('busy_pool', [file, 2, 60]).catch((e: unknown) => e)
    const workers = await readPids(file)
    expect(workers.length).toBe(2)
    try {
      expect(workers.every(isAlive)).toBe(true)
      await py.close()
      expect(await call).toBeInstanceOf(BridgeClosedError)
      expect(await allGone(workers, 3000)).toEqual([])
      expect(await waitGroupGone(leader)).toEqual([])
    } finally {
      killAll(workers)
    }
  })

  it('an interpreter that crashes takes what it started with it', async () => {
    const py = bridge({})
    const m = await py.import('./spawner.py')
    const leader = py.pid!
    const child = await m.call<number>('sleeper')
    try {
      expect(await m.call('die', [3]).catch((e: unknown) => e)).toBeInstanceOf(BridgeClosedError)
      expect(await waitGone(child, 3000)).toBe(true)
      expect(await waitGroupGone(leader)).toEqual([])
    } finally {
      killAll([child])
    }
  })

  it('a host killed (SIGKILL) while Python, under a launcher that does not exec, holds the GIL: launcher, Python and child are gone within 2 s', async () => {
    const { host, exited, ready } = startHost('hang')
    const pids = await ready
    const all = [pids.launcher, pids.python, pids.child]
    try {
      expect(new Set(all).size).toBe(3) // the launcher really sits between the host and Python
      expect(all.every(isAlive)).toBe(true)
      await sleep(100)
      expect(running(pids.python)).toBe(true)
      const t0 = Date.now()
      host.kill('SIGKILL')
      await exited
      expect(await allGone(all, 2000)).toEqual([])
      expect(Date.now() - t0).toBeLessThan(2000)
      expect(await waitGroupGone(pids.launcher)).toEqual([])
    } finally {
      host.kill('SIGKILL')
      killAll(all)
    }
  })

  it('a host that exits (process.exit) in the middle of such a call kills the group at once', async () => {
    const { host, exited, ready } = startHost('exit')
    const pids = await ready
    const all = [pids.launcher, pids.python, pids.child]
    try {
      expect((await exited).code).toBe(0)
      // the host's own 'exit' hook, at once; not the sentinel, which gives Python half a second to end by itself
      expect(await allGone(all, 250)).toEqual([])
      expect(await waitGroupGone(pids.launcher)).toEqual([])
    } finally {
      host.kill('SIGKILL')
      killAll(all)
    }
  })
})
