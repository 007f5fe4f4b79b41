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
