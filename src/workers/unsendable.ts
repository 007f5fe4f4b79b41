/**
 * Where a value holds something a worker thread cannot send back (structured clone refuses functions, symbols,
 * Promises, WeakMaps, …): "a function at $[0].fn", or undefined when the whole value can be sent. Runs inside
 * the worker, so a bad result becomes a clear error instead of a worker crash with an opaque message.
 */
export function findUnsendable(value: unknown): string | undefined {
  const t = typeof value
  // a primitive always clones: the common small result skips the trial copy
  if (t !== 'object' && t !== 'function' && t !== 'symbol') return undefined
  if (value === null || clones(value)) return undefined
  return locate(value, '$')
}

function clones(v: unknown): boolean {
  try {
    structuredClone(v)
    return true
  } catch {
    return false
  }
}

function kind(v: unknown): string {
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`
  if (typeof v === 'symbol') return `a symbol (${v.description ?? ''})`
  const name = (v as { constructor?: { name?: string } } | null | undefined)?.constructor?.name
  return name ? `a ${name}` : `a ${typeof v}`
}

function children(v: object, path: string): Array<[unknown, string]> {
  if (Array.isArray(v)) return v.map((x, i) => [x, `${path}[${i}]`])
  if (v instanceof Map)
    return [...v].flatMap(([k, x], i): Array<[unknown, string]> => [
      [k, `${path}.<key ${i}>`],
      [x, `${path}.<value ${i}>`],
    ])
  if (v instanceof Set) return [...v].map((x, i) => [x, `${path}.<item ${i}>`])
  return Object.entries(v).map(([k, x]) => [x, `${path}.${k}`])
}

function locate(v: unknown, path: string): string {
  if (v !== null && typeof v === 'object') {
    for (const [child, at] of children(v, path)) if (!clones(child)) return locate(child, at)
  }
  return `${kind(v)} at ${path}`
}
