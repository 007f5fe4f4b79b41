/** How the encoder refuses a value: a Fault unwinds, gathering its path, and becomes a PythonValueError at the root. */
import { types } from 'node:util'
import { PythonValueError } from './errors.js'
import { describe, MAX_DEPTH, MAX_TEXT, Tag } from './wire-format.js'

/** 'value': no Python counterpart (or could not be read); 'deep': nested past MAX_DEPTH; 'large': too big to send. */
export type FaultKind = 'value' | 'deep' | 'large'

export class Fault {
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

export function fail(valueType: string, hint: string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a Fault is the encoder's own unwinding signal, not an Error: it becomes a PythonValueError at the root
  throw new Fault('value', valueType, hint)
}

/** Adds the step to a fault unwinding through `holder`; anything else (a stack overflow) passes as it is. */
export function at(e: unknown, step: string, holder: object): unknown {
  if (e instanceof Fault) {
    e.steps.push(step)
    if (e.kind === 'deep') e.holders.push(holder)
  }
  return e
}

export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function keyStep(key: string): string {
  return IDENTIFIER.test(key) ? '.' + key : '[' + JSON.stringify(key) + ']'
}

/** What a JS value is, in a word or two (for a key Python cannot hash). */
export function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (v instanceof Map) return 'Map'
  if (v instanceof Set) return 'Set'
  if (typeof v !== 'object' || v === null) return typeof v
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null ? 'object' : describe(v)
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 300)
  try {
    return `${typeof e} ${String(e)}`.slice(0, 300)
  } catch {
    return typeof e
  }
}

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message)
}

/** Reading `holder[key]` threw: a getter, or a Proxy's handler. */
export function readFault(holder: object, key: string | number, e: unknown): Fault {
  if (types.isProxy(holder)) return proxyFault(e)
  let getter = false
  try {
    getter = typeof Object.getOwnPropertyDescriptor(holder, key)?.get === 'function'
  } catch {
    // leave it a property
  }
  return new Fault(
    'value',
    getter ? 'getter' : 'property',
    `reading it threw ${errorText(e)}; fix the getter, or pass the value it should give as plain data`,
    e,
  )
}

export function proxyFault(e: unknown): Fault {
  if (e instanceof TypeError && /revoked/i.test(e.message)) {
    return new Fault('value', 'revoked Proxy', 'it was revoked, so nothing can be read from it; pass the data itself', e)
  }
  return new Fault('value', 'Proxy', `its handler threw ${errorText(e)}; pass the data itself (e.g. a plain copy made before the call)`, e)
}

/** What a failure says: "cannot send the arguments" for a call, "cannot encode the value" for encodeWireValue. */
export interface Context {
  cannot: string
  tooLarge: string
}

export const ARGUMENTS: Context = { cannot: 'cannot send the arguments', tooLarge: 'the arguments are too large to send' }
export const VALUE: Context = { cannot: 'cannot encode the value', tooLarge: 'the value is too large to encode' }

export function deepError(where: string, context: Context): PythonValueError {
  return new PythonValueError(
    'to-python',
    'value',
    where,
    `it is nested too deeply (more than ${MAX_DEPTH} levels); flatten it`,
    context.cannot,
  )
}

/** The typed error for a fault that reached the root `root` (e.g. "args"). */
export function toError(e: unknown, root: string, context: Context, index?: number): unknown {
  if (isStackOverflow(e)) return deepError(root, context)
  if (!(e instanceof Fault)) return e
  const steps = e.steps.reverse()
  const where = root + steps.join('')
  if (e.kind === 'deep') {
    // A cycle never ends, so it always lands here: find the first container met twice on the path.
    const holders = e.holders.reverse()
    const first = new Map<object, number>()
    for (const [j, holder] of holders.entries()) {
      const i = first.get(holder)
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
      first.set(holder, j)
    }
    const shown = steps.length > 12 ? `${root}${steps.slice(0, 8).join('')}… (${steps.length} levels down)` : where
    return deepError(shown, context)
  }
  const cause = e.cause === undefined ? undefined : { cause: e.cause }
  return new PythonValueError(
    'to-python',
    e.valueType,
    where,
    e.hint,
    e.kind === 'large' ? `${context.tooLarge} (over ${MAX_TEXT} characters as JSON)` : context.cannot,
    index,
    cause,
  )
}

/** Characters `s` takes as JSON text (quotes and escapes included). */
export function jsonLength(s: string): number {
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
export function tooLargeError(roots: [unknown, string][], context: Context): PythonValueError {
  let best: { s: string; where: string } | undefined
  const stack: [unknown, string][] = roots.slice().reverse()
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [t, where] = top
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
  if (!best)
    return new PythonValueError(
      'to-python',
      'value',
      roots[0]?.[1] ?? '',
      'send it in parts (over several calls), or pass a file path',
      head,
    )
  return new PythonValueError(
    'to-python',
    'string',
    best.where,
    `it has ${best.s.length} characters, ${jsonLength(best.s)} once written as JSON; send it in parts, or write it to a file and pass the path`,
    head,
  )
}
