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

/** "23.4 ± 1.2 × faster than", or for a ratio below 1 "1.06 ± 0.02 × slower than" (same spread, inverted). */
export function describeRatio(median: number, stddev: number): string {
  if (median >= 1) return `${formatRatio(median, stddev)} × faster than`
  const inv = 1 / median
  // first-order propagation of the spread through 1/x
  return `${formatRatio(inv, stddev * inv * inv)} × slower than`
}

export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const len = [...text].length
  if (len >= width) return text
  return align === 'left' ? text + ' '.repeat(width - len) : ' '.repeat(width - len) + text
}

/** The paired-run range in the same direction as describeRatio: inverted when the ratio reads "slower". */
export function describePairedRange(median: number, min: number, max: number): string {
  const [lo, hi] = median >= 1 ? [min, max] : [1 / max, 1 / min]
  return `paired runs ${lo.toFixed(2)}–${hi.toFixed(2)}`
}

/** An axis tick: formatSeconds without the trailing zeros a round tick value gets ("1 s", "20 ms", not "1.000 s"). */
export function formatTickSeconds(s: number): string {
  return formatSeconds(s).replace(/\.(\d*?)0+ /, (_, kept: string) => (kept ? `.${kept} ` : ' '))
}
