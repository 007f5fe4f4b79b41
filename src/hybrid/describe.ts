/** Short, readable renderings of values for difference reports (never the whole 10 MB value). */

export function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (v instanceof Uint8Array) return 'bytes'
  if (v instanceof Map) return 'Map'
  if (v instanceof Set) return 'Set'
  if (v instanceof Date) return 'Date'
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null
    return proto === Object.prototype || proto === null ? 'object' : (proto.constructor?.name ?? 'object')
  }
  return typeof v
}

function render(v: unknown, budget: number): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (v === undefined || v === null || typeof v === 'boolean') return String(v)
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`
  if (typeof v === 'symbol') return v.toString()
  if (budget <= 0) return '…'
  const items = (xs: Iterable<unknown>, fmt: (x: unknown) => string) => {
    const out: string[] = []
    let used = 0
    for (const x of xs) {
      const s = fmt(x)
      used += s.length + 2
      if (used > budget) {
        out.push('…')
        break
      }
      out.push(s)
    }
    return out.join(', ')
  }
  const inner = (x: unknown) => render(x, budget / 2)
  if (Array.isArray(v)) return `[${items(v, inner)}]`
  if (v instanceof Uint8Array) return `bytes(${v.length})[${items(v, String)}]`
  if (v instanceof Map)
    return `Map{${items(v, (e) => {
      const [k, x] = e as [unknown, unknown]
      return `${inner(k)} => ${inner(x)}`
    })}}`
  if (v instanceof Set) return `Set{${items(v, inner)}}`
  if (v instanceof Date) return v.toISOString()
  const name = typeName(v)
  const body = items(Object.entries(v), (e) => {
    const [k, x] = e as [string, unknown]
    return `${k}: ${inner(x)}`
  })
  return name === 'object' ? `{${body}}` : `${name} {${body}}`
}

/** A compact rendering of `v`, at most about `max` characters. */
export function describe(v: unknown, max = 80): string {
  const s = render(v, max)
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
