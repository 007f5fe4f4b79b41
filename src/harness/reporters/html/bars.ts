import { formatSeconds, formatTickSeconds } from '../../format.js'
import type { ResultRow } from '../../types.js'
import { logAxis } from './axis.js'
import { xAxisSvg, type PlotBox } from './axis-svg.js'
import { LANG_COLOR } from './colors.js'
import { escapeHtml, truncate } from './escape.js'

const WIDTH = 1000
const ROW_HEIGHT = 28
const BAR_HEIGHT = 14
/** Room right of the plot for the median printed after the longest whisker. */
const VALUE_ROOM = 80
const CHAR_WIDTH = 6.6
const MAX_LABEL_CHARS = 56

const f = (n: number): string => n.toFixed(1)

/**
 * One horizontal bar per measurement: the bar reaches the median, the whisker spans min to max, on a log
 * axis so 20 ms and 2 s both stay readable. `unstable` ids get a ⚠ before their label.
 */
export function renderBarChart(rows: readonly ResultRow[], unstable: ReadonlySet<string>, label: string): string {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- counts code points on purpose (the width of terminal and SVG text); grapheme clusters are not needed here
  const longest = Math.max(...rows.map((r) => Math.min([...r.title].length + 2, MAX_LABEL_CHARS)))
  const box: PlotBox = {
    left: Math.round(Math.min(Math.max(longest * CHAR_WIDTH + 16, 120), 390)),
    right: WIDTH - VALUE_ROOM,
    top: 8,
    bottom: 8 + rows.length * ROW_HEIGHT,
  }
  const height = box.bottom + 46
  // the fastest bar must not start at the axis' left end, or it would have no length to see
  const positive = rows.flatMap((r) => [r.min_s, r.max_s]).filter((v) => v > 0)
  const [lo, hi] = positive.length > 0 ? [Math.min(...positive), Math.max(...positive)] : [1e-9, 1e-9]
  const axis = logAxis(lo / 1.3, hi, box.left, box.right)

  const bars = rows.map((r, i) => {
    const cy = box.top + i * ROW_HEIGHT + ROW_HEIGHT / 2
    const [xMin, xMed, xMax] = [axis.at(r.min_s), axis.at(r.median_s), axis.at(r.max_s)]
    const warn = unstable.has(r.id)
    const title = `${r.title} (${r.id}): median ${formatSeconds(r.median_s)}, min ${formatSeconds(r.min_s)}, max ${formatSeconds(r.max_s)}`
    return (
      `<g class="bar-row${warn ? ' unstable' : ''}" data-id="${escapeHtml(r.id)}"><title>${escapeHtml(title)}</title>` +
      `<text class="bar-label" x="${box.left - 8}" y="${f(cy)}" dy="0.35em" text-anchor="end">` +
      `${warn ? '<tspan class="warn-mark">⚠ </tspan>' : ''}${escapeHtml(truncate(r.title, MAX_LABEL_CHARS - 2))}</text>` +
      `<rect class="bar" x="${box.left}" y="${f(cy - BAR_HEIGHT / 2)}" width="${f(Math.max(xMed - box.left, 1))}" ` +
      `height="${BAR_HEIGHT}" fill="${LANG_COLOR[r.lang]}" data-median="${r.median_s}"/>` +
      `<g class="whisker"><line x1="${f(xMin)}" x2="${f(xMax)}" y1="${f(cy)}" y2="${f(cy)}"/>` +
      `<line x1="${f(xMin)}" x2="${f(xMin)}" y1="${f(cy - 5)}" y2="${f(cy + 5)}"/>` +
      `<line x1="${f(xMax)}" x2="${f(xMax)}" y1="${f(cy - 5)}" y2="${f(cy + 5)}"/></g>` +
      `<text class="bar-value" x="${f(Math.max(xMax, xMed) + 6)}" y="${f(cy)}" dy="0.35em">${escapeHtml(formatSeconds(r.median_s))}</text></g>`
    )
  })

  return (
    `<svg class="chart bar-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">` +
    xAxisSvg(axis, box, formatTickSeconds, 'median (bar) and min–max (whisker), log scale') +
    bars.join('') +
    '</svg>'
  )
}
