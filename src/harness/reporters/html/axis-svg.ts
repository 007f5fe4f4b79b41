import type { LogAxis } from './axis.js'
import { escapeHtml } from './escape.js'

/** The plot rectangle an axis is drawn along, in SVG user units. */
export interface PlotBox {
  left: number
  right: number
  top: number
  bottom: number
}

const f = (n: number): string => n.toFixed(1)

/** Along the bottom: a grid line, a tick and a label per tick, the axis title under the labels. */
export function xAxisSvg(axis: LogAxis, box: PlotBox, format: (v: number) => string, title: string): string {
  const parts = axis.ticks.map((t) => {
    const x = f(axis.at(t))
    return (
      `<line class="grid" x1="${x}" x2="${x}" y1="${f(box.top)}" y2="${f(box.bottom)}"/>` +
      `<line class="tick" x1="${x}" x2="${x}" y1="${f(box.bottom)}" y2="${f(box.bottom + 5)}"/>` +
      `<text class="tick-label" x="${x}" y="${f(box.bottom + 18)}" text-anchor="middle">${escapeHtml(format(t))}</text>`
    )
  })
  const mid = f((box.left + box.right) / 2)
  return (
    `<g class="axis x-axis">${parts.join('')}` +
    `<line class="axis-line" x1="${f(box.left)}" x2="${f(box.right)}" y1="${f(box.bottom)}" y2="${f(box.bottom)}"/>` +
    `<text class="axis-title" x="${mid}" y="${f(box.bottom + 36)}" text-anchor="middle">${escapeHtml(title)}</text></g>`
  )
}

/** Along the left: a grid line, a tick and a label per tick, the axis title turned upright beside the labels. */
export function yAxisSvg(axis: LogAxis, box: PlotBox, format: (v: number) => string, title: string): string {
  const parts = axis.ticks.map((t) => {
    const y = f(axis.at(t))
    return (
      `<line class="grid" x1="${f(box.left)}" x2="${f(box.right)}" y1="${y}" y2="${y}"/>` +
      `<line class="tick" x1="${f(box.left - 5)}" x2="${f(box.left)}" y1="${y}" y2="${y}"/>` +
      `<text class="tick-label" x="${f(box.left - 8)}" y="${y}" dy="0.35em" text-anchor="end">${escapeHtml(format(t))}</text>`
    )
  })
  const mid = f((box.top + box.bottom) / 2)
  const titleX = f(box.left - 58)
  return (
    `<g class="axis y-axis">${parts.join('')}` +
    `<line class="axis-line" x1="${f(box.left)}" x2="${f(box.left)}" y1="${f(box.top)}" y2="${f(box.bottom)}"/>` +
    `<text class="axis-title" x="${titleX}" y="${mid}" text-anchor="middle" transform="rotate(-90 ${titleX} ${mid})">` +
    `${escapeHtml(title)}</text></g>`
  )
}
