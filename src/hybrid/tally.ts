import { percentile } from '../harness/stats.js'
import type { Difference } from './compare.js'
import type { ComparisonOutcome } from './outcome.js'

export interface Latency {
  p50Ms: number
  p99Ms: number
  n: number
}

export interface Example {
  outcome: ComparisonOutcome
  /** The call's arguments, rendered short. */
  args: string
  differences: Difference[]
  ignoredBy?: string
  /** Line of the record file, for reports built from files. */
  source?: string
}

export interface HybridVerdict {
  ready: boolean
  text: string
}

/** What fn.report(), `pyport report` and `pyport verify` print. */
export interface HybridReport {
  name: string
  calls: number
  shadowed: number
  /**
   * Sampled calls that were neither shadowed nor recorded: the shadow backlog was full (`maxShadowBacklog`: the
   * port is slower than the call rate), or close() came first (while Python was answering, or while the call
   * waited for a port thread). Python answered them as usual; the port never ran them, nothing compared them.
   */
  skipped: number
  matches: number
  mismatches: number
  ignored: number
  portErrors: number
  portTimeouts: number
  /**
   * Calls in `ts` mode that ran the Python original instead of the port (option `fallback: 'python'`): the port
   * threw, crashed, timed out, or its value could not cross. Always 0 without that option.
   */
  fallbacks: number
  /**
   * Records that could not be written (a full disk, a failing publisher), or were written without their
   * arguments or Python value because the codec refused them (a class instance, a function); the caller never saw these.
   */
  recordErrors: number
  python: Latency | null
  port: Latency | null
  /** p50 Python / p50 port, over the calls where each ran. */
  speedup: number | null
  readyAfter: number
  verdict: HybridVerdict
  /** The first few calls that did not match, with where they differ. */
  examples: Example[]
}

const RESERVOIR = 20_000
const EXAMPLES = 5

/** Keeps a uniform sample of at most RESERVOIR durations, so a long-running service's memory stays flat. */
class Durations {
  readonly kept: number[] = []
  seen = 0
  add(ms: number): void {
    this.seen++
    if (this.kept.length < RESERVOIR) this.kept.push(ms)
    else {
      const i = Math.floor(Math.random() * this.seen)
      if (i < RESERVOIR) this.kept[i] = ms
    }
  }
  summary(): Latency | null {
    if (this.kept.length === 0) return null
    return { p50Ms: percentile(this.kept, 50), p99Ms: percentile(this.kept, 99), n: this.seen }
  }
}

export function verdictOf(
  r: Pick<HybridReport, 'matches' | 'ignored' | 'mismatches' | 'portErrors' | 'portTimeouts' | 'readyAfter'>,
): HybridVerdict {
  const problems: string[] = []
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  if (r.mismatches > 0) problems.push(plural(r.mismatches, 'mismatch', 'mismatches'))
  if (r.portErrors > 0) problems.push(plural(r.portErrors, 'port error', 'port errors'))
  if (r.portTimeouts > 0) problems.push(plural(r.portTimeouts, 'port timeout', 'port timeouts'))
  if (problems.length > 0) return { ready: false, text: `not ready: ${problems.join(', ')}` }
  const agreed = r.matches + r.ignored
  if (agreed < r.readyAfter)
    return { ready: false, text: `not ready yet: ${agreed} of ${r.readyAfter} matched calls needed, no mismatches so far` }
  return {
    ready: true,
    text: `ready to switch: ${agreed} matched calls${r.ignored > 0 ? ` (${r.ignored} by ignore rules)` : ''}, no mismatches`,
  }
}

/** Counts calls and their outcomes; turns them into a HybridReport. */
export class Tally {
  #calls = 0
  #shadowed = 0
  #skipped = 0
  #fallbacks = 0
  readonly #counts: Record<ComparisonOutcome, number> = { match: 0, mismatch: 0, ignored: 0, 'port-error': 0, 'port-timeout': 0 }
  #recordErrors = 0
  readonly #python = new Durations()
  readonly #port = new Durations()
  readonly #examples: Example[] = []

  constructor(
    readonly name: string,
    readonly readyAfter: number,
  ) {}

  /** One call; `outcome` only when it was shadowed (both sides ran and were judged); `skipped` when sampled but not shadowed. */
  add(call: {
    pythonMs?: number | undefined
    portMs?: number | undefined
    outcome?: ComparisonOutcome | undefined
    skipped?: boolean
    fallback?: boolean
    example?: () => Example
  }): void {
    this.#calls++
    if (call.pythonMs !== undefined) this.#python.add(call.pythonMs)
    if (call.portMs !== undefined) this.#port.add(call.portMs)
    if (call.skipped) this.#skipped++
    if (call.fallback) this.#fallbacks++
    if (call.outcome === undefined) return
    this.#shadowed++
    this.#counts[call.outcome]++
    if (call.outcome !== 'match' && this.#examples.length < EXAMPLES && call.example) this.#examples.push(call.example())
  }

  /** A record that could not be written, or was written without its arguments or Python value. */
  addRecordError(): void {
    this.#recordErrors++
  }

  /** A call already counted (by add()) that then fell back to Python: its result could not cross afterwards. */
  addFallbackToCountedCall(): void {
    this.#fallbacks++
  }

  report(): HybridReport {
    const python = this.#python.summary()
    const port = this.#port.summary()
    const base = {
      matches: this.#counts.match,
      mismatches: this.#counts.mismatch,
      ignored: this.#counts.ignored,
      portErrors: this.#counts['port-error'],
      portTimeouts: this.#counts['port-timeout'],
      readyAfter: this.readyAfter,
    }
    return {
      name: this.name,
      calls: this.#calls,
      shadowed: this.#shadowed,
      skipped: this.#skipped,
      ...base,
      fallbacks: this.#fallbacks,
      recordErrors: this.#recordErrors,
      python,
      port,
      speedup: python && port && port.p50Ms > 0 ? python.p50Ms / port.p50Ms : null,
      verdict: verdictOf(base),
      examples: [...this.#examples],
    }
  }
}
