import { existsSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { decodeEmbedded, decodeMessage, encodeRequest } from './codec.js'
import { Connection, type Task } from './connection.js'
import { BridgeClosedError, BridgeTimeoutError, PythonError, PythonValueError, type PythonErrorInfo } from './errors.js'
import { resolveInterpreter } from './interpreter.js'
import { PythonModule, type CallOptions, type ModuleCaller } from './module.js'
import { resolveModuleSpec, type ModuleRef } from './module-spec.js'
import { checkTimeout, resolveBridgeOptions, type PythonBridgeOptions, type ResolvedBridgeOptions } from './options.js'
import type { ProcessExit } from './python-process.js'
import { CallStats, type BridgeStats, type Outcome } from './stats.js'
import { checkArgs, checkArgsList, checkOptions, pythoniaFailure } from './validate.js'

interface BridgeTask extends Task {
  conn: Connection | undefined
  cancel(err: unknown, outcome: Outcome): void
}

interface ValueErrorInfo {
  pythonType: string
  where: string
  hint: string
  direction: 'to-js' | 'to-python'
  index?: number | null
}

/** For PythonPool: a bridge's raw counters, mergeable. */
export const kInternals = Symbol('pyport.bridge.internals')

/**
 * One Python interpreter behind a safe call API. Nothing starts until the first import or call; a call
 * that times out or is aborted replaces the interpreter (later calls are resent to a fresh one, which
 * re-imports the modules); an interpreter that dies rejects every pending call at once.
 */
export class PythonBridge implements ModuleCaller {
  readonly #o: ResolvedBridgeOptions
  readonly #stats = new CallStats()
  readonly #counters = { started: 0, replaced: 0, crashed: 0 }
  readonly #retiring = new Set<Connection>()
  #conn: Connection | undefined
  #starting: Promise<Connection> | undefined
  #closing: Promise<void> | undefined

  constructor(options?: PythonBridgeOptions) {
    this.#o = resolveBridgeOptions(options)
  }

  /** The pid of the running interpreter, if one is running. */
  get pid(): number | undefined {
    return this.#conn?.process.pid
  }

  /** Calls sent and not answered yet. */
  get pending(): number {
    return this.#conn?.pending ?? 0
  }

  /** Imports a file (relative to `cwd`, or absolute) or a module name; rejects with PythonError if it fails. */
  async import(spec: string, options?: { timeoutMs?: number }): Promise<PythonModule> {
    const ref = resolveModuleSpec(spec, this.#o.cwd)
    await this.#request(ref, '<import>', ['i', ref.key], 0, options, false)
    return new PythonModule(this, ref)
  }

  /** @internal Use `(await bridge.import(spec)).call(fn, args, options)`. */
  call(ref: ModuleRef, fn: string, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkArgs(fn, args, options)
      checkOptions(options)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.#request(ref, fn, ['c', ref.key, fn, args, options?.kwargs ?? null], 1, options, true)
  }

  /** @internal Use `(await bridge.import(spec)).map(fn, argsList, options)`. */
  map(ref: ModuleRef, fn: string, argsList: unknown, options: CallOptions | undefined, indexBase = 0): Promise<unknown[]> {
    try {
      checkArgsList(fn, argsList, options)
      checkOptions(options)
    } catch (err) {
      return Promise.reject(err)
    }
    const list = argsList as unknown[][]
    if (list.length === 0) return Promise.resolve([])
    return this.#request(ref, fn, ['m', ref.key, fn, list, options?.kwargs ?? null, indexBase], list.length, options, true) as Promise<unknown[]>
  }

  stats(): BridgeStats {
    const pid = this.#conn?.process.pid
    return {
      functions: CallStats.merged([this.#stats]),
      interpreters: { size: 1, ...this.#counters, pids: pid === undefined ? [] : [pid] },
    }
  }

  /** Rejects pending calls with BridgeClosedError and stops every interpreter (EOF, SIGTERM, SIGKILL). */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown()
    return this.#closing
  }

  get [kInternals](): { stats: CallStats; counters: { started: number; replaced: number; crashed: number } } {
    return { stats: this.#stats, counters: this.#counters }
  }

  #request(ref: ModuleRef, fn: string, body: unknown[], items: number, options: CallOptions | undefined, record: boolean): Promise<unknown> {
    /** A call rejected before anything was sent still shows in stats(). */
    const refuse = (err: unknown, outcome: Outcome): Promise<never> => {
      if (record) this.#stats.record({ module: ref.name, file: ref.file, fn, items, outcome, ms: 0, pythonMs: 0, bytesSent: 0, bytesReceived: 0 })
      return Promise.reject(err)
    }
    if (this.#closing) return refuse(new BridgeClosedError('closed', `the bridge is closed; cannot call ${ref.name}.${fn}`), 'closed')
    const signal = options?.signal
    if (signal?.aborted) return refuse(signal.reason, 'cancelled')
    let timeoutMs: number
    let message: string
    try {
      timeoutMs = options?.timeoutMs === undefined ? this.#o.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs)
      message = encodeRequest(body)
    } catch (err) {
      return refuse(err, 'unsent')
    }
    return new Promise((resolve, reject) => {
      const t0 = performance.now()
      let timer: NodeJS.Timeout | undefined
      const onAbort = () => task.cancel(signal?.reason, 'cancelled')
      const finish = (outcome: Outcome, bytesReceived: number, pythonSeconds = 0) => {
        task.settled = true
        if (timer) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        if (record) {
          this.#stats.record({
            module: ref.name, file: ref.file, fn, items, outcome, bytesReceived,
            ms: performance.now() - t0,
            pythonMs: pythonSeconds * 1000,
            bytesSent: Buffer.byteLength(message),
          })
        }
      }
      const task: BridgeTask = {
        message,
        seq: 0,
        settled: false,
        conn: undefined,
        answer: (raw) => {
          if (task.settled) return
          let reply: [number, unknown, number?]
          let bytes: number
          try {
            if (typeof raw === 'string') {
              bytes = raw.length
              reply = decodeMessage(raw) as [number, unknown, number?]
            } else {
              const [flag, body, lineLength] = raw as [string, unknown, number]
              bytes = lineLength
              reply = decodeEmbedded(flag, body) as [number, unknown, number?]
            }
          } catch (err) {
            finish('error', 0)
            return reject(err)
          }
          if (reply[0] === 0) {
            finish('ok', bytes, reply[2])
            return resolve(reply[1])
          }
          finish('error', bytes, reply[2])
          reject(reply[0] === 1 ? new PythonError(reply[1] as PythonErrorInfo, ref.name, fn) : valueError(reply[1] as ValueErrorInfo, ref, fn))
        },
        bridgeError: (err) => {
          if (task.settled) return
          finish('error', 0)
          reject(pythoniaFailure(err, ref.name, fn))
        },
        fail: (err) => {
          if (task.settled) return
          finish('closed', 0)
          reject(err)
        },
        cancel: (err, outcome) => {
          if (task.settled) return
          const conn = task.conn
          const where = conn?.cancel(task) ?? 'gone'
          finish(outcome, 0)
          reject(err)
          if (conn && where === 'running') this.#replace(conn, task.seq)
        },
      }
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const conn = task.conn
          const queued = conn === undefined || !conn.isRunning(task)
          task.cancel(new BridgeTimeoutError(ref.name, fn, timeoutMs, conn?.process.pid, queued), 'timeout')
        }, timeoutMs)
        timer.unref()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#dispatch(task)
    })
  }

  #dispatch(task: BridgeTask): void {
    const conn = this.#conn
    if (conn && !conn.retired) {
      task.conn = conn
      conn.send(task)
      return
    }
    this.#connection().then(
      (c) => {
        if (task.settled) return
        if (c.process.hasExited) return task.fail(new BridgeClosedError('exited', 'the Python interpreter exited as it started', { pid: c.process.pid }))
        if (c.retired) return this.#dispatch(task)
        task.conn = c
        c.send(task)
      },
      (err: Error) => task.fail(err),
    )
  }

  #connection(): Promise<Connection> {
    if (!this.#starting) {
      const starting = this.#start()
      this.#starting = starting
      const clear = () => {
        if (this.#starting === starting) this.#starting = undefined
      }
      starting.then(clear, clear)
    }
    return this.#starting
  }

  async #start(): Promise<Connection> {
    const env = { ...process.env, ...this.#o.env }
    // PYPORT_PYTHON and PATH from the `env` option count; a relative `python` path resolves against `cwd`
    const interpreter = await resolveInterpreter(this.#o.python, env, this.#o.cwd)
    if (this.#closing) throw new BridgeClosedError('closed', 'the bridge was closed while its interpreter was starting')
    if (!existsSync(this.#o.cwd)) {
      throw new TypeError(`The \`cwd\` option is "${this.#o.cwd}", which does not exist; pass an existing directory (it is where Python runs and relative imports resolve)`)
    }
    const conn = new Connection(
      { python: interpreter.path, cwd: this.#o.cwd, env, forwardStderr: this.#o.forwardStderr },
      (c, exit) => this.#exited(c, exit),
      (c, head) => this.#replace(c, head.seq),
    )
    this.#conn = conn
    this.#counters.started++
    return conn
  }

  #exited(conn: Connection, _exit: ProcessExit): void {
    const wasCurrent = this.#conn === conn && !conn.retired
    conn.retired = true
    this.#retiring.delete(conn)
    if (this.#conn === conn) this.#conn = undefined
    if (wasCurrent && !this.#closing) this.#counters.crashed++
  }

  /**
   * The interpreter still runs a call that timed out or was aborted: stop it. Python answers in order, so
   * tasks sent after that call never started and go to a fresh interpreter; answers already in the pipe are
   * read first (setImmediate runs after the poll phase).
   */
  #replace(conn: Connection, seq: number): void {
    if (conn.retired) return
    conn.retired = true
    if (this.#conn === conn) this.#conn = undefined
    this.#retiring.add(conn)
    this.#counters.replaced++
    setImmediate(() => {
      const { before, after } = conn.detachAround(seq)
      void conn.process.kill(this.#o.killGraceMs)
      for (const t of before) {
        t.fail(new BridgeClosedError('replaced', 'a call was pending on an interpreter that was stopped after another call timed out; it may or may not have run', { pid: conn.process.pid }))
      }
      for (const t of after) if (!t.settled) this.#dispatch(t as BridgeTask)
    })
  }

  async #shutdown(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    const conns = [...(this.#conn ? [this.#conn] : []), ...this.#retiring]
    this.#conn = undefined
    const err = new BridgeClosedError('closed', 'the bridge was closed while this call was pending')
    for (const c of conns) {
      c.retired = true
      for (const t of c.detachAll()) t.fail(err)
    }
    await Promise.all(conns.map((c) => c.process.stop(this.#o.killGraceMs)))
  }
}

function valueError(info: ValueErrorInfo, ref: ModuleRef, fn: string): PythonValueError {
  const context = info.direction === 'to-python' ? `${ref.name}.${fn}: Python cannot receive an argument` : `${ref.name}.${fn} returned a value that cannot be sent to JS`
  return new PythonValueError(info.direction, info.pythonType, info.where, info.hint, context, info.index ?? undefined)
}
