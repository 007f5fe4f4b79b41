import { describe, expect, it } from 'vitest'
import { median, percentile, speedRatio, summarise } from '../../src/harness/stats.js'

describe('stats', () => {
  it('takes the median of odd and even sample counts', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })

  it('interpolates percentiles between ranks', () => {
    const xs = [10, 20, 30, 40, 50]
    expect(percentile(xs, 0)).toBe(10)
    expect(percentile(xs, 100)).toBe(50)
    expect(percentile(xs, 25)).toBe(20)
    expect(percentile(xs, 90)).toBeCloseTo(46, 10)
  })

  it('summarises min, max, mean and sample standard deviation', () => {
    const s = summarise([2, 4, 4, 4, 5, 5, 7, 9])
    expect(s).toMatchObject({ min: 2, max: 9, mean: 5, median: 4.5, n: 8 })
    expect(s.stddev).toBeCloseTo(Math.sqrt(32 / 7), 10)
    expect(summarise([3]).stddev).toBe(0)
  })

  it('rejects empty and non-finite samples instead of returning NaN', () => {
    expect(() => median([])).toThrow(/at least one sample/)
    expect(() => summarise([1, Number.NaN])).toThrow(/finite/)
    expect(() => percentile([1, 2], 101)).toThrow(/0\.\.100/)
  })

  it('computes speed ratios from medians and their spread from paired runs', () => {
    const fast = [1, 2, 1]
    const slow = [10, 10, 12]
    const r = speedRatio(fast, slow)
    expect(r.median).toBe(10) // median(slow) 10 / median(fast) 1
    expect(r.min).toBe(5) // 10 / 2
    expect(r.max).toBe(12) // 12 / 1
    expect(r.stddev).toBeGreaterThan(0)
  })

  it('refuses zero or negative durations in a ratio', () => {
    expect(() => speedRatio([0], [1])).toThrow(/positive/)
  })
})
