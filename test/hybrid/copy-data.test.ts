import { describe, expect, it } from 'vitest'
import { copyData } from '../../src/hybrid/copy-data.js'

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('copyData', () => {
  it('deep-copies plain data: mutating the original afterwards changes nothing in the copy', () => {
    const original = { list: [1, { a: 2 }], m: new Map([['k', [1]]]), s: new Set([1]), bytes: new Uint8Array([1]), when: new Date(0) }
    const copy = copyData(original)
    expect(copy).toEqual(original)
    ;(original.list[1] as { a: number }).a = 99
    original.m.get('k')?.push(2)
    original.s.add(2)
    ;(original.bytes as Uint8Array)[0] = 7
    original.when.setTime(5)
    expect(copy).toEqual({ list: [1, { a: 2 }], m: new Map([['k', [1]]]), s: new Set([1]), bytes: new Uint8Array([1]), when: new Date(0) })
  })

  it('keeps class instances (and what is inside them) by reference, so their class survives', () => {
    const p = new Point(1, 2)
    const copy = copyData({ p, list: [p] })
    expect(copy.p).toBe(p)
    expect(copy.list[0]).toBeInstanceOf(Point)
  })

  it('keeps a Buffer a Buffer, holes holes, a "__proto__" key a key, and cycles cycles', () => {
    expect(Buffer.isBuffer(copyData(Buffer.from([1, 2])))).toBe(true)
    const sparse = copyData([, 1])
    expect(0 in sparse).toBe(false)
    const withProto = copyData(JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as Record<string, unknown>)
    expect(Object.keys(withProto)).toEqual(['__proto__', 'b'])
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype)
    const loop: { self?: unknown } = {}
    loop.self = loop
    const c = copyData(loop)
    expect(c.self).toBe(c)
    expect(c).not.toBe(loop)
  })
})
