import { performance } from 'node:perf_hooks'
import type { Sample } from '../../src/harness/types.js'

/** Anything with the shape of a tiny `add(a, b)` call: raw pythonia's proxy or a PythonModule. */
export type AddCall = (a: number, b: number) => Promise<number>

const secondsSince = (t0: number) => (performance.now() - t0) / 1000

/** `n` calls one after another; seconds per call. `sum` lets the suite check every answer arrived. */
export async function sequential(add: AddCall, n: number): Promise<Sample> {
  let sum = 0
  const t0 = performance.now()
  for (let i = 0; i < n; i++) sum += await add(i, 1)
  return { seconds: secondsSince(t0) / n, sum }
}

/** `n` calls in flight at once; seconds per call. */
export async function inFlight(add: AddCall, n: number): Promise<Sample> {
  const t0 = performance.now()
  const out = await Promise.all(Array.from({ length: n }, (_, i) => add(i, 1)))
  const seconds = secondsSince(t0) / n
  return { seconds, sum: out.reduce((a, b) => a + b, 0) }
}

/** What `add(i, 1)` for i < n sums to. */
export const expectedAddSum = (n: number) => (n * (n - 1)) / 2 + n

/** Times one async operation; seconds. */
export async function once<T>(op: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now()
  const value = await op()
  return { seconds: secondsSince(t0), value }
}

/**
 * Two callers measured in alternating blocks (a, b, a, b...), so both see the same machine load even when
 * other jobs come and go within a run; seconds per call for each. `inFlightBlocks` starts each block's calls
 * at once instead of one by one.
 */
export async function interleaved(
  a: AddCall,
  b: AddCall,
  options: { blocks: number; perBlock: number; inFlight: boolean },
): Promise<{ a: Sample; b: Sample }> {
  const run = options.inFlight ? inFlight : sequential
  let secondsA = 0
  let secondsB = 0
  let sumA = 0
  let sumB = 0
  for (let i = 0; i < options.blocks; i++) {
    const first = i % 2 === 0 ? a : b // alternate which goes first, too
    const second = first === a ? b : a
    const s1 = await run(first, options.perBlock)
    const s2 = await run(second, options.perBlock)
    const [sa, sb] = first === a ? [s1, s2] : [s2, s1]
    secondsA += sa.seconds
    secondsB += sb.seconds
    sumA += Number(sa.sum)
    sumB += Number(sb.sum)
  }
  return { a: { seconds: secondsA / options.blocks, sum: sumA }, b: { seconds: secondsB / options.blocks, sum: sumB } }
}
