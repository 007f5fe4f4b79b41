// The first attempt at porting rank_documents: looks right, passes a quick test, and is subtly wrong.
// Math.round rounds halves up (12.5 -> 13); Python's round() rounds halves to even (12.5 -> 12).
import { rankWith } from './bm25.js'

export const rankDocuments = rankWith(Math.round)
export default rankDocuments
