/** Number formatting for advice lines and tables: short, unit-bearing, never silently rounded to zero. */

export function pct(share: number): string {
  const p = share * 100
  if (p > 0 && p < 0.1) return '<0.1 %'
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)} %`
}

export function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)} k`
  return String(n)
}

export function duration(seconds: number): string {
  const a = Math.abs(seconds)
  if (a === 0) return '0'
  if (a >= 1) return `${seconds.toFixed(2)} s`
  if (a >= 1e-3) return `${(seconds * 1e3).toFixed(a >= 0.1 ? 0 : 1)} ms`
  if (a >= 1e-6) return `${(seconds * 1e6).toFixed(a >= 1e-4 ? 0 : 1)} µs`
  return `${(seconds * 1e9).toFixed(0)} ns`
}

/** "file.py:12" relative to cwd when inside it. */
export function location(file: string, line: number, cwd = process.cwd()): string {
  const rel = file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file
  return `${rel}:${line}`
}
