import { Piscina } from 'piscina'
import type { ResourceLimits } from 'node:worker_threads'
import { PyportArgumentError } from '../errors.js'
import { compiledSibling } from '../paths.js'
import {
  PortCrashedError,
  PortError,
  PortInputError,
  PortLoadError,
  PortOutputError,
  PortTimeoutError,
  WorkerPoolClosedError,
} from './errors.js'
import { checkPortFile, toPath, type PortLocation } from './port-file.js'
import type { PortReply, PortTask, PortWorkerData } from './port-protocol.js'
import type { PortRunner } from './port-runner.js'
import { resolveCallTimeout, resolveWorkerPoolOptions, type PortRunOptions, type WorkerPoolOptions } from './worker-pool-options.js'

export type { PortRunOptions, WorkerPoolOptions } from './worker-pool-options.js'

/**
 * A pool of worker threads running one TypeScript port (a thin layer over piscina). A port that throws rejects
 * that call with PortError; a port that kills its worker rejects that call with PortCrashedError and the pool
 * starts a fresh worker; a port that hangs past its timeout rejects with PortTimeoutError and its worker is
 * terminated. Threads start on first use, not at construction.
 */
export class WorkerPool implements PortRunner {
  readonly location: PortLocation
  readonly threads: number
  /** 0: no timeout. */
  readonly #timeoutMs: number
  readonly #resourceLimits: ResourceLimits | undefined
  readonly #niceIncrement: number
  #piscina: Piscina<PortTask, PortReply> | undefined
  #closed = false
  /** Calls handed to piscina: at most `threads`, so each one starts on a worker at once and its timeout is fair. */
  #running = 0
  /** Calls waiting for a free thread; their timeout has not started yet. */
  readonly #waiting: Array<{ start: () => void; fail: (err: Error) => void }> = []

  constructor(options: WorkerPoolOptions) {
    const o = resolveWorkerPoolOptions(options)
    this.location = { filename: toPath(o.filename), exportName: o.exportName }
    this.threads = o.threads
    this.#timeoutMs = o.timeoutMs
    this.#resourceLimits = o.resourceLimits
    this.#niceIncrement = o.niceIncrement
  }

  /** Calls the port with one argument: `port(input)`. */
  run<R = unknown>(input: unknown, options?: PortRunOptions): Promise<R> {
    return this.apply<R>([input], options)
  }

  /** Calls the port with several arguments: `port(...args)` (how hybrid() and `pyport verify` call it). */
  async apply<R = unknown>(args: readonly unknown[], options: PortRunOptions = {}): Promise<R> {
    return (await this.applyTimed<R>(args, options)).value
  }

  /** Like apply(), with the time the port took inside its worker (no queueing, no transfer). */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the port's result type, as with apply<R>()
  async applyTimed<R = unknown>(args: readonly unknown[], options: PortRunOptions = {}): Promise<{ value: R; ms: number }> {
    resolveCallTimeout(options.timeoutMs, this.#timeoutMs)
    if (!Array.isArray(args))
      throw new PyportArgumentError({
        owner: 'WorkerPool.apply',
        argument: 'args',
        expected: 'an array of arguments (e.g. [1, 2])',
        value: args,
      })
    const reply = await this.#send({ args: [...(args as readonly unknown[])] }, options)
    return reply as { value: R; ms: number }
  }

  /** Starts a worker and checks the port module loads and its export is callable; rejects with PortLoadError. */
  async ready(): Promise<void> {
    await this.#send({ args: [], probe: true }, {})
  }

  /** Stops every thread; calls still running or queued reject with WorkerPoolClosedError. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    for (const w of this.#waiting.splice(0)) w.fail(new WorkerPoolClosedError(this.#label(), 'before-start'))
    const p = this.#piscina
    this.#piscina = undefined
    if (p) await p.destroy()
  }

  #pool(): Piscina<PortTask, PortReply> {
    if (this.#piscina) return this.#piscina
    const portUrl = checkPortFile(this.location)
    const workerData: PortWorkerData = { portUrl, exportName: this.location.exportName }
    this.#piscina = new Piscina<PortTask, PortReply>({
      filename: compiledSibling(import.meta.url, 'port-worker-entry.cjs').href,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Infinity,
      workerData,
      niceIncrement: this.#niceIncrement,
      ...(this.#resourceLimits ? { resourceLimits: this.#resourceLimits } : {}),
    })
    return this.#piscina
  }

  /** Resolves when a thread is free for this call (rejects on the caller's abort or on close()). */
  #slot(signal: AbortSignal | undefined): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's abort reason, whatever they gave abort()
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#running < this.threads) {
      this.#running++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiting.indexOf(entry)
        if (i !== -1) this.#waiting.splice(i, 1)
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's abort reason, whatever they gave abort()
        reject(signal?.reason)
      }
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort)
          this.#running++
          resolve()
        },
        fail: (err: Error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(err)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(entry)
    })
  }

  #release(): void {
    this.#running--
    this.#waiting.shift()?.start()
  }

  async #send(task: PortTask, options: PortRunOptions): Promise<{ value: unknown; ms: number }> {
    if (this.#closed) throw new WorkerPoolClosedError(this.#label(), 'closed')
    const pool = this.#pool()
    await this.#slot(options.signal)
    try {
      return await this.#dispatch(pool, task, options)
    } finally {
      this.#release()
    }
  }

  /** Hands one call to a free worker; only now does its timeout start, so time spent queued never counts. */
  async #dispatch(pool: Piscina<PortTask, PortReply>, task: PortTask, options: PortRunOptions): Promise<{ value: unknown; ms: number }> {
    if (this.#closed) throw new WorkerPoolClosedError(this.#label(), 'before-start')
    const timeoutMs = resolveCallTimeout(options.timeoutMs, this.#timeoutMs)
    const timeout = timeoutMs === 0 ? undefined : AbortSignal.timeout(timeoutMs)
    const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined)
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals)
    let reply: PortReply
    try {
      reply = await pool.run(task, signal ? { signal } : {})
    } catch (err) {
      if (timeout?.aborted && !options.signal?.aborted) {
        throw new PortTimeoutError(this.#label(), timeoutMs, true)
      }
      if (options.signal?.aborted) throw options.signal.reason ?? err
      if ((err as Error | undefined)?.name === 'DataCloneError') {
        throw new PortInputError(this.#label(), (err as Error).message)
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may run while the call above is awaited; TypeScript keeps the narrowing from the check before it
      if (this.#closed) throw new WorkerPoolClosedError(this.#label(), 'while-running')
      const why = (err as Error | undefined)?.message ?? String(err)
      throw new PortCrashedError(this.#label(), why, { cause: err })
    }
    if (reply.ok) return { value: reply.value, ms: reply.ms }
    if (reply.kind === 'load') {
      const { filename, exportName } = this.location
      throw new PortLoadError({ reason: reply.reason, filename, exportName, detail: reply.detail, callableExports: reply.callableExports })
    }
    if (reply.kind === 'unsendable') {
      throw new PortOutputError(this.#label(), reply.message)
    }
    throw new PortError(this.#label(), reply.name, reply.message, reply.stack)
  }

  #label(): string {
    const { filename, exportName } = this.location
    return exportName === 'default' ? filename : `${filename}#${exportName}`
  }
}
