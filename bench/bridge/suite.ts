import os from 'node:os'
import path from 'node:path'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { PythonPool } from '../../src/bridge/pool.js'
import { median } from '../../src/harness/stats.js'
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

interface RawPythonia {
  python: ((file: string) => Promise<Record<string, (...args: unknown[]) => Promise<unknown>>>) & { exit(): void }
}

/** Raw pythonia, the baseline. Importing it spawns Python at once, so only this suite does, and only here. */
async function startPythonia(python: string): Promise<RawPythonia> {
  process.env['PYTHON_BIN'] = python
  return (await import('pythonia')).default as unknown as RawPythonia
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
    m.push({ id: `bridge.payload.${mb}mb.to_py`, lang: 'python', title: `PythonBridge, ${mb} MB string to Python`, note: 'len(s) in Python' })
    m.push({ id: `bridge.payload.${mb}mb.to_js`, lang: 'python', title: `PythonBridge, ${mb} MB string to JS`, note: "'x' * n in Python" })
  }
  m.push(
    { id: 'bridge.pythonia.payload.10mb.to_py', lang: 'python', title: 'raw pythonia, 10 MB string to Python' },
    { id: 'bridge.pythonia.payload.10mb.to_js', lang: 'python', title: 'raw pythonia, 10 MB string to JS' },
    { id: 'bridge.single.sum_primes', lang: 'python', title: `PythonBridge, sum_primes(2, ${limit}) in ${CHUNKS} chunks`, note: 'map over the chunks on one interpreter' },
    { id: 'bridge.pool2.sum_primes', lang: 'python', title: `PythonPool(2), sum_primes(2, ${limit}) in ${CHUNKS} chunks`, note: 'map: half of the chunks on each interpreter' },
    {
      id: 'bridge.processes2.sum_primes',
      lang: 'python',
      title: `2 bare python3 processes, same chunks`,
      note: 'no bridge: each process times its half itself; the slower one counts. The parallelism the machine gave in this run',
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
]

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const limit = (ctx.options['limit'] as number | undefined) ?? 200_000
  const agentPath = path.join(packageRoot, 'bench', 'bridge', 'agent.py')
  const chunks = balancedChunks(2, limit, CHUNKS).map((r) => [r.start, r.end])
  const options = { python: ctx.python, timeoutMs: 0, forwardStderr: true }
  const bridge = new PythonBridge(options)
  const pool = new PythonPool({ ...options, size: 2 })
  const loadBefore = os.loadavg()[0]!
  ctx.progress('starting raw pythonia, a PythonBridge and a PythonPool(2)')
  const pythonia = await startPythonia(ctx.python)
  try {
    const raw = await pythonia.python(agentPath)
    const mod = await bridge.import(agentPath)
    const pmod = await pool.import(agentPath)
    const rawAdd: AddCall = (a, b) => raw['add']!(a, b) as Promise<number>
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
      const toPy = await once(() => raw['size']!(payloads.get(10)) as Promise<number>)
      const toJs = await once(() => raw['blob']!(10 * MB) as Promise<string>)
      return {
        'bridge.pythonia.payload.10mb.to_py': { seconds: toPy.seconds, sum: toPy.value },
        'bridge.pythonia.payload.10mb.to_js': { seconds: toJs.seconds, sum: toJs.value.length },
      }
    }
    const sumPrimes = async (m: typeof mod): Promise<Sample> => {
      const r = await once(() => m.map<number>('sum_primes', chunks))
      return { seconds: r.seconds, sum: r.value.reduce((a, b) => a + b, 0) }
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
      { ids: PAYLOADS.flatMap((mb) => [`bridge.payload.${mb}mb.to_py`, `bridge.payload.${mb}mb.to_js`]), label: 'PythonBridge, payloads', run: payloadRun },
      { ids: ['bridge.pythonia.payload.10mb.to_py', 'bridge.pythonia.payload.10mb.to_js'], label: 'raw pythonia, payloads', run: rawPayloadRun },
      { ids: ['bridge.single.sum_primes'], label: 'sum_primes on one PythonBridge', run: async () => ({ 'bridge.single.sum_primes': await sumPrimes(mod) }) },
      { ids: ['bridge.pool2.sum_primes'], label: 'sum_primes on a PythonPool(2)', run: async () => ({ 'bridge.pool2.sum_primes': await sumPrimes(pmod) }) },
      {
        ids: ['bridge.processes2.sum_primes'],
        label: 'sum_primes on 2 bare python3 processes',
        run: async () => ({ 'bridge.processes2.sum_primes': await bareProcesses(ctx.python, path.dirname(agentPath), [chunks.slice(0, CHUNKS / 2), chunks.slice(CHUNKS / 2)]) }),
      },
    ]
    const samples = await runRounds(benchmarks, ctx)
    const reference = await mod.call<number>('sum_primes', [2, limit])
    return {
      measurements: measurements(limit),
      samples,
      ratios: RATIOS,
      checks: checks(samples, reference),
      settings: {
        runs: ctx.runs, warmup: ctx.warmup, limit, chunks: CHUNKS, mapItems: MAP_ITEMS,
        sequentialCalls: `${CALL_BLOCKS} × ${SEQUENTIAL_CALLS}`, inFlightCalls: `${IN_FLIGHT_BLOCKS} × ${IN_FLIGHT_CALLS}`,
      },
      notes: [
        ...targetNotes(samples),
        `1-minute load average ${loadBefore.toFixed(2)} before and ${os.loadavg()[0]!.toFixed(2)} after, on ${os.availableParallelism()} cores: the pool can only show its speed-up on idle cores.`,
      ],
    }
  } finally {
    pythonia.python.exit()
    await Promise.all([bridge.close(), pool.close()])
  }
}

function checks(samples: Record<string, Sample[]>, primes: number): CheckRow[] {
  const expect = (id: string, value: number, what: string): CheckRow => {
    const bad = (samples[id] ?? []).filter((s) => s.sum !== value)
    return { name: `${id} result`, ok: bad.length === 0, detail: bad.length ? `got ${bad.map((s) => s.sum).join(', ')}, expected ${value}` : `${what} in every run` }
  }
  return [
    expect('bridge.pythonia.call', CALL_BLOCKS * expectedAddSum(SEQUENTIAL_CALLS), 'every answer arrived'),
    expect('bridge.pyport.call', CALL_BLOCKS * expectedAddSum(SEQUENTIAL_CALLS), 'every answer arrived'),
    expect('bridge.pythonia.inflight', IN_FLIGHT_BLOCKS * expectedAddSum(IN_FLIGHT_CALLS), 'every answer arrived'),
    expect('bridge.pyport.inflight', IN_FLIGHT_BLOCKS * expectedAddSum(IN_FLIGHT_CALLS), 'every answer arrived'),
    expect('bridge.pyport.map_item', expectedAddSum(MAP_ITEMS), 'every item answered'),
    ...PAYLOADS.flatMap((mb) => [expect(`bridge.payload.${mb}mb.to_py`, mb * MB, `${mb * MB} characters`), expect(`bridge.payload.${mb}mb.to_js`, mb * MB, `${mb * MB} characters`)]),
    expect('bridge.single.sum_primes', primes, `chunks sum to sum_primes(2, limit) = ${primes}`),
    expect('bridge.pool2.sum_primes', primes, `chunks sum to sum_primes(2, limit) = ${primes}`),
    expect('bridge.processes2.sum_primes', primes, `chunks sum to sum_primes(2, limit) = ${primes}`),
  ]
}

/** The targets, against this run's medians (reported, not enforced: the machine is shared). */
function targetNotes(samples: Record<string, Sample[]>): string[] {
  const med = (id: string) => median((samples[id] ?? []).map((s) => s.seconds))
  const f = (x: number) => x.toFixed(2)
  const call = med('bridge.pyport.call') / med('bridge.pythonia.call')
  const flight = med('bridge.pyport.inflight') / med('bridge.pythonia.inflight')
  const mapUs = med('bridge.pyport.map_item') * 1e6
  const pool = med('bridge.single.sum_primes') / med('bridge.pool2.sum_primes')
  const bare = med('bridge.single.sum_primes') / med('bridge.processes2.sum_primes')
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  return [
    `PythonBridge / raw pythonia per call: sequential ${f(call)}×, in flight ${f(flight)}× (target ≤ 1.15: ${verdict(call <= 1.15 && flight <= 1.15)}).`,
    `map: ${mapUs.toFixed(2)} µs per tiny item (target ≤ 10 µs: ${verdict(mapUs <= 10)}).`,
    `PythonPool(2) vs one PythonBridge on sum_primes: ${f(pool)}× (target ≥ 1.7: ${verdict(pool >= 1.7)}); two bare python3 processes got ${f(bare)}× in the same run.`,
    'Per-call rows are seconds per call (or per item); payload rows are seconds per transfer. Each round runs every benchmark once, so ratios pair runs that saw the same load.',
    'The 100 000-call soak is a separate script: node dist/bench/bridge/soak.js',
  ]
}

export const bridgeSuite: Suite = {
  name: 'bridge',
  summary: 'raw pythonia vs PythonBridge per call, map, payloads, and PythonPool(2) vs one bridge on sum_primes',
  run,
}
