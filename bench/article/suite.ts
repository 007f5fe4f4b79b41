import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Piscina } from 'piscina'
import { runRounds } from '../../src/harness/runner.js'
import type { Benchmark, MeasurementInfo, Suite, SuiteContext, SuiteOutput } from '../../src/harness/types.js'
import { compiledSibling } from '../../src/paths.js'
import { RunFailedError } from '../../src/cli/command.js'
import { ARTICLE_IO_SECONDS } from './python-scripts.js'
import { articleSplit, balancedChunks, type Range } from './chunks.js'
import { parseCpuPerf, parseIoPerf } from './parse-output.js'
import { pythonReferenceSums, runArticleScript, type ScriptSettings } from './python-scripts.js'
import { sumChecks } from './sum-checks.js'
import { sumPrimes } from './sum-primes.js'

const AGENTS = 500
/**
 * One cost-balanced chunk per thread: on a 2-core machine every extra hand-off costs a thread wake-up, which
 * measured more than the imbalance it saves (2 chunks ~11.6 ms, 4 ~12.9, 8 ~13.4 for primes below 200k).
 */
const CHUNKS_PER_THREAD = 1

function seconds(since: number): number {
  return (performance.now() - since) / 1000
}

/** One untimed pass wakes the threads after the Python runs left them idle; the second pass is timed. */
async function timeRanges(pool: Piscina, ranges: Range[]): Promise<{ seconds: number; sum: number }> {
  await Promise.all(ranges.map((r) => pool.run(r)))
  const t0 = performance.now()
  const parts = (await Promise.all(ranges.map((r) => pool.run(r)))) as number[]
  return { seconds: seconds(t0), sum: parts.reduce((a, b) => a + b, 0) }
}

/** Starts every thread and runs real tasks on each, so no timed run pays for thread start-up or cold JIT. */
async function warmPool(pool: Piscina, threads: number, limit: number): Promise<void> {
  const ranges = balancedChunks(2, limit, threads * CHUNKS_PER_THREAD)
  for (let i = 0; i < 3; i++) await Promise.all(ranges.map((r) => pool.run(r)))
}

/** The scripts print 4 decimals: a workload that small prints 0.0000 s, which no ratio can use. */
function requireMeasurableTimes(samples: Record<string, { seconds: number }[]>, s: ScriptSettings): void {
  for (const [id, list] of Object.entries(samples)) {
    if (list.some((x) => !(x.seconds > 0))) {
      throw new RunFailedError(
        `${id} measured 0 s (the article's scripts print 4 decimals): the workload is too small to time ` +
          `(--limit ${s.limit}, --io-seconds ${s.ioSeconds}). Use a larger --limit, e.g. --limit 20000.`,
      )
    }
  }
}

function measurements(threads: number, s: ScriptSettings): MeasurementInfo[] {
  const io = `${s.ioSeconds} s`
  return [
    { id: 'cpu.python.single', lang: 'python', title: 'Python, 1 thread (cpu_perf.py)' },
    { id: 'cpu.python.threads2', lang: 'python', title: 'Python, 2 threads (cpu_perf.py, GIL)' },
    { id: 'cpu.ts.single', lang: 'ts', title: 'TypeScript, 1 thread' },
    {
      id: 'cpu.ts.threads2',
      lang: 'ts',
      title: "TypeScript, 2 workers, article's split",
      note: 'warm piscina pool of 2; the split is uneven',
    },
    {
      id: 'cpu.ts.pool',
      lang: 'ts',
      title: `TypeScript, warm pool of ${threads}, balanced`,
      note: `warm piscina pool of ${threads} (threads started and warmed before timing), ${threads * CHUNKS_PER_THREAD} cost-balanced chunks`,
    },
    { id: 'io.python.sequential', lang: 'python', title: `Python, 2 × ${io} wait, sequential (io_perf.py)`, kind: 'io' },
    { id: 'io.python.threads2', lang: 'python', title: `Python, 2 × ${io} wait, 2 threads (io_perf.py)`, kind: 'io' },
    { id: 'io.ts.sequential', lang: 'ts', title: `TypeScript, 2 × ${io} wait, sequential`, kind: 'io' },
    { id: 'io.ts.concurrent', lang: 'ts', title: `TypeScript, 2 × ${io} wait, concurrent`, kind: 'io' },
    { id: 'io.ts.agents500', lang: 'ts', title: `TypeScript, ${AGENTS} agents × ${io} wait, concurrent`, kind: 'io' },
  ]
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const s: ScriptSettings = {
    python: ctx.python,
    limit: ctx.options['limit'] as number,
    ioSeconds: (ctx.options['ioSeconds'] as number | undefined) ?? ARTICLE_IO_SECONDS,
  }
  const threads = Math.max(2, os.availableParallelism())
  const waitMs = s.ioSeconds * 1000

  ctx.progress(`computing the reference sum with the article's sum_primes in Python (limit ${s.limit})`)
  const reference = await pythonReferenceSums(s)

  const filename = compiledSibling(import.meta.url, 'sum-primes-worker.js').href
  const pool2 = new Piscina({ filename, minThreads: 2, maxThreads: 2, idleTimeout: Infinity })
  const poolN = new Piscina({ filename, minThreads: threads, maxThreads: threads, idleTimeout: Infinity })
  try {
    ctx.progress(`starting and warming worker pools (2 and ${threads} threads)`)
    await warmPool(pool2, 2, s.limit)
    await warmPool(poolN, threads, s.limit)
    const split = articleSplit(s.limit)
    const chunks = balancedChunks(2, s.limit, threads * CHUNKS_PER_THREAD)

    const benchmarks: Benchmark[] = [
      {
        ids: ['cpu.python.single', 'cpu.python.threads2'],
        label: 'cpu_perf.py',
        run: async () => {
          const t = parseCpuPerf(await runArticleScript('cpu_perf.py', s))
          return { 'cpu.python.single': { seconds: t.single }, 'cpu.python.threads2': { seconds: t.threads2 } }
        },
      },
      {
        ids: ['cpu.ts.single'],
        label: 'TypeScript, 1 thread',
        // eslint-disable-next-line @typescript-eslint/require-await -- run() returns a promise like the other benchmarks' runs; this one has nothing to await
        run: async () => {
          sumPrimes(2, s.limit) // untimed, like the pools' wake-up pass
          const t0 = performance.now()
          const sum = sumPrimes(2, s.limit)
          return { 'cpu.ts.single': { seconds: seconds(t0), sum } }
        },
      },
      {
        ids: ['cpu.ts.threads2'],
        label: "TypeScript, article's split on 2 workers",
        run: async () => ({ 'cpu.ts.threads2': await timeRanges(pool2, split) }),
      },
      {
        ids: ['cpu.ts.pool'],
        label: `TypeScript, ${chunks.length} chunks on ${threads} workers`,
        run: async () => ({ 'cpu.ts.pool': await timeRanges(poolN, chunks) }),
      },
      {
        ids: ['io.python.sequential', 'io.python.threads2'],
        label: 'io_perf.py',
        warmup: 0,
        run: async () => {
          const t = parseIoPerf(await runArticleScript('io_perf.py', s))
          return { 'io.python.sequential': { seconds: t.sequential }, 'io.python.threads2': { seconds: t.threads2 } }
        },
      },
      {
        ids: ['io.ts.sequential', 'io.ts.concurrent', 'io.ts.agents500'],
        label: `TypeScript waits (2 sequential, 2 concurrent, ${AGENTS} agents)`,
        warmup: 0,
        run: async () => {
          let t0 = performance.now()
          await sleep(waitMs)
          await sleep(waitMs)
          const sequential = seconds(t0)
          t0 = performance.now()
          await Promise.all([sleep(waitMs), sleep(waitMs)])
          const concurrent = seconds(t0)
          t0 = performance.now()
          await Promise.all(Array.from({ length: AGENTS }, () => sleep(waitMs)))
          const agents = seconds(t0)
          return {
            'io.ts.sequential': { seconds: sequential },
            'io.ts.concurrent': { seconds: concurrent },
            'io.ts.agents500': { seconds: agents },
          }
        },
      },
    ]
    const samples = await runRounds(benchmarks, ctx)
    requireMeasurableTimes(samples, s)

    const checks = sumChecks(samples, reference.sum, s.limit)
    for (const id of ['cpu.python.single', 'cpu.python.threads2']) {
      for (const x of samples[id] ?? []) x.sum = reference.sum
    }

    const notes: string[] = [
      'TypeScript pools are started and warmed before timing (starting a worker costs more than the whole 200k job), and each timed TypeScript run follows an untimed one of the same work.',
      'Python times are the ones cpu_perf.py and io_perf.py print; the TypeScript times are measured the same way (wall clock around the work).',
    ]
    if (s.limit !== 200_000 || s.ioSeconds !== 1) {
      notes.push(
        `Workload changed from the article's: limit=${s.limit}, io-seconds=${s.ioSeconds} (scripts run through bench/article/article.py with only these constants patched).`,
      )
    }
    return {
      measurements: measurements(threads, s),
      samples,
      ratios: [
        { of: 'cpu.ts.single', vs: 'cpu.python.single' },
        { of: 'cpu.ts.pool', vs: 'cpu.ts.single' },
        { of: 'cpu.ts.pool', vs: 'cpu.python.single' },
        { of: 'cpu.ts.pool', vs: 'cpu.ts.threads2' },
        { of: 'cpu.python.threads2', vs: 'cpu.python.single' },
        { of: 'io.python.threads2', vs: 'io.python.sequential' },
        { of: 'io.ts.concurrent', vs: 'io.ts.sequential' },
      ],
      checks,
      settings: { runs: ctx.runs, warmup: ctx.warmup, limit: s.limit, ioSeconds: s.ioSeconds, threads, agents: AGENTS },
      notes,
    }
  } finally {
    await Promise.all([pool2.destroy(), poolN.destroy()])
  }
}

export const articleSuite: Suite = {
  name: 'article',
  summary: "the article's cpu_perf.py and io_perf.py beside TypeScript equivalents",
  run,
}
