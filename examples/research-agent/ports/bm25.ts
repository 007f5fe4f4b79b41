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
  'the a an of to and in is that for on with as by this it from at be are was or which what how why does do when who tell me about'.split(' '),
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

export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const t of text.toLowerCase().match(TOKEN) ?? []) if (!STOPWORDS.has(t)) out.push(stem(t))
  return out
}

/** rank_documents with the given rounding for `coverage` (the one thing the two port files differ in). */
export function rankWith(round: (x: number) => number) {
  return function rankDocuments(query: string, docs: Doc[], k = 5): Ranked[] {
    const terms = [...new Set(tokenize(query))]
    if (terms.length === 0 || docs.length === 0) return []
    const tokenized = docs.map((d) => tokenize(`${d.title} ${d.text}`))
    let total = 0
    for (const t of tokenized) total += t.length
    const avgLen = total / tokenized.length
    const df = new Map<string, number>()
    for (const toks of tokenized) for (const term of new Set(toks)) df.set(term, (df.get(term) ?? 0) + 1)
    const n = docs.length
    const scored: Ranked[] = []
    docs.forEach((doc, i) => {
      const toks = tokenized[i] as string[]
      const tf = new Map<string, number>()
      for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1)
      let score = 0.0
      let matched = 0
      for (const term of terms) {
        const f = tf.get(term) ?? 0
        if (f === 0) continue
        matched += 1
        const d = df.get(term) as number
        const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5))
        score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * toks.length) / avgLen))
      }
      if (matched) scored.push({ id: doc.id, title: doc.title, score, coverage: round((100 * matched) / terms.length) })
    })
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return scored.slice(0, k)
  }
}
