import { describe, expect, it } from 'vitest'
import { decodeRecordValue, encodeRecordValue, type EncodedRecordValue } from '../../src/hybrid/record-codec.js'
import { RecordEncodeError } from '../../src/hybrid/errors.js'

const roundTrip = (v: unknown) => decodeRecordValue(JSON.parse(JSON.stringify(encodeRecordValue(v))) as EncodedRecordValue)

describe('record codec', () => {
  it('keeps a "__proto__" key a key (JSON.parse makes those), with or without a "$t" key beside it', () => {
    for (const text of ['{"__proto__": {"a": 1}, "b": 2}', '{"__proto__": 1, "$t": "x"}']) {
      const original = JSON.parse(text) as Record<string, unknown>
      const back = roundTrip(original) as Record<string, unknown>
      expect(Object.keys(back)).toEqual(Object.keys(original))
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
      expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual(original['__proto__'])
    }
  })

  it('records an array hole as undefined, not null', () => {
    expect(encodeRecordValue([, 1])).toEqual([{ $t: 'undefined' }, 1])
    expect(roundTrip([, 1])).toEqual([undefined, 1])
  })

  it('round-trips through JSON text what plain JSON loses', () => {
    const value = {
      big: 2n ** 80n + 1n,
      neg: -(2n ** 64n),
      floats: [NaN, Infinity, -Infinity, -0, 0.1, 1e308],
      bytes: new Uint8Array([0, 1, 254, 255]),
      map: new Map<unknown, unknown>([
        [1, 'one'],
        [[1, 2], new Set([3])],
      ]),
      set: new Set(['a', 2n]),
      missing: undefined,
      when: new Date('2026-01-02T03:04:05.000Z'),
      nested: [{ x: [undefined, null] }],
    }
    const back = roundTrip(value) as typeof value
    expect(back).toEqual(value)
    expect(Object.is(back.floats[3], -0)).toBe(true)
    expect(back.big).toBe(2n ** 80n + 1n)
  })

  it('keeps a user object that has a "$t" key apart from the tags', () => {
    const v = { $t: 'bigint', v: '12' }
    expect(roundTrip(v)).toEqual(v)
    expect(roundTrip([{ $t: 'x' }])).toEqual([{ $t: 'x' }])
  })

  it('refuses functions, symbols, class instances and cycles with the path', () => {
    expect(() => encodeRecordValue({ a: [1, () => 2] })).toThrow(/function at \$\.a\[1\]/)
    expect(() => encodeRecordValue(Symbol('s'))).toThrow(RecordEncodeError)
    class Point {
      x = 1
    }
    expect(() => encodeRecordValue({ p: new Point() })).toThrow(/Point instance at \$\.p/)
    const cyc: Record<string, unknown> = {}
    cyc['self'] = cyc
    expect(() => encodeRecordValue(cyc)).toThrow(/circular reference at \$\.self/)
    const shared = [1]
    expect(roundTrip([shared, shared])).toEqual([[1], [1]]) // shared, not circular
  })

  it('rejects malformed tags with the path', () => {
    expect(() => decodeRecordValue({ a: { $t: 'bigint', v: '1.5' } })).toThrow(
      /^decodeRecordValue: `value` at \$\.a\.v must be a decimal string \(the value of a "bigint" tag\), got "1\.5" \(string\)$/,
    )
    expect(() => decodeRecordValue([{ $t: 'nope' }])).toThrow(
      /`value` at \$\[0\]\.\$t must be a known tag \(undefined, bigint, .*\), got "nope" \(string\)/,
    )
    expect(() => decodeRecordValue({ $t: 'map', v: [[1]] })).toThrow(/\[key, value\] pairs/)
  })
})
