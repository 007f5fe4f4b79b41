import { describePairedRange, describeRatio, formatSeconds } from '../format.js'
import type { BenchReport } from '../types.js'

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/**
 * A self-contained page (no scripts, no external assets): the results with a bar per median on a log scale,
 * so 20 ms and 2 s both stay readable, then ratios, checks and notes.
 */
export function renderHtml(report: BenchReport): string {
  const m = report.machine
  const medians = report.results.map((r) => r.median_s)
  const lo = Math.log10(Math.min(...medians) / 2)
  const hi = Math.log10(Math.max(...medians) * 1.05)
  const width = (s: number) => Math.max(1, ((Math.log10(s) - lo) / (hi - lo)) * 100)

  const rows = report.results
    .map(
      (r) => `<tr class="${r.lang}">
  <td>${escape(r.title)}<br><code>${escape(r.id)}</code></td>
  <td class="bar"><div style="width:${width(r.median_s).toFixed(1)}%"></div></td>
  <td class="num">${escape(formatSeconds(r.median_s))}</td>
  <td class="num">${escape(formatSeconds(r.min_s))}</td>
  <td class="num">${escape(formatSeconds(r.max_s))}</td>
  <td class="num">${r.sum === undefined ? '' : escape(String(r.sum))}</td>
</tr>`,
    )
    .join('\n')
  const ratios = report.ratios
    .map(
      (r) =>
        `<li><code>${escape(r.of)}</code> ${escape(describeRatio(r.median, r.stddev))} <code>${escape(r.vs)}</code> ` +
        `<span class="dim">(${describePairedRange(r.median, r.min, r.max)})</span></li>`,
    )
    .join('\n')
  const checks = report.checks
    .map((c) => `<li class="${c.ok ? 'ok' : 'fail'}">${c.ok ? '✔' : '✘'} <b>${escape(c.name)}</b>: ${escape(c.detail)}</li>`)
    .join('\n')
  const notes = report.notes.map((n) => `<li>${escape(n)}</li>`).join('\n')
  const settings = Object.entries(report.settings)
    .map(([k, v]) => `${escape(k)}=${escape(String(v))}`)
    .join(' · ')

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pyport bench --suite ${escape(report.suite)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1d2330; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; }
  .dim, .meta { color: #5b6475; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
  th, td { padding: .35rem .5rem; border-bottom: 1px solid #e3e6ec; vertical-align: middle; }
  th { text-align: left; font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  td.bar { width: 35%; }
  td.bar div { height: .9rem; border-radius: 2px; }
  tr.python td.bar div { background: #3b74b8; }
  tr.ts td.bar div { background: #e0a21b; }
  code { font-size: .85em; color: #5b6475; }
  li.ok { color: #1f7a3a; } li.fail { color: #b3261e; }
  .legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 1rem; vertical-align: middle; }
</style>
</head>
<body>
<h1>pyport bench --suite ${escape(report.suite)}</h1>
<p class="meta">${escape(m.cpuModel)}, ${m.cpus} cores · Node ${escape(m.node)} · Python ${escape(m.python)} · ${escape(m.platform)}<br>${settings}</p>
<p class="legend">median, log scale:<span style="background:#3b74b8"></span>Python<span style="background:#e0a21b"></span>TypeScript</p>
<table>
<thead><tr><th>measurement</th><th></th><th class="num">median</th><th class="num">min</th><th class="num">max</th><th class="num">result</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${ratios ? `<h2>Ratios</h2>\n<ul>\n${ratios}\n</ul>` : ''}
${checks ? `<h2>Checks</h2>\n<ul>\n${checks}\n</ul>` : ''}
${notes ? `<h2>Notes</h2>\n<ul>\n${notes}\n</ul>` : ''}
</body>
</html>
`
}
