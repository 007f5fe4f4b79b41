/**
 * The value codec of the bridge, JS side (twin of python/pyport/bridge_codec.py). Values cross as JSON; what
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
 * A message is one flag character ("T" if the JSON holds a tag, "P" if not, so plain messages skip the
 * tag walk) followed by the JSON text. `encodeValue`/`decodeValue` are the same codec as a standalone,
 * lossless JSON encoding of JS values (e.g. for JSONL records).
 */
import { PythonValueError } from './errors.js'

const TAG = '$t'

/** A tag object: its own class, so the replacer never mistakes it for a user object. */
class Tag {
  constructor(
    readonly $t: string,
    readonly v: unknown,
  ) {}
}

let tagged = false

function tag(kind: string, v: unknown): Tag {
  tagged = true
  return new Tag(kind, v)
}

function cannotSend(type: string, key: string, hint: string): never {
  throw new PythonValueError('to-python', type, key === '' ? '' : `key "${key}"`, hint, 'cannot send the arguments')
}

function describe(v: object): string {
  const ctor = (v as { constructor?: { name?: string } }).constructor
  return ctor?.name ? `${ctor.name} instance` : 'object'
}

function replaceObject(key: string, v: object): unknown {
  if (Array.isArray(v)) return v
  const proto = Object.getPrototypeOf(v) as unknown
  if (proto === Object.prototype || proto === null) {
    return Object.hasOwn(v, TAG) ? tag('obj', Object.entries(v)) : v
  }
  if (v instanceof Tag) return v
  if (v instanceof Uint8Array) return tag('bytes', Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'))
  if (v instanceof Map) return tag('map', [...v])
  if (v instanceof Set) return tag('set', [...v])
  if (typeof (v as { then?: unknown }).then === 'function') cannotSend('Promise', key, 'await it before passing the result')
  if (ArrayBuffer.isView(v)) cannotSend(describe(v), key, 'pass a Uint8Array (bytes) or Array.from(view) (list)')
  if (v instanceof ArrayBuffer) cannotSend('ArrayBuffer', key, 'wrap it: new Uint8Array(buffer)')
  return cannotSend(describe(v), key, 'pass a plain object (e.g. { ...value }), an array, a Map, a Set or a Uint8Array')
}

/** JSON.stringify replacer; `this` is the holder, so values a toJSON() changed (Date...) are caught too. */
function replacer(this: unknown, key: string, v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean': {
      const raw = (this as Record<string, unknown>)[key]
      if (typeof raw === 'object' && raw !== null) return replaceObject(key, raw)
      return v
    }
    case 'number': {
      const raw = (this as Record<string, unknown>)[key] // an object whose toJSON() returned a number
      if (typeof raw === 'object' && raw !== null) return replaceObject(key, raw)
      if (Number.isFinite(v)) {
        if (Number.isSafeInteger(v)) return Object.is(v, -0) ? tag('float', '-0') : v
        return Number.isInteger(v) ? tag('float', String(v)) : v
      }
      return tag('float', Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf')
    }
    case 'bigint': {
      const raw = (this as Record<string, unknown>)[key]
      if (typeof raw === 'object' && raw !== null) return replaceObject(key, raw)
      return tag('int', v < 0n ? '-' + (-v).toString(16) : v.toString(16))
    }
    case 'undefined':
      return null
    case 'object': {
      if (v === null) return null
      const raw = (this as Record<string, unknown>)[key] // differs from v when a toJSON() ran (Buffer, Date...)
      return replaceObject(key, raw !== v && typeof raw === 'object' && raw !== null ? raw : v)
    }
    case 'function':
      return cannotSend('function', key, 'Python cannot call back into JS: pass data, and do the JS part before or after the call')
    default:
      return cannotSend(typeof v, key, 'pass a string instead')
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

/**
 * The shim's call request `[op, moduleKey, fn, args, kwargs, ...rest]`. Arguments that are all plain scalars
 * skip the replacer (a third of the encoding cost of a tiny call); anything else goes through encodeMessage.
 */
export function encodeRequest(body: unknown[]): string {
  const args = body[3]
  if (Array.isArray(args) && (body[4] === null || body[4] === undefined) && args.length <= 16) {
    let plain = true
    for (let i = 0; i < args.length; i++) {
      if (!isPlainScalar(args[i])) {
        plain = false
        break
      }
    }
    if (plain && typeof body[1] === 'string' && typeof body[2] === 'string') return 'P' + JSON.stringify(body)
  }
  return encodeMessage(body)
}

/** JS value → message text ("T"/"P" + JSON). Rejects, with PythonValueError, what has no Python counterpart. */
export function encodeMessage(value: unknown): string {
  tagged = false
  let body: string
  try {
    body = JSON.stringify(value, replacer)
  } catch (err) {
    if (err instanceof PythonValueError) throw err
    if (err instanceof RangeError) {
      throw new PythonValueError('to-python', 'value', '', 'it is nested too deeply; flatten it', 'cannot send the arguments')
    }
    const msg = (err as Error).message
    if (/circular/i.test(msg)) {
      throw new PythonValueError('to-python', 'circular structure', '', 'an object refers to itself; send a tree (copy the shared parts)', 'cannot send the arguments')
    }
    throw err
  }
  return (tagged ? 'T' : 'P') + body
}

function fromHex(s: string): bigint {
  return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s)
}

const FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }

function untag(kind: string, v: unknown): unknown {
  switch (kind) {
    case 'int':
      return fromHex(v as string)
    case 'float':
      return FLOATS[v as string] ?? Number(v)
    case 'bytes':
      return new Uint8Array(Buffer.from(v as string, 'base64'))
    case 'set':
      return new Set((v as unknown[]).map(revive))
    case 'map':
      return new Map((v as [unknown, unknown][]).map(([k, x]) => [revive(k), revive(x)]))
    case 'obj': {
      const out: Record<string, unknown> = {}
      for (const [k, x] of v as [string, unknown][]) Object.defineProperty(out, k, { value: revive(x), enumerable: true, writable: true, configurable: true })
      return out
    }
    default:
      throw new PythonValueError('to-js', `tag ${kind}`, '', 'upgrade pyport on both sides', 'cannot read the result')
  }
}

/** Replaces tag objects in place (JSON.parse made fresh containers, so mutating them is safe). */
function revive(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i]
      if (typeof x === 'object' && x !== null) v[i] = revive(x)
    }
    return v
  }
  const o = v as Record<string, unknown>
  const kind = o[TAG]
  if (typeof kind === 'string' && Object.hasOwn(o, 'v')) return untag(kind, o['v'])
  for (const k of Object.keys(o)) {
    const x = o[k]
    if (typeof x === 'object' && x !== null) o[k] = revive(x)
  }
  return o
}

/**
 * A reply the shim embedded as JSON in pythonia's message: `[flag, body, lineLength]` (the connection appends
 * the line length), already parsed; only tagged bodies need a walk.
 */
export function decodeEmbedded(flag: string, body: unknown): unknown {
  return flag === 'T' ? revive(body) : body
}

/** Message text → JS value. */
export function decodeMessage(text: string): unknown {
  const parsed: unknown = JSON.parse(text.slice(1))
  return text.charCodeAt(0) === 84 /* T */ ? revive(parsed) : parsed
}

/** A lossless JSON encoding of a JS value under the bridge's mapping (bigint, NaN, -0, Map, Set, bytes...). */
export function encodeValue(value: unknown): string {
  return encodeMessage(value)
}

/** The inverse of encodeValue. */
export function decodeValue(text: string): unknown {
  return decodeMessage(text)
}
