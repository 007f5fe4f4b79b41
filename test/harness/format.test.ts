import { describe, expect, it } from 'vitest'
import { describePairedRange, describeRatio, formatSeconds } from '../../src/harness/format.js'

describe('format', () => {
  it('picks a readable unit for durations', () => {
    expect(formatSeconds(12.34)).toBe('12.3 s')
    expect(formatSeconds(1.5)).toBe('1.500 s')
    expect(formatSeconds(0.523)).toBe('523 ms')
    expect(formatSeconds(0.0225)).toBe('22.5 ms')
    expect(formatSeconds(0.000063)).toBe('63.0 µs')
  })

  it('says faster above 1 and slower below 1, like hyperfine, the range turned with it', () => {
    expect(describeRatio({ median: 23.44, stddev: 1.21, min: 21, max: 25 })).toEqual({
      relation: '23.4 ± 1.2 × faster than',
      figures: 'paired runs 21.00–25.00',
    })
    expect(describeRatio({ median: 0.5, stddev: 0.01, min: 0.48, max: 0.52 })).toEqual({
      relation: '2.00 ± 0.04 × slower than',
      figures: 'paired runs 1.92–2.08',
    })
  })

  it('says "within noise of" when the paired runs straddle 1, never a backwards "slower than" or "1.00 × faster"', () => {
    // shadow mode measured 2 % faster than python mode: noise, not "python 1.02 × slower than shadow"
    expect(describeRatio({ median: 0.98, stddev: 0.03, min: 0.95, max: 1.04 })).toEqual({
      relation: 'within noise of',
      figures: 'median 1.02 ± 0.03 × slower; paired runs 0.96–1.05',
    })
    expect(describeRatio({ median: 1.11, stddev: 0.27, min: 0.95, max: 1.56 })).toEqual({
      relation: 'within noise of',
      figures: 'median 1.11 ± 0.27 × faster; paired runs 0.95–1.56',
    })
    expect(describeRatio({ median: 1, stddev: 0, min: 1, max: 1 }).relation).toBe('within noise of')
    // every paired run agrees: a direction is claimed, even for a small ratio
    expect(describeRatio({ median: 1.01, stddev: 0.005, min: 1.005, max: 1.02 }).relation).toBe('1.01 ± 0.01 × faster than')
  })

  it('turns the paired range around with the ratio', () => {
    expect(describePairedRange(1.5, 1.2, 1.8)).toBe('paired runs 1.20–1.80')
    expect(describePairedRange(0.8, 0.5, 0.9)).toBe('paired runs 1.11–2.00')
  })
})
