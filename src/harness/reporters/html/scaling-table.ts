import type { ScalingReport } from '../../types.js'
import { scalingColumns, scalingFootnotes } from '../scaling-columns.js'
import { escapeHtml } from './escape.js'

/** Everything measured per point, under the chart; the model columns marked as predictions. */
export function renderScalingTable(s: ScalingReport): string {
  const t = scalingColumns(s)
  const cls = (i: number) => {
    const classes = [t.align[i] === 'right' ? 'num' : '', t.header[i]?.startsWith('model') ? 'model' : ''].filter(Boolean)
    return classes.length > 0 ? ` class="${classes.join(' ')}"` : ''
  }
  const head = t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')
  const body = t.rows.map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
  const notes = scalingFootnotes(s).map((n) => `<p class="footnote">${escapeHtml(n)}</p>`)
  return `<div class="table-scroll"><table class="scaling">
<thead><tr>${head}</tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table></div>
${notes.join('\n')}`
}
