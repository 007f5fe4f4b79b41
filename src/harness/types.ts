/** The shapes shared by every benchmark suite, the runner and the reporters. */

export type Lang = 'python' | 'ts'

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
  progress(message: string): void
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
}

export interface Suite {
  name: string
  summary: string
  run(ctx: SuiteContext): Promise<SuiteOutput>
}
