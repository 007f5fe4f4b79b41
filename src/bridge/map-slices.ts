/**
 * Runs a map as `slices` contiguous slices at once (one per interpreter of a pool, or per thread of a bridge) and
 * joins the results in order. Every slice runs to the end; the error of the first failing item by index wins.
 */
export async function mapInSlices(
  list: readonly unknown[][],
  slices: number,
  indexBase: number,
  run: (slice: unknown[][], sliceBase: number, n: number) => Promise<unknown[]>,
): Promise<unknown[]> {
  const per = Math.ceil(list.length / slices)
  const parts: Promise<unknown[]>[] = []
  for (let n = 0, s = 0; s < list.length; n++, s += per) parts.push(run(list.slice(s, s + per), indexBase + s, n))
  const settled = await Promise.allSettled(parts)
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as { index?: number } | null | undefined] : []))
  if (failures.length) {
    failures.sort((a, b) => (a?.index ?? Infinity) - (b?.index ?? Infinity))
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the first slice's rejection as it came (a PyportError, or what the caller's abort carried)
    throw failures[0]
  }
  return settled.flatMap((r) => (r as PromiseFulfilledResult<unknown[]>).value)
}
