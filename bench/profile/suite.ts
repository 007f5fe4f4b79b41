import { RunFailedError } from '../../src/cli/command.js'
import { runRounds } from '../../src/harness/runner.js'
import { median, speedRatio } from '../../src/harness/stats.js'
import type { Benchmark, CheckRow, Suite, SuiteContext, SuiteOutput } from '../../src/harness/types.js'
import { pythonFile } from '../../src/paths.js'
import { calibrate } from '../../src/profile/calibrate.js'
import type { ProfileReport } from '../../src/profile/types.js'
import { AGENTS, agentChecks, type AgentTruth } from './agents.js'
import { PARTS, SPLIT_PROGRAM, reportedShares, runPlain, runPlainProgram, runProfiled, type Truth } from './known-split.js'
import { execa } from 'execa'
import { performance } from 'node:perf_hooks'

/** Tolerances the issues set: each share within ±5 points, profiled wall ≤ 1.5 × the plain run. */
const SHARE_TOLERANCE = 0.05
const OVERHEAD_BUDGET = 1.5
const CPU_PERF = pythonFile('article', 'cpu_perf.py')

const pp = (x: number) => `${(x * 100).toFixed(1)} %`

async function timePlain(python: string, script: string): Promise<number> {
  const t0 = performance.now()
  const r = await execa(python, [script], { reject: false, stdin: 'ignore', env: { PYTHONDONTWRITEBYTECODE: '1' }, timeout: 10 * 60_000 })
  if (r.exitCode !== 0) throw new RunFailedError(`${script} failed (exit ${r.exitCode}): ${r.stderr.slice(-500)}`)
  return (performance.now() - t0) / 1000
}

/**
 * Two comparisons per part: the median reported share against the median true share of the plain runs (the
 * check), and each profiled run against the split that same run measured for itself (how well samples are
 * attributed, free of run-to-run noise; that truth includes the counters' own cost, which the report removes).
 */
function shareChecks(plainTruths: Truth[], profiled: { report: ProfileReport; truth: Truth | undefined }[]): CheckRow[] {
  return PARTS.map((part) => {
    const share = (t: Truth) => (t.parts[part] ?? 0) / t.cpuS
    const reportedShare = profiled.map((p) => reportedShares(p.report)[part] ?? 0)
    const inRun = profiled.flatMap((p, i) => (p.truth ? [Math.abs((reportedShare[i] ?? 0) - share(p.truth))] : []))
    const truth = median(plainTruths.map(share))
    const reported = median(reportedShare)
    return {
      name: `${part} CPU share within ±5 points`,
      ok: Math.abs(reported - truth) <= SHARE_TOLERANCE,
      detail:
        `reported ${pp(reported)} vs true ${pp(truth)} (medians over ${profiled.length} runs); ` +
        `each run vs its own thread_time split: worst ${(Math.max(0, ...inRun) * 100).toFixed(1)} points`,
    }
  })
}

function everyRun(name: string, reports: ProfileReport[], test: (r: ProfileReport) => string | true): CheckRow {
  const failures = reports.map(test).filter((x): x is string => x !== true)
  return { name, ok: failures.length === 0, detail: failures.length === 0 ? `in all ${reports.length} runs` : failures.join('; ') }
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const limit = ctx.options['limit'] as number
  const scale = Math.max(0.25, limit / 200_000)
  ctx.progress('calibrating the advisor (TypeScript vs Python kernel, bridge round trip)')
  const calibration = await calibrate({ python: ctx.python })

  const truths: Truth[] = []
  const splitRuns: { report: ProfileReport; truth: Truth | undefined }[] = []
  const cpuPerfReports: ProfileReport[] = []
  const benchmarks: Benchmark[] = [
    {
      ids: ['split.plain'],
      label: 'known-split program, plain',
      run: async () => {
        const r = await runPlain(ctx.python, scale)
        truths.push(r.truth)
        return { 'split.plain': { seconds: r.seconds } }
      },
    },
    {
      ids: ['split.profiled'],
      label: 'known-split program, under pyport profile',
      run: async () => {
        const r = await runProfiled(ctx.python, SPLIT_PROGRAM, [String(scale)], calibration)
        splitRuns.push({ report: r.report, truth: r.truth })
        return { 'split.profiled': { seconds: r.seconds } }
      },
    },
    {
      ids: ['cpu_perf.plain'],
      label: 'cpu_perf.py, plain',
      run: async () => ({ 'cpu_perf.plain': { seconds: await timePlain(ctx.python, CPU_PERF) } }),
    },
    {
      ids: ['cpu_perf.profiled'],
      label: 'cpu_perf.py, under pyport profile',
      run: async () => {
        const r = await runProfiled(ctx.python, CPU_PERF, [], calibration)
        cpuPerfReports.push(r.report)
        return { 'cpu_perf.profiled': { seconds: r.seconds } }
      },
    },
  ]
  const agentRuns = new Map<string, { report: ProfileReport; truth: AgentTruth | undefined }[]>()
  for (const agent of AGENTS) {
    const runs: { report: ProfileReport; truth: AgentTruth | undefined }[] = []
    agentRuns.set(agent.id, runs)
    benchmarks.push(
      {
        ids: [`${agent.id}.plain`],
        label: `${agent.title}, plain`,
        run: async () => ({
          [`${agent.id}.plain`]: { seconds: (await runPlainProgram<AgentTruth>(ctx.python, agent.program, [String(scale)])).seconds },
        }),
      },
      {
        ids: [`${agent.id}.profiled`],
        label: `${agent.title}, under pyport profile`,
        run: async () => {
          const r = await runProfiled<AgentTruth>(ctx.python, agent.program, [String(scale)], calibration)
          runs.push({ report: r.report, truth: r.truth })
          return { [`${agent.id}.profiled`]: { seconds: r.seconds } }
        },
      },
    )
  }
  const samples = await runRounds(benchmarks, ctx)
  const splitReports = splitRuns.map((r) => r.report)
  const secs = (id: string) => (samples[id] ?? []).map((s) => s.seconds)
  const overhead = speedRatio(secs('split.plain'), secs('split.profiled'))
  const cpuPerfOverhead = speedRatio(secs('cpu_perf.plain'), secs('cpu_perf.profiled'))
  const agentOverheads = AGENTS.map((a) => ({ agent: a, ratio: speedRatio(secs(`${a.id}.plain`), secs(`${a.id}.profiled`)) }))

  const checks: CheckRow[] = [
    ...shareChecks(truths, splitRuns),
    everyRun('sleeper classed I/O-bound', splitReports, (r) => {
      const f = r.functions.find((x) => x.name === 'sleeper')
      return f?.class === 'io' || `sleeper classed ${f?.class ?? 'missing'}`
    }),
    everyRun('tiny flagged "port its caller tiny_caller"', splitReports, (r) => {
      const a = r.advice.find((x) => x.name === 'tiny')
      return (a?.verdict === 'port-caller' && a.portCaller === 'tiny_caller') || `tiny: ${a?.reason ?? 'missing'}`
    }),
    {
      name: `profiling overhead ≤ ${OVERHEAD_BUDGET}×`,
      ok: overhead.median <= OVERHEAD_BUDGET,
      detail: `profiled ÷ plain wall time: ${overhead.median.toFixed(2)}× median (paired runs ${overhead.min.toFixed(2)}–${overhead.max.toFixed(2)}×), whole process, start-up included`,
    },
    everyRun(
      'cpu_perf.py ranks sum_primes first',
      cpuPerfReports,
      (r) => r.advice[0]?.name === 'sum_primes' || `first was ${r.advice[0]?.name ?? 'nothing'}`,
    ),
    ...AGENTS.flatMap((a) => agentChecks(a, agentRuns.get(a.id) ?? [], SHARE_TOLERANCE)),
    ...agentOverheads.map(({ agent, ratio }) => ({
      name: `${agent.title}: profiling overhead ≤ ${OVERHEAD_BUDGET}×`,
      ok: ratio.median <= OVERHEAD_BUDGET,
      detail: `profiled ÷ plain wall time: ${ratio.median.toFixed(2)}× median (paired runs ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}×)`,
    })),
  ]
  const first = cpuPerfReports[cpuPerfReports.length - 1]?.advice[0]
  return {
    measurements: [
      { id: 'split.plain', lang: 'python', title: 'known-split program, plain python3' },
      { id: 'split.profiled', lang: 'python', title: 'known-split program, under pyport profile' },
      { id: 'cpu_perf.plain', lang: 'python', title: "article's cpu_perf.py, plain python3" },
      { id: 'cpu_perf.profiled', lang: 'python', title: "article's cpu_perf.py, under pyport profile" },
      ...AGENTS.flatMap((a) => [
        { id: `${a.id}.plain`, lang: 'python' as const, title: `${a.title}, plain python3` },
        { id: `${a.id}.profiled`, lang: 'python' as const, title: `${a.title}, under pyport profile` },
      ]),
    ],
    samples,
    ratios: [
      { of: 'split.plain', vs: 'split.profiled' },
      { of: 'cpu_perf.plain', vs: 'cpu_perf.profiled' },
      ...AGENTS.map((a) => ({ of: `${a.id}.plain`, vs: `${a.id}.profiled` })),
    ],
    checks,
    settings: {
      runs: ctx.runs,
      warmup: ctx.warmup,
      scale,
      speedup: Number(calibration.speedup.toFixed(1)),
      bridgeUs: Math.round(calibration.bridgeUs),
    },
    notes: [
      'Ratios here are overheads: "profiled ÷ plain", so the "× faster" figure reads as "× slower under the profiler".',
      `cpu_perf.py overhead ${cpuPerfOverhead.median.toFixed(2)}× (2 threads, GIL-bound); its top advice: ${first ? `${first.name} — ${first.reason}` : 'none'}.`,
      `Calibration: ${calibration.detail}.`,
      "True shares come from time.thread_time around each part in the plain run of the same round; the profiler's are self CPU (heavy, medium) and cumulative CPU (tiny_caller, which includes tiny).",
      "Agents: each profiled run is checked against the split it measured for itself (time.thread_time while a part's own code ran, time.perf_counter from its start to its end): " +
        'CPU-bound parts by their share of the CPU and the share of their time spent waiting to run (GIL, core, a busy event loop), ' +
        "I/O-bound parts by their share of the wall time and by their I/O wait where the program knows it (a sleep's length), else by all their waiting " +
        '(the GIL-vs-I/O split of such threads is measured against an outside observer by bench/profile/wait_methods.py); main is checked for its class only.',
      `Waits: ${cpuPerfReports.at(-1)?.totals.waitMethodDetail ?? 'unknown'}; main thread's CPU: ${cpuPerfReports.at(-1)?.totals.mainCpu ?? 'unknown'}.`,
    ],
  }
}

export const profileSuite: Suite = {
  name: 'profile',
  summary: "pyport profile's accuracy and overhead on a known split, a threaded and an asyncio agent, and its ranking of cpu_perf.py",
  run,
}
