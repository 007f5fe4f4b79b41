/**
 * The TypeScript twin of bench/agents/agent.py, line for line: the same corpus, the same tool call, the same BM25
 * think. `think` is also the port that pyport.hybrid's Python agents call through `@port("think")`, and the kernel
 * the ts variant runs on its WorkerPool.
 */
const CORPUS_SIZE = 400
const DOCS_PER_SEARCH = 80
const WORDS_PER_DOC = 12
const VOCABULARY = 240
const QUERY_TERMS = 4
const TOP = 3
const K1 = 1.2
const B = 0.75
const TWO_32 = 4294967296

/** [top ids of the last query, its best score, checksum of every query's top ids] */
export type Answer = [number[], number, number]

/** Numerical Recipes' 32-bit LCG; every product stays below 2^53, so Numbers are exact. */
export const lcg = (seed: number): number => (seed * 1664525 + 1013904223) % TWO_32

const word = (i: number): string => `w${i}`

function buildCorpus(): string[] {
  let seed = 12345
  const corpus: string[] = []
  for (let d = 0; d < CORPUS_SIZE; d++) {
    const words: string[] = []
    for (let w = 0; w < WORDS_PER_DOC; w++) {
      seed = lcg(seed)
      words.push(word(Math.floor((((seed >>> 8) % VOCABULARY) * (((seed >>> 4) % 4) + 1)) / 4)))
    }
    corpus.push(words.join(' '))
  }
  return corpus
}

const CORPUS = buildCorpus()

/** The search tool: document ids, their texts, and the seed the step's queries are drawn from. */
export function toolCall(agent: number, step: number): [number[], string[], number] {
  let seed = lcg((agent * 7919 + step * 104729 + 1) % TWO_32)
  const ids: number[] = []
  for (let i = 0; i < DOCS_PER_SEARCH; i++) {
    seed = lcg(seed)
    ids.push((seed >>> 8) % CORPUS_SIZE)
  }
  return [ids, ids.map((i) => CORPUS[i] as string), seed]
}

/** How long this step's network call takes: ioS times a factor in [0.5, 1.5), as agent.py draws it. */
export function waitSeconds(agent: number, step: number, ioS: number): number {
  const u = (lcg((agent * 31337 + step * 7 + 99) % TWO_32) >>> 8) / 16777216
  return ioS * (0.5 + u)
}

function queries(seed: number, rounds: number): string[][] {
  const out: string[][] = []
  for (let r = 0; r < rounds; r++) {
    const terms: string[] = []
    for (let t = 0; t < QUERY_TERMS; t++) {
      seed = lcg(seed)
      terms.push(word((seed >>> 8) % (VOCABULARY / 2)))
    }
    out.push(terms)
  }
  return out
}

/** Term ids, shared by every call on this thread: the corpus has at most VOCABULARY words. */
const termIds = new Map<string, number>()
const termId = (t: string): number => {
  let id = termIds.get(t)
  if (id === undefined) termIds.set(t, (id = termIds.size))
  return id
}

function tokenise(doc: string): Int32Array {
  const words = doc.split(' ')
  const out = new Int32Array(words.length)
  for (let k = 0; k < words.length; k++) out[k] = termId(words[k] as string)
  return out
}

/**
 * Python's think, ported as one would port it: words become small integers once, so counting a term in a document
 * is a scan of 12 ints rather than a dictionary lookup. Same arithmetic, same order, same answers.
 */
export function think(ids: number[], docs: string[], seed: number, rounds: number): Answer {
  const n = docs.length
  const terms = docs.map(tokenise)
  let total = 0
  for (const t of terms) total += t.length
  const avg = total / n
  const df = new Int32Array(termIds.size + QUERY_TERMS * rounds)
  const seenIn = new Int32Array(df.length).fill(-1)
  terms.forEach((doc, i) => {
    for (const t of doc) {
      if (seenIn[t] !== i) {
        seenIn[t] = i
        df[t] = (df[t] as number) + 1
      }
    }
  })
  let checksum = 0
  let top: number[] = []
  let best = 0
  const scores = new Float64Array(n)
  for (const q of queries(seed, rounds)) {
    const qIds = q.map(termId)
    for (let i = 0; i < n; i++) {
      const doc = terms[i] as Int32Array
      const norm = K1 * (1 - B + (B * doc.length) / avg)
      let s = 0
      for (const t of qIds) {
        let f = 0
        for (let k = 0; k < doc.length; k++) if (doc[k] === t) f++
        if (f) {
          const d = df[t] as number
          s += (Math.log(1 + (n - d + 0.5) / (d + 0.5)) * f * (K1 + 1)) / (f + norm)
        }
      }
      scores[i] = s
    }
    // Python sorts (-score, index) and keeps the first TOP: the same TOP, picked in one pass
    const first = topIndices(scores)
    top = first.map((i) => ids[i] as number)
    best = scores[first[0] as number] as number
    checksum = (checksum * 31 + top.reduce((x, y) => x + y, 0)) % TWO_32
  }
  return [top, best, checksum]
}

/** The TOP indices by score, highest first, ties by lower index: Python's sorted((-score, i))[:TOP]. */
function topIndices(scores: Float64Array): number[] {
  const best: number[] = []
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number
    let at = best.length
    while (at > 0 && s > (scores[best[at - 1] as number] as number)) at--
    if (at < TOP) {
      best.splice(at, 0, i)
      if (best.length > TOP) best.pop()
    }
  }
  return best
}
