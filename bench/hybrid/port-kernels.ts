/**
 * The ports of bench/hybrid/port_calls.py, served to Python through `@port` (bench/hybrid/port-calls.ts).
 * sumPrimes is the same trial division as port_calls.py's _sum_primes, line for line.
 */
export function sumPrimes(lo: number, hi: number): number {
  let total = 0
  for (let n = Math.max(lo, 2); n < hi; n++) {
    let d = 2
    let prime = true
    while (d * d <= n) {
      if (n % d === 0) {
        prime = false
        break
      }
      d++
    }
    if (prime) total += n
  }
  return total
}

export function tiny(x: number): number {
  return x + 1
}
