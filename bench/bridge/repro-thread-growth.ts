/**
 * Repro of the call threads of an interpreter growing with load, found by the soak (soak.ts: Python's RSS grows
 * with calls). python/pyport/dispatch.py says "At most concurrency + 1 call threads exist"; under many calls in
 * flight the leader spawns a new thread whenever every idle thread has been woken but has not yet gone back to
 * sleep, and no thread ever ends: with `concurrency: 1` and 1 000 calls in flight there are hundreds of threads
 * after 100 000 calls of `add(i, 1)`, and Python's RSS grows by tens of kB a thread.
 *
 * Reads the interpreter's own thread count (/proc/<pid>/status, Linux). Exit code 1 while the bug is there.
 * Run: node dist/bench/bridge/repro-thread-growth.js [--calls N] [--in-flight N] [--concurrency N] [--python PATH]
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { packageRoot } from '../../src/paths.js'

const { values } = parseArgs({
  options: { calls: { type: 'string' }, 'in-flight': { type: 'string' }, concurrency: { type: 'string' }, python: { type: 'string' } },
})
const calls = Number(values.calls ?? 100_000)
const inFlight = Number(values['in-flight'] ?? 1000)
const concurrency = Number(values.concurrency ?? 1)

function status(pid: number): { threads: number; rssMb: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { threads: Number(/Threads:\s+(\d+)/.exec(text)?.[1]), rssMb: Number(/VmRSS:\s+(\d+) kB/.exec(text)?.[1]) / 1024 }
}

const py = new PythonBridge({ python: values.python, concurrency, timeoutMs: 60_000 })
try {
  const agent = await py.import(path.join(packageRoot, 'bench', 'bridge', 'agent.py'))
  await agent.call('add', [1, 1])
  const pid = py.pid!
  const start = status(pid)
  // besides the call threads, the interpreter runs its main thread (the event loop) and the host watcher
  const allowed = concurrency + 1 + 2
  console.log(`concurrency ${concurrency}, ${inFlight} calls in flight; interpreter pid ${pid}: ${start.threads} threads, RSS ${start.rssMb.toFixed(1)} MB at start (at most ${allowed} threads expected)`)
  let wrong = 0
  let peak = start.threads
  const t0 = performance.now()
  for (let done = 0; done < calls; done += inFlight) {
    const n = Math.min(inFlight, calls - done)
    const out = await Promise.all(Array.from({ length: n }, (_, k) => agent.call<number>('add', [done + k, 1])))
    wrong += out.filter((r, k) => r !== done + k + 1).length
    const s = status(pid)
    peak = Math.max(peak, s.threads)
    const next = done + n
    if (next % Math.max(inFlight, Math.floor(calls / 5 / inFlight) * inFlight) === 0 || next === calls) {
      console.log(`${String(next).padStart(7)} calls  ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s  threads ${String(s.threads).padStart(4)}  RSS ${s.rssMb.toFixed(1)} MB`)
    }
  }
  if (py.pid !== pid) console.log(`(the interpreter was replaced: pid ${py.pid})`)
  console.log(`peak ${peak} threads (expected at most ${allowed}); ${wrong} wrong answers`)
  process.exitCode = peak > allowed || wrong > 0 ? 1 : 0
} finally {
  await py.close()
}
