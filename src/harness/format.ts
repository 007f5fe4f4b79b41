/** Number formatting shared by the reporters: durations with a sensible unit, ratios with their spread. */

export function formatSeconds(s: number): string {
  if (s >= 10) return `${s.toFixed(1)} s`
  if (s >= 1) return `${s.toFixed(3)} s`
  if (s >= 1e-3) return `${(s * 1e3).toFixed(s >= 0.1 ? 0 : 1)} ms`
  if (s >= 1e-6) return `${(s * 1e6).toFixed(1)} µs`
  return `${(s * 1e9).toFixed(0)} ns`
}

export function formatRatio(median: number, stddev: number): string {
  const digits = median >= 100 ? 0 : median >= 10 ? 1 : 2
  return `${median.toFixed(digits)} ± ${stddev.toFixed(digits)}`
}

/** A ratio row's figures: median(vs) / median(of) (above 1: `of` is faster), and the spread of the paired runs. */
export interface RatioFigures {
  median: number
  stddev: number
  min: number
  max: number
}

/**
 * How a ratio row reads, as "<of> <relation> <vs>  (<figures>)", always in the natural direction:
 *   "23.4 ± 1.2 × faster than"  (paired runs 21.00–25.00)
 *   "1.06 ± 0.02 × slower than" (paired runs 1.04–1.09): a ratio below 1 is turned around, spread and range with it;
 *   "within noise of"           (median 1.02 ± 0.03 × slower; paired runs 0.97–1.06): when the paired runs disagree
 *                                on the direction (their range straddles 1), no "faster" or "slower" is claimed.
 */
export function describeRatio(r: RatioFigures): { relation: string; figures: string } {
  const range = describePairedRange(r.median, r.min, r.max)
  const faster = r.median >= 1
  const [value, spread] = faster ? [r.median, r.stddev] : [1 / r.median, r.stddev / (r.median * r.median)] // first-order spread of 1/x
  const word = faster ? 'faster' : 'slower'
  if (r.min <= 1 && r.max >= 1) return { relation: 'within noise of', figures: `median ${formatRatio(value, spread)} × ${word}; ${range}` }
  return { relation: `${formatRatio(value, spread)} × ${word} than`, figures: range }
}

export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- counts code points on purpose (the width of terminal and SVG text); grapheme clusters are not needed here
  const len = [...text].length
  if (len >= width) return text
  return align === 'left' ? text + ' '.repeat(width - len) : ' '.repeat(width - len) + text
}

/** The paired-run range in the direction describeRatio reads: inverted when the ratio reads "slower". */
export function describePairedRange(median: number, min: number, max: number): string {
  const [lo, hi] = median >= 1 ? [min, max] : [1 / max, 1 / min]
  return `paired runs ${lo.toFixed(2)}–${hi.toFixed(2)}`
}

/** An axis tick: formatSeconds without the trailing zeros a round tick value gets ("1 s", "20 ms", not "1.000 s"). */
export function formatTickSeconds(s: number): string {
  return formatSeconds(s).replace(/\.(\d*?)0+ /, (_, kept: string) => (kept ? `.${kept} ` : ' '))
}
