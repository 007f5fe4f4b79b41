// TypeScript port of agent.py's tokenize() and rank_documents(), statement for statement, so that every
// float operation happens in the same order as in Python and the scores come out bit-for-bit the same.

export interface Doc {
  id: string
  title: string
  text: string
}

export interface Ranked {
  id: string
  title: string
  score: number
  coverage: number
}

const STOPWORDS = new Set(
  'the a an of to and in is that for on with as by this it from at be are was or which what how why does do when who tell me about'.split(
    ' ',
  ),
)
const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ness', 'ers', 'ies', 'ed', 'es', 'er', 'ly', 's']
const TOKEN = /[a-z0-9]+/g
const K1 = 1.5
const B = 0.75

export function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) return word.slice(0, -suffix.length)
  }
  return word
}

// Agent vocabularies are small and words repeat: remember each word's stem (null for a stopword). Bounded,
// so a stream of unique words cannot grow it without limit.
const stems = new Map<string, string | null>()
const MAX_STEMS = 100_000

export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const t of text.toLowerCase().match(TOKEN) ?? []) {
    let s = stems.get(t)
    if (s === undefined) {
      s = STOPWORDS.has(t) ? null : stem(t)
      if (stems.size < MAX_STEMS) stems.set(t, s)
    }
    if (s !== null) out.push(s)
  }
  return out
}

/**
 * rank_documents with the given rounding for `coverage` (the one thing the two port files differ in).
 * Python counts every term of every document; only the query's terms reach the score, so the port counts
 * just those (same numbers, same float operations in the same order, much less work).
 */
export function rankWith(round: (x: number) => number) {
  return function rankDocuments(query: string, docs: Doc[], k = 5): Ranked[] {
    const terms = [...new Set(tokenize(query))]
    if (terms.length === 0 || docs.length === 0) return []
    const index = new Map(terms.map((t, i) => [t, i]))
    const n = docs.length
    const lengths = new Float64Array(n)
    const tf = docs.map(() => new Uint32Array(terms.length))
    const df = new Uint32Array(terms.length)
    let total = 0
    docs.forEach((d, i) => {
      const toks = tokenize(`${d.title} ${d.text}`)
      lengths[i] = toks.length
      total += toks.length
      const counts = tf[i] as Uint32Array
      for (const t of toks) {
        const j = index.get(t)
        if (j !== undefined) counts[j] = (counts[j] as number) + 1
      }
      for (let j = 0; j < terms.length; j++) if ((counts[j] as number) > 0) df[j] = (df[j] as number) + 1
    })
    const avgLen = total / n
    const scored: Ranked[] = []
    docs.forEach((doc, i) => {
      const counts = tf[i] as Uint32Array
      const len = lengths[i] as number
      let score = 0.0
      let matched = 0
      for (let j = 0; j < terms.length; j++) {
        const f = counts[j] as number
        if (f === 0) continue
        matched += 1
        const d = df[j] as number
        const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5))
        score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * len) / avgLen))
      }
      if (matched) scored.push({ id: doc.id, title: doc.title, score, coverage: round((100 * matched) / terms.length) })
    })
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return scored.slice(0, k)
  }
}
