/**
 * `pyport bench --suite agents`: the article's "500 agents" claim, on agents that both think and wait. The same
 * reference agent (agent.py, its twin agent.ts) runs at each N in six ways (variants.ts), each as its own process
 * tree, in interleaved rounds so every variant sees the same machine load.
 */
import { execFile } from 'node:child_process'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { runRounds } from '../../src/harness/runner.js'
import { median, percentile, speedRatio } from '../../src/harness/stats.js'
import type { Benchmark, CheckRow, MeasurementInfo, ScalingPoint, Suite, SuiteContext, SuiteOutput } from '../../src/harness/types.js'
import { think, toolCall, waitSeconds, type Answer } from './agent.js'
import { answerDifferences } from './answers.js'
import { agentsOptions, type AgentsOptions } from './options.js'
import { runVariant, type VariantRun } from './run-variant.js'
import { amdahl, idealSeconds, splitSerial, waitFloor } from './scaling-model.js'
import { agentsDir, variants, type Variant } from './variants.js'

const PREDICT_CORES = [16, 64]
const TARGETS = { hybridVsThreads: 3, hybridVsIdeal: 1.5, threadsVsAsyncio: 1.3, fewVsIdeal: 1.3 }

const idOf = (v: Variant, n: number) => `agents.${v.id}.${n}`

async function calibrateRounds(python: string, thinkMs: number): Promise<number> {
  const { stdout } = await promisify(execFile)(python, ['agent.py', String(thinkMs)], { cwd: agentsDir })
  const rounds = (JSON.parse(stdout) as { rounds?: unknown }).rounds
  if (!Number.isSafeInteger(rounds) || (rounds as number) < 1) throw new Error(`agent.py calibration printed ${stdout.trim()}`)
  return rounds as number
}

/** Median seconds of one think by the TypeScript kernel on one thread, warmed: the ideal's CPU figure. */
function timeTsThink(rounds: number): number {
  const inputs = Array.from({ length: 60 }, (_, a) => toolCall(a, a % 3))
  for (let w = 0; w < 3; w++) for (const [ids, docs, seed] of inputs) think(ids, docs, seed, rounds)
  const times = inputs.map(([ids, docs, seed]) => {
    const t0 = performance.now()
    think(ids, docs, seed, rounds)
    return (performance.now() - t0) / 1000
  })
  return median(times)
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const o: AgentsOptions = agentsOptions(ctx.options)
  const cores = os.availableParallelism()
  ctx.progress(`calibrating: query rounds for ${o.thinkMs} ms of Python CPU per think`)
  const rounds = await calibrateRounds(ctx.python, o.thinkMs)
  const tsThinkS = timeTsThink(rounds)
  const runs = new Map<string, VariantRun[]>()
  const reference = new Map<number, Answer[][]>()
  const differences = new Map<number, string[]>()

  const benchmarks: Benchmark[] = o.agents.flatMap((n) =>
    variants.map((v): Benchmark => ({
      ids: [idOf(v, n)],
      label: `${v.id}, ${n} agents`,
      warmup: 0,
      run: async () => {
        const [command, args] = v.command(ctx.python, [String(n), String(o.steps), String(o.ioSeconds), String(rounds)])
        const timeoutMs = 120_000 + n * o.steps * o.thinkMs * 20
        const r = await runVariant(`${v.id} at ${n} agents`, command, args, agentsDir, timeoutMs)
        const ref = reference.get(n)
        if (!ref) reference.set(n, r.answers)
        else {
          const diff = answerDifferences(ref, r.answers)
          if (diff.length) differences.set(n, [...(differences.get(n) ?? []), ...diff.map((d) => `${v.id}: ${d}`)])
        }
        runs.set(idOf(v, n), [...(runs.get(idOf(v, n)) ?? []), { ...r, answers: [] }])
        return { [idOf(v, n)]: { seconds: r.wallS, sum: checksum(r.answers) } }
      },
    })),
  )
  const samples = await runRounds(benchmarks, ctx)

  const wait = (agent: number, step: number) => waitSeconds(agent, step, o.ioSeconds)
  const floors = new Map(o.agents.map((n) => [n, waitFloor(n, o.steps, wait)]))
  const ideal = o.agents.map((n) => ({ x: n, seconds: idealSeconds(floors.get(n) as number, n, o.steps, tsThinkS, cores) }))
  const idealAt = (n: number) => ideal.find((i) => i.x === n)?.seconds as number

  const points: ScalingPoint[] = o.agents.flatMap((n) =>
    variants.map((v) => {
      const id = idOf(v, n)
      const walls = (samples[id] ?? []).map((s) => s.seconds)
      const vr = runs.get(id) ?? []
      const lat = vr.flatMap((r) => r.latencies)
      const split = vr.map((r) => splitSerial(v, r.cpu))
      const serial = median(split.map((s) => s.serial))
      const parallel = median(split.map((s) => s.parallel))
      const wallMedian = median(walls)
      return {
        id,
        variant: v.id,
        x: n,
        wall: { median_s: wallMedian, min_s: Math.min(...walls), max_s: Math.max(...walls) },
        perSecond: n / wallMedian,
        p50_s: percentile(lat, 50),
        p99_s: percentile(lat, 99),
        cpuUtil: median(vr.map((r) => (r.cpu.rootMain + r.cpu.rootOther + r.cpu.children) / (r.wallS * cores))),
        peakRssMB: median(vr.map((r) => r.peakRssBytes / 1e6)),
        ideal_s: idealAt(n),
        xIdeal: wallMedian / idealAt(n),
        predicted: PREDICT_CORES.map((c) => ({
          cores: c,
          seconds: amdahl(wallMedian, serial, parallel, cores, c, floors.get(n) as number),
        })),
        serialCpuS: serial,
        parallelCpuS: parallel,
      }
    }),
  )

  const measurements: MeasurementInfo[] = o.agents.flatMap((n) =>
    variants.map((v) => ({ id: idOf(v, n), lang: v.lang, kind: 'mixed' as const, title: `${v.title}, ${n} agents` })),
  )
  const most = Math.max(...o.agents)
  const ratios = [
    { of: 'pyport.hybrid', vs: 'python.threads' },
    { of: 'python.asyncio', vs: 'python.threads' },
    { of: 'python.processes', vs: 'python.threads' },
    { of: 'pyport.pool', vs: 'python.threads' },
    { of: 'ts', vs: 'pyport.hybrid' },
  ].map((r) => ({ of: `agents.${r.of}.${most}`, vs: `agents.${r.vs}.${most}` }))

  const checks: CheckRow[] = o.agents.map((n) => {
    const diff = differences.get(n) ?? []
    return {
      name: `every variant's answers agree at ${n} agents`,
      ok: diff.length === 0,
      detail:
        diff.length === 0 ? `${n} agents x ${o.steps} steps, every run of every variant equal to the first` : diff.slice(0, 5).join('; '),
    }
  })
  checks.push(...targetChecks(o, samples, points))

  const lanes =
    "serial CPU: all of a Python root process (its threads share one GIL) and a Node root's main thread; parallel CPU: worker threads and pool processes (one per core)"
  return {
    measurements,
    samples,
    ratios,
    checks,
    settings: { runs: ctx.runs, agents: o.agents.join(','), steps: o.steps, ioSeconds: o.ioSeconds, thinkMs: o.thinkMs, rounds, cores },
    notes: [
      `Each think is BM25 over 80 documents against ${rounds} queries: ${o.thinkMs.toFixed(1)} ms of Python CPU (calibrated now), ${(tsThinkS * 1e3).toFixed(2)} ms in the TypeScript kernel on one thread (median of 60, warmed).`,
      `Each step waits ${o.ioSeconds} s × a factor in [0.5, 1.5) drawn per agent and step (the same in every variant), so agents fall out of step as real ones do.`,
      "Wall time runs from the agents' start (pools warm, interpreters started) to the last agent's end; latency is one agent's start to finish. CPU is read from /proc for every process of the variant between those two moments; peak RSS is the sum over its processes, sampled every 50 ms.",
      `Predicted walls at ${PREDICT_CORES.join(' and ')} cores are a model, not a measurement: ${lanes}.`,
      ...(new Set(points.map((p) => p.cpuUtil)).size === 1 && points[0]?.cpuUtil === 0
        ? ['No /proc on this system: CPU use, peak RSS and the predictions were not measured.']
        : []),
    ],
    scaling: {
      xLabel: 'agents',
      variants: variants.map((v) => ({ id: v.id, title: v.title, lang: v.lang })),
      points,
      ideal,
      idealRule: `the longer of the longest any one agent waits on the network and every think done by the TypeScript kernel (${(tsThinkS * 1e3).toFixed(2)} ms each) spread over ${cores} cores: the physical limit on this machine.`,
      model: `Amdahl model (not measured): wall on c cores = wall here × (f + (1 − f)/c) ÷ (f + (1 − f)/${cores}), f = serial CPU ÷ all CPU, never below the waits; ${lanes}.`,
    },
  }
}

/** The figures issue #11 asks for, checked where the run has them (500 and 5 agents). */
function targetChecks(o: AgentsOptions, samples: Record<string, { seconds: number }[]>, points: ScalingPoint[]): CheckRow[] {
  const out: CheckRow[] = []
  const secs = (v: string, n: number) => (samples[`agents.${v}.${n}`] ?? []).map((s) => s.seconds)
  const point = (v: string, n: number) => points.find((p) => p.variant === v && p.x === n) as ScalingPoint
  if (o.agents.includes(500)) {
    const hybrid = speedRatio(secs('pyport.hybrid', 500), secs('python.threads', 500))
    out.push({
      name: `pyport.hybrid at least ${TARGETS.hybridVsThreads}x faster than python.threads at 500 agents`,
      ok: hybrid.median >= TARGETS.hybridVsThreads,
      detail: `${hybrid.median.toFixed(2)}x (paired runs ${hybrid.min.toFixed(2)}–${hybrid.max.toFixed(2)})`,
    })
    const h = point('pyport.hybrid', 500)
    out.push({
      name: `pyport.hybrid within ${TARGETS.hybridVsIdeal}x of the ideal at 500 agents`,
      ok: h.xIdeal <= TARGETS.hybridVsIdeal,
      detail: `${h.xIdeal.toFixed(2)}x (${h.wall.median_s.toFixed(3)} s vs ideal ${h.ideal_s.toFixed(3)} s)`,
    })
    const gil = speedRatio(secs('python.asyncio', 500), secs('python.threads', 500))
    out.push({
      name: `python.threads within ${TARGETS.threadsVsAsyncio}x of python.asyncio at 500 agents`,
      ok: gil.median <= TARGETS.threadsVsAsyncio,
      detail: `${gil.median.toFixed(2)}x (paired runs ${gil.min.toFixed(2)}–${gil.max.toFixed(2)})`,
    })
  }
  if (o.agents.includes(5)) {
    const few = points.filter((p) => p.x === 5)
    const worst = few.reduce((a, b) => (b.xIdeal > a.xIdeal ? b : a))
    out.push({
      name: `at 5 agents the waits dominate: every variant within ${TARGETS.fewVsIdeal}x of the ideal`,
      ok: worst.xIdeal <= TARGETS.fewVsIdeal,
      detail: `worst ${worst.variant} ${worst.xIdeal.toFixed(2)}x; ${few.map((p) => `${p.variant} ${p.xIdeal.toFixed(2)}x`).join(', ')}`,
    })
  }
  return out
}

/** A short digest of a run's answers for the results column: the sum of every checksum, mod 2^32. */
function checksum(answers: Answer[][]): number {
  let sum = 0
  for (const agent of answers) for (const [, , c] of agent) sum = (sum + c) % 4294967296
  return sum
}

export const agentsSuite: Suite = {
  name: 'agents',
  summary: '5 → 500 agents that think and wait: Python threads/asyncio/processes, PythonPool, @port hybrid, TypeScript',
  run,
}
