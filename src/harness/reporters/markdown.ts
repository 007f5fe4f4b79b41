import { describeRatio, formatSeconds } from '../format.js'
import type { BenchReport } from '../types.js'
import { describeUnstable, findUnstable } from '../unstable.js'
import { scalingColumns, scalingFootnotes } from './scaling-columns.js'

/** A pipe in a cell would end it early. */
const cell = (text: string): string => text.replace(/\|/g, '\\|')

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine
  const out: string[] = []
  out.push(`### pyport bench --suite ${report.suite}`)
  out.push('')
  out.push(`${m.cpuModel}, ${m.cpus} cores · Node ${m.node} · Python ${m.python}`)
  out.push('')
  out.push('| measurement | id | median | min | max | result |')
  out.push('|---|---|---:|---:|---:|---|')
  for (const r of report.results) {
    out.push(
      `| ${cell(r.title)} | \`${r.id}\` | ${formatSeconds(r.median_s)} | ${formatSeconds(r.min_s)} | ${formatSeconds(r.max_s)} | ${r.sum ?? ''} |`,
    )
  }
  const unstable = findUnstable(report.results)
  if (unstable.length > 0) {
    out.push('')
    for (const u of unstable) out.push(`> ⚠️ ${describeUnstable(u)}`)
  }
  if (report.scaling) {
    const t = scalingColumns(report.scaling)
    out.push('', `#### Scaling by ${report.scaling.xLabel}`, '')
    out.push(`| ${t.header.map(cell).join(' | ')} |`)
    out.push(`|${t.align.map((a) => (a === 'right' ? '---:' : '---')).join('|')}|`)
    for (const row of t.rows) out.push(`| ${row.map(cell).join(' | ')} |`)
    out.push('')
    for (const n of scalingFootnotes(report.scaling)) out.push(`- ${n}`)
  }
  if (report.ratios.length > 0) {
    out.push('')
    // each row reads across: `of` 1.5 ± 0.1 × faster than `vs` (or slower than, or within noise of)
    out.push('| measurement | ratio | other measurement | figures |')
    out.push('|---|---|---|---|')
    for (const r of report.ratios) {
      const { relation, figures } = describeRatio(r)
      out.push(`| \`${r.of}\` | ${relation} | \`${r.vs}\` | ${figures} |`)
    }
  }
  if (report.checks.length > 0) {
    out.push('')
    for (const c of report.checks) out.push(`- ${c.ok ? '✅' : '❌'} ${c.name}: ${c.detail}`)
  }
  for (const n of report.notes) out.push(`- note: ${n}`)
  for (const r of report.results) if (r.note) out.push(`- note: \`${r.id}\`: ${r.note}`)
  return `${out.join('\n')}\n`
}
