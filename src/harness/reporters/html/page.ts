import { describeRatio } from '../../format.js'
import type { BenchReport, Lang, ResultRow } from '../../types.js'
import { describeUnstable, findUnstable } from '../../unstable.js'
import { renderBarChart } from './bars.js'
import { LANG_COLOR, LANG_NAME } from './colors.js'
import { escapeHtml } from './escape.js'
import { renderResultsTable } from './results-table.js'
import { renderScalingChart } from './scaling-chart.js'
import { renderScalingTable } from './scaling-table.js'
import { PAGE_CSS } from './style.js'

interface KindGroup {
  kind: 'cpu' | 'io'
  heading: string
  rows: ResultRow[]
}

/**
 * CPU runs and waits get separate charts, so a 1 ms computation is not squeezed beside a 100 ms sleep on one
 * axis. 'mixed' goes with I/O: its waits set its scale.
 */
export function groupByKind(results: readonly ResultRow[]): KindGroup[] {
  const cpu = results.filter((r) => (r.kind ?? 'cpu') === 'cpu')
  const io = results.filter((r) => r.kind === 'io' || r.kind === 'mixed')
  const groups: KindGroup[] = []
  if (cpu.length > 0) groups.push({ kind: 'cpu', heading: 'CPU-bound measurements', rows: cpu })
  if (io.length > 0) groups.push({ kind: 'io', heading: 'I/O-bound measurements (waits; mixed ones too)', rows: io })
  return groups
}

const list = (heading: string, items: string[]): string => (items.length > 0 ? `<h2>${heading}</h2>\n<ul>\n${items.join('\n')}\n</ul>` : '')

/** A self-contained page (no scripts, no external assets): charts as inline SVG, then the numbers. */
export function renderHtml(report: BenchReport): string {
  const m = report.machine
  const unstable = findUnstable(report.results)
  const unstableIds = new Set(unstable.map((u) => u.id))
  const langs = [...new Set<Lang>([...report.results.map((r) => r.lang), ...(report.scaling?.variants ?? []).map((v) => v.lang)])]
  const settings = Object.entries(report.settings)
    .map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(String(v))}`)
    .join(' · ')

  const warnings =
    unstable.length > 0
      ? `<div class="warnings" role="alert">${unstable.map((u) => `<p>⚠ ${escapeHtml(describeUnstable(u))}</p>`).join('')}</div>`
      : ''
  const legend = langs.map((l) => `<span style="background:${LANG_COLOR[l]}"></span>${escapeHtml(LANG_NAME[l])}`).join('')
  const charts = groupByKind(report.results).map(
    (g) => `<section class="kind" data-kind="${g.kind}">
<h2>${escapeHtml(g.heading)}</h2>
${renderBarChart(g.rows, unstableIds, g.heading)}
${renderResultsTable(g.rows, unstableIds)}
</section>`,
  )
  const s = report.scaling
  const scaling =
    s && s.points.length > 0
      ? `<section class="scaling">
<h2>Scaling: wall time by ${escapeHtml(s.xLabel)}</h2>
<p class="caption">Both axes log scale; a line per variant through the medians, whiskers from min to max, the ideal dashed.</p>
${renderScalingChart(s)}
${renderScalingTable(s)}
</section>`
      : ''
  const ratios = report.ratios.map((r) => {
    const { relation, figures } = describeRatio(r)
    return `<li><code>${escapeHtml(r.of)}</code> ${escapeHtml(relation)} <code>${escapeHtml(r.vs)}</code> <span class="dim">(${escapeHtml(figures)})</span></li>`
  })
  const checks = report.checks.map(
    (c) => `<li class="${c.ok ? 'ok' : 'fail'}">${c.ok ? '✔' : '✘'} <b>${escapeHtml(c.name)}</b>: ${escapeHtml(c.detail)}</li>`,
  )
  const notes = report.notes.map((n) => `<li>${escapeHtml(n)}</li>`)

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pyport bench --suite ${escapeHtml(report.suite)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>pyport bench --suite ${escapeHtml(report.suite)}</h1>
<p class="meta">${escapeHtml(m.cpuModel)}, ${m.cpus} cores · Node ${escapeHtml(m.node)} · Python ${escapeHtml(m.python)} · ${escapeHtml(m.platform)}<br>${settings}</p>
${warnings}
<p class="legend">${legend}</p>
${charts.join('\n')}
${scaling}
${list('Ratios', ratios)}
${list('Checks', checks)}
${list('Notes', notes)}
</body>
</html>
`
}
