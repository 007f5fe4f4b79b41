/** The wire format's shared parts: the tag, the limits, the handle hooks, and how values are shown in messages. */
import { constants as bufferConstants } from 'node:buffer'
import { types } from 'node:util'
import type { HandleState } from './handle-brand.js'

export const TAG = '$t'

/** The longest string V8 can make: no message (JSON text) can be longer. */
export const MAX_TEXT = bufferConstants.MAX_STRING_LENGTH

/**
 * Levels of JSON nesting the encoder accepts (a Map costs 3: tag, pairs, pair). Well under what JSON.stringify
 * itself can nest (3000-5000 from a shallow stack), and over the 1000 levels the Python side takes.
 */
export const MAX_DEPTH = 2000

/** A tag object: its own class, so the encoder never mistakes it for a user object. */
export class Tag {
  constructor(
    readonly $t: string,
    readonly v: unknown,
  ) {}
}

/** What the bridge says of a PythonObject found in a request: the id to send, or why it cannot be sent. */
export type HandleHook = (handle: HandleState) => number | string
/** What makes a handle of a Python object named in a reply (`[id, qualified type, 'obj' | 'iter']`). */
export type HandleFactory = (id: number, type: string, kind: 'obj' | 'iter') => unknown

/** A short rendering of a (key) value for messages. */
export function show(v: unknown, room = 40): string {
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
      else if (Array.isArray(v))
        s =
          '[' +
          v
            .slice(0, 8)
            .map((x) => show(x, 20))
            .join(', ') +
          (v.length > 8 ? ', …' : '') +
          ']'
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

export function describe(v: object): string {
  if (types.isProxy(v)) return 'Proxy'
  try {
    const ctor = (v as { constructor?: { name?: string } }).constructor
    return ctor?.name ? `${ctor.name} instance` : 'object'
  } catch {
    return 'object'
  }
}

export function fromHex(s: string): bigint {
  return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s)
}
