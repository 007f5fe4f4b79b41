import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import v8 from 'node:v8'
import vm from 'node:vm'
import { PythonBridge } from '../../src/bridge/bridge.js'
import type { PythonIterator, PythonObject } from '../../src/bridge/handles.js'
import { PythonPool } from '../../src/bridge/pool.js'
import type { ObjectCounts } from '../../src/bridge/stats.js'
import { median, speedRatio } from '../../src/harness/stats.js'
import { runRounds } from '../../src/harness/runner.js'
import type { Benchmark, CheckRow, MeasurementInfo, Sample, Suite, SuiteContext, SuiteOutput } from '../../src/harness/types.js'
import { packageRoot } from '../../src/paths.js'
import { balancedChunks } from '../article/chunks.js'
import { bareProcesses } from './bare-processes.js'
import { expectedAddSum, interleaved, once, type AddCall } from './workloads.js'

const SEQUENTIAL_CALLS = 200 // per block; 10 blocks each of raw pythonia and PythonBridge, alternating
const IN_FLIGHT_CALLS = 2000 // per block; 4 blocks each
const CALL_BLOCKS = 10
const IN_FLIGHT_BLOCKS = 4
const MAP_ITEMS = 20_000
const CHUNKS = 8
const MB = 1024 * 1024
const PAYLOADS = [1, 10] as const
// The concurrency rows. Their targets (the issue's) are checks, so a miss fails the run, as a wrong sum does.
const ASYNC_CALLS = 500 // `async def` calls in flight on one PythonBridge (default concurrency, 1)
const ASYNC_SLEEP_S = 1
const ASYNC_TARGET_S = 1.1
const THREADS = 64 // PythonBridge({ concurrency: 64 }), 64 blocking calls at once
const SYNC_SLEEP_S = 0.2
const THREADS_TARGET_S = 0.3
// The contrast: a few of the same blocking calls at concurrency 1 (one after another) and on the 64-thread bridge.
// Few, to keep the suite short: 64 calls at concurrency 1 would take 64 × 0.2 = 12.8 s a run.
const CONTRAST_CALLS = 4
const CALL_TARGET = 1.15 // PythonBridge / raw pythonia, sequential per call
const IN_FLIGHT_TARGET = 1.0 // the same, calls in flight
// The handle and stream rows (Python objects as PythonObject handles, generators as PythonIterator streams).
const METHOD_TARGET = 1.1 // a method call on a handle / the same work as a module function call, sequential
// per block, 40 blocks each: finer alternation than the pythonia pair, as the two differ by little and the box is noisy
const METHOD_CALLS = 100
const METHOD_BLOCKS = 40
const STREAM_ITEMS = 100_000 // one generator, streamed with the default streamBatch (256)
const STREAM_TARGET_US = 5 // per item
const HANDLES = 100_000 // created, called and released per run, on a PythonBridge of their own
const HANDLE_BATCH = 1000 // one map('Token', ...) makes this many handles at once; a bump() call in flight on each
const HANDLE_BLOCK = 10_000 // after each block: gc, wait for the releases; Python's RSS is read after the first and the last
const RSS_TOLERANCE = 0.1 // RSS at the end within 10 % of RSS after the first block
const SETTLE_MS = 2000 // the most a block waits for garbage-collected handles to be released

interface RawPythonia {
  python: ((file: string) => Promise<Record<'add' | 'size' | 'blob', (...args: unknown[]) => Promise<unknown>>>) & { exit(): void }
}

/** Raw pythonia, the baseline. Importing it spawns Python at once, so only this suite does, and only here. */
async function startPythonia(python: string): Promise<RawPythonia> {
  process.env['PYTHON_BIN'] = python
  return (await import('pythonia')).default
}

function measurements(limit: number): MeasurementInfo[] {
  const m: MeasurementInfo[] = [
    {
      id: 'bridge.pythonia.call',
      lang: 'python',
      title: 'raw pythonia, per call, sequential',
      note: `add(i, 1) awaited one by one, in ${CALL_BLOCKS} blocks of ${SEQUENTIAL_CALLS} alternating with PythonBridge (in-flight rows likewise: ${IN_FLIGHT_BLOCKS} blocks of ${IN_FLIGHT_CALLS})`,
    },
    { id: 'bridge.pyport.call', lang: 'python', title: 'PythonBridge, per call, sequential' },
    { id: 'bridge.pythonia.inflight', lang: 'python', title: `raw pythonia, per call, ${IN_FLIGHT_CALLS} in flight` },
    { id: 'bridge.pyport.inflight', lang: 'python', title: `PythonBridge, per call, ${IN_FLIGHT_CALLS} in flight` },
    { id: 'bridge.pyport.map_item', lang: 'python', title: `PythonBridge map, per item (${MAP_ITEMS} items)` },
  ]
  for (const mb of PAYLOADS) {
    m.push({
      id: `bridge.payload.${mb}mb.to_py`,
      lang: 'python',
      title: `PythonBridge, ${mb} MB string to Python`,
      note: 'len(s) in Python',
    })
    m.push({ id: `bridge.payload.${mb}mb.to_js`, lang: 'python', title: `PythonBridge, ${mb} MB string to JS`, note: "'x' * n in Python" })
  }
  m.push(
    { id: 'bridge.pythonia.payload.10mb.to_py', lang: 'python', title: 'raw pythonia, 10 MB string to Python' },
    { id: 'bridge.pythonia.payload.10mb.to_js', lang: 'python', title: 'raw pythonia, 10 MB string to JS' },
    {
      id: 'bridge.single.sum_primes',
      lang: 'python',
      title: `PythonBridge, sum_primes(2, ${limit}) in ${CHUNKS} chunks`,
      note: 'map over the chunks on one interpreter',
    },
    {
      id: 'bridge.pool2.sum_primes',
      lang: 'python',
      title: `PythonPool(2), sum_primes(2, ${limit}) in ${CHUNKS} chunks`,
      note: 'map: half of the chunks on each interpreter',
    },
    {
      id: 'bridge.processes2.sum_primes',
      lang: 'python',
      title: `2 bare python3 processes, same chunks`,
      note: 'no bridge: each process times its half itself; the slower one counts. The parallelism the machine gave in this run',
    },
    {
      id: 'bridge.single.async_sleep',
      lang: 'python',
      kind: 'io',
      title: `PythonBridge, ${ASYNC_CALLS} async calls of asyncio.sleep(${ASYNC_SLEEP_S}) at once`,
      note: `wall time of all ${ASYNC_CALLS}, on one interpreter with the default concurrency (1): coroutines run on its event loop (target ≤ ${ASYNC_TARGET_S} s)`,
    },
    {
      id: 'bridge.threads64.sleep',
      lang: 'python',
      kind: 'io',
      title: `PythonBridge concurrency ${THREADS}, ${THREADS} × time.sleep(${SYNC_SLEEP_S}) at once`,
      note: `wall time of all ${THREADS} blocking calls, one per Python thread (target ≤ ${THREADS_TARGET_S} s)`,
    },
    {
      id: 'bridge.threads1.sleep4',
      lang: 'python',
      kind: 'io',
      title: `PythonBridge concurrency 1, ${CONTRAST_CALLS} × time.sleep(${SYNC_SLEEP_S}) at once`,
      note: `the contrast, kept to ${CONTRAST_CALLS} calls (${THREADS} would take ${(THREADS * SYNC_SLEEP_S).toFixed(1)} s): the default runs them one after another`,
    },
    {
      id: 'bridge.threads64.sleep4',
      lang: 'python',
      kind: 'io',
      title: `PythonBridge concurrency ${THREADS}, ${CONTRAST_CALLS} × time.sleep(${SYNC_SLEEP_S}) at once`,
      note: 'the same calls as bridge.threads1.sleep4, on the concurrency-64 bridge',
    },
    {
      id: 'bridge.pyport.function',
      lang: 'python',
      title: 'PythonBridge, module function call, sequential',
      note: `add(i, 1) awaited one by one, in ${METHOD_BLOCKS} blocks of ${METHOD_CALLS} alternating with bridge.pyport.method: its baseline, paired in the same blocks`,
    },
    {
      id: 'bridge.pyport.method',
      lang: 'python',
      title: 'PythonObject, method call on a handle, sequential',
      note: `adder.call('add', [i, 1]) on one handle of an agent.Adder: the same add as a method (target ≤ ${METHOD_TARGET}× the function call)`,
    },
    {
      id: 'bridge.pyport.stream_item',
      lang: 'python',
      title: `PythonIterator, per item, ${STREAM_ITEMS} items from a generator`,
      note: `for await over count(${STREAM_ITEMS}) (yield from range), default streamBatch; the call that returns the stream included (target ≤ ${STREAM_TARGET_US} µs per item)`,
    },
    {
      id: 'bridge.pyport.handle_cycle',
      lang: 'python',
      title: `PythonObject, per handle, ${HANDLES} created, called and released`,
      note:
        `map('Token', ...) makes ${HANDLE_BATCH} handles at once, bump() is called on each (in flight), half are released with release() and half dropped ` +
        `for the garbage collector (forced after every ${HANDLE_BLOCK}, the wait for it timed too), on a PythonBridge of their own; no warm-up, so run 1 starts on a fresh interpreter ` +
        `(target: Python RSS at the end within ${RSS_TOLERANCE * 100} % of RSS after the first ${HANDLE_BLOCK}, every run)`,
    },
  )
  return m
}

const RATIOS = [
  { of: 'bridge.pythonia.call', vs: 'bridge.pyport.call' },
  { of: 'bridge.pythonia.inflight', vs: 'bridge.pyport.inflight' },
  { of: 'bridge.pyport.map_item', vs: 'bridge.pyport.call' },
  { of: 'bridge.pythonia.payload.10mb.to_py', vs: 'bridge.payload.10mb.to_py' },
  { of: 'bridge.pythonia.payload.10mb.to_js', vs: 'bridge.payload.10mb.to_js' },
  { of: 'bridge.pool2.sum_primes', vs: 'bridge.single.sum_primes' },
  { of: 'bridge.processes2.sum_primes', vs: 'bridge.single.sum_primes' },
  { of: 'bridge.threads64.sleep4', vs: 'bridge.threads1.sleep4' },
  { of: 'bridge.pyport.function', vs: 'bridge.pyport.method' },
]

/** What one run of the handle row saw: Python's RSS after the first block and at the end, and the objects left. */
interface HandleRun {
  rssFirstMb: number
  rssEndMb: number
  /** stats().objects.live of the handles' bridge after the last block (0: every handle released). */
  liveJs: number
  /** Objects Python still held for handles after the last block (its registry). */
  livePython: number
}

/** VmRSS of a process in MB, as bench/bridge/soak.ts reads it; NaN where /proc cannot be read (the check then fails). */
function interpreterRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/**
 * A way to force a full garbage collection, for handles dropped without release(): global.gc under
 * `node --expose-gc`, else the flag set at run time (as test/bridge/objects.test.ts does). Undefined if neither works.
 */
function gcFunction(): { gc: () => void; how: string } | undefined {
  const globalGc = globalThis.gc
  if (typeof globalGc === 'function')
    return {
      gc: () => {
        globalGc()
      },
      how: 'global.gc (node --expose-gc)',
    }
  try {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as unknown
    if (typeof gc === 'function') return { gc: gc as () => void, how: "v8.setFlagsFromString('--expose-gc') and vm.runInNewContext('gc')" }
  } catch {
    // fall through: every handle is then released explicitly
  }
  return undefined
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const limit = (ctx.options['limit'] as number | undefined) ?? 200_000
  const agentPath = path.join(packageRoot, 'bench', 'bridge', 'agent.py')
  const chunks = balancedChunks(2, limit, CHUNKS).map((r) => [r.start, r.end])
  const options = { python: ctx.python, timeoutMs: 0, forwardStderr: true }
  const bridge = new PythonBridge(options)
  const pool = new PythonPool({ ...options, size: 2 })
  const threaded = new PythonBridge({ ...options, concurrency: THREADS })
  // the handle row's own interpreter: its RSS and stats().objects are those of the handles alone
  const holder = new PythonBridge(options)
  const gc = gcFunction()
  const [loadBefore = NaN] = os.loadavg() // loadavg() always has its three averages
  ctx.progress(
    `starting raw pythonia, a PythonBridge, a PythonPool(2), a PythonBridge({ concurrency: ${THREADS} }) and a PythonBridge for the handle row`,
  )
  const pythonia = await startPythonia(ctx.python)
  try {
    const raw = await pythonia.python(agentPath)
    const mod = await bridge.import(agentPath)
    const pmod = await pool.import(agentPath)
    const tmod = await threaded.import(agentPath)
    const hmod = await holder.import(agentPath)
    const adder = await mod.call<PythonObject>('Adder')
    const pyMethodAdd: AddCall = (a, b) => adder.call<number>('add', [a, b])
    const rawAdd: AddCall = (a, b) => raw.add(a, b) as Promise<number>
    const pyAdd: AddCall = (a, b) => mod.call<number>('add', [a, b])
    const mapItems = Array.from({ length: MAP_ITEMS }, (_, i) => [i, 1])
    const payloads = new Map(PAYLOADS.map((mb) => [mb, 'y'.repeat(mb * MB)]))

    const payloadRun = async (): Promise<Record<string, Sample>> => {
      const out: Record<string, Sample> = {}
      for (const mb of PAYLOADS) {
        const toPy = await once(() => mod.call<number>('size', [payloads.get(mb)]))
        out[`bridge.payload.${mb}mb.to_py`] = { seconds: toPy.seconds, sum: toPy.value }
        const toJs = await once(() => mod.call<string>('blob', [mb * MB]))
        out[`bridge.payload.${mb}mb.to_js`] = { seconds: toJs.seconds, sum: toJs.value.length }
      }
      return out
    }
    const rawPayloadRun = async (): Promise<Record<string, Sample>> => {
      const toPy = await once(() => raw.size(payloads.get(10)) as Promise<number>)
      const toJs = await once(() => raw.blob(10 * MB) as Promise<string>)
      return {
        'bridge.pythonia.payload.10mb.to_py': { seconds: toPy.seconds, sum: toPy.value },
        'bridge.pythonia.payload.10mb.to_js': { seconds: toJs.seconds, sum: toJs.value.length },
      }
    }
    const sumPrimes = async (m: typeof mod): Promise<Sample> => {
      const r = await once(() => m.map<number>('sum_primes', chunks))
      return { seconds: r.seconds, sum: r.value.reduce((a, b) => a + b, 0) }
    }
    /** `n` calls of `fn(seconds, i)` started at once; the wall time of all of them, and the sum of the i's. */
    const atOnce = async (m: typeof mod, fn: 'nap' | 'doze', seconds: number, n: number): Promise<Sample> => {
      const r = await once(() => Promise.all(Array.from({ length: n }, (_, i) => m.call<number>(fn, [seconds, i]))))
      return { seconds: r.seconds, sum: r.value.reduce((a, b) => a + b, 0) }
    }

    /** count(n) streamed: seconds per item; the sum, or where the order broke. */
    const streamRun = async (): Promise<Sample> => {
      let sum = 0
      let n = 0
      let disorder: string | undefined
      const t0 = performance.now()
      for await (const x of await mod.call<PythonIterator<number>>('count', [STREAM_ITEMS])) {
        if (x !== n && disorder === undefined) disorder = `item ${n} was ${x}`
        sum += x
        n++
      }
      const seconds = (performance.now() - t0) / 1000 / STREAM_ITEMS
      return { seconds, sum: disorder ?? (n === STREAM_ITEMS ? sum : `${n} items, sum ${sum}`) }
    }

    /** One batch: HANDLE_BATCH handles made by one map, bump() on each, half released; the sum of the bumps. */
    const handleBatch = async (base: number): Promise<number> => {
      const tokens = await hmod.map<PythonObject>(
        'Token',
        Array.from({ length: HANDLE_BATCH }, (_, j) => [base + j]),
      )
      const bumps = await Promise.all(tokens.map((t) => t.call<number>('bump')))
      // without a way to force gc, every handle is released explicitly
      await Promise.all(tokens.filter((_, j) => !gc || j % 2 === 0).map((t) => t.release()))
      return bumps.reduce((a, b) => a + b, 0)
    }
    /** After a block: collect the dropped handles and wait until Python has released their objects. */
    const settle = async (): Promise<{ liveJs: number; livePython: number }> => {
      const t0 = performance.now()
      while (holder.stats().objects.live > 0 && performance.now() - t0 < SETTLE_MS) {
        gc?.gc()
        await sleep(5) // the FinalizationRegistry's callbacks run, and the batched release is sent
      }
      let livePython = await hmod.call<number>('live_objects')
      while (livePython > 0 && performance.now() - t0 < SETTLE_MS) {
        await sleep(5)
        livePython = await hmod.call<number>('live_objects')
      }
      return { liveJs: holder.stats().objects.live, livePython }
    }
    const handleRuns: HandleRun[] = []
    const handleRun = async (): Promise<Sample> => {
      let sum = 0
      let rssFirstMb = NaN
      let left = { liveJs: 0, livePython: 0 }
      const t0 = performance.now()
      for (let done = 0; done < HANDLES;) {
        for (const end = done + HANDLE_BLOCK; done < end; done += HANDLE_BATCH) sum += await handleBatch(done)
        left = await settle()
        if (done === HANDLE_BLOCK) rssFirstMb = interpreterRssMb(holder.pid)
      }
      const seconds = (performance.now() - t0) / 1000 / HANDLES
      handleRuns.push({ rssFirstMb, rssEndMb: interpreterRssMb(holder.pid), ...left })
      return { seconds, sum }
    }

    const benchmarks: Benchmark[] = [
      {
        ids: ['bridge.pythonia.call', 'bridge.pyport.call'],
        label: 'raw pythonia and PythonBridge, sequential calls',
        run: async () => {
          const r = await interleaved(rawAdd, pyAdd, { blocks: CALL_BLOCKS, perBlock: SEQUENTIAL_CALLS, inFlight: false })
          return { 'bridge.pythonia.call': r.a, 'bridge.pyport.call': r.b }
        },
      },
      {
        ids: ['bridge.pythonia.inflight', 'bridge.pyport.inflight'],
        label: 'raw pythonia and PythonBridge, calls in flight',
        run: async () => {
          const r = await interleaved(rawAdd, pyAdd, { blocks: IN_FLIGHT_BLOCKS, perBlock: IN_FLIGHT_CALLS, inFlight: true })
          return { 'bridge.pythonia.inflight': r.a, 'bridge.pyport.inflight': r.b }
        },
      },
      {
        ids: ['bridge.pyport.map_item'],
        label: 'PythonBridge, map',
        run: async () => {
          const r = await once(() => mod.map<number>('add', mapItems))
          return { 'bridge.pyport.map_item': { seconds: r.seconds / MAP_ITEMS, sum: r.value.reduce((a, b) => a + b, 0) } }
        },
      },
      {
        ids: PAYLOADS.flatMap((mb) => [`bridge.payload.${mb}mb.to_py`, `bridge.payload.${mb}mb.to_js`]),
        label: 'PythonBridge, payloads',
        run: payloadRun,
      },
      {
        ids: ['bridge.pythonia.payload.10mb.to_py', 'bridge.pythonia.payload.10mb.to_js'],
        label: 'raw pythonia, payloads',
        run: rawPayloadRun,
      },
      {
        ids: ['bridge.single.sum_primes'],
        label: 'sum_primes on one PythonBridge',
        run: async () => ({ 'bridge.single.sum_primes': await sumPrimes(mod) }),
      },
      {
        ids: ['bridge.pool2.sum_primes'],
        label: 'sum_primes on a PythonPool(2)',
        run: async () => ({ 'bridge.pool2.sum_primes': await sumPrimes(pmod) }),
      },
      {
        ids: ['bridge.processes2.sum_primes'],
        label: 'sum_primes on 2 bare python3 processes',
        run: async () => ({
          'bridge.processes2.sum_primes': await bareProcesses(ctx.python, path.dirname(agentPath), [
            chunks.slice(0, CHUNKS / 2),
            chunks.slice(CHUNKS / 2),
          ]),
        }),
      },
      // The two long waits (1 s and 0.8 s a run) skip the warm-up: they time sleeps, and nothing in them warms.
      {
        ids: ['bridge.single.async_sleep'],
        label: `${ASYNC_CALLS} async calls on one PythonBridge`,
        warmup: 0,
        run: async () => ({ 'bridge.single.async_sleep': await atOnce(mod, 'nap', ASYNC_SLEEP_S, ASYNC_CALLS) }),
      },
      {
        ids: ['bridge.threads64.sleep'],
        label: `${THREADS} blocking calls, concurrency ${THREADS}`,
        run: async () => ({ 'bridge.threads64.sleep': await atOnce(tmod, 'doze', SYNC_SLEEP_S, THREADS) }),
      },
      {
        ids: ['bridge.threads1.sleep4'],
        label: `${CONTRAST_CALLS} blocking calls, concurrency 1`,
        warmup: 0,
        run: async () => ({ 'bridge.threads1.sleep4': await atOnce(mod, 'doze', SYNC_SLEEP_S, CONTRAST_CALLS) }),
      },
      {
        ids: ['bridge.threads64.sleep4'],
        label: `${CONTRAST_CALLS} blocking calls, concurrency ${THREADS}`,
        run: async () => ({ 'bridge.threads64.sleep4': await atOnce(tmod, 'doze', SYNC_SLEEP_S, CONTRAST_CALLS) }),
      },
      {
        ids: ['bridge.pyport.function', 'bridge.pyport.method'],
        label: 'module function and handle method, sequential calls',
        run: async () => {
          const r = await interleaved(pyAdd, pyMethodAdd, { blocks: METHOD_BLOCKS, perBlock: METHOD_CALLS, inFlight: false })
          return { 'bridge.pyport.function': r.a, 'bridge.pyport.method': r.b }
        },
      },
      {
        ids: ['bridge.pyport.stream_item'],
        label: `streaming ${STREAM_ITEMS} items from a generator`,
        run: async () => ({ 'bridge.pyport.stream_item': await streamRun() }),
      },
      {
        ids: ['bridge.pyport.handle_cycle'],
        label: `${HANDLES} handles created, called and released`,
        warmup: 0,
        run: async () => ({ 'bridge.pyport.handle_cycle': await handleRun() }),
      },
    ]
    const samples = await runRounds(benchmarks, ctx)
    await adder.release()
    const reference = await mod.call<number>('sum_primes', [2, limit])
    const held = holder.stats().objects
    const queuedOf = (b: typeof bridge) => {
      const s = b.stats()
      const doze = s.functions.find((f) => f.function === 'doze')
      return { concurrency: s.interpreters.concurrency, items: doze?.items ?? 0, queuedMs: doze?.queuedMs ?? 0 }
    }
    const queued = [queuedOf(bridge), queuedOf(threaded)] as const
    return {
      measurements: measurements(limit),
      samples,
      ratios: RATIOS,
      checks: [...checks(samples, reference), ...targetChecks(samples), ...handleChecks(handleRuns, held)],
      settings: {
        runs: ctx.runs,
        warmup: ctx.warmup,
        limit,
        chunks: CHUNKS,
        mapItems: MAP_ITEMS,
        sequentialCalls: `${CALL_BLOCKS} × ${SEQUENTIAL_CALLS}`,
        inFlightCalls: `${IN_FLIGHT_BLOCKS} × ${IN_FLIGHT_CALLS}`,
        methodCalls: `${METHOD_BLOCKS} × ${METHOD_CALLS}`,
        asyncCalls: ASYNC_CALLS,
        threads: THREADS,
        streamItems: STREAM_ITEMS,
        handles: `${HANDLES / HANDLE_BATCH} × ${HANDLE_BATCH}`,
      },
      notes: [
        ...targetNotes(samples),
        handleNote(handleRuns, gc?.how),
        `Waiting in Python for a free thread (stats().functions[].queuedMs, warm-ups included): doze waited ${perItem(queued[0])} ms per call ` +
          `on the bridge with concurrency ${queued[0].concurrency}, ${perItem(queued[1])} ms per call on the one with concurrency ${queued[1].concurrency}.`,
        `1-minute load average ${loadBefore.toFixed(2)} before and ${(os.loadavg()[0] ?? NaN).toFixed(2)} after, on ${os.availableParallelism()} cores: the pool can only show its speed-up on idle cores.`,
      ],
    }
  } finally {
    pythonia.python.exit()
    await Promise.all([bridge.close(), pool.close(), threaded.close(), holder.close()])
  }
}

function checks(samples: Record<string, Sample[]>, primes: number): CheckRow[] {
  const expect = (id: string, value: number, what: string): CheckRow => {
    const bad = (samples[id] ?? []).filter((s) => s.sum !== value)
    return {
      name: `${id} result`,
      ok: bad.length === 0,
      detail: bad.length ? `got ${bad.map((s) => s.sum).join(', ')}, expected ${value}` : `${what} in every run`,
    }
  }
  return [
    expect('bridge.pythonia.call', CALL_BLOCKS * expectedAddSum(SEQUENTIAL_CALLS), 'every answer arrived'),
    expect('bridge.pyport.call', CALL_BLOCKS * expectedAddSum(SEQUENTIAL_CALLS), 'every answer arrived'),
    expect('bridge.pythonia.inflight', IN_FLIGHT_BLOCKS * expectedAddSum(IN_FLIGHT_CALLS), 'every answer arrived'),
    expect('bridge.pyport.inflight', IN_FLIGHT_BLOCKS * expectedAddSum(IN_FLIGHT_CALLS), 'every answer arrived'),
    expect('bridge.pyport.map_item', expectedAddSum(MAP_ITEMS), 'every item answered'),
    ...PAYLOADS.flatMap((mb) => [
      expect(`bridge.payload.${mb}mb.to_py`, mb * MB, `${mb * MB} characters`),
      expect(`bridge.payload.${mb}mb.to_js`, mb * MB, `${mb * MB} characters`),
    ]),
    expect('bridge.single.sum_primes', primes, `chunks sum to sum_primes(2, limit) = ${primes}`),
    expect('bridge.pool2.sum_primes', primes, `chunks sum to sum_primes(2, limit) = ${primes}`),
    expect('bridge.processes2.sum_primes', primes, `chunks sum to sum_primes(2, limit) = ${primes}`),
    expect('bridge.single.async_sleep', indexSum(ASYNC_CALLS), `all ${ASYNC_CALLS} answered`),
    expect('bridge.threads64.sleep', indexSum(THREADS), `all ${THREADS} answered`),
    expect('bridge.threads1.sleep4', indexSum(CONTRAST_CALLS), `all ${CONTRAST_CALLS} answered`),
    expect('bridge.threads64.sleep4', indexSum(CONTRAST_CALLS), `all ${CONTRAST_CALLS} answered`),
    expect('bridge.pyport.function', METHOD_BLOCKS * expectedAddSum(METHOD_CALLS), 'every answer arrived'),
    expect('bridge.pyport.method', METHOD_BLOCKS * expectedAddSum(METHOD_CALLS), 'every answer arrived'),
    expect('bridge.pyport.stream_item', indexSum(STREAM_ITEMS), `all ${STREAM_ITEMS} items, in order`),
    expect('bridge.pyport.handle_cycle', expectedAddSum(HANDLES), `every one of the ${HANDLES} handles answered bump()`),
  ]
}

/** What the i's of `n` calls sum to. */
const indexSum = (n: number) => (n * (n - 1)) / 2

const perItem = (q: { items: number; queuedMs: number }) => (q.items > 0 ? (q.queuedMs / q.items).toFixed(1) : '–')

const secondsOf = (samples: Record<string, Sample[]>, id: string) => (samples[id] ?? []).map((s) => s.seconds)

/**
 * The issue's targets, checked against this run's medians: a miss fails the run like a wrong result does. The
 * machine is shared, so read a miss against the min–max shown beside it, and the load average in the notes.
 */
function targetChecks(samples: Record<string, Sample[]>): CheckRow[] {
  const f = (x: number) => x.toFixed(2)
  const s = (x: number) => `${x.toFixed(3)} s`
  const wall = (id: string, target: number, what: string): CheckRow => {
    const runs = secondsOf(samples, id)
    const med = median(runs)
    return {
      name: `target ${id} ≤ ${target} s`,
      ok: med <= target,
      detail: `median ${s(med)} (runs ${s(Math.min(...runs))}–${s(Math.max(...runs))}): ${what}`,
    }
  }
  /** `ours` ÷ `raw` per call (PythonBridge ÷ raw pythonia unless said): the ratio rows' median (median ÷ median) and their paired range. */
  const perCall = (raw: string, ours: string, target: number, what: string, ratio = 'PythonBridge / raw pythonia'): CheckRow => {
    const r = speedRatio(secondsOf(samples, raw), secondsOf(samples, ours))
    const over = r.median > target ? `, ${((r.median / target - 1) * 100).toFixed(1)} % over the target` : ''
    return {
      name: `target ${ours} ≤ ${target.toFixed(2)} × ${raw}`,
      ok: r.median <= target,
      detail: `${ratio} per call, ${what}: ${f(r.median)}× (paired runs ${f(r.min)}–${f(r.max)}×)${over}`,
    }
  }
  const perItem = (id: string, targetUs: number, what: string): CheckRow => {
    const runs = secondsOf(samples, id).map((x) => x * 1e6)
    const med = median(runs)
    return {
      name: `target ${id} ≤ ${targetUs} µs`,
      ok: med <= targetUs,
      detail: `median ${med.toFixed(2)} µs per item (runs ${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)} µs): ${what}`,
    }
  }
  const serial = secondsOf(samples, 'bridge.threads1.sleep4')
  return [
    perCall('bridge.pythonia.call', 'bridge.pyport.call', CALL_TARGET, 'sequential'),
    perCall('bridge.pythonia.inflight', 'bridge.pyport.inflight', IN_FLIGHT_TARGET, `${IN_FLIGHT_CALLS} in flight`),
    wall('bridge.single.async_sleep', ASYNC_TARGET_S, `${ASYNC_CALLS} coroutines overlapped on one interpreter`),
    wall('bridge.threads64.sleep', THREADS_TARGET_S, `${THREADS} blocking calls overlapped on ${THREADS} threads`),
    {
      // not a target: makes sure the contrast is one (the default really runs blocking calls one at a time)
      name: `bridge.threads1.sleep4 ≥ ${CONTRAST_CALLS} × ${SYNC_SLEEP_S} s`,
      ok: serial.every((x) => x >= CONTRAST_CALLS * SYNC_SLEEP_S),
      detail: `concurrency 1 ran the ${CONTRAST_CALLS} calls one after another in every run (fastest ${s(Math.min(...serial))})`,
    },
    perCall('bridge.pyport.function', 'bridge.pyport.method', METHOD_TARGET, 'sequential', 'method on a handle / module function'),
    perItem('bridge.pyport.stream_item', STREAM_TARGET_US, `${STREAM_ITEMS} items of one generator`),
  ]
}

const mb = (x: number) => `${x.toFixed(1)} MB`
const rssChange = (r: HandleRun) => r.rssEndMb / r.rssFirstMb - 1
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`

/**
 * The handle row: Python's RSS at the end of every run within RSS_TOLERANCE of its size after the run's first block,
 * and every handle released (none live in JS, none held in Python, none lost).
 */
function handleChecks(runs: HandleRun[], objects: ObjectCounts): CheckRow[] {
  const id = 'bridge.pyport.handle_cycle'
  const worst = runs.reduce<HandleRun | undefined>(
    (w, r) => (w === undefined || !(Math.abs(rssChange(r)) <= Math.abs(rssChange(w))) ? r : w),
    undefined,
  )
  const rssOk = runs.length > 0 && runs.every((r) => Math.abs(rssChange(r)) <= RSS_TOLERANCE)
  const left = runs.filter((r) => r.liveJs !== 0 || r.livePython !== 0)
  const expected = runs.length * HANDLES
  const countsOk = objects.created === expected && objects.released === expected && objects.live === 0 && objects.lost === 0
  return [
    {
      name: `target ${id}: Python RSS at the end within ${RSS_TOLERANCE * 100} % of RSS after the first ${HANDLE_BLOCK}`,
      ok: rssOk,
      detail:
        `after ${HANDLE_BLOCK} → after ${HANDLES}, per run: ${runs.map((r) => `${mb(r.rssFirstMb)} → ${mb(r.rssEndMb)}`).join(', ')}` +
        (worst ? `; largest change ${pct(rssChange(worst))}` : ''),
    },
    {
      name: `${id} released`,
      ok: left.length === 0 && countsOk,
      detail:
        `${left.length === 0 ? 'no handle live in JS and no object held in Python after every run' : `left after ${left.length} run(s): ${left.map((r) => `${r.liveJs} in JS, ${r.livePython} in Python`).join('; ')}`}; ` +
        `stats().objects ${JSON.stringify(objects)} (expected ${expected} created and released)`,
    },
  ]
}

/** How the handles went, and Python's RSS across every run of the row (the checks hold the per-run figures). */
function handleNote(runs: HandleRun[], gcHow: string | undefined): string {
  const first = runs[0]
  const last = runs.at(-1)
  const how = gcHow
    ? `half released with release(), half garbage-collected (gc forced with ${gcHow})`
    : 'all released with release() (gc could not be forced)'
  const span =
    first && last
      ? ` Python RSS from after the first ${HANDLE_BLOCK} of run 1 to the end of run ${runs.length} (${runs.length * HANDLES} handles): ${mb(first.rssFirstMb)} → ${mb(last.rssEndMb)} (${pct(last.rssEndMb / first.rssFirstMb - 1)}).`
      : ''
  return `Handles: ${how}.${span}`
}

/** The earlier targets that stay notes (reported, not enforced); the per-call ones are checks now (targetChecks). */
function targetNotes(samples: Record<string, Sample[]>): string[] {
  const med = (id: string) => median(secondsOf(samples, id))
  const f = (x: number) => x.toFixed(2)
  const mapUs = med('bridge.pyport.map_item') * 1e6
  const pool = med('bridge.single.sum_primes') / med('bridge.pool2.sum_primes')
  const bare = med('bridge.single.sum_primes') / med('bridge.processes2.sum_primes')
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  return [
    `map: ${mapUs.toFixed(2)} µs per tiny item (target ≤ 10 µs: ${verdict(mapUs <= 10)}).`,
    `PythonPool(2) vs one PythonBridge on sum_primes: ${f(pool)}× (target ≥ 1.7: ${verdict(pool >= 1.7)}); two bare python3 processes got ${f(bare)}× in the same run.`,
    'Per-call rows are seconds per call (or per item); payload rows are seconds per transfer. Each round runs every benchmark once, so ratios pair runs that saw the same load.',
    'The 100 000-call soak is a separate script: node dist/bench/bridge/soak.js',
  ]
}

export const bridgeSuite: Suite = {
  name: 'bridge',
  summary:
    'raw pythonia vs PythonBridge per call, map, payloads, PythonPool(2) on sum_primes, async def and concurrency: N, handles and streams',
  run,
}
