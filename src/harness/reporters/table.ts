import { describePairedRange, describeRatio, formatSeconds, pad } from '../format.js'
import type { BenchReport } from '../types.js'

/** The report a person reads at a glance, in the spirit of hyperfine. */
export function renderTable(report: BenchReport): string {
  const m = report.machine
  const out: string[] = []
  out.push(`pyport bench --suite ${report.suite}`)
  out.push(`machine: ${m.cpuModel}, ${m.cpus} cores · Node ${m.node} · Python ${m.python}`)
  const settings = Object.entries(report.settings).map(([k, v]) => `${k}=${String(v)}`).join(' ')
  if (settings) out.push(`settings: ${settings}`)
  out.push('')

  const header = ['measurement', 'id', 'median', 'min', 'max', 'result']
  const rows = report.results.map((r) => [
    r.title,
    r.id,
    formatSeconds(r.median_s),
    formatSeconds(r.min_s),
    formatSeconds(r.max_s),
    r.sum === undefined ? '' : String(r.sum),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => [...(row[i] ?? '')].length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => pad(c, widths[i] ?? 0, i >= 2 && i <= 4 ? 'right' : 'left')).join('  ').trimEnd()
  out.push(line(header))
  out.push(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const row of rows) out.push(line(row))

  if (report.ratios.length > 0) {
    out.push('')
    const ofWidth = Math.max(...report.ratios.map((r) => r.of.length))
    for (const r of report.ratios) {
      out.push(
        `  ${pad(r.of, ofWidth)}  ${describeRatio(r.median, r.stddev)} ${r.vs}` +
          `  (${describePairedRange(r.median, r.min, r.max)})`,
      )
    }
  }
  if (report.checks.length > 0) {
    out.push('')
    for (const c of report.checks) out.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`)
  }
  const notes = [...report.notes, ...report.results.filter((r) => r.note).map((r) => `${r.id}: ${r.note}`)]
  if (notes.length > 0) {
    out.push('')
    for (const n of notes) out.push(`  note: ${n}`)
  }
  return `${out.join('\n')}\n`
}
