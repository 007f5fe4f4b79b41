// The port of agent.py's rank_documents, with Python's rounding: this is the one shadow mode proves equal.
import { rankWith } from './bm25.js'

/** Python's round(x) for floats: halves go to the even neighbour (round(12.5) == 12, round(13.5) == 14). */
export function pyRound(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

export const rankDocuments = rankWith(pyRound)
export default rankDocuments
