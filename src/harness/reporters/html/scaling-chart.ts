import { formatSeconds, formatTickSeconds } from '../../format.js'
import type { ScalingPoint, ScalingReport } from '../../types.js'
import { formatTickCount, logAxis, type LogAxis } from './axis.js'
import { xAxisSvg, yAxisSvg, type PlotBox } from './axis-svg.js'
import { markerSvg, variantStyles, type VariantStyle } from './colors.js'
import { escapeHtml } from './escape.js'

const WIDTH = 1000
const HEIGHT = 440
const BOX: PlotBox = { left: 84, right: 730, top: 16, bottom: 380 }
const LEGEND_X = 752
const LEGEND_ROW = 22
/** Variants measured at the same x are nudged apart by this much, so their whiskers do not hide each other. */
const DODGE = 4
const INSET = 16

const f = (n: number): string => n.toFixed(1)

function variantSvg(id: string, title: string, points: ScalingPoint[], style: VariantStyle, dx: number, x: LogAxis, y: LogAxis): string {
  const xy = points.map((p) => [x.at(p.x) + dx, y.at(p.wall.median_s)] as const)
  const whiskers = points.map((p, i) => {
    const px = f((xy[i] as readonly [number, number])[0])
    const [y0, y1] = [f(y.at(p.wall.min_s)), f(y.at(p.wall.max_s))]
    return (
      `<g class="whisker" stroke="${style.color}"><line x1="${px}" x2="${px}" y1="${y0}" y2="${y1}"/>` +
      `<line x1="${f(Number(px) - 3)}" x2="${f(Number(px) + 3)}" y1="${y0}" y2="${y0}"/>` +
      `<line x1="${f(Number(px) - 3)}" x2="${f(Number(px) + 3)}" y1="${y1}" y2="${y1}"/></g>`
    )
  })
  const markers = points.map((p, i) => {
    const [px, py] = xy[i] as readonly [number, number]
    const tip = `${title}, ${p.x}: median ${formatSeconds(p.wall.median_s)} (min ${formatSeconds(p.wall.min_s)}, max ${formatSeconds(p.wall.max_s)})`
    return `<g><title>${escapeHtml(tip)}</title>${markerSvg(style.shape, px, py, style.color)}</g>`
  })
  return (
    `<g class="variant" data-variant="${escapeHtml(id)}">` +
    `<polyline class="series" fill="none" stroke="${style.color}" points="${xy.map(([a, b]) => `${f(a)},${f(b)}`).join(' ')}"/>` +
    `${whiskers.join('')}${markers.join('')}</g>`
  )
}

function legendSvg(s: ScalingReport, styles: Map<string, VariantStyle>): string {
  const rows = s.variants.map((v, i) => {
    const style = styles.get(v.id) as VariantStyle
    const y = BOX.top + 8 + i * LEGEND_ROW
    return (
      `<g class="legend-item" data-variant="${escapeHtml(v.id)}"><title>${escapeHtml(v.title)}</title>` +
      `<line x1="${LEGEND_X}" x2="${LEGEND_X + 24}" y1="${y}" y2="${y}" stroke="${style.color}" stroke-width="2"/>` +
      markerSvg(style.shape, LEGEND_X + 12, y, style.color) +
      `<text x="${LEGEND_X + 32}" y="${y}" dy="0.35em">${escapeHtml(v.id)}</text></g>`
    )
  })
  const y = BOX.top + 8 + s.variants.length * LEGEND_ROW
  rows.push(
    `<g class="legend-item ideal"><line x1="${LEGEND_X}" x2="${LEGEND_X + 24}" y1="${y}" y2="${y}" class="ideal-line"/>` +
      `<text x="${LEGEND_X + 32}" y="${y}" dy="0.35em">ideal (physical limit)</text></g>`,
  )
  return `<g class="legend">${rows.join('')}</g>`
}

/** Wall time against size, both on log axes: a line per variant with min–max whiskers, the ideal dashed. */
export function renderScalingChart(s: ScalingReport): string {
  const xs = [...s.points.map((p) => p.x), ...s.ideal.map((i) => i.x)]
  const ys = [...s.points.flatMap((p) => [p.wall.min_s, p.wall.max_s]), ...s.ideal.map((i) => i.seconds)].filter((v) => v > 0)
  // inset from the frame, so dodged points and whisker caps at the ends stay clear of the axis lines
  const x = logAxis(Math.min(...xs), Math.max(...xs), BOX.left + INSET, BOX.right - INSET)
  const y = logAxis(Math.min(...ys), Math.max(...ys), BOX.bottom - INSET, BOX.top + INSET)
  const styles = variantStyles(s.variants)
  const n = s.variants.length
  const lines = s.variants.map((v, i) => {
    const points = s.points.filter((p) => p.variant === v.id).sort((a, b) => a.x - b.x)
    return variantSvg(v.id, v.title, points, styles.get(v.id) as VariantStyle, (i - (n - 1) / 2) * DODGE, x, y)
  })
  const ideal = [...s.ideal].sort((a, b) => a.x - b.x).map((i) => `${f(x.at(i.x))},${f(y.at(i.seconds))}`)
  const label = `wall time by ${s.xLabel}: ${s.variants.map((v) => v.title).join(', ')}, and the ideal`
  return (
    `<svg class="chart scaling-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" ` +
    `role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">` +
    xAxisSvg(x, BOX, formatTickCount, `${s.xLabel} (log scale)`) +
    yAxisSvg(y, BOX, formatTickSeconds, 'wall time, median (whisker: min–max), log scale') +
    `<polyline class="ideal-line" fill="none" points="${ideal.join(' ')}"/>` +
    lines.join('') +
    legendSvg(s, styles) +
    '</svg>'
  )
}
