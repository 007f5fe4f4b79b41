import { isPlainObject } from '../util/plain-object.js'

/**
 * A private deep copy of a plain data graph — arrays (holes kept), plain and null-prototype objects, Map, Set,
 * typed arrays, Buffer, Date, primitives — so that a caller mutating its arguments or Python's result later cannot
 * change what gets compared or recorded. Any other object (a class instance, a function, a Promise, …) is kept
 * by reference: structuredClone would turn a Point into a plain object, so a port returning a Point would
 * "differ" from Python's Point, and the recorder could no longer refuse it with a clear error.
 */
export function copyData<T>(value: T): T {
  try {
    return copy(value, new Map()) as T
  } catch {
    return value // a throwing getter or a Proxy: compare what we were given rather than fail the call
  }
}

function copy(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v
  const done = seen.get(v)
  if (done !== undefined) return done // shared and circular references stay shared and circular
  const proto = Object.getPrototypeOf(v) as object | null
  if (Array.isArray(v) && proto === Array.prototype) {
    const out: unknown[] = new Array(v.length)
    seen.set(v, out)
    for (let i = 0; i < v.length; i++) if (i in v) out[i] = copy(v[i], seen)
    return out
  }
  if (proto === Map.prototype) {
    const out = new Map()
    seen.set(v, out)
    for (const [k, x] of v as Map<unknown, unknown>) out.set(copy(k, seen), copy(x, seen))
    return out
  }
  if (proto === Set.prototype) {
    const out = new Set()
    seen.set(v, out)
    for (const x of v as Set<unknown>) out.add(copy(x, seen))
    return out
  }
  if (Buffer.isBuffer(v)) return remember(seen, v, Buffer.from(v))
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return remember(seen, v, (v as unknown as Uint8Array).slice())
  if (proto === Date.prototype) return remember(seen, v, new Date((v as Date).getTime()))
  if (!isPlainObject(v)) return v
  const out = Object.create(proto) as Record<string, unknown>
  seen.set(v, out)
  for (const k of Object.keys(v)) {
    const x = copy(v[k], seen)
    // A "__proto__" own key (JSON.parse makes those) must stay a key, not become the copy's prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true })
    else out[k] = x
  }
  return out
}

function remember<T>(seen: Map<object, unknown>, from: object, to: T): T {
  seen.set(from, to)
  return to
}
