import { createWriteStream } from 'node:fs'
import { performance } from 'node:perf_hooks'
import type { Doc, Ranked } from '../../examples/research-agent/ports/bm25.js'
import { encodeArgs, recordSide } from '../../src/hybrid/recorder.js'
import type { RecordedCall } from '../../src/hybrid/record-types.js'

type Call = <T>(fn: string, args: unknown[]) => Promise<T>
type Map_ = <T>(fn: string, argsList: unknown[][]) => Promise<T[]>

const BATCH = 500

function trim(doc: Doc, words: number): Doc {
  return { ...doc, text: doc.text.split(' ').slice(0, words).join(' ') }
}

/**
 * Writes a corpus of `calls` real rank_documents calls, computed by Python through the bridge (batched with
 * map, so building 10 000 calls takes seconds, not minutes). Inputs are smaller than the example's (a few
 * short documents per call) to keep the file tens of MB; the recorded Python ms is the batch average.
 */
export async function buildCorpus(
  file: string,
  calls: number,
  agent: { call: Call; map: Map_ },
  progress: (m: string) => void,
): Promise<void> {
  const questions = await agent.call<string[]>('sample_questions', [calls, 11])
  const out = createWriteStream(file)
  try {
    for (let start = 0; start < calls; start += BATCH) {
      progress(`building the verify corpus: ${start}/${calls} Python calls recorded`)
      const qs = questions.slice(start, start + BATCH)
      const found = await agent.map<Doc[]>(
        'search',
        qs.map((q) => [q, 6, 0]),
      )
      const argsList = qs.map((q, i) => [q, (found[i] ?? []).map((d) => trim(d, 30)), 5] as [string, Doc[], number])
      const t0 = performance.now()
      const results = await agent.map<Ranked[]>('rank_documents', argsList)
      const ms = (performance.now() - t0) / qs.length
      const lines = argsList.map((args, i) => {
        const rec: RecordedCall = {
          v: 1,
          name: 'rank_documents',
          at: new Date().toISOString(),
          mode: 'python',
          args: encodeArgs(args),
          python: recordSide({ ok: true, value: results[i], ms }),
        }
        return `${JSON.stringify(rec)}\n`
      })
      if (!out.write(lines.join('')))
        await new Promise<void>((r) =>
          out.once('drain', () => {
            r()
          }),
        )
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => {
        if (err) reject(err)
        else resolve()
      }),
    )
  }
}
