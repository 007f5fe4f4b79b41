export interface Range {
  start: number
  end: number
}

/**
 * Splits [start, end) into `count` ranges of roughly equal cost. Trial division of n costs up to sqrt(n)
 * steps, so the cumulative cost grows like n^1.5: the cut points are equal steps of n^1.5. (The article's
 * half/half split gives the upper half most of the work.)
 */
export function balancedChunks(start: number, end: number, count: number): Range[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a whole number >= 1, got ${count}`)
  if (!(end >= start)) throw new RangeError(`end (${end}) must be >= start (${start})`)
  const lo = start ** 1.5
  const hi = end ** 1.5
  const cuts = [start]
  for (let i = 1; i < count; i++) {
    const cut = Math.round((lo + ((hi - lo) * i) / count) ** (2 / 3))
    cuts.push(Math.min(end, Math.max(cuts[cuts.length - 1] as number, cut)))
  }
  cuts.push(end)
  const ranges: Range[] = []
  for (let i = 0; i < count; i++) {
    const s = cuts[i] as number
    const e = cuts[i + 1] as number
    if (e > s) ranges.push({ start: s, end: e })
  }
  return ranges
}

/** The article's split: 2..LIMIT//2 and LIMIT//2..LIMIT. */
export function articleSplit(limit: number): [Range, Range] {
  const mid = Math.floor(limit / 2)
  return [
    { start: 2, end: mid },
    { start: mid, end: limit },
  ]
}
