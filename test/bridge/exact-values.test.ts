import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PythonValueError } from '../../src/bridge/errors.js'
import type { PythonBridge } from '../../src/bridge/bridge.js'
import type { PythonModule } from '../../src/bridge/module.js'
import { newTestBridge } from './helpers.js'

/**
 * Every value crosses exactly, or fails with a typed error naming the real cause and where it is, through a real
 * interpreter (the unit tests of both encoders are in wire-codec.test.ts). One interpreter serves the file: each test
 * also checks that it still answers afterwards.
 */
let py: PythonBridge
let exact: PythonModule
let agent: PythonModule

beforeAll(async () => {
  py = newTestBridge()
  exact = await py.import('./exact.py')
  agent = await py.import('./agent.py')
})
afterAll(() => py.close())

/** The bridge, its two fixture modules, and what it has sent so far per function (to prove nothing was sent). */
async function open(): Promise<{ py: PythonBridge; exact: PythonModule; agent: PythonModule }> {
  expect(await agent.call('add', [1, 1])).toBe(2)
  return { py, exact, agent }
}

const rejection = (p: Promise<unknown>): Promise<PythonValueError> =>
  p.then(
    () => {
      throw new Error('the call did not fail')
    },
    (e: unknown) => e as PythonValueError,
  )

const sent = (py: PythonBridge, fn: string) => py.stats().functions.find((f) => f.function === fn)?.bytesSent ?? 0

describe('JS to Python: keys and items Python would merge', () => {
  it.each([
    [
      'a Map with keys 1 and true',
      new Map<unknown, string>([
        [1, 'a'],
        [true, 'b'],
      ]),
      /keys 1 and true are equal in Python/,
    ],
    [
      'a Map with keys 1 and 1n',
      new Map<unknown, string>([
        [1, 'a'],
        [1n, 'b'],
      ]),
      /keys 1 and 1n are equal in Python/,
    ],
    [
      'a Map with two equal array keys',
      new Map<unknown, string>([
        [[1, 2], 'a'],
        [[1, 2], 'b'],
      ]),
      /keys \[1, 2\] and \[1, 2\] are equal/,
    ],
    ['a Set with 1 and true', new Set([1, true]), /items 1 and true are equal in Python/],
    [
      'a Set with two equal arrays',
      new Set([
        [1, 2],
        [1, 2],
      ]),
      /items \[1, 2\] and \[1, 2\] are equal/,
    ],
  ])('%s is refused before it is sent, naming the keys and where', async (_name, value, hint) => {
    const { py, exact } = await open()
    const before = sent(py, 'size')
    const err = await rejection(exact.call('size', [{ user: { data: value } }]))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.direction).toBe('to-python')
    expect(err.where).toBe('args[0].user.data')
    expect(err.hint).toMatch(hint)
    expect(sent(py, 'size')).toBe(before)
  })

  it('keys Python keeps apart all arrive', async () => {
    const { exact } = await open()
    const m = new Map<unknown, number>([
      [1, 0],
      ['1', 1],
      [1.5, 2],
      [[1, 2], 3],
      [[2, 1], 4],
      [new Uint8Array([1]), 5],
      [null, 6],
      [2n ** 70n, 7],
      [NaN, 8],
    ])
    expect(await exact.call('keys', [m])).toEqual([
      ['int', '1'],
      ['str', "'1'"],
      ['float', '1.5'],
      ['tuple', '(1, 2)'],
      ['tuple', '(2, 1)'],
      ['bytes', "b'\\x01'"],
      ['NoneType', 'None'],
      ['int', String(2n ** 70n)],
      ['float', 'nan'],
    ])
    expect(await exact.call('size', [new Set([1, '1', [1], [true, 2], 0.5])])).toBe(5)
  })

  it("Python's decoder refuses them too (for a sender without the JS checks), naming the keys and where", async () => {
    const { exact } = await open()
    const cases: [unknown, string, RegExp][] = [
      [
        [
          'c',
          'k',
          'f',
          [
            {
              $t: 'map',
              v: [
                [1, 'a'],
                [true, 'b'],
              ],
            },
          ],
          null,
        ],
        'args[0]',
        /keys 1 and True are equal in Python/,
      ],
      [
        [
          'c',
          'k',
          'f',
          [
            0,
            {
              u: {
                $t: 'set',
                v: [
                  [1, 2],
                  [1, 2],
                ],
              },
            },
          ],
          null,
        ],
        'args[1].u',
        /items \(1, 2\) and \(1, 2\) are equal/,
      ],
      [
        [
          'm',
          'k',
          'f',
          [
            [1],
            [
              {
                $t: 'map',
                v: [
                  [
                    'x',
                    {
                      $t: 'map',
                      v: [
                        [1, 'a'],
                        [1.0, 'b'],
                      ],
                    },
                  ],
                ],
              },
            ],
          ],
          null,
          0,
        ],
        'items[1][0]<Map value #0>',
        /are equal/,
      ],
      [
        [
          'c',
          'k',
          'f',
          [],
          {
            opts: {
              $t: 'obj',
              v: [
                ['$t', 1],
                ['a b', { $t: 'set', v: [1, { $t: 'int', v: '1' }] }],
              ],
            },
          },
        ],
        'kwargs.opts["a b"]',
        /are equal/,
      ],
    ]
    for (const [request, where, hint] of cases) {
      const text = await exact.call<string>('raw', [request])
      const info = await exact.call<{ where: string; hint: string; direction: string }>('decode_info', [text])
      expect(info).toMatchObject({ where, direction: 'to-python' })
      expect(info.hint).toMatch(hint)
    }
  })
})

describe('JS to Python: what JSON.stringify would lose or misreport', () => {
  it('an enumerable symbol key is refused, naming it', async () => {
    const { py, agent } = await open()
    const before = sent(py, 'echo')
    const err = await rejection(agent.call('echo', [{ a: 1, [Symbol('id')]: 2 }]))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.where).toBe('args[0][Symbol(id)]')
    expect(err.message).toContain('Symbol(id)')
    expect(sent(py, 'echo')).toBe(before)
  })

  it('a side-effecting getter is read exactly once per call', async () => {
    const { agent } = await open()
    let reads = 0
    const v = {
      get n() {
        return ++reads
      },
    }
    expect(await agent.call('echo', [[v, { deep: v }, 2n ** 70n]])).toEqual([{ n: 1 }, { deep: { n: 2 } }, 2n ** 70n])
    expect(reads).toBe(2) // once for each of its two places
  })

  it.each([new RangeError('boom'), new TypeError('boom'), new Error('boom')])(
    'a getter that throws %s: PythonValueError with the path and the cause',
    async (thrown) => {
      const { agent } = await open()
      const user = {
        get name(): string {
          throw thrown
        },
      }
      const err = await rejection(agent.call('echo', [1, 2, { user }]))
      expect(err).toBeInstanceOf(PythonValueError)
      expect(err.where).toBe('args[2].user.name')
      expect(err.cause).toBe(thrown)
      expect(err.message).not.toMatch(/nested/)
      expect(await agent.call('add', [1, 1])).toBe(2)
    },
  )

  it('a revoked Proxy: PythonValueError with the path', async () => {
    const { agent } = await open()
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const err = await rejection(agent.call('echo', [{ list: [0, proxy] }]))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.valueType).toBe('revoked Proxy')
    expect(err.where).toBe('args[0].list[1]')
  })

  it('a sparse array of length 1e9 is too large to send (not nested too deeply)', async () => {
    const { agent } = await open()
    const a: number[] = []
    a[1e9 - 1] = 1
    const err = await rejection(agent.call('echo', [a]))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.message).toMatch(/^the arguments are too large to send/)
    expect(err.where).toBe('args[0]')
  })

  it('deep nesting is still nested too deeply; a cycle is circular, with where it closes', async () => {
    const { agent } = await open()
    let deep: unknown = 0
    for (let i = 0; i < 5000; i++) deep = [deep]
    expect((await rejection(agent.call('echo', [deep]))).message).toMatch(/nested too deeply/)
    const loop: Record<string, unknown> = { a: [] }
    ;(loop['a'] as unknown[]).push(loop)
    const err = await rejection(agent.call('echo', [loop]))
    expect(err.message).toMatch(/circular/)
    expect(err.where).toBe('args[0].a[0]')
  })

  it('errors name kwargs and map items as the caller wrote them', async () => {
    const { agent } = await open()
    expect((await rejection(agent.call('greet', ['x'], { kwargs: { greeting: new Date(0) } }))).where).toBe('kwargs.greeting')
    const err = await rejection(agent.map('echo', [[1], [{ a: () => 1 }]]))
    expect(err.where).toBe('items[1][0].a')
    expect(err.index).toBe(1)
  })
})

describe('Python to JS: keys and items JS would merge', () => {
  it('two NaN keys (distinct in Python, one key in a JS Map) are refused, naming where', async () => {
    const { exact } = await open()
    const err = await rejection(exact.call('nan_keys'))
    expect(err).toBeInstanceOf(PythonValueError)
    expect(err.direction).toBe('to-js')
    expect(err.where).toBe("['outer'][0]")
    expect(err.hint).toMatch(/2 NaN keys/)
    const set = await rejection(exact.call('nan_items'))
    expect(set.where).toBe('[1]')
    expect(set.hint).toMatch(/2 NaN items/)
  })

  it('distinct Python keys all arrive as distinct Map keys', async () => {
    const { exact } = await open()
    const m = await exact.call<Map<unknown, string>>('distinct_keys')
    expect(m.size).toBe(9)
    expect([...m.values()]).toEqual(['int', 'str', 'float', 'tuple', 'tuple2', 'bytes', 'none', 'big', 'frozenset'])
    expect(m.get(1)).toBe('int')
    expect(m.get('1')).toBe('str')
    expect(m.get(2n ** 70n)).toBe('big')
    const one = await exact.call<Map<unknown, number>>('one_nan_key')
    expect(one.get(NaN)).toBe(1)
  })
})
