import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import type { PythonModule } from '../../src/bridge/module.js'
import { PythonValueError } from '../../src/bridge/errors.js'
import { PythonIterator, PythonObject } from '../../src/bridge/handles.js'
import { fixtures } from './helpers.js'

let py: PythonBridge
let agent: PythonModule

beforeAll(async () => {
  py = new PythonBridge({ cwd: fixtures })
  agent = await py.import('./agent.py')
})
afterAll(() => py.close())

const describePy = (x: unknown) => agent.call<[string, string]>('describe', [x])

describe('values, JS to Python', () => {
  it.each([
    ['null', null, ['NoneType', 'None']],
    ['undefined', undefined, ['NoneType', 'None']],
    ['true', true, ['bool', 'True']],
    ['an integer number', 42, ['int', '42']],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER, ['int', '9007199254740991']],
    ['an integer number beyond 2^53 (a float in JS)', 2 ** 60, ['float', '1.152921504606847e+18']],
    ['a fraction', 0.5, ['float', '0.5']],
    ['a bigint', 2n ** 64n, ['int', '18446744073709551616']],
    ['a negative bigint', -(2n ** 70n), ['int', '-1180591620717411303424']],
    ['a small bigint', 5n, ['int', '5']],
    ['NaN', NaN, ['float', 'nan']],
    ['Infinity', Infinity, ['float', 'inf']],
    ['-Infinity', -Infinity, ['float', '-inf']],
    ['-0', -0, ['float', '-0.0']],
    ['a string', 'héllo 🌍', ['str', "'héllo 🌍'"]],
    ['an array', [1, 'a'], ['list', "[1, 'a']"]],
    ['an object', { a: 1 }, ['dict', "{'a': 1}"]],
    ['an object with a "$t" key', { $t: 'x', v: 1 }, ['dict', "{'$t': 'x', 'v': 1}"]],
    ['a Map with number keys', new Map([[1, 'a']]), ['dict', "{1: 'a'}"]],
    ['a Map with an array key', new Map([[[1, 2], 'pair']]), ['dict', "{(1, 2): 'pair'}"]],
    ['a Set', new Set([3]), ['set', '{3}']],
    ['a Uint8Array', new Uint8Array([0, 255]), ['bytes', "b'\\x00\\xff'"]],
    ['a Buffer', Buffer.from('hi'), ['bytes', "b'hi'"]],
  ])('%s', async (_name, value, expected) => {
    expect(await describePy(value)).toEqual(expected)
  })

  it('rejects a Map key Python cannot hash, naming the fix', async () => {
    const err = await agent.call('describe', [new Map([[{ a: 1 }, 1]])]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PythonValueError)
    expect((err as PythonValueError).direction).toBe('to-python')
    expect((err as PythonValueError).hint).toMatch(/key/)
  })

  it('rejects arguments that cannot be sent before sending them', async () => {
    const echoStats = () => py.stats().functions.find((f) => f.function === 'echo') ?? { calls: 0, errors: 0, bytesSent: 0 }
    const before = echoStats()
    for (const bad of [() => 1, Symbol('s'), Promise.resolve(1), new Date(0)]) {
      await expect(agent.call('echo', [bad])).rejects.toBeInstanceOf(PythonValueError)
    }
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    await expect(agent.call('echo', [circular])).rejects.toThrow(/circular/)
    // counted as errors, and nothing was sent
    expect(echoStats()).toMatchObject({ calls: before.calls + 5, errors: before.errors + 5, bytesSent: before.bytesSent })
  })
})

describe('values, Python to JS', () => {
  it.each([
    ['None', 'echo', [null], null],
    ['bool', 'echo', [false], false],
    ['int beyond 2^53 as bigint', 'big', [], 2n ** 64n + 1n],
    ['tuple as array', 'tuple_value', [], [1, 'two', [3]]],
    ['set as Set', 'set_value', [], new Set([1, 2, 3])],
    ['frozenset as Set', 'frozen', [], new Set(['a'])],
    ['bytes as Uint8Array', 'bytes_value', [], new Uint8Array([0, 1, 255])],
    ['bytearray as Uint8Array', 'bytearray_value', [], new Uint8Array([97, 98])],
    [
      'dict with int keys as Map',
      'int_keys',
      [],
      new Map([
        [1, 'one'],
        [2, 'two'],
      ]),
    ],
    ['dict with tuple keys as Map with array keys', 'tuple_keys', [], new Map([[[1, 2], 'pair']])],
    ['dict with a "$t" key as a plain object', 'tag_key', [], { $t: 'int', v: 'ff' }],
    ['Unicode text', 'unicode_text', [], 'héllo wörld ✓ 日本語 🌍🐍 \u{10FFFF}'],
  ])('%s', async (_name, fn, args, expected) => {
    expect(await agent.call(fn, args)).toEqual(expected)
  })

  it('floats: NaN, ±Infinity and -0.0 arrive exactly', async () => {
    const xs = await agent.call<number[]>('nan')
    expect(xs.slice(0, 4)).toEqual([1, NaN, Infinity, -Infinity])
    expect(Object.is(xs[4], -0)).toBe(true)
  })

  it('nested values', async () => {
    const v = await agent.call<Map<unknown, unknown>>('nested')
    expect(v).toBeInstanceOf(Map) // 7 is not a string key
    expect(v.get('list')).toEqual([1, [2, 3], { k: new Set([4, 5]) }])
    expect(v.get('bytes')).toEqual(new Uint8Array([104, 105]))
    expect(v.get(7)).toBeNull()
  })

  it('round-trips any Unicode, lone surrogates included', async () => {
    const s = 'ascii é ß 中文 😀 \u{1F468}\u200D\u{1F469} \ud800 \udfff \u0000 \n "quoted" \\'
    expect(await agent.call('echo', [s])).toBe(s)
    expect(await agent.call('echo', [{ [s]: s }])).toEqual({ [s]: s })
  })

  it('round-trips nested structures of every kind', async () => {
    const v = { a: [1n << 90n, -0, NaN, new Map<unknown, unknown>([[1, new Set(['x'])]]), new Uint8Array([9])], b: { c: [[[]]] } }
    const back = await agent.call<typeof v>('echo', [v])
    expect(back).toEqual(v)
    expect(Object.is(back.a[1], -0)).toBe(true)
  })

  it.each(['list', 'dict', 'subclass'])('carries a %s nested 1000 levels deep (the documented depth) each way', async (kind) => {
    const levels = 1000
    const deep = await agent.call('nest', [levels, kind])
    let d = 0
    for (let x = deep; typeof x === 'object' && x !== null; d++) x = Array.isArray(x) ? x[0] : (x as { k: unknown }).k
    expect(d).toBe(levels)
    expect(await agent.call('depth', [deep])).toBe(levels)
    const [a, b] = await agent.map('nest', [
      [levels, kind],
      [1, kind],
    ])
    expect(await agent.call('depth', [a])).toBe(levels)
    expect(await agent.call('depth', [b])).toBe(1)
  })

  it('a map whose result fails to convert is a PythonValueError naming the item, not a PythonError', async () => {
    const err = (await agent.map('bad_iter', [[false], [false], [true]]).catch((e: unknown) => e)) as PythonValueError
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.valueType).toBe('agent.BadList')
    expect(err.index).toBe(2)
    expect(err.hint).toMatch(/converting it raised RuntimeError: no iter/)
    expect(await agent.map('bad_iter', [[false]])).toEqual([{ items: [[1]] }])
  })

  it('carries 10 MB each way', async () => {
    const n = 10 * 1024 * 1024
    expect(await agent.call('length', ['y'.repeat(n)])).toBe(n)
    const s = await agent.call<string>('blob', [n])
    expect(s.length).toBe(n)
    const bytes = new Uint8Array(n).fill(3)
    expect(await agent.call('length', [bytes])).toBe(n)
    const back = await agent.call<Uint8Array>('blob_bytes', [n])
    expect(back.length).toBe(n)
    expect(back[n - 1]).toBe(7)
  })

  it.each([
    [
      'a datetime, inside a dict',
      'datetime_value',
      (v: unknown) => ((v as Record<string, unknown[]>)['when']![0] as PythonObject).type,
      'datetime.datetime',
    ],
    ['a generator', 'generator', (v: unknown) => (v instanceof PythonIterator ? v.type : 'not an iterator'), 'generator'],
    ['a custom object', 'custom', (v: unknown) => (v as PythonObject).type, 'agent.Thing'],
  ])('%s with no exact value mapping arrives as a handle', async (_name, fn, typeOf, type) => {
    expect(typeOf(await agent.call(fn))).toBe(type)
  })

  it.each([
    ['a self-referencing list', 'self_ref', 'object', '', /refers to itself/],
    [
      'a list subclass whose __iter__ raises (not as if the function raised)',
      'bad_iter',
      'agent.BadList',
      "['items'][0]",
      /converting it raised RuntimeError: no iter/,
    ],
  ])('rejects %s as PythonValueError', async (_name, fn, type, where, hint) => {
    const err = await agent.call(fn).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PythonValueError)
    const e = err as PythonValueError
    expect(e.direction).toBe('to-js')
    expect(e.valueType).toBe(type)
    expect(e.where).toBe(where)
    expect(e.hint).toMatch(hint)
    // the interpreter is fine afterwards
    expect(await agent.call('add', [1, 1])).toBe(2)
  })
})
