import { existsSync } from 'node:fs'
import { PyportOptionError } from '../errors.js'
import { performance } from 'node:perf_hooks'
import { encodeRequest } from './wire-codec.js'
import { Connection, type CancelState, type Reply, type Task } from './connection.js'
import { BridgeClosedError, BridgeTimeoutError, PythonError, PythonObjectLostError, PythonValueError, type CancelledCallState, type PythonErrorInfo } from './errors.js'
import { setEngine, type BridgeEngine } from './engine.js'
import { createHandle, type PythonObject, type HandleState } from './handles.js'
import { resolveInterpreter } from './interpreter.js'
import { mapInSlices } from './map-slices.js'
import { createModule, type PythonModule, type CallOptions } from './module.js'
import { resolveModuleSpec, type ModuleRef } from './module-spec.js'
import { checkTimeout, resolveBridgeOptions, type PythonBridgeOptions, type ResolvedBridgeOptions } from './options.js'
import { kPortSet, PortSet, type Ports, type PortsOptions } from './ports.js'
import { CallStats, type BridgeStats, type ObjectCounts, type Outcome } from './stats.js'
import { checkArgs, checkArgsList, checkOptions, pythoniaFailure } from './validate.js'

interface ValueErrorInfo {
  pythonType: string
  where: string
  hint: string
  direction: 'to-js' | 'to-python'
  index?: number | null
}

interface Counters {
  started: number
  replaced: number
  crashed: number
}

const IN_PYTHON: Record<CancelState, CancelledCallState> = {
  dropped: 'not-started',
  cancelling: 'cancelled',
  running: 'still-running',
  unanswered: 'still-running',
  done: 'finished',
}

/**
 * One Python interpreter behind a safe call API. Nothing starts until the first import or call. Calls run at most
 * once: a call given up on (timeout, abort) is dropped in Python if it has not started, cancelled if it is a
 * coroutine, and otherwise its interpreter is retired (it takes no new calls, finishes the others, then stops)
 * while new calls go to a fresh interpreter that first re-imports the modules. An interpreter that dies rejects
 * every pending call at once.
 */
export class PythonBridge<P extends PortsOptions = {}> {
  /** The ports Python calls (the `ports` option), by name: mode, modeSource, report(), settled(). */
  readonly ports: Ports<P>
  readonly #portSet: PortSet
  /** False for the members of a PythonPool, whose ports the pool owns (one report per port across the pool). */
  readonly #ownsPorts: boolean
  readonly #o: ResolvedBridgeOptions
  readonly #stats = new CallStats()
  readonly #counters: Counters = { started: 0, replaced: 0, crashed: 0 }
  /** Modules imported so far: a fresh interpreter imports them before it takes calls. */
  readonly #imports = new Map<string, ModuleRef>()
  readonly #retiring = new Set<Connection>()
  /** Tasks waiting for an interpreter to be ready (none was, or it was being replaced). */
  readonly #waiting = new Set<Task>()
  #ids = 0
  readonly #objects: ObjectCounts = { live: 0, created: 0, released: 0, lost: 0 }
  /** The interpreter holding each handle's object. */
  readonly #handleConns = new WeakMap<HandleState, Connection>()
  /** Handles JS dropped without release(): their objects are released in Python, many per message. */
  readonly #finalizer = new FinalizationRegistry<{ conn: Connection; id: number }>(({ conn, id }) => this.#collected(conn, id))
  readonly #toRelease = new Map<Connection, number[]>()
  /** The interpreter the request being encoded must run on (set by #handleArgument). */
  #pinned: Connection | undefined
  #releaseFlush: Promise<void> | undefined
  /** The interpreter taking calls, once it has re-imported the modules. */
  #ready: Connection | undefined
  #starting: Promise<Connection> | undefined
  #closing: Promise<void> | undefined
  /** What modules, handles and a PythonPool call (see engine.ts); never exposed on the class. */
  readonly #engine: BridgeEngine

  constructor(options?: PythonBridgeOptions<P>) {
    this.#o = resolveBridgeOptions(options)
    const shared = (options as { [kPortSet]?: PortSet } | undefined)?.[kPortSet]
    this.#portSet = shared ?? new PortSet(options?.ports, 'PythonBridge')
    this.#ownsPorts = shared === undefined
    this.ports = this.#portSet.handles as Ports<P>
    this.#engine = {
      call: (ref, fn, args, options) => this.#call(ref, fn, args, options),
      map: (ref, fn, argsList, options, indexBase) => this.#map(ref, fn, argsList, options, indexBase),
      callObject: (h, method, args, options) => this.#callObject(h, method, args, options),
      getAttribute: (h, name, options) => this.#getAttribute(h, name, options),
      nextItems: (h) => this.#nextItems(h),
      closeIterator: (h) => this.#closeIterator(h),
      release: (h) => this.#release(h),
      stats: this.#stats,
      counters: this.#counters,
      concurrency: this.#o.concurrency,
      objects: this.#objects,
    }
    setEngine(this as PythonBridge, this.#engine)
  }

  /** The pid of the interpreter taking calls, if one is running. */
  get pid(): number | undefined {
    return this.#ready?.process.pid
  }

  /** Calls sent and not answered yet, and calls waiting for an interpreter. */
  get pending(): number {
    return (this.#ready?.pending ?? 0) + this.#waiting.size
  }

  /** Imports a file (relative to `cwd`, or absolute) or a module name; rejects with PythonError if it fails. */
  async import(spec: string, options?: { timeoutMs?: number }): Promise<PythonModule> {
    const ref = resolveModuleSpec(spec, this.#o.cwd)
    const timeoutMs = options?.timeoutMs === undefined ? this.#o.importTimeoutMs : checkTimeout('timeoutMs', options.timeoutMs)
    await this.#request(ref, '<import>', (id) => ['i', ref.key, id], 0, { timeoutMs }, false)
    this.#imports.set(ref.key, ref)
    return createModule(this.#engine, ref)
  }

  // -- modules: PythonModule calls these, through the engine --------------------------------------------------------

  #call(ref: ModuleRef, fn: string, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkArgs(fn, args, options)
      checkOptions(options)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.#request(ref, fn, (id) => ['c', ref.key, fn, args, options?.kwargs ?? null, id], 1, options, true)
  }

  #map(ref: ModuleRef, fn: string, argsList: unknown, options: CallOptions | undefined, indexBase = 0): Promise<unknown[]> {
    try {
      checkArgsList(fn, argsList, options)
      checkOptions(options)
    } catch (err) {
      return Promise.reject(err)
    }
    const list = argsList as unknown[][]
    if (list.length === 0) return Promise.resolve([])
    const slices = Math.min(this.#o.concurrency, list.length)
    const send = (slice: unknown[][], base: number) =>
      this.#request(ref, fn, (id) => ['m', ref.key, fn, slice, options?.kwargs ?? null, base, id], slice.length, options, true) as Promise<unknown[]>
    // with threads to spare, a map runs as one slice per thread
    return slices <= 1 ? send(list, indexBase) : mapInSlices(list, slices, indexBase, send)
  }

  stats(): BridgeStats {
    const pid = this.#ready?.process.pid
    return {
      functions: CallStats.merged([this.#stats]),
      interpreters: { size: 1, concurrency: this.#o.concurrency, ...this.#counters, pids: pid === undefined ? [] : [pid] },
      objects: { ...this.#objects },
    }
  }

  /** Rejects pending calls with BridgeClosedError and stops every interpreter (EOF, SIGTERM, SIGKILL). */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown()
    return this.#closing
  }

  // -- handles: PythonObject and PythonIterator call back here ----------------------------------------------------

  #callObject(h: HandleState, method: string, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkArgs(method, args, options)
      checkOptions(options)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.#request(objectRef(h), method, (id) => ['o', h.id, method, args, options?.kwargs ?? null, id], 1, options, true, this.#handleConns.get(h))
  }

  #getAttribute(h: HandleState, name: string, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkOptions(options)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.#request(objectRef(h), name, (id) => ['g', h.id, name, id], 1, options, false, this.#handleConns.get(h))
  }

  async #nextItems(h: HandleState): Promise<{ items: unknown[]; done: boolean }> {
    let batch: { items: unknown[]; done: boolean }
    try {
      batch = (await this.#request(objectRef(h), '<next>', (id) => ['n', h.id, this.#o.streamBatch, id], 0, undefined, false, this.#handleConns.get(h))) as typeof batch
    } catch (err) {
      if (err instanceof PythonError) this.#ended(h) // it raised: Python released it
      throw err
    }
    if (batch.done) this.#ended(h)
    return batch
  }

  async #closeIterator(h: HandleState): Promise<void> {
    try {
      await this.#request(objectRef(h), '<close>', (id) => ['x', h.id, id], 0, undefined, false, this.#handleConns.get(h))
    } finally {
      this.#ended(h) // Python releases it, closed or not
    }
  }

  #release(h: HandleState): Promise<void> {
    h.released = true
    const conn = this.#handleConns.get(h)
    if (!conn || !this.#finalizer.unregister(h) || !this.#drop(conn)) return Promise.resolve()
    return this.#queueRelease(conn, h.id)
  }

  /** An iterator Python released itself (it ended, raised or was closed). */
  #ended(h: HandleState): void {
    h.released = true
    const conn = this.#handleConns.get(h)
    if (conn && this.#finalizer.unregister(h)) this.#drop(conn)
  }

  /** A handle stops being live; false if its interpreter is gone (the handle was counted as lost then). */
  #drop(conn: Connection): boolean {
    if (conn.state === 'closed') return false
    conn.handleDropped()
    this.#objects.live--
    this.#objects.released++
    return true
  }

  /** A handle JS dropped without release(), garbage-collected. */
  #collected(conn: Connection, id: number): void {
    if (this.#drop(conn)) void this.#queueRelease(conn, id)
  }

  #makeHandle(conn: Connection, id: number, type: string, kind: 'obj' | 'iter'): PythonObject {
    const state: HandleState = {
      host: this.#engine,
      id,
      type,
      released: false,
      lost: () => (conn.state === 'ready' ? undefined : new PythonObjectLostError(type, conn.lostReason ?? 'exited', conn.process.pid)),
    }
    this.#handleConns.set(state, conn)
    const handle = createHandle(state, kind)
    this.#finalizer.register(handle, { conn, id }, state)
    conn.handleMade()
    this.#objects.created++
    this.#objects.live++
    return handle
  }

  /** Queues a release for Python; one message per interpreter carries every id queued in the same tick. */
  #queueRelease(conn: Connection, id: number): Promise<void> {
    let ids = this.#toRelease.get(conn)
    if (!ids) this.#toRelease.set(conn, (ids = []))
    ids.push(id)
    this.#releaseFlush ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.#releaseFlush = undefined
        const batches = [...this.#toRelease]
        this.#toRelease.clear()
        void Promise.all(batches.map(([c, list]) => c.release(list).catch(() => undefined))).then(() => resolve())
      })
    })
    return this.#releaseFlush
  }

  /**
   * The hook the codec calls for each PythonObject in a request's arguments: its id, or why it cannot be sent. The
   * request then runs on the interpreter holding it (#pinned; encoding is synchronous, one request at a time). Live
   * handles all belong to the one interpreter taking calls, so they agree.
   */
  readonly #handleArgument = (state: HandleState): number | string => {
    if (state.host !== this.#engine) return 'it belongs to another PythonBridge (or another interpreter of a PythonPool); pass it only to calls of the bridge that made it'
    if (state.released) return 'it was released'
    const lost = state.lost()
    if (lost) return lost.message
    this.#pinned = this.#handleConns.get(state)
    return state.id
  }

  /** Sends a request; `pin` is the interpreter it must run on (the one holding an object it uses). */
  #request(ref: ModuleRef, fn: string, body: (id: number) => unknown[], items: number, options: CallOptions | undefined, record: boolean, pin?: Connection): Promise<unknown> {
    const recordCall = (outcome: Outcome, ms: number, reply: Reply | undefined, bytesSent: number) => {
      if (!record) return
      this.#stats.record({
        module: ref.name, file: ref.file, fn, items, outcome, ms, bytesSent,
        pythonMs: (reply?.pythonSeconds ?? 0) * 1000,
        queuedMs: (reply?.queuedSeconds ?? 0) * 1000,
        bytesReceived: reply?.bytes ?? 0,
      })
    }
    /** A call rejected before anything was sent still shows in stats(). */
    const refuse = (err: unknown, outcome: Outcome): Promise<never> => {
      recordCall(outcome, 0, undefined, 0)
      return Promise.reject(err)
    }
    if (this.#closing) return refuse(new BridgeClosedError('closed', `the bridge is closed; cannot call ${ref.name}.${fn}`), 'closed')
    const signal = options?.signal
    if (signal?.aborted) return refuse(signal.reason, 'cancelled')
    const id = ++this.#ids
    let timeoutMs: number
    let message: string
    this.#pinned = pin
    try {
      timeoutMs = options?.timeoutMs === undefined ? this.#o.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs)
      message = encodeRequest(body(id), this.#handleArgument)
    } catch (err) {
      return refuse(err, 'unsent')
    }
    const target = this.#pinned
    if (target && target.state !== 'ready') {
      return refuse(new PythonObjectLostError(ref.name, target.lostReason ?? 'exited', target.process.pid), 'closed')
    }
    return new Promise((resolve, reject) => {
      const t0 = performance.now()
      let timer: NodeJS.Timeout | undefined
      const onAbort = () => giveUp('cancelled', () => signal?.reason)
      const settle = (outcome: Outcome, reply?: Reply) => {
        task.settled = true
        this.#waiting.delete(task)
        if (timer) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        recordCall(outcome, performance.now() - t0, reply, Buffer.byteLength(message))
      }
      /** A timeout or an abort: Python drops the call, cancels it, or runs it to its end on a retired interpreter. */
      const giveUp = (outcome: Outcome, error: (state: CancelledCallState, pid: number | undefined) => unknown) => {
        if (task.settled) return
        const conn = task.conn
        settle(outcome)
        if (!conn) return reject(error('not-started', undefined))
        void conn.cancel(task).then((state) => {
          reject(error(IN_PYTHON[state], conn.process.pid))
          if (state === 'running' || state === 'unanswered') this.#retire(conn)
        })
      }
      const task: Task & { startTimer(): void } = {
        id,
        message,
        settled: false,
        conn: undefined,
        startTimer: () => {
          if (timeoutMs > 0 && !timer) {
            timer = setTimeout(() => giveUp('timeout', (state, pid) => new BridgeTimeoutError(ref.name, fn, timeoutMs, pid, state)), timeoutMs)
            timer.unref()
          }
        },
        answer: (reply) => {
          if (task.settled) return
          if (reply.status === 0) {
            settle('ok', reply)
            return resolve(reply.payload)
          }
          settle('error', reply)
          reject(replyError(reply, ref, fn))
        },
        broken: (err) => {
          if (task.settled) return
          settle('error')
          reject(err instanceof PythonValueError ? err : tooLargeToSend(err, ref, fn) ?? pythoniaFailure(err, ref.name, fn))
        },
        fail: (err) => {
          if (task.settled) return
          settle('closed')
          reject(err)
        },
        requeue: () => {
          if (task.settled) return
          if (target) return task.fail(new PythonObjectLostError(ref.name, 'replaced', target.process.pid))
          if (timer) clearTimeout(timer)
          timer = undefined // its timeout counts again from when a ready interpreter takes it
          task.conn = undefined
          this.#dispatch(task)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      if (target) {
        target.send(task) // the interpreter holding its objects: no other will do
        task.startTimer()
      } else {
        this.#dispatch(task)
      }
    })
  }

  #dispatch(task: Task & { startTimer(): void }): void {
    const ready = this.#ready
    if (ready && ready.state === 'ready') {
      ready.send(task)
      task.startTimer()
      return
    }
    this.#waiting.add(task)
    this.#connection().then(
      (c) => {
        this.#waiting.delete(task)
        if (task.settled) return
        if (c.state !== 'ready') return this.#dispatch(task)
        c.send(task)
        task.startTimer()
      },
      (err: Error) => {
        this.#waiting.delete(task)
        task.fail(err)
      },
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
    // A port that cannot load (no such export, the module throws) fails the first import or call, naming its file.
    if (this.#portSet.size > 0) await this.#portSet.ready()
    const env = { ...process.env, ...this.#o.env }
    // PYPORT_PYTHON and PATH from the `env` option count; a relative `python` path resolves against `cwd`
    const interpreter = await resolveInterpreter(this.#o.python, env, this.#o.cwd)
    if (this.#closing) throw new BridgeClosedError('closed', 'the bridge was closed while its interpreter was starting')
    if (!existsSync(this.#o.cwd)) {
      throw new PyportOptionError({ option: 'cwd', expected: 'an existing directory (it is where Python runs and relative imports resolve)', received: this.#o.cwd })
    }
    const conn = new Connection(
      {
        python: interpreter.path,
        cwd: this.#o.cwd,
        env,
        forwardStderr: this.#o.forwardStderr,
        concurrency: this.#o.concurrency,
        maxMessageChars: this.#o.maxMessageChars,
        ports: this.#portSet.spec,
      },
      {
        exited: (c) => this.#exited(c),
        broken: (c) => this.#lost(c),
        drained: (c) => void c.process.kill(this.#o.killGraceMs),
        stuck: (c) => this.#retire(c),
        handle: (c, id, type, kind) => this.#makeHandle(c, id, type, kind),
        ...(this.#portSet.size > 0 ? { port: (c: Connection, m: Parameters<PortSet['serve']>[0]) => this.#portSet.serve(m, (line) => c.process.write(line)) } : {}),
      },
    )
    this.#counters.started++
    const importFailure = await this.#reimport(conn)
    if (conn.state !== 'ready') {
      if (importFailure) throw importFailure
      throw new BridgeClosedError('exited', `the fresh Python interpreter (pid ${conn.process.pid ?? '?'}) stopped while it re-imported ${[...this.#imports.values()].map((r) => r.name).join(', ')}`, { pid: conn.process.pid })
    }
    if (this.#closing) throw new BridgeClosedError('closed', 'the bridge was closed while its interpreter was starting')
    this.#ready = conn
    return conn
  }

  /** A fresh interpreter imports what its predecessor had, each under importTimeoutMs, before any call is sent. */
  async #reimport(conn: Connection): Promise<BridgeTimeoutError | undefined> {
    let timedOut: BridgeTimeoutError | undefined
    await Promise.all(
      [...this.#imports.values()].map((ref) =>
        // a failing import fails the calls that need it, with its own error; one that times out retires the interpreter
        this.#requestOn(conn, ref).catch((err: unknown) => {
          if (err instanceof BridgeTimeoutError) timedOut ??= err
        }),
      ),
    )
    return timedOut
  }

  #requestOn(conn: Connection, ref: ModuleRef): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = ++this.#ids
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        task.settled = true
        if (timer) clearTimeout(timer)
      }
      const task: Task = {
        id,
        message: encodeRequest(['i', ref.key, id]),
        settled: false,
        conn: undefined,
        answer: (reply) => {
          done()
          if (reply.status === 0) resolve(reply.payload)
          else reject(replyError(reply, ref, '<import>'))
        },
        broken: (err) => (done(), reject(err)),
        fail: (err) => (done(), reject(err)),
        requeue: () => (done(), reject(new BridgeClosedError('replaced', 'the interpreter was retired while it re-imported'))),
      }
      conn.send(task)
      if (this.#o.importTimeoutMs > 0) {
        timer = setTimeout(() => {
          if (task.settled) return
          done()
          reject(new BridgeTimeoutError(ref.name, '<import>', this.#o.importTimeoutMs, conn.process.pid, 'still-running'))
          void conn.cancel(task).then(() => this.#retireStarting(conn))
        }, this.#o.importTimeoutMs)
        timer.unref()
      }
    })
  }

  /** A re-import timed out: this interpreter cannot be trusted to take calls. */
  #retireStarting(conn: Connection): void {
    this.#retiring.add(conn)
    this.#counters.replaced++
    conn.drain()
  }

  /** A thread still runs a call the host gave up on: take no new calls there, let the others finish, then stop it. */
  #retire(conn: Connection): void {
    if (conn.state !== 'ready') return
    if (this.#ready === conn) this.#ready = undefined
    this.#retiring.add(conn)
    this.#counters.replaced++
    conn.drain()
  }

  #lost(conn: Connection): void {
    if (this.#ready === conn) {
      this.#ready = undefined
      if (!this.#closing) this.#counters.crashed++
    }
  }

  #exited(conn: Connection): void {
    this.#retiring.delete(conn)
    this.#lost(conn)
    const lost = conn.takeLostHandles() // they died with it
    this.#objects.lost += lost
    this.#objects.live -= lost
    this.#toRelease.delete(conn)
  }

  async #shutdown(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    const conns = [...(this.#ready ? [this.#ready] : []), ...this.#retiring]
    this.#ready = undefined
    const err = new BridgeClosedError('closed', 'the bridge was closed while this call was pending')
    for (const t of [...this.#waiting]) t.fail(err)
    for (const c of conns) for (const t of c.detachAll()) t.fail(err)
    await Promise.all(conns.map((c) => c.process.stop(this.#o.killGraceMs)))
    if (this.#ownsPorts) await this.#portSet.close()
  }
}

/** How an object's calls are named in errors and stats(): by its type. */
function objectRef(h: HandleState): ModuleRef {
  return { key: `obj:${h.type}`, name: h.type, file: null }
}

function replyError(reply: Reply, ref: ModuleRef, fn: string): Error {
  if (reply.status === 2) return valueError(reply.payload as ValueErrorInfo, ref, fn)
  if (reply.status === 3) {
    return new PythonError({ pythonType: 'asyncio.CancelledError', message: 'the coroutine was cancelled in Python', traceback: '', frames: [] }, ref.name, fn)
  }
  return new PythonError(reply.payload as PythonErrorInfo, ref.name, fn)
}

function valueError(info: ValueErrorInfo, ref: ModuleRef, fn: string): PythonValueError {
  const context = info.direction === 'to-python' ? `${ref.name}.${fn}: Python cannot receive an argument` : `${ref.name}.${fn} returned a value that cannot be sent to JS`
  return new PythonValueError(info.direction, info.pythonType, info.where, info.hint, context, info.index ?? undefined)
}

/** pythonia's own JSON.stringify of the request failed: the arguments are too large to send, not a Python error. */
function tooLargeToSend(err: unknown, ref: ModuleRef, fn: string): PythonValueError | undefined {
  if (!(err instanceof RangeError)) return undefined
  return new PythonValueError('to-python', 'arguments', '', 'they are too large to send in one message (over the longest string V8 can build); send them in pieces', `${ref.name}.${fn}: cannot send the arguments`)
}
