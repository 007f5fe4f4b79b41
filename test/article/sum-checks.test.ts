import { describe, expect, it } from 'vitest'
import { sumChecks } from '../../bench/article/sum-checks.js'

const good = (sum: number) => [
  { seconds: 0.01, sum },
  { seconds: 0.01, sum },
]

describe('sum checks of the article suite', () => {
  it('pass when every TypeScript run found the Python sum', () => {
    const checks = sumChecks({ 'cpu.ts.single': good(17), 'cpu.ts.threads2': good(17), 'cpu.ts.pool': good(17) }, 17, 10)
    expect(checks.map((c) => c.ok)).toEqual([true, true, true])
  })

  it('fail, naming the wrong sum, when one run of one measurement is off', () => {
    const pool = [
      { seconds: 0.01, sum: 17 },
      { seconds: 0.01, sum: 16 },
    ]
    const checks = sumChecks({ 'cpu.ts.single': good(17), 'cpu.ts.threads2': good(17), 'cpu.ts.pool': pool }, 17, 10)
    expect(checks[2]).toEqual({ name: 'cpu.ts.pool sum', ok: false, detail: "got 16, Python's sum_primes(2, 10) is 17" })
    expect(checks.slice(0, 2).every((c) => c.ok)).toBe(true)
  })

  it('fail when a measurement has no runs at all', () => {
    expect(sumChecks({}, 17, 10).every((c) => !c.ok && c.detail === 'no runs to check')).toBe(true)
  })
})
