import { performance } from 'node:perf_hooks'
import type { CancelState, Connection, Reply, Task } from './connection.js'
import { BridgeTimeoutError, PythonObjectLostError, PythonValueError, type CancelledCallState } from './errors.js'
import type { ModuleRef } from './module-spec.js'
import { replyError, tooLargeToSend } from './reply-errors.js'
import type { CallStats, Outcome } from './stats.js'
import { pythoniaFailure } from './validate.js'

/** What Python said of a call the host gave up on, as the error tells the caller. */
const IN_PYTHON: Record<CancelState, CancelledCallState> = {
  dropped: 'not-started',
  cancelling: 'cancelled',
  running: 'still-running',
  unanswered: 'still-running',
  done: 'finished',
}

/** Which call it is, for errors and stats(). */
export interface CallSite {
  readonly ref: ModuleRef
  readonly fn: string
  /** Python invocations it stands for (a map's items; 0 for imports and handle upkeep). */
  readonly items: number
  /** Whether it counts in stats() (module and object calls do; imports, attribute reads and iteration do not). */
  readonly record: boolean
}

/** What a pending call asks of the interpreter scheduler. */
export interface CallScheduler {
  /** Sends it to the interpreter taking calls, once one is ready. */
  dispatch(call: PendingCall): void
  /** It settled: it no longer waits for an interpreter. */
  forget(call: PendingCall): void
  /** A thread still runs a call the host gave up on there. */
  retire(conn: Connection): void
}

/** Records a call in stats() (a call refused before anything was sent too, with 0 ms and 0 bytes). */
export function recordCall(
  stats: CallStats,
  site: CallSite,
  outcome: Outcome,
  ms: number,
  reply: Reply | undefined,
  bytesSent: number,
): void {
  if (!site.record) return
  stats.record({
    module: site.ref.name,
    file: site.ref.file,
    fn: site.fn,
    items: site.items,
    outcome,
    ms,
    bytesSent,
    pythonMs: (reply?.pythonSeconds ?? 0) * 1000,
    queuedMs: (reply?.queuedSeconds ?? 0) * 1000,
    bytesReceived: reply?.bytes ?? 0,
  })
}

/**
 * One request from its sending to its answer: its timer (which runs only while an interpreter has it), its abort
 * signal and its stats. Given up on (timeout, abort), Python drops it, cancels it, or runs it to its end on a
 * retired interpreter. `pin` is the interpreter it must run on (the one holding an object it uses).
 */
export class PendingCall implements Task {
  settled = false
  conn: Connection | undefined = undefined
  /** Settles with the call. */
  readonly promise: Promise<unknown>
  #resolve!: (value: unknown) => void
  #reject!: (reason: unknown) => void
  #timer: NodeJS.Timeout | undefined
  readonly #t0 = performance.now()
  readonly #onAbort = () => {
    this.#giveUp('cancelled', () => this.signal?.reason)
  }

  constructor(
    readonly id: number,
    readonly message: string,
    readonly site: CallSite,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
    readonly pin: Connection | undefined,
    readonly scheduler: CallScheduler,
    readonly stats: CallStats,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
  }

  /** Sends it: to the interpreter holding its objects (no other will do), or to whichever takes calls. */
  start(): void {
    this.signal?.addEventListener('abort', this.#onAbort, { once: true })
    if (this.pin) {
      this.pin.send(this)
      this.startTimer()
    } else {
      this.scheduler.dispatch(this)
    }
  }

  /** Its timeout counts from when an interpreter has it. */
  startTimer(): void {
    if (this.timeoutMs > 0 && !this.#timer) {
      const { ref, fn } = this.site
      this.#timer = setTimeout(() => {
        this.#giveUp('timeout', (state, pid) => new BridgeTimeoutError(ref.name, fn, this.timeoutMs, pid, state))
      }, this.timeoutMs)
      this.#timer.unref()
    }
  }

  answer(reply: Reply): void {
    if (this.settled) return
    if (reply.status === 0) {
      this.#settle('ok', reply)
      this.#resolve(reply.payload)
      return
    }
    this.#settle('error', reply)
    this.#reject(replyError(reply, this.site.ref, this.site.fn))
  }

  broken(err: unknown): void {
    if (this.settled) return
    this.#settle('error')
    const { ref, fn } = this.site
    this.#reject(err instanceof PythonValueError ? err : (tooLargeToSend(err, ref, fn) ?? pythoniaFailure(err, ref.name, fn)))
  }

  fail(err: Error): void {
    if (this.settled) return
    this.#settle('closed')
    this.#reject(err)
  }

  requeue(): void {
    if (this.settled) return
    if (this.pin) {
      this.fail(new PythonObjectLostError(this.site.ref.name, 'replaced', this.pin.process.pid))
      return
    }
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined // its timeout counts again from when a ready interpreter takes it
    this.conn = undefined
    this.scheduler.dispatch(this)
  }

  #settle(outcome: Outcome, reply?: Reply): void {
    this.settled = true
    this.scheduler.forget(this)
    if (this.#timer) clearTimeout(this.#timer)
    this.signal?.removeEventListener('abort', this.#onAbort)
    recordCall(this.stats, this.site, outcome, performance.now() - this.#t0, reply, Buffer.byteLength(this.message))
  }

  /** A timeout or an abort: Python drops the call, cancels it, or runs it to its end on a retired interpreter. */
  #giveUp(outcome: Outcome, error: (state: CancelledCallState, pid: number | undefined) => unknown): void {
    if (this.settled) return
    const conn = this.conn
    this.#settle(outcome)
    if (!conn) {
      this.#reject(error('not-started', undefined))
      return
    }
    void conn.cancel(this).then((state) => {
      this.#reject(error(IN_PYTHON[state], conn.process.pid))
      if (state === 'running' || state === 'unanswered') this.scheduler.retire(conn)
    })
  }
}
