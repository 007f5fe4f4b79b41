import { sumPrimes } from './sum-primes.js'

/** piscina task: one range of the article's workload. */
export default function sumPrimesTask({ start, end }: { start: number; end: number }): number {
  return sumPrimes(start, end)
}
