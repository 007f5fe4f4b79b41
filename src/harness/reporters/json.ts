import type { BenchReport } from '../types.js'

/** The JSON contract other tools read; see the README. Extra keys may be added, listed ones never renamed. */
export function renderJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
