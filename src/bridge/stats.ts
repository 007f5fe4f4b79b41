/**
 * Per-function call statistics, the host's view of what is hot. Latencies go into a log-scale histogram
 * (4% wide bins from 1 µs), so memory stays fixed however many calls are made and percentiles are within ±2%.
 */

/** One Python function as seen from the host. JSON-serialisable as is. */
export interface FunctionStats {
  /** Python module name ('agent' for ./agent.py, 'json' for a module import). */
  module: string
  /** Absolute path for a file import, null for a module name. */
  file: string | null
  function: string
  /** call() and map() invocations (a map counts once). */
  calls: number
  /** Python invocations: 1 per call, one per item of a map. */
  items: number
  /** Calls that ended with PythonError, PythonValueError or BridgeClosedError (also when rejected before being sent). */
  errors: number
  /** Calls that ended with BridgeTimeoutError. */
  timeouts: number
  /** Calls cancelled through their AbortSignal (also one already aborted when the call was made). */
  cancelled: number
  /**
   * Sum of round-trip times of the calls Python answered (value or exception), in ms, as the caller saw them:
   * with many calls in flight this includes waiting behind the others, so it can exceed the wall time.
   */
  totalMs: number
  /** Time spent inside the Python function itself (measured by the shim), in ms: no bridge, no queueing. */
  pythonMs: number
  /**
   * Time the calls waited in Python for a free thread (all `concurrency` threads were busy), in ms. A large share
   * of totalMs says: raise `concurrency` if the calls wait on I/O, or use a PythonPool if they compute.
   */
  queuedMs: number
  meanMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
  /** UTF-8 bytes of the encoded requests and responses. */
  bytesSent: number
  bytesReceived: number
}

/** Python objects handed to JS as handles (PythonObject, PythonIterator). */
export interface ObjectCounts {
  /** Handles alive now: their objects are kept in Python. */
  live: number
  /** Handles made so far. */
  created: number
  /** Released: by release(), by `await using`, when garbage-collected in JS, or when an iterator ended. */
  released: number
  /** Gone with their interpreter (a crash, a replacement, close()). */
  lost: number
}

/** What `bridge.stats()` and `pool.stats()` return. */
export interface BridgeStats {
  /** Highest totalMs first. */
  functions: FunctionStats[]
  interpreters: {
    /** Interpreters this object runs at once (1 for a bridge, `size` for a pool). */
    size: number
    /** Synchronous calls each interpreter runs at once (the `concurrency` option). */
    concurrency: number
    /** Interpreters started, including replacements. */
    started: number
    /** Replaced after a timeout or an abort. */
    replaced: number
    /** Ended on their own (crash, os._exit, signal, out of memory). */
    crashed: number
    /** The pids running now. */
    pids: number[]
  }
  objects: ObjectCounts
}

/** 'unsent': rejected before anything was sent (an argument that cannot cross); counted as an error. */
export type Outcome = 'ok' | 'error' | 'timeout' | 'cancelled' | 'closed' | 'unsent'

const BASE = 1.04
const LOG_BASE = Math.log(BASE)
const BINS = 600 // 1 µs · 1.04^600 ≈ 5 hours

class FunctionRecord {
  calls = 0
  items = 0
  errors = 0
  timeouts = 0
  cancelled = 0
  answered = 0
  totalMs = 0
  pythonMs = 0
  queuedMs = 0
  maxMs = 0
  bytesSent = 0
  bytesReceived = 0
  readonly bins = new Float64Array(BINS)

  constructor(
    readonly module: string,
    readonly file: string | null,
    readonly fn: string,
  ) {}

  percentile(q: number): number {
    if (this.answered === 0) return 0
    const target = q * this.answered
    let seen = 0
    for (let i = 0; i < BINS; i++) {
      seen += this.bins[i] ?? 0
      if (seen >= target) return Math.min(this.maxMs, Math.pow(BASE, i + 0.5) / 1000)
    }
    return this.maxMs
  }

  merge(o: FunctionRecord): void {
    this.calls += o.calls
    this.items += o.items
    this.errors += o.errors
    this.timeouts += o.timeouts
    this.cancelled += o.cancelled
    this.answered += o.answered
    this.totalMs += o.totalMs
    this.pythonMs += o.pythonMs
    this.queuedMs += o.queuedMs
    this.maxMs = Math.max(this.maxMs, o.maxMs)
    this.bytesSent += o.bytesSent
    this.bytesReceived += o.bytesReceived
    for (let i = 0; i < BINS; i++) this.bins[i] = (this.bins[i] ?? 0) + (o.bins[i] ?? 0)
  }

  toJSON(): FunctionStats {
    const round = (x: number) => Math.round(x * 1000) / 1000
    return {
      module: this.module,
      file: this.file,
      function: this.fn,
      calls: this.calls,
      items: this.items,
      errors: this.errors,
      timeouts: this.timeouts,
      cancelled: this.cancelled,
      totalMs: round(this.totalMs),
      pythonMs: round(this.pythonMs),
      queuedMs: round(this.queuedMs),
      meanMs: round(this.answered ? this.totalMs / this.answered : 0),
      p50Ms: round(this.percentile(0.5)),
      p95Ms: round(this.percentile(0.95)),
      p99Ms: round(this.percentile(0.99)),
      maxMs: round(this.maxMs),
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
    }
  }
}

export interface CallRecord {
  module: string
  file: string | null
  fn: string
  items: number
  ms: number
  /** Seconds the shim measured inside the function, in ms (0 when Python did not answer). */
  pythonMs: number
  /** Time the call waited in Python for a free thread, in ms. */
  queuedMs: number
  outcome: Outcome
  bytesSent: number
  bytesReceived: number
}

export class CallStats {
  readonly #byKey = new Map<string, FunctionRecord>()

  #get(module: string, file: string | null, fn: string): FunctionRecord {
    const key = `${file ?? module}\0${fn}`
    let r = this.#byKey.get(key)
    if (!r) {
      r = new FunctionRecord(module, file, fn)
      this.#byKey.set(key, r)
    }
    return r
  }

  record(c: CallRecord): void {
    const r = this.#get(c.module, c.file, c.fn)
    r.calls++
    r.items += c.items
    r.bytesSent += c.bytesSent
    r.bytesReceived += c.bytesReceived
    if (c.outcome === 'timeout') r.timeouts++
    else if (c.outcome === 'cancelled') r.cancelled++
    else if (c.outcome !== 'ok') r.errors++
    if (c.outcome === 'ok' || c.outcome === 'error') {
      r.answered++
      r.totalMs += c.ms
      r.pythonMs += c.pythonMs
      r.queuedMs += c.queuedMs
      if (c.ms > r.maxMs) r.maxMs = c.ms
      const us = c.ms * 1000
      const bin = us <= 1 ? 0 : Math.min(BINS - 1, Math.floor(Math.log(us) / LOG_BASE))
      r.bins[bin] = (r.bins[bin] ?? 0) + 1
    }
  }

  /** This object's records merged with others' (for a pool). */
  static merged(all: readonly CallStats[]): FunctionStats[] {
    const out = new Map<string, FunctionRecord>()
    for (const s of all) {
      for (const [key, r] of s.#byKey) {
        let m = out.get(key)
        if (!m) {
          m = new FunctionRecord(r.module, r.file, r.fn)
          out.set(key, m)
        }
        m.merge(r)
      }
    }
    return [...out.values()].map((r) => r.toJSON()).sort((a, b) => b.totalMs - a.totalMs)
  }
}
