import { formatSeconds } from '../../format.js'
import type { ResultRow } from '../../types.js'
import { escapeHtml } from './escape.js'

/** The numbers behind a bar chart, each measurement's note under its title. */
export function renderResultsTable(rows: readonly ResultRow[], unstable: ReadonlySet<string>): string {
  const body = rows.map((r) => {
    const spread = r.min_s > 0 ? (r.max_s / r.min_s).toFixed(2) : ''
    const warn = unstable.has(r.id)
    return `<tr class="${r.lang}${warn ? ' unstable' : ''}">
  <td><span class="swatch"></span>${escapeHtml(r.title)} <code>${escapeHtml(r.id)}</code>${
    r.note ? `<div class="note">${escapeHtml(r.note)}</div>` : ''
  }</td>
  <td class="num">${escapeHtml(formatSeconds(r.median_s))}</td>
  <td class="num">${escapeHtml(formatSeconds(r.min_s))}</td>
  <td class="num">${escapeHtml(formatSeconds(r.max_s))}</td>
  <td class="num${warn ? ' warn' : ''}">${warn ? '⚠ ' : ''}${spread}</td>
  <td class="num">${r.runs.length}</td>
  <td class="num">${r.sum === undefined ? '' : escapeHtml(String(r.sum))}</td>
</tr>`
  })
  return `<table class="results">
<thead><tr><th>measurement</th><th class="num">median</th><th class="num">min</th><th class="num">max</th><th class="num">max/min</th><th class="num">runs</th><th class="num">result</th></tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table>`
}
