/** Summary statistics over a list of samples (seconds, milliseconds, ratios: any unit). */

export interface Summary {
  median: number
  min: number
  max: number
  mean: number
  stddev: number
  n: number
}

function requireSamples(samples: readonly number[], what: string): void {
  if (samples.length === 0) throw new RangeError(`${what} needs at least one sample, got none`)
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new RangeError(`${what} needs finite samples, got ${s}`)
  }
}

/** Linear-interpolated percentile, p in [0, 100]. */
export function percentile(samples: readonly number[], p: number): number {
  requireSamples(samples, 'percentile')
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be within 0..100, got ${p}`)
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (rank - lo)
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50)
}

export function summarise(samples: readonly number[]): Summary {
  requireSamples(samples, 'summarise')
  const n = samples.length
  const mean = samples.reduce((acc, s) => acc + s, 0) / n
  const variance = n > 1 ? samples.reduce((acc, s) => acc + (s - mean) ** 2, 0) / (n - 1) : 0
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    mean,
    stddev: Math.sqrt(variance),
    n,
  }
}

export interface RatioSummary {
  /** median(slower) / median(faster) */
  median: number
  /** smallest ratio of a paired run */
  min: number
  /** largest ratio of a paired run */
  max: number
  /** standard deviation of the paired-run ratios */
  stddev: number
}

/**
 * How many times faster `fast` is than `slow`. Runs are paired by index (run i of each was measured
 * in the same round, so they saw the same machine load); the spread comes from the paired ratios.
 */
export function speedRatio(fast: readonly number[], slow: readonly number[]): RatioSummary {
  requireSamples(fast, 'speedRatio(fast)')
  requireSamples(slow, 'speedRatio(slow)')
  if (fast.some((s) => s <= 0) || slow.some((s) => s <= 0)) {
    throw new RangeError('speedRatio needs positive durations')
  }
  const pairs = Math.min(fast.length, slow.length)
  const paired: number[] = []
  for (let i = 0; i < pairs; i++) paired.push((slow[i] as number) / (fast[i] as number))
  const s = summarise(paired)
  return { median: median(slow) / median(fast), min: s.min, max: s.max, stddev: s.stddev }
}
