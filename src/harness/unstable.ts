import type { ResultRow } from './types.js'

/** Like hyperfine: runs this far apart (slowest ÷ fastest) mean the median may not be the program's speed. */
export const UNSTABLE_MAX_OVER_MIN = 1.5

export interface UnstableMeasurement {
  id: string
  maxOverMin: number
  runs: number
}

export function findUnstable(results: readonly ResultRow[], threshold = UNSTABLE_MAX_OVER_MIN): UnstableMeasurement[] {
  return results
    .filter((r) => r.min_s > 0 && r.max_s / r.min_s > threshold)
    .map((r) => ({ id: r.id, maxOverMin: r.max_s / r.min_s, runs: r.runs.length }))
}

export function describeUnstable(u: UnstableMeasurement): string {
  return (
    `warning: ${u.id}: max/min = ${u.maxOverMin.toFixed(1)} over ${u.runs} run${u.runs === 1 ? '' : 's'}` +
    ' — unstable, the machine was busy or the measurement is noisy'
  )
}
