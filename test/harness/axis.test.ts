import { describe, expect, it } from 'vitest'
import { formatTickSeconds } from '../../src/harness/format.js'
import { formatTickCount, logAxis, logTicks } from '../../src/harness/reporters/html/axis.js'

describe('log axis ticks', () => {
  it('gives 1-2-5 ticks over up to three decades, from the tick at or below min to the one at or above max', () => {
    expect(logTicks(5, 500)).toEqual([5, 10, 20, 50, 100, 200, 500])
    expect(logTicks(0.02, 2.2)).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5])
    expect(logTicks(0.001, 0.1)).toEqual([0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1])
  })

  it('falls back to decades beyond three decades, so labels do not crowd', () => {
    expect(logTicks(0.00011, 1.95)).toEqual([0.0001, 0.001, 0.01, 0.1, 1, 10])
    expect(logTicks(1e-6, 10)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10])
  })

  it('always gives an axis two ends, even for a narrow range or a single value', () => {
    expect(logTicks(0.0012, 0.0018)).toEqual([0.001, 0.002])
    expect(logTicks(1, 1)).toEqual([1, 2])
  })

  it('refuses ranges a log axis cannot draw', () => {
    expect(() => logTicks(0, 1)).toThrow(RangeError)
    expect(() => logTicks(2, 1)).toThrow(RangeError)
    expect(() => logTicks(1, Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })

  it('maps the ends of the axis to the ends of the pixel range, decades evenly between', () => {
    const axis = logAxis(0.001, 0.1, 100, 300)
    expect(axis.at(0.001)).toBeCloseTo(100)
    expect(axis.at(0.01)).toBeCloseTo(200)
    expect(axis.at(0.1)).toBeCloseTo(300)
    const y = logAxis(1, 100, 400, 0)
    expect(y.at(10)).toBeCloseTo(200)
  })

  it('labels ticks with units and without trailing zeros', () => {
    expect([0.0001, 0.001, 0.002, 0.05, 0.1, 1, 2, 20].map(formatTickSeconds)).toEqual([
      '100 µs',
      '1 ms',
      '2 ms',
      '50 ms',
      '100 ms',
      '1 s',
      '2 s',
      '20 s',
    ])
    expect(formatTickSeconds(0.0015)).toBe('1.5 ms')
    expect([5, 500, 20000, 2e6].map(formatTickCount)).toEqual(['5', '500', '20k', '2M'])
  })
})
