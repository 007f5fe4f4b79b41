/** Message text → JS values: tags revived, handles made through the bridge's factory. */
import { PythonValueError } from './errors.js'
import { fromHex, show, TAG, type HandleFactory } from './wire-format.js'

const FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }

/** Two values Python keeps apart that JS would merge (the Python side already refuses the known case, NaNs). */
function merged(pythonType: string, items: string, v: unknown): PythonValueError {
  return new PythonValueError(
    'to-js',
    pythonType,
    '',
    `two of its ${items} are distinct in Python but the same in JS (${show(v)}); make them distinct`,
    'cannot read the result',
  )
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
      for (const [k, x] of v as [string, unknown][])
        Object.defineProperty(out, k, { value: revive(x, handles), enumerable: true, writable: true, configurable: true })
      return out
    }
    case 'ref': {
      const [id, type, kind] = v as [number, string, 'obj' | 'iter']
      if (!handles)
        throw new PythonValueError(
          'to-js',
          type,
          '',
          'a Python object can only arrive as the result of a bridge call',
          'cannot read the value',
        )
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
