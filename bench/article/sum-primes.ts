/**
 * The article's sum_primes, same algorithm: trial division by 2..floor(sqrt(n)), stopping at the first divisor.
 * Like the Python original, 0 and 1 count as primes when a range includes them (the article starts at 2).
 */
export function sumPrimes(start: number, end: number): number {
  let total = 0
  for (let num = start; num < end; num++) {
    let isPrime = true
    const bound = Math.floor(Math.sqrt(num))
    for (let i = 2; i <= bound; i++) {
      if (num % i === 0) {
        isPrime = false
        break
      }
    }
    if (isPrime) total += num
  }
  return total
}
