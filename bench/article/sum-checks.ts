import type { CheckRow, Sample } from '../../src/harness/types.js'

export const CHECKED_IDS = ['cpu.ts.single', 'cpu.ts.threads2', 'cpu.ts.pool'] as const

/** One check per TypeScript CPU measurement: every run's sum must equal the sum Python computed. */
export function sumChecks(samples: Record<string, Sample[]>, pythonSum: number, limit: number): CheckRow[] {
  return CHECKED_IDS.map((id) => {
    const runs = samples[id] ?? []
    const bad = runs.filter((x) => x.sum !== pythonSum)
    const ok = runs.length > 0 && bad.length === 0
    return {
      name: `${id} sum`,
      ok,
      detail: ok
        ? `${pythonSum} in every run, equal to Python's sum_primes(2, ${limit})`
        : runs.length === 0
          ? 'no runs to check'
          : `got ${bad.map((x) => String(x.sum)).join(', ')}, Python's sum_primes(2, ${limit}) is ${pythonSum}`,
    }
  })
}
