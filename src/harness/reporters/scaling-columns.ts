import { formatSeconds } from '../format.js'
import type { ScalingPoint, ScalingReport } from '../types.js'

/** The per-point scaling table as plain cells, shared by the terminal, markdown and HTML reporters. */
export interface ScalingColumns {
  header: string[]
  align: ('left' | 'right')[]
  rows: string[][]
}

/** Points in legend order (variants as listed), then by size. */
export function orderedPoints(s: ScalingReport): ScalingPoint[] {
  const rank = new Map(s.variants.map((v, i) => [v.id, i]))
  const at = (p: ScalingPoint) => rank.get(p.variant) ?? s.variants.length
  return [...s.points].sort((a, b) => at(a) - at(b) || a.x - b.x)
}

export function predictedCores(s: ScalingReport): number[] {
  return [...new Set(s.points.flatMap((p) => p.predicted.map((q) => q.cores)))].sort((a, b) => a - b)
}

const threeDigits = (n: number): string => n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)

export function scalingColumns(s: ScalingReport): ScalingColumns {
  const cores = predictedCores(s)
  const titles = new Map(s.variants.map((v) => [v.id, v.title]))
  const header = [
    'variant',
    s.xLabel,
    'median wall',
    `${s.xLabel}/s`,
    'p50',
    'p99',
    'CPU use',
    'peak RSS',
    'ideal',
    '×ideal',
    ...cores.map((c) => `model @${c} cores`),
  ]
  const rows = orderedPoints(s).map((p) => {
    const predicted = new Map(p.predicted.map((q) => [q.cores, q.seconds]))
    return [
      titles.get(p.variant) ?? p.variant,
      String(p.x),
      formatSeconds(p.wall.median_s),
      threeDigits(p.perSecond),
      formatSeconds(p.p50_s),
      formatSeconds(p.p99_s),
      `${(p.cpuUtil * 100).toFixed(0)} %`,
      `${p.peakRssMB.toFixed(p.peakRssMB >= 10 ? 0 : 1)} MB`,
      formatSeconds(p.ideal_s),
      `${threeDigits(p.xIdeal)}×`,
      ...cores.map((c) => {
        const seconds = predicted.get(c)
        return seconds === undefined ? '' : formatSeconds(seconds)
      }),
    ]
  })
  return { header, align: header.map((_, i) => (i === 0 ? 'left' : 'right')), rows }
}

/** The sentences printed under the table: how the ideal is set, and that the model columns are not measurements. */
export function scalingFootnotes(s: ScalingReport): string[] {
  const notes = [`ideal: ${s.idealRule}`, `model: ${s.model}`]
  if (predictedCores(s).length > 0) notes.push('The "model @N cores" columns are predictions (Amdahl model, not measured).')
  return notes
}
