import type { BenchReport, Lang, ResultRow, ScalingPoint, ScalingReport } from '../../src/harness/types.js'

/** A report shaped like a real agents run: CPU and I/O measurements, notes, one unstable, a scaling section. */

const variants: { id: string; title: string; lang: Lang; perAgentCpu: number; parallel: number }[] = [
  { id: 'python.threads', title: 'Python, threads (GIL)', lang: 'python', perAgentCpu: 0.004, parallel: 1 },
  { id: 'python.asyncio', title: 'Python, asyncio', lang: 'python', perAgentCpu: 0.0038, parallel: 1 },
  { id: 'python.processes', title: 'Python, process pool', lang: 'python', perAgentCpu: 0.0045, parallel: 2 },
  { id: 'pyport.pool', title: 'pyport worker pool <ts port>', lang: 'ts', perAgentCpu: 0.0004, parallel: 2 },
  { id: 'pyport.hybrid', title: 'Python agents, TS hot path', lang: 'hybrid', perAgentCpu: 0.0006, parallel: 2 },
  { id: 'ts', title: 'TypeScript, all of it', lang: 'ts', perAgentCpu: 0.0003, parallel: 2 },
]
const sizes = [5, 50, 500]
const WAIT_S = 0.1

function point(v: (typeof variants)[number], x: number): ScalingPoint {
  const cpu = x * v.perAgentCpu
  const median = WAIT_S + cpu / v.parallel + 0.01
  const ideal = WAIT_S + (x * 0.0003) / 2
  return {
    id: `agents.${v.id}.${x}`,
    variant: v.id,
    x,
    wall: { median_s: median, min_s: median * 0.93, max_s: median * (v.id === 'python.threads' && x === 500 ? 2.3 : 1.12) },
    perSecond: x / median,
    p50_s: WAIT_S + v.perAgentCpu,
    p99_s: WAIT_S + v.perAgentCpu * 4,
    cpuUtil: Math.min(0.97, cpu / (median * 2)),
    peakRssMB: v.lang === 'python' ? 30 + x * (v.id === 'python.processes' ? 0.4 : 0.02) : 60 + x * 0.01,
    ideal_s: ideal,
    xIdeal: median / ideal,
    predicted: [4, 8].map((cores) => ({
      cores,
      seconds: WAIT_S + cpu * 0.1 + (cpu * 0.9) / Math.min(cores, v.parallel === 1 ? 1 : cores),
    })),
    serialCpuS: cpu * 0.1,
    parallelCpuS: cpu * 0.9,
  }
}

export function sampleScaling(): ScalingReport {
  return {
    xLabel: 'agents',
    variants: variants.map(({ id, title, lang }) => ({ id, title, lang })),
    points: variants.flatMap((v) => sizes.map((x) => point(v, x))),
    ideal: sizes.map((x) => ({ x, seconds: WAIT_S + (x * 0.0003) / 2 })),
    idealRule: 'one 100 ms wait plus the fastest CPU per agent spread over 2 cores.',
    model: 'Amdahl: serial CPU + parallel CPU ÷ cores + the waits, fitted to the CPU measured here.',
  }
}

const row = (r: Omit<ResultRow, 'median_s' | 'min_s' | 'max_s'>): ResultRow => {
  const sorted = [...r.runs].sort((a, b) => a - b)
  return {
    ...r,
    median_s: sorted[Math.floor(sorted.length / 2)] as number,
    min_s: sorted[0] as number,
    max_s: sorted[sorted.length - 1] as number,
  }
}

export function sampleReport(): BenchReport {
  const scaling = sampleScaling()
  const pointRows = scaling.points.map((p) =>
    row({
      id: p.id,
      lang: scaling.variants.find((v) => v.id === p.variant)?.lang ?? 'python',
      title: `${p.variant}, ${p.x} agents`,
      runs: [p.wall.min_s, p.wall.median_s, p.wall.max_s],
      kind: 'mixed',
    }),
  )
  return {
    suite: 'agents',
    machine: { cpus: 2, cpuModel: 'Test CPU <2 cores> & co', node: 'v20.20.2', python: '3.11.2', platform: 'linux x64' },
    settings: { runs: 3, warmup: 1 },
    results: [
      row({ id: 'cpu.python', lang: 'python', title: 'Python primes (pure)', runs: [1.91, 1.88, 1.95], sum: 1709600813, kind: 'cpu' }),
      row({
        id: 'cpu.ts',
        lang: 'ts',
        title: 'TypeScript primes',
        runs: [0.081, 0.079, 0.2],
        sum: 1709600813,
        kind: 'cpu',
        note: 'noisy neighbour: <one run> hit a busy core',
      }),
      row({
        id: 'cpu.hybrid',
        lang: 'hybrid',
        title: 'Python calling the TS port',
        runs: [0.0012, 0.0011, 0.0013],
        kind: 'cpu',
        note: 'pool warmed before timing',
      }),
      row({
        id: 'io.python',
        lang: 'python',
        title: 'Python asyncio, 10 requests',
        runs: [0.102, 0.104, 0.101],
        kind: 'io',
        note: 'each request sleeps 100 ms',
      }),
      row({ id: 'io.ts', lang: 'ts', title: 'TypeScript, 10 requests', runs: [0.1005, 0.1009, 0.1003], kind: 'io' }),
      ...pointRows,
    ],
    ratios: [{ of: 'cpu.ts', vs: 'cpu.python', median: 23.6, min: 9.5, max: 24.2, stddev: 6.1 }],
    checks: [{ name: 'sums equal', ok: true, detail: 'python and ts agree on 1709600813' }],
    notes: ['machine shared with other jobs'],
    scaling,
  }
}
