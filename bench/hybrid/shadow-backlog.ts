/**
 * Shadow mode under load: a port slower than the call rate (5 ms per call on a WorkerPool of 1 thread) behind
 * 40 000 fast calls. Prints the heap used at the start, every 10 000 calls and at the end, how many shadow calls
 * were skipped, and how long settled() and close() took. A bounded shadow backlog keeps the heap flat and
 * settled() short; an unbounded one queues every call for the port.
 *
 * "Python" here is an in-process async function (a stand-in: no interpreter, so the call rate is as high as the
 * host can go and the measurement is about hybrid() alone, not the bridge); --python-ms MS makes each of its
 * calls wait MS on a timer first, like a call waiting for an interpreter.
 *
 * Run: node --expose-gc dist/bench/hybrid/shadow-backlog.js [--calls N] [--python-ms MS] [--max-backlog N] [--json FILE]
 * (without --expose-gc the heap figures are taken without a forced collection, and say so).
 */
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { hybrid } from '../../src/hybrid/hybrid.js'
import type { HybridOptions } from '../../src/hybrid/hybrid-options.js'
import { compiledSibling } from '../../src/paths.js'
import { WorkerPool } from '../../src/workers/worker-pool.js'
import { PORT_MS, summarise, type Payload } from './slow-port.js'

const SAMPLE_EVERY = 10_000

function heapMb(): number {
  global.gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}

function payload(i: number): Payload {
  // About 2 KB of plain data per call, a fresh object each time, as a real caller's arguments would be.
  return { id: i, title: `document ${i}`, words: Array.from({ length: 40 }, (_, k) => `word-${(i * 31 + k) % 997}`) }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { calls: { type: 'string' }, 'python-ms': { type: 'string' }, 'max-backlog': { type: 'string' }, json: { type: 'string' } },
  })
  const calls = Number(values.calls ?? 40_000)
  if (!Number.isSafeInteger(calls) || calls < 1) throw new Error(`--calls must be a whole number >= 1, got ${values.calls}`)
  const pythonMs = Number(values['python-ms'] ?? 0)
  if (!(pythonMs >= 0)) throw new Error(`--python-ms must be a number >= 0, got ${values['python-ms']}`)
  const maxBacklog = values['max-backlog'] === undefined ? undefined : Number(values['max-backlog'])
  const gcNote = global.gc ? 'after gc (--expose-gc)' : 'without a forced gc (run node --expose-gc for steadier figures)'

  const pool = new WorkerPool({ filename: compiledSibling(import.meta.url, 'slow-port.js'), threads: 1 })
  try {
    await pool.ready()
    const options: HybridOptions<[number, Payload], ReturnType<typeof summarise>> = {
      name: 'summarise',
      mode: 'shadow',
      python: async (i, doc) => {
        if (pythonMs > 0) await new Promise((resolve) => setTimeout(resolve, pythonMs))
        return summarise(i, doc)
      },
      ts: pool,
      // Passed only when asked for, so that this script also runs against a build without the option.
      ...(maxBacklog === undefined ? {} : ({ maxShadowBacklog: maxBacklog } as object)),
    }
    const fn = hybrid(options)
    const start = heapMb()
    const samples: { calls: number; heapMb: number; seconds: number }[] = [{ calls: 0, heapMb: start, seconds: 0 }]
    const pythonText = pythonMs > 0 ? `python stand-in ${pythonMs} ms per call` : 'python stand-in as fast as the host goes'
    process.stderr.write(`shadow backlog: ${calls} calls, ${pythonText}, port ${PORT_MS} ms per call on 1 thread; heap used ${gcNote}\n`)
    process.stderr.write(`      0 calls  heap ${start.toFixed(1)} MB\n`)
    const t0 = performance.now()
    for (let i = 1; i <= calls; i++) {
      await fn(i, payload(i))
      if (i % SAMPLE_EVERY === 0 || i === calls) {
        const s = { calls: i, heapMb: heapMb(), seconds: (performance.now() - t0) / 1000 }
        samples.push(s)
        process.stderr.write(`${String(i).padStart(7)} calls  heap ${s.heapMb.toFixed(1)} MB  ${s.seconds.toFixed(1)} s\n`)
      }
    }
    const callsSeconds = (performance.now() - t0) / 1000
    const t1 = performance.now()
    await fn.settled()
    const settledSeconds = (performance.now() - t1) / 1000
    const t2 = performance.now()
    await fn.close()
    const closeSeconds = (performance.now() - t2) / 1000
    const end = heapMb()
    const r = fn.report()
    const skipped = (r as { skipped?: number }).skipped
    const result = {
      calls,
      pythonMs,
      portMs: PORT_MS,
      threads: 1,
      maxShadowBacklog: maxBacklog ?? 'default',
      gc: Boolean(global.gc),
      heapStartMb: start,
      heapEndMb: end,
      samples,
      callsSeconds,
      settledSeconds,
      closeSeconds,
      report: r,
    }
    console.log(
      `shadow-backlog: ${calls} calls in ${callsSeconds.toFixed(1)} s (${pythonText}; port ${PORT_MS} ms per call, 1 thread; maxShadowBacklog ${result.maxShadowBacklog})`,
    )
    console.log(
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the first sample is taken before the calls start
      `  heap used ${gcNote}: start ${start.toFixed(1)} MB, after the calls ${samples.at(-1)!.heapMb.toFixed(1)} MB, end (after settled and close) ${end.toFixed(1)} MB`,
    )
    console.log(
      `  shadowed ${r.shadowed}, skipped ${skipped ?? 'n/a (this build does not count them)'}, matches ${r.matches}, mismatches ${r.mismatches}, port errors ${r.portErrors}, port timeouts ${r.portTimeouts}`,
    )
    console.log(`  settled() took ${settledSeconds.toFixed(3)} s, then close() ${closeSeconds.toFixed(3)} s`)
    if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n')
    if (r.mismatches + r.portErrors + r.portTimeouts > 0) process.exitCode = 1
  } finally {
    await pool.close()
  }
}

await main()
