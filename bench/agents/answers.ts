/**
 * Every variant must compute the same answers: the same top documents and checksums, and best scores equal to
 * within 1e-12 relative (CPython's math.log and V8's Math.log may differ in the last bit).
 */
import type { Answer } from './agent.js'

const RTOL = 1e-12

function sameAnswer(a: Answer, b: Answer): boolean {
  const [topA, bestA, sumA] = a
  const [topB, bestB, sumB] = b
  if (sumA !== sumB || topA.length !== topB.length || topA.some((id, i) => id !== topB[i])) return false
  return Math.abs(bestA - bestB) <= RTOL * Math.max(Math.abs(bestA), Math.abs(bestB))
}

/** The first differences between two runs' answers (agent, step, both answers), at most `limit` of them. */
export function answerDifferences(reference: Answer[][], got: Answer[][], limit = 3): string[] {
  const out: string[] = []
  if (got.length !== reference.length) return [`${got.length} agents answered, expected ${reference.length}`]
  for (let agent = 0; agent < reference.length && out.length < limit; agent++) {
    const ref = reference[agent] as Answer[]
    const mine = got[agent] ?? []
    if (mine.length !== ref.length) {
      out.push(`agent ${agent}: ${mine.length} steps, expected ${ref.length}`)
      continue
    }
    ref.forEach((answer, step) => {
      const other = mine[step] as Answer
      if (!sameAnswer(answer, other) && out.length < limit)
        out.push(`agent ${agent} step ${step}: ${JSON.stringify(other)} vs ${JSON.stringify(answer)}`)
    })
  }
  return out
}
