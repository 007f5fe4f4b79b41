import { performance } from 'node:perf_hooks'
import { PyportOptionError } from '../errors.js'
import { checkFunction, checkInteger, checkOptionsObject, checkString, checkTimeout } from '../option-checks.js'
import { PortTimeoutError } from '../workers/errors.js'
import { WorkerPool } from '../workers/worker-pool.js'
import { decodeRecordValue } from './record-codec.js'
import { readRecords } from './corpus.js'
import { isUnencodable } from './recorder.js'
import { CorpusError } from './errors.js'
import { describe } from './describe.js'
import { errorInfo, isPortFault, makeJudge, type JudgeOptions, type SideResult } from './outcome.js'
import type { RecordedSide } from './record-types.js'
import { Tally, type HybridReport } from './tally.js'

export interface ReplayOptions extends JudgeOptions {
  corpus: string
  /** The compiled port and its export. */
  port: { filename: string; exportName: string }
  /**
   * Only records of this function (required when the corpus holds several).
   * @default undefined (every record; the corpus must then hold one function's)
   */
  name?: string | undefined
  /**
   * Worker threads running the port.
   * @default os.availableParallelism(), as WorkerPool
   */
  threads?: number | undefined
  /**
   * Per-call timeout for the port in ms, from when the call starts on a thread; 0 or Infinity: none.
   * @default 10 000
   */
  timeoutMs?: number
  /**
   * Matched calls the verdict needs for "ready to switch".
   * @default 100
   */
  readyAfter?: number
  /** Called every 500 replayed calls. */
  progress?: ((done: number) => void) | undefined
}

/** The options once checked: `timeoutMs` 0 for none; `threads` left to WorkerPool when not given. */
export type ResolvedReplayOptions = Required<Pick<ReplayOptions, 'corpus' | 'port' | 'timeoutMs' | 'readyAfter'>> &
  Omit<ReplayOptions, 'corpus' | 'port' | 'timeoutMs' | 'readyAfter'>

export const defaultReplayOptions = Object.freeze({
  timeoutMs: 10_000,
  readyAfter: 100,
})

const OWNER = 'replayCorpus'

/**
 * Checks every option (PyportOptionError naming it) and applies the defaults. A bad `compare` or `ignore` rule keeps
 * its own message, without this owner: `pyport verify` prints it as it did for --ignore-path and --rtol.
 */
export function resolveReplayOptions(options: ReplayOptions): ResolvedReplayOptions {
  const o = checkOptionsObject(options, 'an options object { corpus, port }', OWNER)
  checkString('corpus', o.corpus, 'the path of a JSONL corpus', OWNER)
  const port = o.port as Partial<ReplayOptions['port']> | null | undefined
  if (
    port === null ||
    typeof port !== 'object' ||
    typeof port.filename !== 'string' ||
    port.filename === '' ||
    typeof port.exportName !== 'string' ||
    port.exportName === ''
  ) {
    throw new PyportOptionError({
      option: 'port',
      expected: "{ filename, exportName } (see parsePortSpec('dist/rank.js#rank'))",
      received: o.port,
      owner: OWNER,
    })
  }
  if (o.name !== undefined) checkString('name', o.name, "a function's name as recorded", OWNER)
  if (o.threads !== undefined) checkInteger('threads', o.threads, 1, 'a whole number >= 1', OWNER)
  if (o.progress !== undefined) checkFunction('progress', o.progress, 'a function (done) => void', OWNER)
  return {
    ...o,
    corpus: o.corpus,
    port: o.port,
    timeoutMs: checkTimeout('timeoutMs', o.timeoutMs ?? defaultReplayOptions.timeoutMs, OWNER),
    readyAfter: checkInteger('readyAfter', o.readyAfter ?? defaultReplayOptions.readyAfter, 1, 'a whole number >= 1', OWNER),
  }
}

export interface BadLine {
  line: number
  message: string
}

export interface VerifyReport extends HybridReport {
  corpus: string
  portFile: string
  exportName: string
  threads: number
  /** Lines that could not be replayed: corrupt JSON, bad shape, undecodable values. */
  badLines: BadLine[]
  /**
   * Records of other functions, or whose arguments or Python value could not be recorded. (It takes the place of
   * HybridReport.skipped, shadow calls not compared, which a replay never has.)
   */
  skipped: number
  seconds: number
  callsPerSecond: number
  /** true when every replayed call matched (or was ignored) and no line was bad. */
  passed: boolean
}

function pythonSide(side: RecordedSide): SideResult | undefined {
  if (!side.ok) return { ok: false, error: side.error, ms: side.ms }
  if (!('value' in side)) return undefined
  return { ok: true, value: decodeRecordValue(side.value), ms: side.ms }
}

/** Replays recorded Python calls against the port in a WorkerPool and compares each result with Python's. */
export async function replayCorpus(options: ReplayOptions): Promise<VerifyReport> {
  const o = resolveReplayOptions(options)
  const judge = makeJudge(o)
  const pool = new WorkerPool({ filename: o.port.filename, exportName: o.port.exportName, threads: o.threads })
  const { timeoutMs } = o
  const badLines: BadLine[] = []
  let tally: Tally | undefined
  let skipped = 0
  let done = 0
  const window = new Set<Promise<void>>()
  const started = performance.now()
  try {
    await pool.ready()
    for await (const entry of readRecords(o.corpus)) {
      if ('error' in entry) {
        badLines.push({ line: entry.line, message: entry.error })
        continue
      }
      const rec = entry.record
      if (o.name !== undefined && rec.name !== o.name) {
        skipped++
        continue
      }
      if (tally && rec.name !== tally.name) {
        throw new CorpusError(
          `corpus ${o.corpus} holds calls of several functions (${tally.name}, and ${rec.name} at line ${entry.line}); pick one with --name`,
        )
      }
      tally ??= new Tally(rec.name, o.readyAfter)
      if (isUnencodable(rec.args)) {
        skipped++ // recorded without its arguments (a class instance, a function): nothing to replay
        continue
      }
      let args: unknown[]
      let py: SideResult | undefined
      try {
        args = decodeRecordValue(rec.args) as unknown[]
        py = pythonSide(rec.python)
      } catch (err) {
        badLines.push({ line: entry.line, message: (err as Error).message })
        continue
      }
      if (py === undefined) {
        skipped++
        continue
      }
      const t = tally
      const python = py
      const line = entry.line
      const job = (async () => {
        const t0 = performance.now()
        let port: SideResult
        try {
          const r = await pool.applyTimed(args, { timeoutMs })
          port = { ok: true, value: r.value, ms: r.ms }
        } catch (err) {
          port = {
            ok: false,
            error: errorInfo(err),
            ms: performance.now() - t0,
            timedOut: err instanceof PortTimeoutError,
            fault: isPortFault(err),
          }
        }
        const j = judge(python, port)
        t.add({
          pythonMs: python.ms,
          portMs: port.ok ? port.ms : undefined,
          outcome: j.outcome,
          example: () => ({
            outcome: j.outcome,
            args: describe(args, 120),
            differences: j.differences,
            source: `line ${line}`,
            ...(j.ignoredBy ? { ignoredBy: j.ignoredBy } : {}),
          }),
        })
        if (++done % 500 === 0) o.progress?.(done)
      })()
      window.add(job)
      void job.finally(() => window.delete(job))
      // Keep a few calls queued per thread: enough to keep workers busy, bounded memory on huge corpora.
      if (window.size >= pool.threads * 4) await Promise.race(window)
    }
    await Promise.all(window)
  } finally {
    await Promise.allSettled(window)
    await pool.close()
  }
  const seconds = (performance.now() - started) / 1000
  const report = (tally ?? new Tally(o.name ?? '(no calls)', o.readyAfter)).report()
  const failed = report.mismatches + report.portErrors + report.portTimeouts
  return {
    ...report,
    corpus: o.corpus,
    portFile: o.port.filename,
    exportName: o.port.exportName,
    threads: pool.threads,
    badLines,
    skipped,
    seconds,
    callsPerSecond: report.shadowed / seconds,
    passed: failed === 0 && badLines.length === 0 && report.shadowed > 0,
  }
}
