import { PyportOptionError } from '../errors.js'
import { describe, typeName } from './describe.js'

/** One place where the port's result differs from Python's. */
export interface Difference {
  /** Where, e.g. `$[2].coverage`, `$.get("k")`, `$.length`. */
  path: string
  python: string
  port: string
}

export interface CompareOptions {
  /** Relative tolerance for floats: |a - b| <= rtol * max(|a|, |b|). Default 0 (exact). */
  rtol?: number | undefined
  /** Absolute tolerance for floats, for values near zero. Default 0. */
  atol?: number | undefined
  /** Stop after this many differences (default 20). */
  maxDifferences?: number
}

interface Ctx {
  rtol: number
  atol: number
  max: number
  out: Difference[]
}

function key(path: string, k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`
}

function numbersEqual(a: number, b: number, c: Ctx): boolean {
  if (a === b) return true // also 0 === -0, like Python's 0.0 == -0.0
  if (Number.isNaN(a) && Number.isNaN(b)) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  return Math.abs(a - b) <= Math.max(c.atol, c.rtol * Math.max(Math.abs(a), Math.abs(b)))
}

/** An exact integer compare across bigint and number: 2n**53n equals 2**53, but a rounded 2**60+1 does not. */
function bigintEqualsNumber(big: bigint, n: number): boolean {
  return Number.isInteger(n) && BigInt(n) === big
}

function add(c: Ctx, path: string, python: string, port: string): void {
  if (c.out.length < c.max) c.out.push({ path, python, port })
}

function isPrimitive(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function')
}

function equal(a: unknown, b: unknown, c: Ctx): boolean {
  const probe: Ctx = { ...c, max: 1, out: [] }
  walk(a, b, '$', probe)
  return probe.out.length === 0
}

/** Finds the entry of `pool` equal to `x`: by identity for primitives, by deep equality for objects. */
function findEqual(x: unknown, pool: Iterable<unknown>, has: (v: unknown) => boolean, c: Ctx): { found: boolean; match?: unknown } {
  if (isPrimitive(x) && has(x)) return { found: true, match: x }
  // Strings, booleans and null only ever equal themselves; numbers may match within tolerance, objects deeply.
  if (isPrimitive(x) && typeof x !== 'number' && typeof x !== 'bigint') return { found: false }
  for (const y of pool) if (equal(x, y, c)) return { found: true, match: y }
  return { found: false }
}

function walkMap(a: Map<unknown, unknown>, b: Map<unknown, unknown>, path: string, c: Ctx): void {
  const unmatched = new Set(b.keys())
  for (const [k, v] of a) {
    const at = `${path}.get(${describe(k, 40)})`
    const { found, match } = findEqual(k, unmatched, (x) => b.has(x), c)
    if (!found) {
      add(c, at, describe(v), 'missing')
      continue
    }
    unmatched.delete(match)
    walk(v, b.get(match), at, c)
  }
  for (const k of unmatched) add(c, `${path}.get(${describe(k, 40)})`, 'missing', describe(b.get(k)))
}

function walkSet(a: Set<unknown>, b: Set<unknown>, path: string, c: Ctx): void {
  const unmatched = new Set(b)
  for (const x of a) {
    const { found, match } = findEqual(x, unmatched, (v) => unmatched.has(v), c)
    if (found) unmatched.delete(match)
    else add(c, `${path}.has(${describe(x, 40)})`, 'present', 'missing')
  }
  for (const y of unmatched) add(c, `${path}.has(${describe(y, 40)})`, 'missing', 'present')
}

function walk(a: unknown, b: unknown, path: string, c: Ctx): void {
  if (c.out.length >= c.max) return
  if (typeof a === 'number' && typeof b === 'number') {
    if (!numbersEqual(a, b, c)) add(c, path, describe(a), describe(b))
    return
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const same =
      typeof a === 'bigint' && typeof b === 'bigint'
        ? a === b
        : typeof a === 'bigint' && typeof b === 'number'
          ? bigintEqualsNumber(a, b)
          : typeof b === 'bigint' && typeof a === 'number'
            ? bigintEqualsNumber(b, a)
            : false
    if (!same) add(c, path, describe(a), describe(b))
    return
  }
  const ta = typeName(a)
  const tb = typeName(b)
  if (ta !== tb) {
    add(c, path, `${describe(a, 60)} (${ta})`, `${describe(b, 60)} (${tb})`)
    return
  }
  if (isPrimitive(a)) {
    if (a !== b) add(c, path, describe(a), describe(b))
    return
  }
  if (Array.isArray(a) || a instanceof Uint8Array) {
    const xs = a as ArrayLike<unknown>
    const ys = b as ArrayLike<unknown>
    if (xs.length !== ys.length) add(c, `${path}.length`, String(xs.length), String(ys.length))
    const n = Math.min(xs.length, ys.length)
    for (let i = 0; i < n && c.out.length < c.max; i++) walk(xs[i], ys[i], `${path}[${i}]`, c)
    return
  }
  if (a instanceof Map) {
    walkMap(a, b as Map<unknown, unknown>, path, c)
    return
  }
  if (a instanceof Set) {
    walkSet(a, b as Set<unknown>, path, c)
    return
  }
  if (a instanceof Date) {
    if (a.getTime() !== (b as Date).getTime()) add(c, path, describe(a), describe(b))
    return
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  for (const k of Object.keys(ao)) {
    if (!Object.prototype.hasOwnProperty.call(bo, k)) add(c, key(path, k), describe(ao[k]), 'missing')
    else walk(ao[k], bo[k], key(path, k), c)
  }
  for (const k of Object.keys(bo)) {
    if (!Object.prototype.hasOwnProperty.call(ao, k)) add(c, key(path, k), 'missing', describe(bo[k]))
  }
}

function checkTolerance(name: string, v: unknown): number {
  if (v === undefined) return 0
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new PyportOptionError({ option: name, expected: 'a finite number >= 0', received: v, owner: 'compare' })
  }
  return v
}

/**
 * Deep structural comparison of Python's result and the port's: numbers within the tolerances (NaN equals NaN,
 * 0 equals -0), bigint against number exactly, Map/Set by content whatever the order, bytes by content, plain
 * objects by own keys. Returns the differences found (empty when equal).
 */
export function compareValues(python: unknown, port: unknown, options: CompareOptions = {}): Difference[] {
  const c: Ctx = {
    rtol: checkTolerance('rtol', options.rtol),
    atol: checkTolerance('atol', options.atol),
    max: options.maxDifferences ?? 20,
    out: [],
  }
  walk(python, port, '$', c)
  return c.out
}
