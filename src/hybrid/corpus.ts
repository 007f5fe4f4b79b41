import { createReadStream, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { EncodedRecordValue } from './record-codec.js'
import { CorpusError } from './errors.js'
import { isUnencodable } from './recorder.js'
import type { ComparisonOutcome } from './outcome.js'
import type { RecordedCall, RecordedSide } from './record-types.js'

const OUTCOMES: readonly ComparisonOutcome[] = ['match', 'mismatch', 'ignored', 'port-error', 'port-timeout']

export type CorpusLine = { line: number; record: RecordedCall } | { line: number; error: string }

function checkSide(side: unknown, which: string): string | undefined {
  if (side === null || typeof side !== 'object') return `"${which}" must be an object with ok and ms`
  const s = side as Partial<RecordedSide> & Record<string, unknown>
  if (typeof s.ok !== 'boolean' || typeof s.ms !== 'number') return `"${which}" needs "ok" (boolean) and "ms" (number)`
  if (s.ok && !('value' in s) && typeof s['unencodable'] !== 'string') return `"${which}" is ok but has no "value"`
  if (!s.ok && (s['error'] === null || typeof s['error'] !== 'object')) return `"${which}" failed but has no "error"`
  return undefined
}

/** Why a parsed line is not a call record, or undefined when it is one. */
export function checkRecord(r: unknown): string | undefined {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'not a JSON object'
  const rec = r as Partial<RecordedCall>
  if (rec.v !== 1) return `unsupported record version ${JSON.stringify(rec.v)} (this pyport reads v 1)`
  if (typeof rec.name !== 'string' || rec.name === '') return 'missing the function "name"'
  // The recorder writes {"$t": "unencodable", "v": reason} for arguments it cannot record; replay skips those.
  if (!Array.isArray(rec.args) && !isUnencodable(rec.args as EncodedRecordValue)) return '"args" must be a list of encoded arguments'
  if (rec.outcome !== undefined && !OUTCOMES.includes(rec.outcome))
    return `unknown outcome ${JSON.stringify(rec.outcome)}; expected one of ${OUTCOMES.join(', ')}`
  return checkSide(rec.python, 'python') ?? (rec.port === undefined ? undefined : checkSide(rec.port, 'port'))
}

/**
 * Streams a JSONL record file line by line. A corrupt or truncated line yields an error naming its line
 * number and what is wrong with it; the lines after it are still read.
 */
export async function* readRecords(file: string): AsyncGenerator<CorpusLine> {
  let size: number
  try {
    const st = statSync(file)
    if (!st.isFile()) throw new Error('not a regular file')
    size = st.size
  } catch (err) {
    throw new CorpusError(
      `corpus ${file} cannot be read (${(err as Error).message}). Record one with hybrid({ mode: 'python', record: '${file}' }).`,
    )
  }
  if (size === 0) throw new CorpusError(`corpus ${file} is empty: no calls to replay`)
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  let n = 0
  for await (const text of lines) {
    n++
    if (text.trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      yield { line: n, error: `not valid JSON (${(err as Error).message}); a truncated or corrupt line` }
      continue
    }
    const problem = checkRecord(parsed)
    yield problem === undefined ? { line: n, record: parsed as RecordedCall } : { line: n, error: problem }
  }
}
