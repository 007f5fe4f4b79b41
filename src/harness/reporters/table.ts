import { describeRatio, formatSeconds, pad } from '../format.js'
import type { BenchReport } from '../types.js'
import { describeUnstable, findUnstable } from '../unstable.js'
import { scalingColumns, scalingFootnotes } from './scaling-columns.js'

/** Columns padded to their widest cell, a rule under the header. */
function alignedTable(header: string[], rows: string[][], align: ('left' | 'right')[]): string[] {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- counts code points on purpose (the width of terminal and SVG text); grapheme clusters are not needed here
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((row) => [...(row[i] ?? '')].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, align[i] ?? 'left'))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)]
}

/** The report a person reads at a glance, in the spirit of hyperfine. */
export function renderTable(report: BenchReport): string {
  const m = report.machine
  const out: string[] = []
  out.push(`pyport bench --suite ${report.suite}`)
  out.push(`machine: ${m.cpuModel}, ${m.cpus} cores · Node ${m.node} · Python ${m.python}`)
  const settings = Object.entries(report.settings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')
  if (settings) out.push(`settings: ${settings}`)
  out.push('')

  const rows = report.results.map((r) => [
    r.title,
    r.id,
    formatSeconds(r.median_s),
    formatSeconds(r.min_s),
    formatSeconds(r.max_s),
    r.sum === undefined ? '' : String(r.sum),
  ])
  out.push(
    ...alignedTable(['measurement', 'id', 'median', 'min', 'max', 'result'], rows, ['left', 'left', 'right', 'right', 'right', 'left']),
  )

  const unstable = findUnstable(report.results)
  if (unstable.length > 0) {
    out.push('')
    for (const u of unstable) out.push(`  ${describeUnstable(u)}`)
  }

  if (report.scaling) {
    const s = report.scaling
    const table = scalingColumns(s)
    out.push('', `scaling by ${s.xLabel}:`)
    out.push(...alignedTable(table.header, table.rows, table.align))
    for (const n of scalingFootnotes(s)) out.push(`  ${n}`)
  }

  if (report.ratios.length > 0) {
    out.push('')
    const ofWidth = Math.max(...report.ratios.map((r) => r.of.length))
    for (const r of report.ratios) {
      const { relation, figures } = describeRatio(r)
      out.push(`  ${pad(r.of, ofWidth)}  ${relation} ${r.vs}  (${figures})`)
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
