import { count, duration, pct } from './format.js'
import type { StatsReport } from './from-stats.js'

/** The human view of --from-stats: one row per function, with the advice under it. */
export function renderStatsTable(r: StatsReport, top = 10): string {
  const lines = [
    `pyport profile --from-stats ${r.source}: ${r.functions.length} function(s), bridge ${r.calibration.bridgeUs.toFixed(0)} µs a call, TypeScript ${r.calibration.speedup.toFixed(1)}× faster`,
    '',
  ]
  const rows = r.functions
    .slice(0, top)
    .map((f, i) => [
      String(i + 1),
      f.name,
      f.items > f.calls ? `${count(f.calls)} (${count(f.items)} items)` : count(f.calls),
      duration(f.totalMs / 1000),
      duration(f.meanMs / 1000),
      pct(f.bridgeShare),
      f.queue === 'unknown' ? '–' : pct(f.queuedShare),
      f.savedS > 0 ? duration(f.savedS) : '–',
    ])
  const header = ['#', 'function', 'calls', 'total', 'per call', 'bridge', 'queued', 'saved if ported']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const fmt = (row: string[]) =>
    row
      .map((c, i) => (i === 1 || i === 7 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  lines.push(fmt(header))
  rows.forEach((row, i) => {
    lines.push(fmt(row))
    lines.push(`${' '.repeat((widths[0] ?? 1) + 2)}→ ${r.functions[i]?.reason ?? ''}`)
  })
  lines.push('', ...r.notes)
  return lines.join('\n') + '\n'
}
