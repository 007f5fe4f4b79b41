import { describe, expect, it } from 'vitest'
import { balancedChunks, articleSplit } from '../../bench/article/chunks.js'
import { pythonReferenceSums } from '../../bench/article/python-scripts.js'
import { sumPrimes } from '../../bench/article/sum-primes.js'
import { resolveInterpreter } from '../../src/bridge/interpreter.js'

describe("the TypeScript port of the article's sum_primes", () => {
  it.each([50, 1_000, 20_000])('equals the Python sum for primes below %i', async (limit) => {
    const { path } = await resolveInterpreter()
    const py = await pythonReferenceSums({ python: path, limit, ioSeconds: 1 })
    expect(sumPrimes(2, limit)).toBe(py.sum)
    const [lower, upper] = articleSplit(limit)
    expect(sumPrimes(lower.start, lower.end)).toBe(py.lower)
    expect(sumPrimes(upper.start, upper.end)).toBe(py.upper)
  })

  it('keeps the quirk of the original: 0 and 1 count when a range starts below 2', () => {
    // Python's range(2, int(1**0.5)+1) is empty, so the article's function counts 1 as prime
    expect(sumPrimes(0, 10)).toBe(0 + 1 + 2 + 3 + 5 + 7)
  })
})

describe('balanced chunks', () => {
  it('cover the range exactly once, in order', () => {
    for (const count of [1, 2, 7, 16]) {
      const chunks = balancedChunks(2, 200_000, count)
      expect(chunks[0]?.start).toBe(2)
      expect(chunks[chunks.length - 1]?.end).toBe(200_000)
      for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.start).toBe(chunks[i - 1]?.end)
    }
  })

  it('add up to the single-thread sum', () => {
    const chunks = balancedChunks(2, 30_000, 8)
    const total = chunks.reduce((acc, c) => acc + sumPrimes(c.start, c.end), 0)
    expect(total).toBe(sumPrimes(2, 30_000))
  })

  it('give the upper ranges fewer numbers, since each costs more', () => {
    const [first, , , last] = balancedChunks(2, 200_000, 4)
    expect(first!.end - first!.start).toBeGreaterThan(last!.end - last!.start)
  })

  it('never produce empty chunks on a tiny range', () => {
    const chunks = balancedChunks(2, 5, 16)
    expect(chunks.every((c) => c.end > c.start)).toBe(true)
    expect(chunks.reduce((n, c) => n + c.end - c.start, 0)).toBe(3)
  })

  it('reject a bad chunk count', () => {
    expect(() => balancedChunks(2, 10, 0)).toThrow(RangeError)
    expect(() => balancedChunks(2, 10, 1.5)).toThrow(RangeError)
  })
})
