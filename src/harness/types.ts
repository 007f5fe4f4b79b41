/** The shapes shared by every benchmark suite, the runner and the reporters. */
import type { ProgressStep } from './progress.js'

/** Who runs the measured code: Python, TypeScript, or Python agents whose hot function is a TypeScript port. */
export type Lang = 'python' | 'ts' | 'hybrid'

/** What bounds a measurement: CPU work, waiting (I/O, sleeps), or both. The HTML page charts each kind apart. */
export type MeasurementKind = 'cpu' | 'io' | 'mixed'

/** One timed sample of one measurement id. `sum` is the checked result, when the workload has one. */
export interface Sample {
  seconds: number
  sum?: number | string
}

/**
 * A benchmark: one invocation yields one sample for each of its ids (the article's cpu_perf.py prints two
 * timings per run, so one benchmark can feed several measurements).
 */
export interface Benchmark {
  ids: readonly string[]
  /** What the progress line shows while it runs. */
  label: string
  run(): Promise<Record<string, Sample>>
  /** Warm-up runs before the timed runs; defaults to the suite context's warmup. */
  warmup?: number
}

export interface MeasurementInfo {
  id: string
  lang: Lang
  /** Human label for the table, e.g. "Python, 2 threads (GIL)". */
  title: string
  /** One-line note under the table (e.g. "pool warmed before timing"). */
  note?: string
  /** The unit runs are reported in; seconds unless stated. */
  unit?: 's' | 'us' | 'MB/s'
  /** What bounds it; 'cpu' when not stated. */
  kind?: MeasurementKind
}

export interface ResultRow {
  id: string
  lang: Lang
  title: string
  median_s: number
  min_s: number
  max_s: number
  runs: number[]
  sum?: number | string
  note?: string
  kind?: MeasurementKind
}

export interface RatioRow {
  of: string
  vs: string
  median: number
  min: number
  max: number
  stddev: number
}

export interface MachineInfo {
  cpus: number
  cpuModel: string
  node: string
  python: string
  platform: string
}

export interface BenchReport {
  suite: string
  machine: MachineInfo
  settings: Record<string, unknown>
  results: ResultRow[]
  ratios: RatioRow[]
  /** Checks the suite makes on its own results (sums equal, expected shapes); a failed check fails the run. */
  checks: CheckRow[]
  notes: string[]
  /** Suites that measure one thing at several sizes (the agents suite): the curve per variant, for the chart. */
  scaling?: ScalingReport
}

/** One variant at one size, with everything measured about it beyond its wall time. */
export interface ScalingPoint {
  /** The measurement id in `results`, e.g. "agents.python.threads.500". */
  id: string
  variant: string
  x: number
  wall: { median_s: number; min_s: number; max_s: number }
  /** x ÷ median wall, e.g. agents per second. */
  perSecond: number
  /** Latency of one unit (one agent, start to finish), over every unit of every run. */
  p50_s: number
  p99_s: number
  /** CPU used ÷ (wall × cores), median over runs. */
  cpuUtil: number
  /** Peak resident memory of all the variant's processes together, MB, median over runs. */
  peakRssMB: number
  /** The physical limit on this machine for this x (see ScalingReport.ideal), and the median wall as a multiple of it. */
  ideal_s: number
  xIdeal: number
  /** Amdahl model: the median wall predicted on more cores, from the serial and parallel CPU measured here. */
  predicted: { cores: number; seconds: number }[]
  /** The serial and parallel CPU the model was fitted with (seconds, medians). */
  serialCpuS: number
  parallelCpuS: number
}

export interface ScalingReport {
  /** e.g. "agents" — the x axis, drawn on a log scale. */
  xLabel: string
  variants: { id: string; title: string; lang: Lang }[]
  points: ScalingPoint[]
  /** The physical limit per x: the line drawn beside the variants. */
  ideal: { x: number; seconds: number }[]
  /** How the ideal and the predictions are computed, in one sentence each: printed under the chart. */
  idealRule: string
  model: string
}

export interface CheckRow {
  name: string
  ok: boolean
  detail: string
}

export interface SuiteContext {
  /** Absolute path of the Python interpreter. */
  python: string
  runs: number
  warmup: number
  /** Suite-specific knobs, already validated by the CLI (e.g. limit, ioSeconds). */
  options: Readonly<Record<string, unknown>>
  /** `step`: how many of the suite's runs are finished, for the progress bar. */
  progress(message: string, step?: ProgressStep): void
}

export interface SuiteOutput {
  measurements: MeasurementInfo[]
  /** Raw samples per id, in run order. */
  samples: Record<string, Sample[]>
  /** Ratios to compute: `of` is expected to be the faster one. */
  ratios: { of: string; vs: string }[]
  checks: CheckRow[]
  settings: Record<string, unknown>
  notes: string[]
  scaling?: ScalingReport
}

export interface Suite {
  name: string
  summary: string
  run(ctx: SuiteContext): Promise<SuiteOutput>
}

/** One entry of bench/suites.ts: a `pyport bench --suite NAME`, loaded on demand so one suite's dependencies never slow another. */
export interface SuiteEntry {
  summary: string
  load: () => Promise<Suite>
  /** Where the suite's own defaults differ from --runs 5 --warmup 1 (each sample of the agents suite takes seconds). */
  defaults?: { runs?: number; warmup?: number; quickRuns?: number }
}
