import type { EncodedRecordValue } from './record-codec.js'
import type { Difference } from './compare.js'
import type { ErrorInfo, ComparisonOutcome } from './outcome.js'

/** One side of a recorded call; values are encoded losslessly (see codec.ts). */
export type RecordedSide =
  | { ok: true; value: EncodedRecordValue; ms: number }
  /** The value could not be encoded (a class instance, a function): the reason instead of the value. */
  | { ok: true; unencodable: string; ms: number }
  | { ok: false; error: ErrorInfo; ms: number; timedOut?: true }

/**
 * One line of a JSONL record file. `python` mode records (a corpus for `pyport verify`) have no `port`;
 * `shadow` mode records have both sides and the judgement.
 */
export interface RecordedCall {
  v: 1
  name: string
  /** ISO timestamp of the call. */
  at: string
  mode: 'python' | 'shadow'
  args: EncodedRecordValue
  python: RecordedSide
  port?: RecordedSide
  outcome?: ComparisonOutcome
  differences?: Difference[]
  ignoredBy?: string
}

/** Receives every record (instead of, or besides, a file): send them to your log pipeline. May be async. */
export type RecordPublisher = (record: RecordedCall) => void | Promise<void>
