import type { Lang } from '../../types.js'

export const LANG_COLOR: Record<Lang, string> = { python: '#3b74b8', ts: '#e0a21b', hybrid: '#2a9d6f' }
export const LANG_NAME: Record<Lang, string> = { python: 'Python', ts: 'TypeScript', hybrid: 'Hybrid (Python + TS port)' }

/** Shades of the lang's colour, so several variants of one lang stay apart but still read as that lang. */
const SHADES: Record<Lang, string[]> = {
  python: ['#1f4e8c', '#4f8ad0', '#8fb5e6', '#0f2f5c'],
  ts: ['#c98a00', '#f0bf4c', '#8a5a00', '#f7d98e'],
  hybrid: ['#1b7a55', '#4cc28f', '#0d4a33', '#93dcbb'],
}

/** Marker shapes, so lines of one lang also differ for readers who cannot tell the shades apart. */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond'
const SHAPES: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond']

export interface VariantStyle {
  color: string
  shape: MarkerShape
}

/** The n-th variant of each lang gets the n-th shade and shape. */
export function variantStyles(variants: readonly { id: string; lang: Lang }[]): Map<string, VariantStyle> {
  const seen: Record<Lang, number> = { python: 0, ts: 0, hybrid: 0 }
  const styles = new Map<string, VariantStyle>()
  for (const v of variants) {
    const n = seen[v.lang]++
    const shades = SHADES[v.lang]
    styles.set(v.id, { color: shades[n % shades.length] as string, shape: SHAPES[n % SHAPES.length] as MarkerShape })
  }
  return styles
}

export function markerSvg(shape: MarkerShape, x: number, y: number, color: string): string {
  const r = 4
  const at = (dx: number, dy: number) => `${(x + dx).toFixed(1)},${(y + dy).toFixed(1)}`
  const attrs = `class="marker" fill="${color}" stroke="#fff" stroke-width="1"`
  switch (shape) {
    case 'circle':
      return `<circle ${attrs} cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}"/>`
    case 'square':
      return `<rect ${attrs} x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}"/>`
    case 'triangle':
      return `<polygon ${attrs} points="${at(0, -r - 1)} ${at(r + 1, r)} ${at(-r - 1, r)}"/>`
    case 'diamond':
      return `<polygon ${attrs} points="${at(0, -r - 1)} ${at(r + 1, 0)} ${at(0, r + 1)} ${at(-r - 1, 0)}"/>`
  }
}
