import { describe, expect, it } from 'vitest'
import { decodeWireValue, encodeRequest, encodeWireValue } from '../../src/bridge/wire-codec.js'
import { PythonValueError } from '../../src/bridge/errors.js'
import { brandHandle } from '../../src/bridge/handle-brand.js'
import type { HandleState } from '../../src/bridge/handle-brand.js'

const roundTrip = (v: unknown) => decodeWireValue(encodeWireValue(v))

describe('wire codec (JS side, lossless JSON)', () => {
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
      map: new Map<unknown, unknown>([
        [1, 'a'],
        ['b', new Set([1])],
      ]),
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
    expect(encodeWireValue({ a: [1, 'b', null] })).toBe('P{"a":[1,"b",null]}')
    expect(encodeWireValue(1n).startsWith('T')).toBe(true)
  })

  it('sends undefined as null (None)', () => {
    expect(roundTrip([undefined, { a: undefined }])).toEqual([null, { a: null }])
  })

  it.each<[string, unknown, string, string]>([
    ['a function', { f: () => 1 }, 'function', 'value.f'],
    ['a symbol', [Symbol('s')], 'symbol', 'value[0]'],
    ['a Promise', { p: Promise.resolve(1) }, 'Promise', 'value.p'],
    ['a Date', { when: new Date(0) }, 'Date instance', 'value.when'],
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- an instance of an empty class is the case under test
    ['a class instance', [new (class Point {})()], 'Point instance', 'value[0]'],
    ['a Float64Array', new Float64Array(2), 'Float64Array instance', 'value'],
    [
      'a class instance whose toJSON() returns a number',
      {
        price: new (class Money {
          toJSON() {
            return 5
          }
        })(),
      },
      'Money instance',
      'value.price',
    ],
    [
      'a top-level instance whose toJSON() returns a number',
      new (class Money {
        toJSON() {
          return 5
        }
      })(),
      'Money instance',
      'value',
    ],
    [
      'a class instance whose toJSON() returns a bigint',
      [
        new (class Id {
          toJSON() {
            return 2n ** 70n
          }
        })(),
      ],
      'Id instance',
      'value[0]',
    ],
    [
      'a class instance whose toJSON() returns a string',
      [
        new (class Name {
          toJSON() {
            return 'n'
          }
        })(),
      ],
      'Name instance',
      'value[0]',
    ],
    ['a function under a key that is no identifier', { 'a b': [0, () => 1] }, 'function', 'value["a b"][1]'],
    ['a Date as a Map value', new Map([['k', new Date(0)]]), 'Date instance', 'value.get("k")'],
    ['a Date in a Set', new Set([1, new Date(0)]), 'Date instance', 'value<Set item #1>'],
    ['a function as a Map key', new Map([[() => 1, 1]]), 'function', 'value<Map key #0>'],
    ['a function beside a "$t" key', { $t: 1, f: () => 1 }, 'function', 'value.f'],
  ])('rejects %s with PythonValueError naming it and where it is', (_name, value, type, where) => {
    const err = thrown(() => encodeWireValue(value))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.valueType).toBe(type)
    expect(err.where).toBe(where)
    expect(err.direction).toBe('to-python')
    expect(err.message).toContain(` at ${where} `)
  })

  it('rejects circular structures, naming where the object comes back', () => {
    const a: unknown[] = []
    a.push(a)
    expect(() => encodeWireValue(a)).toThrow(/circular/)
    const o = { a: { b: {} as Record<string, unknown> } }
    o.a.b['c'] = o.a
    const err = thrown(() => encodeRequest(['c', 'm', 'f', [1, o], null]))
    expect(err.valueType).toBe('circular structure')
    expect(err.where).toBe('args[1].a.b.c')
    expect(err.hint).toMatch(/object at args\[1\]\.a again/)
  })

  it('still reports deep nesting as nested too deeply, not as circular', () => {
    let deep: unknown = 1
    for (let i = 0; i < 3000; i++) deep = { k: deep }
    const err = thrown(() => encodeRequest(['c', 'm', 'f', [deep], null]))
    expect(err.message).toMatch(/nested too deeply/)
    expect(err.where).toMatch(/^args\[0\]\.k\.k/)
    // a shared (not circular) object is fine: it is copied
    const shared = { x: 1 }
    expect(roundTrip([shared, shared])).toEqual([{ x: 1 }, { x: 1 }])
  })
})

const thrown = (f: () => unknown): PythonValueError => {
  try {
    f()
  } catch (e) {
    return e as PythonValueError
  }
  throw new Error('did not throw')
}

const call = (...args: unknown[]) => encodeRequest(['c', 'mod', 'fn', args, null])

describe('wire codec: values Python would merge are refused, naming them (fault 1)', () => {
  it.each([
    [
      'a Map with keys 1 and true',
      new Map<unknown, string>([
        [1, 'a'],
        [true, 'b'],
      ]),
      'Map',
      /keys 1 and true are equal in Python/,
    ],
    [
      'a Map with keys 1 and 1n',
      new Map<unknown, string>([
        [1, 'a'],
        [1n, 'b'],
      ]),
      'Map',
      /keys 1 and 1n are equal/,
    ],
    [
      'a Map with keys 0 and false',
      new Map<unknown, string>([
        [false, 'a'],
        [0, 'b'],
      ]),
      'Map',
      /keys false and 0 are equal/,
    ],
    [
      'a Map with keys 2 ** 60 and 2n ** 60n',
      new Map<unknown, string>([
        [2 ** 60, 'a'],
        [2n ** 60n, 'b'],
      ]),
      'Map',
      /are equal/,
    ],
    [
      'a Map with two equal array keys',
      new Map<unknown, string>([
        [[1, 2], 'a'],
        [[1, 2], 'b'],
      ]),
      'Map',
      /keys \[1, 2\] and \[1, 2\] are equal/,
    ],
    [
      'a Map with array keys equal as tuples',
      new Map<unknown, string>([
        [[1, [true]], 'a'],
        [[1n, [1]], 'b'],
      ]),
      'Map',
      /are equal/,
    ],
    [
      'a Map with two equal Uint8Array keys',
      new Map<unknown, string>([
        [new Uint8Array([1]), 'a'],
        [new Uint8Array([1]), 'b'],
      ]),
      'Map',
      /are equal/,
    ],
    [
      'a Map with two [NaN] keys (Python gets one math.nan)',
      new Map<unknown, string>([
        [[NaN], 'a'],
        [[NaN], 'b'],
      ]),
      'Map',
      /are equal/,
    ],
    ['a Set with 1 and true', new Set([1, true]), 'Set', /items 1 and true are equal in Python/],
    [
      'a Set with two equal arrays',
      new Set([
        [1, 2],
        [1, 2],
      ]),
      'Set',
      /items \[1, 2\] and \[1, 2\] are equal/,
    ],
  ])('%s', (_name, value, type, hint) => {
    const err = thrown(() => call('x', { data: value }))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.direction).toBe('to-python')
    expect(err.valueType).toBe(type)
    expect(err.where).toBe('args[1].data')
    expect(err.hint).toMatch(hint)
    expect(() => encodeWireValue(value)).toThrow(PythonValueError)
  })

  it('keeps keys Python keeps apart', () => {
    const keys = [1, '1', 1.5, 'a', null, [1, 2], [2, 1], new Uint8Array([1]), 2n ** 70n, NaN, Infinity, -Infinity]
    const m = new Map(keys.map((k, i) => [k, i]))
    expect(decodeWireValue(encodeWireValue(m))).toEqual(m)
    const set = new Set(keys)
    expect(decodeWireValue(encodeWireValue(set))).toEqual(set)
  })

  it('rejects a Map key Python cannot hash, where it is', () => {
    const err = thrown(() => call(new Map([[{ a: 1 }, 1]])))
    expect(err.valueType).toBe('object')
    expect(err.where).toBe('args[0]<Map key #0>')
    expect(err.hint).toMatch(/hashable/)
    expect(thrown(() => call(new Set([1, [new Map()]]))).where).toBe('args[0]<Set item #1>')
  })

  it('refuses a reply whose keys JS would merge (the other direction)', () => {
    const nan = { $t: 'float', v: 'nan' }
    const err = thrown(() =>
      decodeWireValue(
        'T' +
          JSON.stringify({
            $t: 'map',
            v: [
              [nan, 1],
              [nan, 2],
            ],
          }),
      ),
    )
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.direction).toBe('to-js')
    expect(err.hint).toMatch(/NaN/)
    expect(() => decodeWireValue('T' + JSON.stringify({ $t: 'set', v: [nan, nan] }))).toThrow(PythonValueError)
  })
})

describe('wire codec: every value is read exactly once, or fails with the real cause and where (faults 2-5)', () => {
  it('rejects an enumerable symbol key, naming it (JSON.stringify would drop it)', () => {
    const s = Symbol('secret')
    const err = thrown(() => call({ user: { name: 'x', [s]: 1 } }))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.valueType).toBe('symbol key')
    expect(err.where).toBe('args[0].user[Symbol(secret)]')
    expect(err.message).toContain('Symbol(secret)')
    // a non-enumerable symbol is not data (as a non-enumerable string key is not)
    const hidden = { a: 1 }
    Object.defineProperty(hidden, s, { value: 1, enumerable: false })
    expect(call(hidden)).toBe('P["c","mod","fn",[{"a":1}],null]')
  })

  it('reads each getter exactly once per encode', () => {
    let reads = 0
    const counted = {
      get n() {
        reads++
        return reads
      },
    }
    for (const args of [[counted], [{ deep: [counted] }], [new Map([['k', counted]])], [counted, 1n]]) {
      reads = 0
      const back = decodeWireValue(encodeRequest(['c', 'mod', 'fn', args, null])) as unknown[]
      expect(reads).toBe(1)
      expect(JSON.stringify(back[3], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Map ? [...v] : v))).toContain(
        '"n":1',
      )
    }
    // a getter on the argument list itself (the scalar fast path)
    reads = 0
    const args: unknown[] = []
    Object.defineProperty(args, 0, { get: () => ++reads, enumerable: true })
    expect(encodeRequest(['c', 'mod', 'fn', args, null])).toBe('P["c","mod","fn",[1],null]')
    expect(reads).toBe(1)
  })

  it.each([
    ['RangeError', new RangeError('boom')],
    ['Error', new Error('boom')],
    ['TypeError', new TypeError('boom')],
    ['a thrown string', 'boom'],
  ])('a getter that throws %s is a PythonValueError naming the path, with the thrown value as cause', (_name, thrownValue) => {
    const user = {
      get name(): string {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the test throws non-Error values on purpose
        throw thrownValue
      },
    }
    const err = thrown(() => call(0, { user }))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.valueType).toBe('getter')
    expect(err.where).toBe('args[1].user.name')
    expect(err.cause).toBe(thrownValue)
    expect(err.message).not.toMatch(/nested/)
    expect(err.hint).toMatch(/boom/)
  })

  it('a getter on the argument list that throws is located too', () => {
    const args: unknown[] = [1]
    Object.defineProperty(args, 1, {
      get: () => {
        throw new RangeError('boom')
      },
      enumerable: true,
    })
    const err = thrown(() => encodeRequest(['c', 'mod', 'fn', args, null]))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.where).toBe('args[1]')
    expect(err.cause).toBeInstanceOf(RangeError)
  })

  it('a revoked Proxy is a typed error naming the path, not a raw TypeError', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {})
    revoke()
    const err = thrown(() => call([1, 2, 3, 4, 5, proxy]))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.valueType).toBe('revoked Proxy')
    expect(err.where).toBe('args[0][5]')
    expect(err.cause).toBeInstanceOf(TypeError)
    // a live Proxy of a plain object crosses, each property asked once
    let gets = 0
    const live = new Proxy({ a: 1, b: 2 }, { get: (t, k) => (gets++, Reflect.get(t, k)) })
    expect(call(live)).toBe('P["c","mod","fn",[{"a":1,"b":2}],null]')
    expect(gets).toBe(2)
  })

  it('a sparse array of length 1e9 is too large to send, not nested too deeply', () => {
    const sparse: number[] = []
    sparse[1e9 - 1] = 1
    for (const big of [sparse, new Array(1e9)]) {
      const err = thrown(() => call({ big }))
      expect(err).toBeInstanceOf(PythonValueError)
      expect(err.message).toMatch(/^the arguments are too large to send \(over \d+ characters as JSON\)/)
      expect(err.where).toBe('args[0].big')
      expect(err.hint).toMatch(/1000000000/)
    }
  })

  it('a string too long once written as JSON is too large to send, naming its length', () => {
    const s = '\u0001'.repeat(90_000_000) // 6 characters each as JSON: over V8's longest string
    for (const args of [[s], [{ text: s }]]) {
      const err = thrown(() => encodeRequest(['c', 'mod', 'fn', args, null]))
      expect(err).toBeInstanceOf(PythonValueError)
      expect(err.message).toMatch(/^the arguments are too large to send \(over \d+ characters as JSON\)/)
      expect(err.where).toBe(args[0] === s ? 'args[0]' : 'args[0].text')
      expect(err.hint).toMatch(/90000000 characters, 540000002 once written as JSON/)
    }
  }, 60_000)

  it('names where in the arguments a value sits: args, kwargs, and a map item (with its index)', () => {
    expect(thrown(() => call(1, 2, [0, 1, 2, 3, 4, () => 1])).where).toBe('args[2][5]')
    expect(thrown(() => encodeRequest(['c', 'mod', 'fn', [], { when: new Date(0) }])).where).toBe('kwargs.when')
    const err = thrown(() => encodeRequest(['m', 'mod', 'fn', [[1], [2], [{ a: [() => 1] }]], null, 0]))
    expect(err.where).toBe('items[2][0].a[0]')
    expect(err.index).toBe(2)
  })

  it('keeps the message flag right when a getter encodes a value of its own meanwhile', () => {
    const v = [
      1n,
      {
        get a() {
          encodeWireValue('plain')
          return 1
        },
      },
    ]
    const text = encodeWireValue(v)
    expect(text[0]).toBe('T')
    expect(decodeWireValue(text)).toEqual([1n, { a: 1 }])
  })

  it('sends a "__proto__" key as a key', () => {
    const o = JSON.parse('{"__proto__": 1, "b": [2]}') as Record<string, unknown>
    expect(encodeWireValue(o)).toBe('P{"__proto__":1,"b":[2]}')
    expect(Object.getOwnPropertyDescriptor(decodeWireValue(encodeWireValue(o)), '__proto__')?.value).toBe(1)
  })
})

describe('wire codec: each encode keeps its own state (a getter that encodes a value of its own)', () => {
  /** A stand-in PythonObject: branded as a handle, so the codec sees one. */
  const fakeHandle = (id: number): object => {
    const handle = {}
    const state = { host: {}, id, type: 'objects.Agent', released: false, lost: () => undefined } as unknown as HandleState
    brandHandle(handle, state)
    return handle
  }

  it("a request's handle hook does not reach an encode run from inside one of its arguments' getters", () => {
    const handle = fakeHandle(7)
    const seen: number[] = []
    let inner: unknown
    const arg = {
      get nested() {
        try {
          inner = encodeWireValue({ handle })
        } catch (e) {
          inner = e
        }
        return 1
      },
    }
    const text = encodeRequest(['c', 'mod', 'f', [arg, handle], null, 1], (h) => (seen.push(h.id), h.id))
    expect(text).toBe('T["c","mod","f",[{"nested":1},{"$t":"ref","v":7}],null,1]')
    expect(seen).toEqual([7]) // the request's own handle only
    expect(inner).toBeInstanceOf(PythonValueError) // a standalone encode has no bridge to send a handle to
    expect((inner as PythonValueError).where).toBe('value.handle')
  })

  it("a getter's encode neither sets nor clears the outer encode's tag flag", () => {
    const inners: string[] = []
    const plainOuter = {
      get a() {
        inners.push(encodeWireValue(1n))
        return 'x'
      },
    }
    const taggedOuter = {
      big: 2n,
      get a() {
        inners.push(encodeWireValue('plain'))
        return 'x'
      },
    }
    expect(encodeWireValue(plainOuter)).toBe('P{"a":"x"}')
    expect(encodeWireValue(taggedOuter)).toBe('T{"big":{"$t":"int","v":"2"},"a":"x"}')
    expect(inners).toEqual(['T{"$t":"int","v":"1"}', 'P"plain"'])
    expect(roundTrip(taggedOuter)).toEqual({ big: 2n, a: 'x' })
  })
})
