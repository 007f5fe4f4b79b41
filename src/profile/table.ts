import { count, duration, location, pct } from './format.js'
import type { FunctionProfile, ProfileReport } from './types.js'

const CLASS_LABEL = { cpu: 'CPU', io: 'I/O', mixed: 'mixed', unknown: '–' } as const

function exitLine(r: ProfileReport): string {
  const e = r.exit
  if (e.signal) return `killed by ${e.signal}`
  if (e.reason === 'exception') return `exit ${e.code} (raised ${e.exception ?? 'an exception'})`
  if (e.reason === 'sys.exit') return `exit ${e.code} (sys.exit)`
  return `exit ${e.code}`
}

/** The human view: a header, the top N port candidates with one advice line each, and the method. */
export function renderProfileTable(r: ProfileReport, top = 10, cwd = process.cwd()): string {
  const t = r.totals
  const lines: string[] = []
  lines.push(
    `pyport profile: ${r.target} — ${exitLine(r)}, wall ${duration(t.wallS)}, CPU ${duration(t.cpuS)}, ` +
      `${t.threads} thread${t.threads === 1 ? '' : 's'}, ${t.samples} samples${t.samples > 0 ? ` ~${duration(t.wallS / t.samples)} apart` : ''} (Python ${r.python})`,
  )
  const c = r.calibration
  lines.push(
    `calibration: ${c.source.speedup === 'option' ? `speed-up ${c.speedup}× (--speedup)` : `TypeScript ${c.speedup.toFixed(1)}× faster than Python`}, ` +
      `bridge ${c.bridgeUs.toFixed(0)} µs a call${c.source.bridgeUs === 'option' ? ' (--bridge-us)' : ''}`,
  )
  const sampledWall = r.functions.reduce((sum, f) => sum + f.self.wallS, 0)
  if (sampledWall > 0 && t.coreS / sampledWall >= 0.05) {
    lines.push(
      `machine busy: threads waited ${pct(t.coreS / sampledWall)} of their time for a CPU core (other processes had them); ` +
        'that wait is neither GIL nor I/O and is left out of both columns',
    )
  }
  lines.push('')
  const byKey = new Map(r.functions.map((f) => [f.key, f]))
  const rows = r.advice.slice(0, top)
  if (rows.length === 0) {
    lines.push('No samples landed in your own code: the program was too short, or all its time was in library code.')
    return lines.join('\n') + '\n'
  }
  // GIL wait and I/O wait are shares of the function's own (self) wall time, like its class
  const header = ['#', 'function', 'calls', 'self CPU', '%CPU', 'GIL wait', 'I/O wait', 'cum wall', 'class', 'saved if ported']
  const share = (part: number, f: FunctionProfile | undefined) => (f && f.self.wallS > 0 ? pct(part / f.self.wallS) : '–')
  const table = rows.map((a, i) => {
    const f = byKey.get(a.key)
    const where = f ? location(f.file, f.line, cwd) : ''
    return [
      String(i + 1),
      `${a.name}  ${where}`,
      f?.calls === null || f === undefined ? '–' : count(f.calls),
      f ? duration(f.self.cpuS) : '–',
      f ? pct(f.selfCpuShare) : '–',
      share(f?.self.gilS ?? 0, f),
      share(f?.self.ioS ?? 0, f),
      f ? duration(f.cum.wallS) : '–',
      f ? CLASS_LABEL[f.class] : '–',
      a.savedS > 0 ? `${duration(a.savedS)} (${pct(a.savedShare)} of wall)` : '–',
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)))
  const right = new Set([0, 2, 3, 4, 5, 6, 7])
  const fmt = (row: string[]) =>
    row.map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  lines.push(fmt(header))
  table.forEach((row, i) => {
    lines.push(fmt(row))
    lines.push(`${' '.repeat((widths[0] ?? 1) + 2)}→ ${rows[i]?.reason ?? ''}`)
  })
  if (r.advice.length > top) lines.push('', `${r.advice.length - top} more function(s): --top ${r.advice.length} or --json FILE for all.`)
  lines.push('')
  for (const n of r.notes) lines.push(n)
  return lines.join('\n') + '\n'
}
