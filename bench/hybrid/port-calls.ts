/**
 * Issue #10's figures for `@port` (Python calls the port), measured in the hybrid suite's run:
 *   - a CPU-heavy port (sum of primes by trial division) called from 2 Python threads vs 1, ts mode, and the same in
 *     python mode (the GIL);
 *   - the Python -> port round trip with tiny arguments, sequential and from 8 threads, beside a host -> Python call;
 *   - shadow overhead (sample 1) on the Python caller of a ~1.5 ms function.
 * Python times its own calls (perf_counter in bench/hybrid/port_calls.py); the host -> Python call is timed on the host.
 */
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { PythonBridge } from '../../src/bridge/bridge.js'
import type { PythonModule } from '../../src/bridge/module.js'
import type { Benchmark, CheckRow, MeasurementInfo, Sample, SuiteContext } from '../../src/harness/types.js'
import { median, speedRatio } from '../../src/harness/stats.js'
import { compiledSibling, packageRoot } from '../../src/paths.js'
import { WorkerPool } from '../../src/workers/worker-pool.js'
import { sumPrimes } from './port-kernels.js'

/** ts mode: each thread makes CALLS_TS calls of sum_primes(0, HI_TS) (about 25 ms each in V8). */
const HI_TS = 300_000
const CALLS_TS = 4
/** python mode: each thread makes CALLS_PY calls of sum_primes(0, HI_PY) (about 80 ms each in CPython). */
const HI_PY = 50_000
const CALLS_PY = 2
/** shadow: SHADOW_CALLS calls of sum_primes(0, HI_SHADOW), about 1.5 ms each in CPython, plain vs shadowed. */
const HI_SHADOW = 3_500
const SHADOW_CALLS = 200
const SHADOW_NICE = 19
/** plain and shadowed calls alternate in blocks of SHADOW_CALLS / SHADOW_BLOCKS, so both see the same load */
const SHADOW_BLOCKS = 20
/** tiny round trips per sample */
const TINY_CALLS = 2_000
const TINY_THREADS = 8
const HOST_CALLS = 1_000

const TARGET_THREAD_SCALING = 1.2
const TARGET_TINY_VS_HOST = 2
const TARGET_SHADOW = 0.05

interface Timed {
  seconds: number
  results: unknown
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

export interface PortCalls {
  benchmarks: Benchmark[]
  measurements: MeasurementInfo[]
  ratios: { of: string; vs: string }[]
  settings: Record<string, unknown>
  finish(samples: Record<string, Sample[]>): Promise<{ checks: CheckRow[]; notes: string[] }>
  close(): Promise<void>
}

export async function portCalls(ctx: SuiteContext): Promise<PortCalls> {
  const file = compiledSibling(import.meta.url, './port-kernels.js')
  const primesPool = new WorkerPool({ filename: file, exportName: 'sumPrimes', threads: 2 })
  const tinyPool = new WorkerPool({ filename: file, exportName: 'tiny', threads: 2 })
  // As in the rank_documents rows: the shadow port takes only idle CPU.
  const shadowPool = new WorkerPool({ filename: file, exportName: 'sumPrimes', threads: 2, niceIncrement: SHADOW_NICE })
  const tinyShadowPool = new WorkerPool({ filename: file, exportName: 'tiny', threads: 1, niceIncrement: SHADOW_NICE })
  const pools = [primesPool, tinyPool, shadowPool, tinyShadowPool]
  const py = new PythonBridge({
    python: ctx.python,
    cwd: path.join(packageRoot, 'bench', 'hybrid'),
    ports: {
      primes_ts: { ts: primesPool, mode: 'ts' },
      primes_py: { ts: primesPool, mode: 'python' },
      primes_shadow: { ts: shadowPool, mode: 'shadow', sample: 1, compare: { rtol: 0 } },
      tiny: { ts: tinyPool, mode: 'ts' },
      tiny_shadow: { ts: tinyShadowPool, mode: 'shadow', sample: 1, compare: { rtol: 0 } },
    },
  })
  let mod: PythonModule
  try {
    mod = await py.import('./port_calls.py')
  } catch (e) {
    await py.close()
    await Promise.allSettled(pools.map((p) => p.close()))
    throw e
  }

  // Expected answers, computed here by the TypeScript kernel (never hard-coded); Python's own answers are compared too.
  const expected = { ts: sumPrimes(0, HI_TS), py: sumPrimes(0, HI_PY), shadow: sumPrimes(0, HI_SHADOW) }
  const bad: string[] = []
  const expect = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want) && bad.length < 5)
      bad.push(`${what}: got ${JSON.stringify(got).slice(0, 120)}, expected ${JSON.stringify(want).slice(0, 120)}`)
  }
  const args = (calls: number, hi: number) => range(calls).map(() => [0, hi])
  const threaded = async (name: string, threads: number, calls: number, hi: number, want: number): Promise<Sample> => {
    const r = await mod.call<Timed>('threaded', [name, range(threads).map(() => args(calls, hi))])
    expect(
      `${name} on ${threads} threads`,
      r.results,
      range(threads).map(() => range(calls).map(() => want)),
    )
    return { seconds: r.seconds, sum: want }
  }

  const benchmarks: Benchmark[] = [
    {
      ids: ['port.primes.ts.t1', 'port.primes.ts.t2'],
      label: '@port sum_primes, ts mode, 1 and 2 Python threads',
      run: async () => ({
        'port.primes.ts.t1': await threaded('primes_ts', 1, CALLS_TS, HI_TS, expected.ts),
        'port.primes.ts.t2': await threaded('primes_ts', 2, CALLS_TS, HI_TS, expected.ts),
      }),
    },
    {
      ids: ['port.primes.py.t1', 'port.primes.py.t2'],
      label: '@port sum_primes, python mode, 1 and 2 Python threads',
      run: async () => ({
        'port.primes.py.t1': await threaded('primes_py', 1, CALLS_PY, HI_PY, expected.py),
        'port.primes.py.t2': await threaded('primes_py', 2, CALLS_PY, HI_PY, expected.py),
      }),
    },
    {
      ids: ['port.tiny.host', 'port.tiny.seq', 'port.tiny.t8'],
      label: 'tiny calls: host -> Python, Python -> port sequential and from 8 threads',
      run: async () => {
        const t0 = performance.now()
        for (let i = 0; i < HOST_CALLS; i++) {
          const r = await mod.call<number>('tiny_py', [i])
          if (r !== i + 1) expect('tiny_py', r, i + 1)
        }
        const host = (performance.now() - t0) / 1000 / HOST_CALLS
        const calls = range(TINY_CALLS).map((i) => [i])
        const seq = await mod.call<Timed>('sequential', ['tiny', calls])
        expect(
          'tiny sequential',
          seq.results,
          range(TINY_CALLS).map((i) => i + 1),
        )
        const per = TINY_CALLS / TINY_THREADS
        const t8 = await mod.call<Timed>('threaded', ['tiny', range(TINY_THREADS).map((t) => range(per).map((i) => [t * per + i]))])
        expect(
          'tiny on 8 threads',
          t8.results,
          range(TINY_THREADS).map((t) => range(per).map((i) => t * per + i + 1)),
        )
        return {
          'port.tiny.host': { seconds: host },
          'port.tiny.seq': { seconds: seq.seconds / TINY_CALLS },
          'port.tiny.t8': { seconds: t8.seconds / TINY_CALLS },
        }
      },
    },
    {
      ids: ['port.shadow.plain', 'port.shadow.sample1', 'port.shadow.wrapper'],
      label: `shadow overhead on the Python caller (${SHADOW_CALLS} calls of ~1.5 ms)`,
      run: async () => {
        const calls = args(SHADOW_CALLS, HI_SHADOW)
        const want = range(SHADOW_CALLS).map(() => expected.shadow)
        const r = await mod.call<{ seconds: [number, number]; results: [unknown, unknown] }>('alternating', [
          'primes_plain',
          'primes_shadow',
          calls,
          SHADOW_BLOCKS,
        ])
        expect('primes_plain', r.results[0], want)
        expect('primes_shadow', r.results[1], want)
        const [plain, shadow] = r.seconds.map((seconds) => ({ seconds })) as [{ seconds: number }, { seconds: number }]
        // What the decorator itself costs the caller: a shadowed x + 1 against the plain one (the function costs ~0).
        const tinyCalls = range(TINY_CALLS).map((i) => [i])
        const w = await mod.call<{ seconds: [number, number]; results: [unknown, unknown] }>('alternating', [
          'tiny_py',
          'tiny_shadow',
          tinyCalls,
          SHADOW_BLOCKS,
        ])
        const tinyWant = range(TINY_CALLS).map((i) => i + 1)
        expect('tiny_py', w.results[0], tinyWant)
        expect('tiny_shadow', w.results[1], tinyWant)
        await py.ports.tiny_shadow.settled()
        // The comparisons finish outside the timed region (Python never waits for them), before the next sample.
        await py.ports.primes_shadow.settled()
        return {
          'port.shadow.plain': { seconds: plain.seconds / SHADOW_CALLS, sum: expected.shadow },
          'port.shadow.sample1': { seconds: shadow.seconds / SHADOW_CALLS, sum: expected.shadow },
          'port.shadow.wrapper': { seconds: Math.max(1e-9, (w.seconds[1] - w.seconds[0]) / TINY_CALLS) },
        }
      },
    },
  ]

  const measurements: MeasurementInfo[] = [
    {
      id: 'port.primes.ts.t1',
      lang: 'hybrid',
      title: `@port sum_primes(0, ${HI_TS}), ts mode: 1 Python thread x ${CALLS_TS} calls`,
      note: 'timed in Python; WorkerPool of 2',
    },
    {
      id: 'port.primes.ts.t2',
      lang: 'hybrid',
      title: `@port sum_primes(0, ${HI_TS}), ts mode: 2 Python threads x ${CALLS_TS} calls (2x the work)`,
      note: 'timed in Python; WorkerPool of 2',
    },
    {
      id: 'port.primes.py.t1',
      lang: 'python',
      title: `@port sum_primes(0, ${HI_PY}), python mode: 1 Python thread x ${CALLS_PY} calls`,
      note: 'timed in Python',
    },
    {
      id: 'port.primes.py.t2',
      lang: 'python',
      title: `@port sum_primes(0, ${HI_PY}), python mode: 2 Python threads x ${CALLS_PY} calls (2x the work)`,
      note: 'timed in Python; the GIL',
    },
    {
      id: 'port.tiny.host',
      lang: 'python',
      title: `host -> Python tiny call (x + 1), per call, ${HOST_CALLS} sequential`,
      note: 'timed on the host',
    },
    {
      id: 'port.tiny.seq',
      lang: 'hybrid',
      title: `Python -> port tiny call (x + 1), per call, ${TINY_CALLS} sequential`,
      note: 'ts mode; timed in Python',
    },
    {
      id: 'port.tiny.t8',
      lang: 'hybrid',
      title: `Python -> port tiny call, ${TINY_CALLS} calls from ${TINY_THREADS} Python threads: wall / calls`,
      note: 'ts mode; timed in Python',
    },
    {
      id: 'port.shadow.plain',
      lang: 'python',
      title: `sum_primes(0, ${HI_SHADOW}) undecorated, per call (${SHADOW_CALLS} sequential)`,
      note: 'timed in Python',
    },
    {
      id: 'port.shadow.sample1',
      lang: 'python',
      title: `sum_primes(0, ${HI_SHADOW}) @port shadow sample 1, per call (${SHADOW_CALLS} sequential)`,
      note: `Python's latency; the port runs at nice ${SHADOW_NICE}`,
    },
    {
      id: 'port.shadow.wrapper',
      lang: 'python',
      title: `@port shadow sample 1 decorator cost per call: shadowed x + 1 minus plain (${TINY_CALLS} each)`,
      note: 'timed in Python, alternating blocks; a difference below 1 ns (noise) is shown as 1 ns',
    },
  ]

  const ratios = [
    { of: 'port.primes.ts.t1', vs: 'port.primes.ts.t2' },
    { of: 'port.primes.py.t1', vs: 'port.primes.py.t2' },
    { of: 'port.tiny.host', vs: 'port.tiny.seq' },
    { of: 'port.tiny.t8', vs: 'port.tiny.seq' },
    { of: 'port.shadow.plain', vs: 'port.shadow.sample1' },
  ]

  // eslint-disable-next-line @typescript-eslint/require-await -- finish is called where an async step is expected, like the other suites' finish
  const finish = async (samples: Record<string, Sample[]>) => {
    const secs = (id: string) => (samples[id] ?? []).map((s) => s.seconds)
    const f = (x: number) => x.toFixed(2)
    /** `slow` ÷ `fast`, paired by run: the ratio rows' figures. */
    const ratio = (fast: string, slow: string) => speedRatio(secs(fast), secs(slow))
    const tsScale = ratio('port.primes.ts.t1', 'port.primes.ts.t2')
    const pyScale = ratio('port.primes.py.t1', 'port.primes.py.t2')
    const tiny = ratio('port.tiny.host', 'port.tiny.seq')
    const shadow = ratio('port.shadow.plain', 'port.shadow.sample1')
    const shadowOver = shadow.median - 1
    const report = py.ports.primes_shadow.report()
    const tinyReport = py.ports.tiny_shadow.report()
    const us = (id: string) => `${(median(secs(id)) * 1e6).toFixed(1)} µs`
    const checks: CheckRow[] = [
      {
        name: '@port results',
        ok: bad.length === 0,
        detail:
          bad.length === 0
            ? 'every call of every @port row returned the sum (or x + 1) computed by the TypeScript kernel on the host'
            : bad.join('; '),
      },
      {
        name: '@port shadow parity',
        ok: [report, tinyReport].every((r) => r.mismatches + r.portErrors + r.portTimeouts === 0 && r.matches > 0),
        detail: [['sum_primes', report] as const, ['tiny', tinyReport] as const]
          .map(
            ([n, r]) =>
              `${n}: ${r.calls} calls, ${r.skipped} skipped (shadow backlog full), ${r.matches} matched, ${r.mismatches} mismatched, ${r.portErrors} port errors, ${r.portTimeouts} port timeouts`,
          )
          .join('; '),
      },
      {
        name: `target port.primes.ts.t2 ≤ ${TARGET_THREAD_SCALING} × port.primes.ts.t1`,
        ok: tsScale.median <= TARGET_THREAD_SCALING,
        detail: `2 threads / 1 thread for twice the work, ts mode: ${f(tsScale.median)}× (paired runs ${f(tsScale.min)}–${f(tsScale.max)}×); python mode ${f(pyScale.median)}× (runs ${f(pyScale.min)}–${f(pyScale.max)}×)`,
      },
      {
        name: `target port.tiny.seq ≤ ${TARGET_TINY_VS_HOST} × port.tiny.host`,
        ok: tiny.median <= TARGET_TINY_VS_HOST,
        detail: `Python -> port ${us('port.tiny.seq')} vs host -> Python ${us('port.tiny.host')} per call: ${f(tiny.median)}× (paired runs ${f(tiny.min)}–${f(tiny.max)}×); from ${TINY_THREADS} threads ${us('port.tiny.t8')} per call`,
      },
      {
        name: `target port.shadow.sample1 ≤ ${1 + TARGET_SHADOW} × port.shadow.plain`,
        ok: shadowOver <= TARGET_SHADOW,
        detail: `shadow overhead on the Python caller of a ${(median(secs('port.shadow.plain')) * 1e3).toFixed(2)} ms function: ${(shadowOver * 100).toFixed(1)} % (paired runs ${((shadow.min - 1) * 100).toFixed(1)}–${((shadow.max - 1) * 100).toFixed(1)} %); the decorator itself costs ${us('port.shadow.wrapper')} per call, ${((median(secs('port.shadow.wrapper')) / median(secs('port.shadow.plain'))) * 100).toFixed(1)} % of the function`,
      },
    ]
    const notes = [
      `@port rows: Python times its own calls (perf_counter around the calls, threads started first); the host -> Python row is timed on the host. ` +
        `ts-mode sum_primes runs ${CALLS_TS} calls per thread on a WorkerPool of 2; python mode runs a smaller range (${HI_PY}) so the GIL row stays short. ` +
        `Shadow: ${SHADOW_CALLS} undecorated and ${SHADOW_CALLS} shadowed calls per run, alternating in blocks of ${SHADOW_CALLS / SHADOW_BLOCKS} so both see the same load; the comparisons settled between runs.`,
    ]
    return { checks, notes }
  }

  return {
    benchmarks,
    measurements,
    ratios,
    settings: {
      portHiTs: HI_TS,
      portCallsTs: CALLS_TS,
      portHiPy: HI_PY,
      portCallsPy: CALLS_PY,
      portHiShadow: HI_SHADOW,
      portShadowCalls: SHADOW_CALLS,
      portShadowBlocks: SHADOW_BLOCKS,
      portTinyCalls: TINY_CALLS,
      portTinyThreads: TINY_THREADS,
    },
    finish,
    close: async () => {
      await py.close()
      await Promise.allSettled(pools.map((p) => p.close()))
    },
  }
}
