import { PyportArgumentError } from '../errors.js'
import { isPlainObject } from '../util/plain-object.js'
import { RecordEncodeError } from './errors.js'

/**
 * Lossless JSON for recorded values. Plain JSON drops or mangles bigint, NaN, ±Infinity, -0, bytes, Map, Set and
 * undefined; those become tagged objects `{"$t": TAG, "v": ...}`. A plain object that itself has a "$t" key is
 * wrapped as `{"$t": "object", "v": {...}}` so it can never be mistaken for a tag.
 */
export type EncodedRecordValue = null | boolean | number | string | EncodedRecordValue[] | { [key: string]: EncodedRecordValue }

const TAG = '$t'
/** The tags decodeRecordValue knows. */
const TAGS = ['undefined', 'bigint', 'float', 'bytes', 'map', 'set', 'date', 'object'] as const

/** Sets an own key; a plain assignment to "__proto__" would set the prototype instead and lose the key. */
function setKey<T>(out: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

export function encodeRecordValue(value: unknown, path = '$', seen: Set<object> = new Set()): EncodedRecordValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'undefined':
      return { [TAG]: 'undefined' }
    case 'bigint':
      return { [TAG]: 'bigint', v: value.toString() }
    case 'number':
      if (Number.isNaN(value)) return { [TAG]: 'float', v: 'NaN' }
      if (value === Infinity) return { [TAG]: 'float', v: 'Infinity' }
      if (value === -Infinity) return { [TAG]: 'float', v: '-Infinity' }
      if (Object.is(value, -0)) return { [TAG]: 'float', v: '-0' }
      return value
    case 'function':
    case 'symbol':
      throw new RecordEncodeError(`cannot record a ${typeof value} at ${path}: records hold data only`)
  }
  if (value === null) return null
  const obj = value as object
  if (seen.has(obj)) throw new RecordEncodeError(`cannot record a circular reference at ${path}`)
  seen.add(obj)
  try {
    // Array.from visits holes (map() skips them, and JSON would write null): a hole is recorded as undefined.
    if (Array.isArray(obj)) return Array.from(obj as unknown[], (x, i) => encodeRecordValue(x, `${path}[${i}]`, seen))
    if (obj instanceof Uint8Array) return { [TAG]: 'bytes', v: toBase64(obj) }
    if (obj instanceof Map) {
      return {
        [TAG]: 'map',
        v: [...obj].map(([k, v], i) => [
          encodeRecordValue(k, `${path}.<key ${i}>`, seen),
          encodeRecordValue(v, `${path}.<value ${i}>`, seen),
        ]),
      }
    }
    if (obj instanceof Set) return { [TAG]: 'set', v: [...obj].map((x, i) => encodeRecordValue(x, `${path}.<item ${i}>`, seen)) }
    if (obj instanceof Date) return { [TAG]: 'date', v: obj.toISOString() }
    if (!isPlainObject(obj)) {
      throw new RecordEncodeError(
        `cannot record a ${(obj.constructor as { name?: string } | undefined)?.name ?? 'class'} instance at ${path}: return plain objects, arrays, Map, Set or Uint8Array`,
      )
    }
    const out: Record<string, EncodedRecordValue> = {}
    for (const [k, v] of Object.entries(obj)) setKey(out, k, encodeRecordValue(v, `${path}.${k}`, seen))
    return Object.prototype.hasOwnProperty.call(out, TAG) ? { [TAG]: 'object', v: out } : out
  } finally {
    seen.delete(obj)
  }
}

const FLOATS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }

export function decodeRecordValue(value: EncodedRecordValue, path = '$'): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((x, i) => decodeRecordValue(x, `${path}[${i}]`))
  const tag = value[TAG]
  if (tag === undefined) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) setKey(out, k, decodeRecordValue(v, `${path}.${k}`))
    return out
  }
  const v = value['v']
  const bad = (what: string) =>
    new PyportArgumentError({
      owner: 'decodeRecordValue',
      argument: 'value',
      at: `${path}.v`,
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the tag is whatever the file holds; the message shows it as String() does
      expected: `${what} (the value of a "${String(tag)}" tag)`,
      value: v,
    })
  switch (tag) {
    case 'undefined':
      return undefined
    case 'bigint':
      if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw bad('a decimal string')
      return BigInt(v)
    case 'float':
      if (typeof v !== 'string' || !(v in FLOATS)) throw bad('NaN, Infinity, -Infinity or -0')
      return FLOATS[v]
    case 'bytes':
      if (typeof v !== 'string') throw bad('a base64 string')
      return new Uint8Array(Buffer.from(v, 'base64'))
    case 'map':
      if (!Array.isArray(v) || v.some((e) => !Array.isArray(e) || e.length !== 2)) throw bad('a list of [key, value] pairs')
      return new Map(
        (v as EncodedRecordValue[][]).map((e, i) => [
          decodeRecordValue(e[0] as EncodedRecordValue, `${path}.<key ${i}>`),
          decodeRecordValue(e[1] as EncodedRecordValue, `${path}.<value ${i}>`),
        ]),
      )
    case 'set':
      if (!Array.isArray(v)) throw bad('a list')
      return new Set(v.map((x, i) => decodeRecordValue(x, `${path}.<item ${i}>`)))
    case 'date':
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw bad('an ISO date string')
      return new Date(v)
    case 'object': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad('an object')
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) setKey(out, k, decodeRecordValue(x, `${path}.${k}`))
      return out
    }
    default:
      throw new PyportArgumentError({
        owner: 'decodeRecordValue',
        argument: 'value',
        at: `${path}.${TAG}`,
        expected: `a known tag (${TAGS.join(', ')})`,
        value: tag,
      })
  }
}
