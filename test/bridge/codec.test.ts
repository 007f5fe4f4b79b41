import { describe, expect, it } from 'vitest'
import { decodeValue, encodeValue } from '../../src/bridge/codec.js'
import { PythonValueError } from '../../src/bridge/errors.js'

const roundTrip = (v: unknown) => decodeValue(encodeValue(v))

describe('codec (JS side, lossless JSON)', () => {
  it('round-trips every JS value of the mapping', () => {
    const value = {
      none: null,
      yes: true,
      int: 42,
      float: 0.1,
      big: 2n ** 80n,
      negBig: -(2n ** 70n) - 3n,
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      negZero: -0,
      huge: 2 ** 60,
      text: 'héllo 🌍 \u{10FFFF}',
      list: [1, [2, [3]]],
      map: new Map<unknown, unknown>([[1, 'a'], ['b', new Set([1])]]),
      set: new Set(['x', 2]),
      bytes: new Uint8Array([0, 1, 255]),
      tagLike: { $t: 'int', v: 'ff' },
    }
    const back = roundTrip(value) as typeof value
    expect(back).toEqual(value)
    expect(Object.is(back.negZero, -0)).toBe(true)
    expect(back.big).toBe(2n ** 80n)
    expect(back.bytes).toBeInstanceOf(Uint8Array)
    expect(back.tagLike).toEqual({ $t: 'int', v: 'ff' })
  })

  it('encodes plain JSON without tags', () => {
    expect(encodeValue({ a: [1, 'b', null] })).toBe('P{"a":[1,"b",null]}')
    expect(encodeValue(1n).startsWith('T')).toBe(true)
  })

  it('sends undefined as null (None)', () => {
    expect(roundTrip([undefined, { a: undefined }])).toEqual([null, { a: null }])
  })

  it.each([
    ['a function', { f: () => 1 }, 'function'],
    ['a symbol', [Symbol('s')], 'symbol'],
    ['a Promise', { p: Promise.resolve(1) }, 'Promise'],
    ['a Date', { when: new Date(0) }, 'Date instance'],
    ['a class instance', [new (class Point {})()], 'Point instance'],
    ['a Float64Array', new Float64Array(2), 'Float64Array instance'],
    ['a class instance whose toJSON() returns a number', { price: new (class Money { toJSON() { return 5 } })() }, 'Money instance'],
    ['a top-level instance whose toJSON() returns a number', new (class Money { toJSON() { return 5 } })(), 'Money instance'],
    ['a class instance whose toJSON() returns a bigint', [new (class Id { toJSON() { return 2n ** 70n } })()], 'Id instance'],
    ['a class instance whose toJSON() returns a string', [new (class Name { toJSON() { return 'n' } })()], 'Name instance'],
  ])('rejects %s with PythonValueError naming it', (_name, value, type) => {
    let err: unknown
    try {
      encodeValue(value)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(PythonValueError)
    expect((err as PythonValueError).valueType).toBe(type)
    expect((err as PythonValueError).direction).toBe('to-python')
  })

  it('rejects circular structures', () => {
    const a: unknown[] = []
    a.push(a)
    expect(() => encodeValue(a)).toThrow(/circular/)
  })
})
