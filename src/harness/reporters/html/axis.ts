/** Log-scale axes: nice tick values and the value → pixel mapping. Pure; the SVG is drawn in axis-svg.ts. */

export interface LogAxis {
  /** Tick values, ascending; the first and last are the ends of the axis. */
  ticks: number[]
  lo: number
  hi: number
  /** Pixel position of a value, `from` at lo, `to` at hi (to may be less than from, for a y axis). */
  at(value: number): number
}

/** 2 × 10⁻³ computed as 2 * 10 ** -3 is 0.0020000000000000005; ticks must print and compare cleanly. */
const clean = (n: number): number => Number(n.toPrecision(12))

/**
 * Ticks from the nice value at or below `min` to the one at or above `max`: 1-2-5 per decade over up to
 * three decades, beyond that decades only (1-2-5 over four or more decades crowds the labels), and every
 * other decade beyond ten.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0 && Number.isFinite(max) && max >= min)) {
    throw new RangeError(`logTicks needs 0 < min <= max, got ${min}, ${max}`)
  }
  const span = Math.log10(max / min)
  const mantissas = span > 3 ? [1] : [1, 2, 5]
  const decadeStep = span > 10 ? 2 : 1
  const candidates: number[] = []
  const first = Math.floor(Math.log10(min)) - 1
  const last = Math.ceil(Math.log10(max)) + 1
  for (let e = first - (((first % decadeStep) + decadeStep) % decadeStep); e <= last + decadeStep; e += decadeStep) {
    for (const m of mantissas) candidates.push(clean(m * 10 ** e))
  }
  const tolerance = 1e-9
  let lo = 0
  while (lo + 1 < candidates.length && (candidates[lo + 1] as number) <= min * (1 + tolerance)) lo++
  let hi = candidates.length - 1
  while (hi - 1 >= 0 && (candidates[hi - 1] as number) >= max * (1 - tolerance)) hi--
  // one value alone (min = max = a tick) still needs an axis with two ends
  if (hi === lo) hi++
  return candidates.slice(lo, hi + 1)
}

export function logAxis(min: number, max: number, from: number, to: number): LogAxis {
  const ticks = logTicks(min, max)
  const lo = ticks[0] as number
  const hi = ticks[ticks.length - 1] as number
  const l0 = Math.log10(lo)
  const span = Math.log10(hi) - l0
  // a value below the axis (a 0 s measurement) is drawn at its start rather than at -Infinity
  return { ticks, lo, hi, at: (value) => from + ((Math.log10(Math.max(value, lo)) - l0) / span) * (to - from) }
}

/** Counts on an axis (agents): 5, 50, 1k, 20k. */
export function formatTickCount(n: number): string {
  if (n >= 1e6) return `${clean(n / 1e6)}M`
  if (n >= 1e4) return `${clean(n / 1e3)}k`
  return String(clean(n))
}
