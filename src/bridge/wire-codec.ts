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
 *
 * This module is the codec's entry; its parts: wire-encode.ts (JS → text), wire-decode.ts (text → JS),
 * wire-faults.ts (how a refused value becomes a PythonValueError naming where it sits), wire-format.ts (the tag,
 * the limits, the handle hooks).
 */
import { decodeMessage } from './wire-decode.js'
import { encodeMessage } from './wire-encode.js'

export { encodeRequest, encodeMessage } from './wire-encode.js'
export { decodeEmbedded, decodeMessage } from './wire-decode.js'
export type { HandleFactory, HandleHook } from './wire-format.js'

/** A lossless JSON encoding of a JS value under the bridge's mapping (bigint, NaN, -0, Map, Set, bytes...). */
export function encodeWireValue(value: unknown): string {
  return encodeMessage(value)
}

/** The inverse of encodeWireValue. */
export function decodeWireValue(text: string): unknown {
  return decodeMessage(text)
}
