/**
 * The value codec of the bridge, JS side (twin of python/pyport/bridge/codec.py). Values cross as JSON; what
 * JSON cannot say exactly travels as a tagged object `{"$t": kind, "v": payload}`:
 *
 * | JS                                   | tag     | Python                       |
 * |--------------------------------------|---------|------------------------------|
 * | bigint (any size)                    | "int"   | int (hex digits, sign first) |
 * | NaN, ±Infinity, -0                   | "float" | float                        |
 * | integer number beyond ±(2^53−1)      | "float" | float (it is one in JS)      |
 * | Uint8Array (and Buffer)              | "bytes" | bytes (base64)               |
 * | Set                                  | "set"   | set                          |
 * | Map                                  | "map"   | dict                         |
 * | plain object with an own "$t" key    | "obj"   | dict (escaped, not a tag)    |
 *
 * Refused with PythonValueError (direction 'to-python', `where` a path such as `args[0].user.name`): a value with
 * no Python counterpart (function, symbol, Date, class instance...), an enumerable symbol key (JSON would drop
 * it), Map keys or Set items that Python finds equal (1, 1.0, 1n, true; equal arrays, which become tuples) or
 * cannot hash, a cycle, nesting past MAX_DEPTH, a property whose getter or Proxy handler throws (what it threw
 * is the error's `cause`), and a message longer than V8's longest string. Coming back, a dict or set whose keys
 * JS would merge (two NaNs) is refused too.
 *
 * A message is one flag character ("T" if the JSON holds a tag, "P" if not, so plain messages skip the
 * tag walk) followed by the JSON text. `encodeWireValue`/`decodeWireValue` are the same codec as a standalone,
 * lossless JSON encoding of JS values (e.g. for JSONL records).
 */
import { constants as bufferConstants } from 'node:buffer'
import { types } from 'node:util'
import { PythonValueError } from './errors.js'
import { handleState } from './handle-brand.js'
import type { HandleState } from './handles.js'

const TAG = '$t'

/** The longest string V8 can make: no message (JSON text) can be longer. */
const MAX_TEXT = bufferConstants.MAX_STRING_LENGTH

/**
 * Levels of JSON nesting the encoder accepts (a Map costs 3: tag, pairs, pair). Well under what JSON.stringify
 * itself can nest (3000-5000 from a shallow stack), and over the 1000 levels the Python side takes.
 */
const MAX_DEPTH = 2000

/** A tag object: its own class, so the encoder never mistakes it for a user object. */
class Tag {
  constructor(
    readonly $t: string,
    readonly v: unknown,
  ) {}
}

/** What the bridge says of a PythonObject found in a request: the id to send, or why it cannot be sent. */
export type HandleHook = (handle: HandleState) => number | string
/** What makes a handle of a Python object named in a reply (`[id, qualified type, 'obj' | 'iter']`). */
export type HandleFactory = (id: number, type: string, kind: 'obj' | 'iter') => unknown

/*
 * Encoding is one recursive walk that copies the value into a JSON-safe tree (reading every property exactly
 * once, so getters run once and a Proxy is asked once), then one plain JSON.stringify of that tree. The walk
 * keeps no path while it runs: a failure is a Fault, and each level it unwinds through adds its own step, so
 * the error can name where the value sits (e.g. `args[0].user.name`) at no cost to calls that succeed.
 */

/** 'value': no Python counterpart (or could not be read); 'deep': nested past MAX_DEPTH; 'large': too big to send. */
type FaultKind = 'value' | 'deep' | 'large'

class Fault {
  /** Path steps, innermost first (each level pushes its own as the fault unwinds). */
  readonly steps: string[] = []
  /** For 'deep': the containers on the path, innermost first (to tell a cycle from deep nesting). */
  readonly holders: object[] = []

  constructor(
    readonly kind: FaultKind,
    readonly valueType: string,
    readonly hint: string,
    readonly cause?: unknown,
  ) {}
}

function fail(valueType: string, hint: string): never {
  throw new Fault('value', valueType, hint)
}

/** Adds the step to a fault unwinding through `holder`; anything else (a stack overflow) passes as it is. */
function at(e: unknown, step: string, holder: object): unknown {
  if (e instanceof Fault) {
    e.steps.push(step)
    if (e.kind === 'deep') e.holders.push(holder)
  }
  return e
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function keyStep(key: string): string {
  return IDENTIFIER.test(key) ? '.' + key : '[' + JSON.stringify(key) + ']'
}

/** A short rendering of a (key) value for messages. */
function show(v: unknown, room = 40): string {
  let s: string
  switch (typeof v) {
    case 'string':
      s = JSON.stringify(v)
      break
    case 'bigint':
      s = `${v}n`
      break
    case 'symbol':
      s = v.toString()
      break
    case 'object':
      if (v === null) s = 'null'
      else if (Array.isArray(v)) s = '[' + v.slice(0, 8).map((x) => show(x, 20)).join(', ') + (v.length > 8 ? ', …' : '') + ']'
      else if (v instanceof Uint8Array) s = `${v.constructor.name}(${v.length})`
      else s = describe(v)
      break
    case 'function':
      s = 'function'
      break
    default:
      s = String(v)
  }
  return s.length > room ? s.slice(0, room - 1) + '…' : s
}

function describe(v: object): string {
  if (types.isProxy(v)) return 'Proxy'
  try {
    const ctor = (v as { constructor?: { name?: string } }).constructor
    return ctor?.name ? `${ctor.name} instance` : 'object'
  } catch {
    return 'object'
  }
}

/** What a JS value is, in a word or two (for a key Python cannot hash). */
function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (v instanceof Map) return 'Map'
  if (v instanceof Set) return 'Set'
  if (typeof v !== 'object' || v === null) return typeof v
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null ? 'object' : describe(v)
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 300)
  try {
    return `${typeof e} ${String(e)}`.slice(0, 300)
  } catch {
    return typeof e
  }
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message)
}

/** Reading `holder[key]` threw: a getter, or a Proxy's handler. */
function readFault(holder: object, key: string | number, e: unknown): Fault {
  if (types.isProxy(holder)) return proxyFault(e)
  let getter = false
  try {
    getter = typeof Object.getOwnPropertyDescriptor(holder, key)?.get === 'function'
  } catch {
    // leave it a property
  }
  return new Fault('value', getter ? 'getter' : 'property', `reading it threw ${errorText(e)}; fix the getter, or pass the value it should give as plain data`, e)
}

function proxyFault(e: unknown): Fault {
  if (e instanceof TypeError && /revoked/i.test(e.message)) {
    return new Fault('value', 'revoked Proxy', 'it was revoked, so nothing can be read from it; pass the data itself', e)
  }
  return new Fault('value', 'Proxy', `its handler threw ${errorText(e)}; pass the data itself (e.g. a plain copy made before the call)`, e)
}

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
            return p === 'nan' ? 'nNaN' : p === 'inf' ? 'nInf' : p === '-inf' ? 'n-Inf' : p === '-0' ? 'n0' : 'n' + BigInt(Number(p)).toString()
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
        const id = this.handles ? this.handles(handle) : 'a handle stands for an object inside one interpreter; pass it to a call of its bridge'
        if (typeof id === 'string') throw new Fault('value', `PythonObject (${handle.type})`, id)
        return this.tag('ref', id)
      }
      if (Array.isArray(v)) return this.array(v as unknown[], depth)
      const proto = Object.getPrototypeOf(v) as unknown
      if (proto === Object.prototype || proto === null) return this.plain(v as Record<string, unknown>, depth)
      if (v instanceof Uint8Array) {
        if (Math.ceil(v.byteLength / 3) * 4 > MAX_TEXT) {
          throw new Fault('large', describe(v), `it holds ${v.byteLength} bytes, over ${MAX_TEXT} characters as base64; send it in parts, or pass a file path`)
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
    if (n * 2 - 1 > MAX_TEXT) throw new Fault('large', 'array', `its length is ${n}, at least ${n * 2 - 1} characters as JSON; send it in parts`)
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
          const f = new Fault('value', 'symbol key', `Python has no symbol keys (${s.toString()}); use a string key, or leave it out of the value you pass`)
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

/** What a failure says: "cannot send the arguments" for a call, "cannot encode the value" for encodeWireValue. */
interface Context {
  cannot: string
  tooLarge: string
}

const ARGUMENTS: Context = { cannot: 'cannot send the arguments', tooLarge: 'the arguments are too large to send' }
const VALUE: Context = { cannot: 'cannot encode the value', tooLarge: 'the value is too large to encode' }

function deepError(where: string, context: Context): PythonValueError {
  return new PythonValueError('to-python', 'value', where, `it is nested too deeply (more than ${MAX_DEPTH} levels); flatten it`, context.cannot)
}

/** The typed error for a fault that reached the root `root` (e.g. "args"). */
function toError(e: unknown, root: string, context: Context, index?: number): unknown {
  if (isStackOverflow(e)) return deepError(root, context)
  if (!(e instanceof Fault)) return e
  const steps = e.steps.reverse()
  const where = root + steps.join('')
  if (e.kind === 'deep') {
    // A cycle never ends, so it always lands here: find the first container met twice on the path.
    const holders = e.holders.reverse()
    const first = new Map<object, number>()
    for (let j = 0; j < holders.length; j++) {
      const i = first.get(holders[j]!)
      if (i !== undefined) {
        return new PythonValueError(
          'to-python',
          'circular structure',
          root + steps.slice(0, j).join(''),
          `it is the object at ${root + steps.slice(0, i).join('')} again (an object that contains itself); send a tree (copy the shared parts)`,
          context.cannot,
          index,
        )
      }
      first.set(holders[j]!, j)
    }
    const shown = steps.length > 12 ? `${root}${steps.slice(0, 8).join('')}… (${steps.length} levels down)` : where
    return deepError(shown, context)
  }
  const cause = e.cause === undefined ? undefined : { cause: e.cause }
  return new PythonValueError('to-python', e.valueType, where, e.hint, e.kind === 'large' ? `${context.tooLarge} (over ${MAX_TEXT} characters as JSON)` : context.cannot, index, cause)
}

/** One root of the value (a call's args, its kwargs...) → JSON-safe tree. */
function encRoot(encoder: Encoder, v: unknown, root: string, context: Context, index?: (steps: string[]) => number | undefined): unknown {
  try {
    return encoder.value(v, 1)
  } catch (e) {
    throw toError(e, root, context, index && e instanceof Fault ? index(e.steps.slice().reverse()) : undefined)
  }
}

/** Characters `s` takes as JSON text (quotes and escapes included). */
function jsonLength(s: string): number {
  let n = s.length + 2
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 1 : 5
    else if (c === 0x22 || c === 0x5c) n += 1
    else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++
      else n += 5 // a lone surrogate is written as \\udxxx
    }
  }
  return n
}

/** JSON.stringify could not make the text: it is too long (the tree has no getters and bounded depth). */
function tooLargeError(roots: [unknown, string][], context: Context): PythonValueError {
  let best: { s: string; where: string } | undefined
  const stack: [unknown, string][] = roots.slice().reverse()
  while (stack.length > 0) {
    const [t, where] = stack.pop()!
    if (typeof t === 'string') {
      if (!best || t.length > best.s.length) best = { s: t, where }
    } else if (t instanceof Tag) {
      stack.push([t.v, where + `<${t.$t}>`])
    } else if (Array.isArray(t)) {
      for (let i = t.length - 1; i >= 0; i--) stack.push([t[i], `${where}[${i}]`])
    } else if (typeof t === 'object' && t !== null) {
      for (const k of Object.keys(t).reverse()) stack.push([(t as Record<string, unknown>)[k], where + keyStep(k)])
    }
  }
  const head = `${context.tooLarge} (over ${MAX_TEXT} characters as JSON)`
  if (!best) return new PythonValueError('to-python', 'value', roots[0]?.[1] ?? '', 'send it in parts (over several calls), or pass a file path', head)
  return new PythonValueError(
    'to-python',
    'string',
    best.where,
    `it has ${best.s.length} characters, ${jsonLength(best.s)} once written as JSON; send it in parts, or write it to a file and pass the path`,
    head,
  )
}

/** JSON text of a request's tree (its parts named as requestRoot does), or the typed error for why there is none. */
function stringifyRequest(tree: unknown[]): string {
  try {
    return JSON.stringify(tree)
  } catch (e) {
    if (isStackOverflow(e)) throw deepError('args', ARGUMENTS)
    if (e instanceof RangeError) throw tooLargeError(tree.map((t, i): [unknown, string] => [t, requestRoot(tree[0], i)]), ARGUMENTS)
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
  if (op === 'c' && Array.isArray(args) && body.length === 6 && (body[4] === null || body[4] === undefined) && typeof body[1] === 'string' && typeof body[2] === 'string') {
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

function fromHex(s: string): bigint {
  return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s)
}

const FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }

/** Two values Python keeps apart that JS would merge (the Python side already refuses the known case, NaNs). */
function merged(pythonType: string, items: string, v: unknown): PythonValueError {
  return new PythonValueError('to-js', pythonType, '', `two of its ${items} are distinct in Python but the same in JS (${show(v)}); make them distinct`, 'cannot read the result')
}

function untag(kind: string, v: unknown, handles: HandleFactory | undefined): unknown {
  switch (kind) {
    case 'int':
      return fromHex(v as string)
    case 'float':
      return FLOATS[v as string] ?? Number(v)
    case 'bytes':
      return new Uint8Array(Buffer.from(v as string, 'base64'))
    case 'set': {
      const items = v as unknown[]
      const out = new Set<unknown>()
      for (const x of items) {
        const item = revive(x, handles)
        if (out.has(item)) throw merged('set', 'items', item)
        out.add(item)
      }
      return out
    }
    case 'map': {
      const out = new Map<unknown, unknown>()
      for (const [k, x] of v as [unknown, unknown][]) {
        const key = revive(k, handles)
        if (out.has(key)) throw merged('dict', 'keys', key)
        out.set(key, revive(x, handles))
      }
      return out
    }
    case 'obj': {
      const out: Record<string, unknown> = {}
      for (const [k, x] of v as [string, unknown][]) Object.defineProperty(out, k, { value: revive(x, handles), enumerable: true, writable: true, configurable: true })
      return out
    }
    case 'ref': {
      const [id, type, kind] = v as [number, string, 'obj' | 'iter']
      if (!handles) throw new PythonValueError('to-js', type, '', 'a Python object can only arrive as the result of a bridge call', 'cannot read the value')
      return handles(id, type, kind)
    }
    default:
      throw new PythonValueError('to-js', `tag ${kind}`, '', 'upgrade pyport on both sides', 'cannot read the result')
  }
}

/** Replaces tag objects in place (JSON.parse made fresh containers, so mutating them is safe). */
function revive(v: unknown, handles: HandleFactory | undefined): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i]
      if (typeof x === 'object' && x !== null) v[i] = revive(x, handles)
    }
    return v
  }
  const o = v as Record<string, unknown>
  const kind = o[TAG]
  if (typeof kind === 'string' && Object.hasOwn(o, 'v')) return untag(kind, o['v'], handles)
  for (const k of Object.keys(o)) {
    const x = o[k]
    if (typeof x === 'object' && x !== null) o[k] = revive(x, handles)
  }
  return o
}

/** A message already parsed (a shim reply, a port's arguments): its flag and JSON; only tagged bodies need a walk. */
export function decodeEmbedded(flag: string, body: unknown, handles?: HandleFactory): unknown {
  return flag === 'T' ? revive(body, handles) : body
}

/** Message text → JS value. */
export function decodeMessage(text: string, handles?: HandleFactory): unknown {
  const parsed: unknown = JSON.parse(text.slice(1))
  return text.charCodeAt(0) === 84 /* T */ ? revive(parsed, handles) : parsed
}

/** A lossless JSON encoding of a JS value under the bridge's mapping (bigint, NaN, -0, Map, Set, bytes...). */
export function encodeWireValue(value: unknown): string {
  return encodeMessage(value)
}

/** The inverse of encodeWireValue. */
export function decodeWireValue(text: string): unknown {
  return decodeMessage(text)
}
