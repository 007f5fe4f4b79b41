/** JS values → message text: the Encoder walk, and the request and value entry points. */
// A Fault is the encoder's own unwinding signal, not an Error (no stack to capture): it gathers its path on the way
// up and becomes a PythonValueError at the root.
/* eslint-disable @typescript-eslint/only-throw-error -- a Fault is thrown on purpose (above) */
import { types } from 'node:util'
import { handleState } from './handle-brand.js'
import {
  at,
  ARGUMENTS,
  deepError,
  Fault,
  fail,
  isStackOverflow,
  keyStep,
  kindOf,
  proxyFault,
  readFault,
  toError,
  tooLargeError,
  VALUE,
  errorText,
  type Context,
} from './wire-faults.js'
import { describe, fromHex, MAX_DEPTH, MAX_TEXT, show, Tag, TAG, type HandleHook } from './wire-format.js'

/*
 * Encoding is one recursive walk that copies the value into a JSON-safe tree (reading every property exactly
 * once, so getters run once and a Proxy is asked once), then one plain JSON.stringify of that tree. The walk
 * keeps no path while it runs: a failure is a Fault, and each level it unwinds through adds its own step, so
 * the error can name where the value sits (e.g. `args[0].user.name`) at no cost to calls that succeed.
 */

/**
 * What a Python dict key or set item made from this (encoded) value equals, as a string: equal strings for
 * values Python finds equal (1 == 1.0 == True, 1n == 1, [1, 2] == [1, 2] as tuples, every NaN, which Python
 * receives as the one math.nan object); undefined for values Python cannot hash (dict, set, list of those).
 */
function pyKey(t: unknown): string | undefined {
  switch (typeof t) {
    case 'string':
      return 's' + t
    case 'number':
      return 'n' + String(t) // safe integers and non-integers; the rest arrive as tags
    case 'boolean':
      return t ? 'n1' : 'n0'
    case 'object': {
      if (t === null) return 'N'
      if (t instanceof Tag) {
        const p = t.v as string
        switch (t.$t) {
          case 'int':
            return 'n' + fromHex(p).toString()
          case 'float':
            return p === 'nan'
              ? 'nNaN'
              : p === 'inf'
                ? 'nInf'
                : p === '-inf'
                  ? 'n-Inf'
                  : p === '-0'
                    ? 'n0'
                    : 'n' + BigInt(Number(p)).toString()
          case 'bytes':
            return 'y' + p
          default:
            return undefined // set, map, obj: unhashable in Python
        }
      }
      if (Array.isArray(t)) {
        const parts: string[] = []
        for (const x of t) {
          const p = pyKey(x)
          if (p === undefined) return undefined
          parts.push(p)
        }
        return 't' + JSON.stringify(parts)
      }
      return undefined // a plain object: a dict
    }
    default:
      return undefined
  }
}

const HASHABLE = 'strings, numbers, booleans, null, bigints, Uint8Arrays or arrays of those'

function collision(what: 'Map' | 'Set', a: unknown, b: unknown): Fault {
  const items = what === 'Map' ? 'keys' : 'items'
  return new Fault(
    'value',
    what,
    `its ${items} ${show(a)} and ${show(b)} are equal in Python (where 1 == 1.0 == True, 1n == 1, and arrays become ` +
      `tuples compared by value), so the Python ${what === 'Map' ? 'dict' : 'set'} would keep only one of them; make the ${items} distinct (e.g. strings)`,
  )
}

/**
 * One encode's walk: what it met (a tag, so the message is flagged "T") and the bridge's hook for handles live in
 * this object, not in the module, so an encode run meanwhile (a getter of the value encoding a value of its own)
 * neither sees nor changes them.
 */
class Encoder {
  /** Whether the tree holds a tag (the message is flagged "T", and Python walks it). */
  tagged = false

  constructor(readonly handles?: HandleHook) {}

  tag(kind: string, v: unknown): Tag {
    this.tagged = true
    return new Tag(kind, v)
  }

  number(v: number): unknown {
    if (Number.isSafeInteger(v)) return v === 0 && 1 / v < 0 ? this.tag('float', '-0') : v
    if (Number.isFinite(v)) return Number.isInteger(v) ? this.tag('float', String(v)) : v
    return this.tag('float', v !== v ? 'nan' : v > 0 ? 'inf' : '-inf')
  }

  /** A value that is not an object (null included). */
  scalar(v: unknown): unknown {
    switch (typeof v) {
      case 'number':
        return this.number(v)
      case 'undefined':
        return null
      case 'bigint':
        return this.tag('int', v < 0n ? '-' + (-v).toString(16) : v.toString(16))
      case 'function':
        return fail('function', 'Python cannot call back into JS: pass data, and do the JS part before or after the call')
      case 'symbol':
        return fail('symbol', 'pass a string instead')
      default:
        return v // string, boolean, null
    }
  }

  value(v: unknown, depth: number): unknown {
    return typeof v === 'object' && v !== null ? this.object(v, depth) : this.scalar(v)
  }

  object(v: object, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Fault('deep', 'value', '')
    try {
      const handle = handleState(v)
      if (handle) {
        const id = this.handles
          ? this.handles(handle)
          : 'a handle stands for an object inside one interpreter; pass it to a call of its bridge'
        if (typeof id === 'string') throw new Fault('value', `PythonObject (${handle.type})`, id)
        return this.tag('ref', id)
      }
      if (Array.isArray(v)) return this.array(v as unknown[], depth)
      const proto = Object.getPrototypeOf(v) as unknown
      if (proto === Object.prototype || proto === null) return this.plain(v as Record<string, unknown>, depth)
      if (v instanceof Uint8Array) {
        if (Math.ceil(v.byteLength / 3) * 4 > MAX_TEXT) {
          throw new Fault(
            'large',
            describe(v),
            `it holds ${v.byteLength} bytes, over ${MAX_TEXT} characters as base64; send it in parts, or pass a file path`,
          )
        }
        return this.tag('bytes', Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'))
      }
      if (v instanceof Map) return this.map(v, depth)
      if (v instanceof Set) return this.set(v, depth)
      if (typeof (v as { then?: unknown }).then === 'function') fail('Promise', 'await it before passing the result')
      if (ArrayBuffer.isView(v)) fail(describe(v), 'pass a Uint8Array (bytes) or Array.from(view) (list)')
      if (v instanceof ArrayBuffer) fail('ArrayBuffer', 'wrap it: new Uint8Array(buffer)')
      return fail(describe(v), 'pass a plain object (e.g. { ...value }), an array, a Map, a Set or a Uint8Array')
    } catch (e) {
      // Faults from below, and a stack overflow, pass; anything else failed on `v` itself (a revoked Proxy, a Map
      // subclass whose iterator throws...).
      if (e instanceof Fault || isStackOverflow(e)) throw e
      if (types.isProxy(v)) throw proxyFault(e)
      throw new Fault('value', describe(v), `inspecting it threw ${errorText(e)}; pass plain data`, e)
    }
  }

  array(v: unknown[], depth: number): unknown[] {
    const n = v.length
    if (n * 2 - 1 > MAX_TEXT)
      throw new Fault('large', 'array', `its length is ${n}, at least ${n * 2 - 1} characters as JSON; send it in parts`)
    const out = new Array<unknown>(n)
    let i = 0
    let reading = false
    try {
      for (; i < n; i++) {
        reading = true
        const x = v[i]
        reading = false
        out[i] = typeof x === 'object' && x !== null ? this.object(x, depth + 1) : this.scalar(x)
      }
    } catch (e) {
      throw at(reading ? readFault(v, i, e) : e, `[${i}]`, v)
    }
    return out
  }

  plain(v: Record<string, unknown>, depth: number): unknown {
    const keys = Object.keys(v)
    const symbols = Object.getOwnPropertySymbols(v)
    if (symbols.length > 0) {
      for (const s of symbols) {
        if (Object.prototype.propertyIsEnumerable.call(v, s)) {
          const f = new Fault(
            'value',
            'symbol key',
            `Python has no symbol keys (${s.toString()}); use a string key, or leave it out of the value you pass`,
          )
          f.steps.push(`[${s.toString()}]`)
          throw f
        }
      }
    }
    if (Object.hasOwn(v, TAG)) return this.escaped(v, keys, depth)
    const out: Record<string, unknown> = {}
    let k = ''
    let reading = false
    try {
      for (let i = 0; i < keys.length; i++) {
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < keys.length (an indexed loop: this is the encoder's hot path)
        k = keys[i]!
        reading = true
        const x = v[k]
        reading = false
        const y = typeof x === 'object' && x !== null ? this.object(x, depth + 1) : this.scalar(x)
        if (k === '__proto__') Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true })
        else out[k] = y
      }
    } catch (e) {
      throw at(reading ? readFault(v, k, e) : e, keyStep(k), v)
    }
    return out
  }

  /** A plain object with an own "$t" key: sent as pairs, so Python never reads it as a tag. */
  escaped(v: Record<string, unknown>, keys: string[], depth: number): Tag {
    const pairs: unknown[] = []
    let k = ''
    let reading = false
    try {
      for (k of keys) {
        reading = true
        const x = v[k]
        reading = false
        pairs.push([k, this.value(x, depth + 3)])
      }
    } catch (e) {
      throw at(reading ? readFault(v, k, e) : e, keyStep(k), v)
    }
    return this.tag('obj', pairs)
  }

  map(v: Map<unknown, unknown>, depth: number): Tag {
    const pairs: unknown[] = []
    let seen: Map<string, unknown> | undefined
    let clash: [unknown, unknown] | undefined
    let i = 0
    let key: unknown
    let onKey = true
    try {
      for (const [k, x] of v) {
        key = k
        onKey = true
        const ek = this.value(k, depth + 3)
        if (typeof ek !== 'string') {
          // distinct strings stay distinct, and no other key equals a string in Python: only the rest can collide
          const h = pyKey(ek)
          if (h === undefined) fail(kindOf(k), `a Map becomes a Python dict, whose keys must be hashable: use ${HASHABLE} as keys`)
          seen ??= new Map()
          if (seen.has(h)) {
            clash = [seen.get(h), k]
            break
          }
          seen.set(h, k)
        }
        onKey = false
        pairs.push([ek, this.value(x, depth + 3)])
        i++
      }
    } catch (e) {
      const step = onKey ? `<Map key #${i}>` : typeof key === 'object' && key !== null ? `<Map value #${i}>` : `.get(${show(key)})`
      throw at(e, step, v)
    }
    if (clash) throw collision('Map', clash[0], clash[1])
    return this.tag('map', pairs)
  }

  set(v: Set<unknown>, depth: number): Tag {
    const items: unknown[] = []
    let seen: Map<string, unknown> | undefined
    let clash: [unknown, unknown] | undefined
    let i = 0
    try {
      for (const x of v) {
        const ex = this.value(x, depth + 2)
        if (typeof ex !== 'string') {
          const h = pyKey(ex)
          if (h === undefined) fail(kindOf(x), `a Set becomes a Python set, which holds only hashable values: ${HASHABLE}`)
          seen ??= new Map()
          if (seen.has(h)) {
            clash = [seen.get(h), x]
            break
          }
          seen.set(h, x)
        }
        items.push(ex)
        i++
      }
    } catch (e) {
      throw at(e, `<Set item #${i}>`, v)
    }
    if (clash) throw collision('Set', clash[0], clash[1])
    return this.tag('set', items)
  }
}

/** One root of the value (a call's args, its kwargs...) → JSON-safe tree. */
function encRoot(encoder: Encoder, v: unknown, root: string, context: Context, index?: (steps: string[]) => number | undefined): unknown {
  try {
    return encoder.value(v, 1)
  } catch (e) {
    throw toError(e, root, context, index && e instanceof Fault ? index(e.steps.slice().reverse()) : undefined)
  }
}

/** JSON text of a request's tree (its parts named as requestRoot does), or the typed error for why there is none. */
function stringifyRequest(tree: unknown[]): string {
  try {
    return JSON.stringify(tree)
  } catch (e) {
    if (isStackOverflow(e)) throw deepError('args', ARGUMENTS)
    if (e instanceof RangeError)
      throw tooLargeError(
        tree.map((t, i): [unknown, string] => [t, requestRoot(tree[0], i)]),
        ARGUMENTS,
      )
    throw e
  }
}

function stringifyValue(tree: unknown): string {
  try {
    return JSON.stringify(tree)
  } catch (e) {
    if (isStackOverflow(e)) throw deepError('value', VALUE)
    if (e instanceof RangeError) throw tooLargeError([[tree, 'value']], VALUE)
    throw e
  }
}

/** True for values JSON.stringify writes exactly as Python should read them (the common tiny argument). */
function isPlainScalar(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isSafeInteger(v) ? !Object.is(v, -0) : Number.isFinite(v) && !Number.isInteger(v)
    default:
      return v === null
  }
}

/** Names the parts of a request in error locations: `args[0].user`, `kwargs.limit`, `items[2][0]` (map). */
function requestRoot(op: unknown, i: number): string {
  if (i === 3) return op === 'm' ? 'items' : 'args'
  if (i === 4) return 'kwargs'
  return `request[${i}]`
}

const mapItemIndex = (steps: string[]): number | undefined => {
  const m = /^\[(\d+)\]$/.exec(steps[0] ?? '')
  return m ? Number(m[1]) : undefined
}

/**
 * The shim's request `[op, moduleKey, fn, args, kwargs, ...rest]` → message text. Arguments that are all plain
 * scalars skip the walk (most of the encoding cost of a tiny call). Errors name where in the arguments the
 * value sits: `args[1].user.name`, `kwargs.when`, `items[2][0]` (a map's item 2, argument 0).
 */
export function encodeRequest(body: unknown[], handles?: HandleHook): string {
  const op = body[0]
  let args = body[3]
  if (
    op === 'c' &&
    Array.isArray(args) &&
    body.length === 6 &&
    (body[4] === null || body[4] === undefined) &&
    typeof body[1] === 'string' &&
    typeof body[2] === 'string'
  ) {
    const n = args.length
    if (n <= 16) {
      // read each argument once: the copy is what gets encoded, whichever way
      const copy: unknown[] = []
      let plain = true
      let i = 0
      try {
        for (; i < n; i++) {
          const x: unknown = args[i]
          copy.push(x)
          if (plain && !isPlainScalar(x)) plain = false
        }
      } catch (e) {
        throw toError(at(readFault(args, i, e), `[${i}]`, args), 'args', ARGUMENTS)
      }
      if (plain) return 'P' + stringifyRequest([op, body[1], body[2], copy, null, body[5]])
      args = copy
    }
  }
  const encoder = new Encoder(handles)
  const tree = new Array<unknown>(body.length)
  for (let i = 0; i < body.length; i++) {
    tree[i] = encRoot(encoder, i === 3 ? args : body[i], requestRoot(op, i), ARGUMENTS, op === 'm' && i === 3 ? mapItemIndex : undefined)
  }
  const text = stringifyRequest(tree)
  return (encoder.tagged ? 'T' : 'P') + text
}

/** JS value → message text ("T"/"P" + JSON). Rejects, with PythonValueError, what has no Python counterpart. */
export function encodeMessage(value: unknown): string {
  const encoder = new Encoder()
  const tree = encRoot(encoder, value, 'value', VALUE)
  const text = stringifyValue(tree)
  return (encoder.tagged ? 'T' : 'P') + text
}
