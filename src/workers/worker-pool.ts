import os from 'node:os'
import { Piscina } from 'piscina'
import type { ResourceLimits } from 'node:worker_threads'
import { compiledSibling } from '../paths.js'
import { PortCrashedError, PortError, PortInputError, PortLoadError, PortOutputError, PortTimeoutError, WorkerPoolClosedError } from './errors.js'
import { checkPortFile, toPath, type PortLocation } from './port-file.js'
import type { PortReply, PortTask, PortWorkerData } from './port-protocol.js'

export interface WorkerPoolOptions {
  /** The compiled port module (.js/.mjs), as a path or file URL. */
  filename: string | URL
  /** Which export to call (default: the default export). */
  exportName?: string
  /** Worker threads (default: available parallelism). */
  threads?: number
  /**
   * Per-call timeout in ms, counted from when the call starts on a free worker (not while it waits for one); a
   * port that outlives it has its worker terminated (default: none).
   */
  timeoutMs?: number
  /** Per-worker V8 limits, e.g. { maxOldGenerationSizeMb: 256 }: a port over it crashes only its worker. */
  resourceLimits?: ResourceLimits
  /**
   * Lower the workers' CPU priority (Linux nice, 0..19; default 0). A shadow pool at 19 takes only CPU that
   * Python and the host leave idle, so shadowing costs the caller less on a busy machine.
   */
  niceIncrement?: number
}

export interface PortRunOptions {
  /** Overrides the pool's timeoutMs for this call. */
  timeoutMs?: number
  signal?: AbortSignal
}

function checkOptions(o: WorkerPoolOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`WorkerPool expects an options object { filename }, got ${o === null ? 'null' : typeof o}`)
  if (!(o.filename instanceof URL) && (typeof o.filename !== 'string' || o.filename === '')) {
    throw new TypeError(`WorkerPool: \`filename\` must be a path or file URL of the compiled port module, got ${String(o.filename)} (${typeof o.filename})`)
  }
  if (o.threads !== undefined && !(Number.isSafeInteger(o.threads) && o.threads >= 1)) {
    throw new TypeError(`WorkerPool: \`threads\` must be a whole number >= 1, got ${String(o.threads)} (${typeof o.threads})`)
  }
  checkTimeout('timeoutMs', o.timeoutMs)
  if (o.niceIncrement !== undefined && !(Number.isInteger(o.niceIncrement) && o.niceIncrement >= 0 && o.niceIncrement <= 19)) {
    throw new TypeError(`WorkerPool: \`niceIncrement\` must be a whole number from 0 to 19, got ${String(o.niceIncrement)} (${typeof o.niceIncrement})`)
  }
}

function checkTimeout(name: string, ms: unknown): void {
  if (ms !== undefined && !(typeof ms === 'number' && ms > 0 && Number.isFinite(ms))) {
    throw new TypeError(`WorkerPool: \`${name}\` must be a number of milliseconds > 0, got ${String(ms)} (${typeof ms})`)
  }
}

/**
 * A pool of worker threads running one TypeScript port (a thin layer over piscina). A port that throws rejects
 * that call with PortError; a port that kills its worker rejects that call with PortCrashedError and the pool
 * starts a fresh worker; a port that hangs past its timeout rejects with PortTimeoutError and its worker is
 * terminated. Threads start on first use, not at construction.
 */
export class WorkerPool {
  readonly location: PortLocation
  readonly threads: number
  readonly #timeoutMs: number | undefined
  readonly #resourceLimits: ResourceLimits | undefined
  readonly #niceIncrement: number
  #piscina: Piscina<PortTask, PortReply> | undefined
  #closed = false
  /** Calls handed to piscina: at most `threads`, so each one starts on a worker at once and its timeout is fair. */
  #running = 0
  /** Calls waiting for a free thread; their timeout has not started yet. */
  readonly #waiting: Array<{ start: () => void; fail: (err: unknown) => void }> = []

  constructor(options: WorkerPoolOptions) {
    checkOptions(options)
    this.location = { filename: toPath(options.filename), exportName: options.exportName ?? 'default' }
    this.threads = options.threads ?? Math.max(1, os.availableParallelism())
    this.#timeoutMs = options.timeoutMs
    this.#resourceLimits = options.resourceLimits
    this.#niceIncrement = options.niceIncrement ?? 0
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
  async applyTimed<R = unknown>(args: readonly unknown[], options: PortRunOptions = {}): Promise<{ value: R; ms: number }> {
    checkTimeout('timeoutMs', options.timeoutMs)
    if (!Array.isArray(args)) throw new TypeError(`WorkerPool.apply expects an array of arguments, got ${typeof args}`)
    const reply = await this.#send({ args: [...args] }, options)
    return reply as { value: R; ms: number }
  }

  /** Starts a worker and checks the port module loads and its export is callable; rejects with PortLoadError. */
  async ready(): Promise<void> {
    await this.#send({ args: [], probe: true }, {})
  }

  /** Stops every thread; calls still running or queued reject with WorkerPoolClosedError. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    for (const w of this.#waiting.splice(0)) w.fail(new WorkerPoolClosedError(`WorkerPool for ${this.#label()} was closed before the call started.`))
    const p = this.#piscina
    this.#piscina = undefined
    if (p) await p.destroy()
  }

  #pool(): Piscina<PortTask, PortReply> {
    if (this.#piscina) return this.#piscina
    const portUrl = checkPortFile(this.location)
    const workerData: PortWorkerData = { portUrl, exportName: this.location.exportName }
    this.#piscina = new Piscina<PortTask, PortReply>({
      filename: compiledSibling(import.meta.url, 'port-worker.js').href,
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
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#running < this.threads) {
      this.#running++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiting.indexOf(entry)
        if (i !== -1) this.#waiting.splice(i, 1)
        reject(signal?.reason)
      }
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort)
          this.#running++
          resolve()
        },
        fail: (err: unknown) => {
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
    if (this.#closed) throw new WorkerPoolClosedError(`WorkerPool for ${this.#label()} is closed; create a new pool.`)
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
    if (this.#closed) throw new WorkerPoolClosedError(`WorkerPool for ${this.#label()} was closed before the call started.`)
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs
    const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)
    const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined)
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals)
    let reply: PortReply
    try {
      reply = await pool.run(task, signal ? { signal } : {})
    } catch (err) {
      if (timeout?.aborted && !options.signal?.aborted) {
        throw new PortTimeoutError(`port ${this.#label()} did not finish within ${timeoutMs} ms of starting on a worker (time queued for a free thread not counted); its worker was terminated`, timeoutMs as number)
      }
      if (options.signal?.aborted) throw options.signal.reason ?? err
      if ((err as Error | undefined)?.name === 'DataCloneError') {
        throw new PortInputError(
          `arguments for port ${this.#label()} cannot be sent to a worker thread: ${(err as Error).message} Pass data: plain objects, arrays, Map, Set, typed arrays, bigint.`,
        )
      }
      if (this.#closed) throw new WorkerPoolClosedError(`WorkerPool for ${this.#label()} was closed while the call ran.`)
      const why = (err as Error | undefined)?.message ?? String(err)
      throw new PortCrashedError(`port ${this.#label()} crashed its worker (${why}); the pool replaced the worker`, { cause: err })
    }
    if (reply.ok) return { value: reply.value, ms: reply.ms }
    if (reply.kind === 'load') {
      throw new PortLoadError(`port ${this.#label()} is not usable: ${reply.message}`, this.location.filename, this.location.exportName)
    }
    if (reply.kind === 'unsendable') {
      throw new PortOutputError(
        `port ${this.#label()} returned a value a worker thread cannot send back: ${reply.message}. Return data: plain objects, arrays, Map, Set, typed arrays, bigint.`,
      )
    }
    throw new PortError(`port ${this.#label()} threw ${reply.name}: ${reply.message}`, reply.name, reply.message, reply.stack)
  }

  #label(): string {
    const { filename, exportName } = this.location
    return exportName === 'default' ? filename : `${filename}#${exportName}`
  }
}
