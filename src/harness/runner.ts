import type { Benchmark, Sample, SuiteContext } from './types.js'

/**
 * Runs every benchmark's warm-up, then `runs` rounds; each round runs each benchmark once, so run i of every
 * measurement saw roughly the same machine load (that is what makes paired ratios meaningful on a noisy box).
 */
export async function runRounds(
  benchmarks: readonly Benchmark[],
  ctx: Pick<SuiteContext, 'runs' | 'warmup' | 'progress'>,
): Promise<Record<string, Sample[]>> {
  const samples = Object.create(null) as Record<string, Sample[]>
  for (const b of benchmarks) for (const id of b.ids) samples[id] = []

  const total = benchmarks.reduce((n, b) => n + (b.warmup ?? ctx.warmup) + ctx.runs, 0)
  let done = 0
  for (const b of benchmarks) {
    const warmup = b.warmup ?? ctx.warmup
    for (let w = 0; w < warmup; w++) {
      ctx.progress(`warm-up ${w + 1}/${warmup}: ${b.label}`, { done: done++, total })
      await b.run()
    }
  }
  for (let round = 1; round <= ctx.runs; round++) {
    for (const b of benchmarks) {
      ctx.progress(`run ${round}/${ctx.runs}: ${b.label}`, { done: done++, total })
      const out = await b.run()
      for (const id of b.ids) {
        const sample = out[id]
        if (!sample) throw new Error(`benchmark "${b.label}" returned no sample for ${id}`)
        samples[id]?.push(sample)
      }
    }
  }
  return samples
}
