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

  it('says faster above 1 and slower below 1, like hyperfine', () => {
    expect(describeRatio(23.44, 1.21)).toBe('23.4 ± 1.2 × faster than')
    expect(describeRatio(0.5, 0.01)).toBe('2.00 ± 0.04 × slower than')
  })

  it('turns the paired range around with the ratio', () => {
    expect(describePairedRange(1.5, 1.2, 1.8)).toBe('paired runs 1.20–1.80')
    expect(describePairedRange(0.8, 0.5, 0.9)).toBe('paired runs 1.11–2.00')
  })
})
