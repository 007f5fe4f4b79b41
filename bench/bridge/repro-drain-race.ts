/**
 * Repro of a wrong `inPython` state found by at-most-once.ts: a call queued in Python behind a call that times out
 * while running is dropped, unstarted, by the drain of the retired interpreter; if its own timeout fires before the
 * host has read that drop, it is rejected with inPython 'finished' (or 'still-running', 250 ms late) although it
 * never ran. Run-at-most-once holds: the call never runs anywhere; only what the host reports of it is wrong.
 *
 * The host's event loop is kept busy right after A times out (as by a GC pause, or a JSON.parse of a big reply) until
 * B's deadline has passed, so that B's timer fires before the socket is read: that makes the race, seen a few times
 * per thousand calls in the stress without any busy host, happen every time.
 *
 * Run: node dist/bench/bridge/repro-drain-race.js [--python PATH]   (exit code 1 while the bug is there)
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { BridgeTimeoutError } from '../../src/bridge/errors.js'
import { packageRoot } from '../../src/paths.js'

const { values } = parseArgs({ options: { python: { type: 'string' } } })
const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'pyport-drain-race-')), 'ran.log')
const ran = (id: number) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.split(' ')[0] === String(id)).length : 0)
const describe = (e: unknown) => (e instanceof BridgeTimeoutError ? `BridgeTimeoutError inPython=${e.inPython}` : e instanceof Error ? `${e.name}: ${e.message}` : String(e))

let failures = 0
for (const withC of [false, true]) {
  const py = new PythonBridge({ python: values.python, concurrency: 1, forwardStderr: false })
  try {
    const mod = await py.import(path.join(packageRoot, 'bench', 'bridge', 'stress.py'))
    const base = withC ? 10 : 0
    // A runs 0.3 s and times out at 100 ms (still-running: the interpreter is retired and drained);
    // B is queued behind A and times out at 150 ms; C (second case only) is queued behind B with no timeout.
    const t0 = Date.now()
    const settledAt = (p: Promise<unknown>) => p.finally(() => void (took[p === a ? 0 : p === b ? 1 : 2] = Date.now() - t0)).catch(() => undefined)
    const took = [0, 0, 0]
    const a = mod.call('work', [log, base + 1, 0.3], { timeoutMs: 100 }).catch((e: unknown) => {
      while (Date.now() < t0 + 200); // the host is busy until B's deadline has passed
      throw e
    })
    const b = mod.call('work', [log, base + 2, 0], { timeoutMs: 150 })
    const c = withC ? mod.call('work', [log, base + 3, 0]) : Promise.resolve('(no C)')
    await Promise.all([settledAt(a), settledAt(b), settledAt(c)])
    const [ra, rb, rc] = await Promise.allSettled([a, b, c])
    await py.close()
    const say = (name: string, id: number, r: PromiseSettledResult<unknown>) =>
      `${name}: ${r.status === 'fulfilled' ? `resolved ${String(r.value)}` : describe(r.reason)} after ${took[id - base - 1]} ms; ran ${ran(id)} time(s)`
    console.log(`case ${withC ? 'A, B, C' : 'A, B'}:\n  ${say('A', base + 1, ra)}\n  ${say('B', base + 2, rb)}${withC ? `\n  ${say('C', base + 3, rc)}` : ''}`)
    const bErr = rb.status === 'rejected' ? (rb.reason as BridgeTimeoutError) : undefined
    if (bErr?.inPython !== undefined && bErr.inPython !== 'not-started' && ran(base + 2) === 0) {
      failures++
      console.log(`  WRONG: B never ran, yet it was reported inPython '${bErr.inPython}' (expected 'not-started')`)
    }
  } finally {
    await py.close()
  }
}
process.exitCode = failures > 0 ? 1 : 0
