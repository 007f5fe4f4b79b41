import { describe, expect, it } from 'vitest'
import { compareValues } from '../../src/hybrid/compare.js'
import { compileIgnoreRules } from '../../src/hybrid/ignore.js'

describe('compareValues', () => {
  it('finds nothing between equal structures, NaN and NaN, 0 and -0', () => {
    expect(compareValues({ a: [1, NaN, 0, 'x'], b: null }, { b: null, a: [1, NaN, -0, 'x'] })).toEqual([])
  })

  it('names the path and both values of each difference', () => {
    const d = compareValues(
      [
        { id: 'a', coverage: 12 },
        { id: 'b', coverage: 50 },
      ],
      [
        { id: 'a', coverage: 13 },
        { id: 'b', coverage: 50 },
      ],
    )
    expect(d).toEqual([{ path: '$[0].coverage', python: '12', port: '13' }])
    expect(compareValues({ 'odd key': 1 }, { 'odd key': 2 })[0]?.path).toBe('$["odd key"]')
  })

  it('applies relative and absolute float tolerances only when asked', () => {
    expect(compareValues(1.0, 1.0 + 1e-12)).toHaveLength(1)
    expect(compareValues(1.0, 1.0 + 1e-12, { rtol: 1e-9 })).toEqual([])
    expect(compareValues(1e-15, 0, { rtol: 1e-9 })).toHaveLength(1)
    expect(compareValues(1e-15, 0, { atol: 1e-12 })).toEqual([])
    expect(compareValues(Infinity, 1e308, { rtol: 1 })).toHaveLength(1)
    expect(() => compareValues(1, 1, { rtol: -1 })).toThrow(/`rtol` must be a finite number >= 0/)
  })

  it('compares bigint with number exactly, never through rounding', () => {
    expect(compareValues(2n ** 53n, 2 ** 53)).toEqual([])
    expect(compareValues(2n ** 60n + 1n, Number(2n ** 60n + 1n))).toHaveLength(1)
    expect(compareValues(5n, '5')).toHaveLength(1)
  })

  it('tells undefined from null and a string from a number (a port returning the wrong type)', () => {
    expect(compareValues(null, undefined)).toEqual([{ path: '$', python: 'null (null)', port: 'undefined (undefined)' }])
    expect(compareValues([3], ['3'])[0]).toEqual({ path: '$[0]', python: '3 (number)', port: '"3" (string)' })
    expect(compareValues({ a: 1 }, [1])[0]?.path).toBe('$')
  })

  it('compares Map and Set by content in any order, with deep keys', () => {
    expect(
      compareValues(
        new Map<unknown, unknown>([
          [1, 'a'],
          [[2, 3], 'b'],
        ]),
        new Map<unknown, unknown>([
          [[2, 3], 'b'],
          [1, 'a'],
        ]),
      ),
    ).toEqual([])
    expect(compareValues(new Map([[1, 'a']]), new Map([[1, 'b']]))).toEqual([{ path: '$.get(1)', python: '"a"', port: '"b"' }])
    expect(compareValues(new Map([[1, 'a']]), new Map([[2, 'a']]))).toHaveLength(2)
    expect(compareValues(new Set([1, [2]]), new Set([[2], 1]))).toEqual([])
    expect(compareValues(new Set(['a']), new Set(['b']))).toHaveLength(2)
    expect(compareValues(new Set([1.0]), new Set([1.0 + 1e-12]), { rtol: 1e-9 })).toEqual([])
  })

  it('compares bytes by content and reports missing and extra keys and lengths', () => {
    expect(compareValues(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toEqual([])
    expect(compareValues(new Uint8Array([1, 2]), new Uint8Array([1, 3]))[0]?.path).toBe('$[1]')
    expect(compareValues(new Uint8Array([1]), [1])[0]?.python).toMatch(/bytes/)
    expect(compareValues({ a: 1 }, { b: 1 })).toEqual([
      { path: '$.a', python: '1', port: 'missing' },
      { path: '$.b', python: 'missing', port: '1' },
    ])
    expect(compareValues([1, 2, 3], [1, 2])[0]).toEqual({ path: '$.length', python: '3', port: '2' })
  })

  it('stops after maxDifferences', () => {
    const a = Array.from({ length: 100 }, (_, i) => i)
    expect(
      compareValues(
        a,
        a.map((x) => x + 1),
      ),
    ).toHaveLength(20)
    expect(
      compareValues(
        a,
        a.map((x) => x + 1),
        { maxDifferences: 3 },
      ),
    ).toHaveLength(3)
  })
})

describe('ignore rules', () => {
  const diffs = [
    { path: '$[0].score', python: '1', port: '2' },
    { path: '$[3].score', python: '1', port: '2' },
  ]

  it('ignores only when every difference lies under a path rule', () => {
    const rules = compileIgnoreRules([{ reason: 'scores are display-only', path: '$[*].score' }])
    expect(rules.match([], [], diffs)).toBe('scores are display-only')
    expect(rules.match([], [], [...diffs, { path: '$[1].id', python: '"a"', port: '"b"' }])).toBeUndefined()
    expect(
      compileIgnoreRules([{ reason: 'debug', path: '$.debug.**' }]).match({}, {}, [{ path: '$.debug.a[2].b', python: '1', port: '2' }]),
    ).toBe('debug')
  })

  it('a `when` rule decides on the values; one that throws ignores nothing', () => {
    const rules = compileIgnoreRules([
      {
        reason: 'boom',
        when: () => {
          throw new Error('x')
        },
      },
      { reason: 'both empty-ish', when: (py, port) => py === null && port === undefined },
    ])
    expect(rules.match(null, undefined, diffs)).toBe('both empty-ish')
    expect(rules.match(1, 2, diffs)).toBeUndefined()
  })

  it('rejects rules without reason or without path/when', () => {
    expect(() => compileIgnoreRules([{ reason: '' }])).toThrow(/needs a `reason`/)
    expect(() => compileIgnoreRules([{ reason: 'x' }])).toThrow(/needs a `path` pattern or a `when` function/)
    expect(() => compileIgnoreRules([{ reason: 'x', path: 'score' }])).toThrow(/starting with \$/)
  })
})
